/* pigeon-test-ui.h: what the in-process GTK tests share (test-ui-accounts.c,
 * test-ui-account-editor.c, test-ui-attachments.c, and through pigeon-test-window.h
 * test-ui-window*.c): waiting on the main loop, finding widgets, clicking, screenshots, and
 * for the accounts dialog a private environment, a resolver that never asks DNS, and the
 * dialog driven through its named widgets
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Runs the main loop until @cond holds, for at most @usec microseconds; a short timer wakes the
 * loop to look at the clock. @cond is evaluated once per turn and not again after (it may act,
 * like a paste). */
#define PIGEON_TEST_UI_WAIT_UNTIL(cond, usec)                           \
  G_STMT_START                                                          \
  {                                                                     \
    gint64 deadline_ = g_get_monotonic_time () + (usec);                \
    guint wake_ = g_timeout_add (20, pigeon_test_ui_wake_cb, NULL);     \
    gboolean done_ = FALSE;                                             \
    while (!(done_ = (cond)) && g_get_monotonic_time () < deadline_)    \
      g_main_context_iteration (NULL, TRUE);                            \
    g_source_remove (wake_);                                            \
    if (!done_)                                                         \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                           "timed out waiting for: " #cond);            \
  }                                                                     \
  G_STMT_END

gboolean pigeon_test_ui_wake_cb (gpointer user_data);

/* Deletes @path and everything below it, without following links. */
void pigeon_test_ui_delete_tree (const char *path);

/* Every widget of @type under @root (itself included) that is drawn on screen. */
GPtrArray *pigeon_test_ui_find_widgets (GtkWidget *root, GType type);
/* The pictures drawn under @root: images showing a surface (a thumbnail) rather than an icon. */
guint pigeon_test_ui_count_thumbnails (GtkWidget *root);
GtkWidget *pigeon_test_ui_find_by_accessible_name (GtkWidget *root, GType type, const char *name);
/* The first drawn label under @root whose text starts with @prefix, or NULL. */
GtkWidget *pigeon_test_ui_find_label (GtkWidget *root, const char *prefix);
/* Whether a drawn label under @root has @text anywhere in it. */
gboolean pigeon_test_ui_shows_text (GtkWidget *root, const char *text);
/* As a screen reader finds it: the first widget under @root (itself included), drawn or not,
 * of @type (G_TYPE_NONE: any) with the accessible name @name (NULL: any), or NULL. */
GtkWidget *pigeon_test_ui_find_named (GtkWidget *root, GType type, const char *name);
/* The visible toplevel window (a dialog) of @type, or NULL. */
GtkWidget *pigeon_test_ui_find_toplevel (GType type);

/* Clicks @button, which must be sensitive. */
void pigeon_test_ui_click (GtkWidget *button);
/* With PIGEON_TEST_SHOTS=DIR set, saves @widget's window as DIR/@name.png once 30 frames are
 * drawn (revealers slide for 250 ms, thumbnails arrive); without it, does nothing. */
void pigeon_test_ui_shoot (GtkWidget *widget, const char *name);

/* The widget a template under @root (@root's own, or a composite widget's inside it) names
 * @name; asserts there is one. */
GtkWidget *pigeon_test_ui_child (GtkWidget *root, const char *name);
const char *pigeon_test_ui_entry_text (GtkWidget *root, const char *name);
/* The way typing does it: one "changed" per edit. */
void pigeon_test_ui_type_into (GtkWidget *root, const char *name, const char *text);
gboolean pigeon_test_ui_shows (GtkWidget *root, const char *name);
const char *pigeon_test_ui_label_text (GtkWidget *root, const char *name);
gboolean pigeon_test_ui_label_contains (GtkWidget *root, const char *name, const char *text);

/* The accounts dialog. */

/* Before gtk_test_init(): local time is UTC (the certificate dialog's dates); no session bus,
 * so no keyring, deterministically, and no accessibility bus to wait for; the XDG folders in a
 * new temporary folder. Then the default resolver becomes one that knows only the SRV records
 * given to pigeon_test_ui_add_srv() and fails every host name. */
void pigeon_test_ui_accounts_init (int *argc, char ***argv);
/* g_test_run(), then the temporary folder is removed; returns the status. */
int pigeon_test_ui_accounts_run (void);

/* @host NULL: the look-up fails. Several calls add targets to the same name. */
void pigeon_test_ui_add_srv (const char *rrname, const char *host, guint16 port, guint16 priority);
/* How many SRV look-ups the resolver has answered so far. */
guint pigeon_test_ui_get_lookups (void);

/* No accounts, no default. */
void pigeon_test_ui_forget_accounts (void);
/* The accounts dialog, shown. */
GtkWidget *pigeon_test_ui_dialog_new (void);
/* The dialog after "Add Account…": on the editor page. */
GtkWidget *pigeon_test_ui_dialog_adding (void);
/* The dialog's list row for the account @id; asserts there is one. */
GtkListBoxRow *pigeon_test_ui_row_of (GtkWidget *dialog, const char *id);

G_END_DECLS
