/* pigeon-window.h: the Pigeon window: compose, drop images, send with live progress
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pigeon-account.h"
#include "pigeon-application.h"
#include "pigeon-draft.h"

G_BEGIN_DECLS

#define PIGEON_TYPE_WINDOW (pigeon_window_get_type ())
G_DECLARE_FINAL_TYPE (PigeonWindow, pigeon_window, PIGEON, WINDOW, GtkApplicationWindow)

/* The window edits the draft kept by the draft store in its default folder
 * (pigeon_draft_store_get_default_folder()): it is loaded off the main thread, so the fields
 * are insensitive for the moment that takes. Actions: win.send, win.attach, win.show-log. */
PigeonWindow *pigeon_window_new (PigeonApplication *application);

/* The draft the window shows (it follows every keystroke), or NULL while it is still being
 * loaded. After a successful send it is replaced by a new empty draft. */
PigeonDraft *pigeon_window_get_draft (PigeonWindow *self);

/* Adds a mailto: link (RFC 6068) to the message being written (pigeon_mailto_apply: nothing
 * already written is lost); a link that cannot be read is shown in the info bar. */
void pigeon_window_open_link (PigeonWindow *self, const char *uri);

/* Attaches @files in that order, as files dropped from a file manager are (read off the main
 * thread; one that is not on this computer or cannot be read is refused in the info bar). */
void pigeon_window_attach_files (PigeonWindow *self, GFile **files, guint n_files);

/* Whether a send is in flight (from the password question to the server's last reply). */
gboolean pigeon_window_is_sending (PigeonWindow *self);

/* Why Send is disabled, as the window shows it, or NULL when it is enabled. */
const char *pigeon_window_get_send_blocker (PigeonWindow *self);

/* The fields (pigeon-window-fields.c): private to pigeon-window.c, which embeds this. ------- */

typedef struct
{
  /* Template children, set by the window's template. */
  GtkStack *from_stack;
  GtkComboBoxText *from_combo;
  GtkEntry *to_entry;
  GtkEntry *cc_entry;
  GtkEntry *bcc_entry;
  GtkWidget *cc_label;
  GtkWidget *bcc_label;
  GtkToggleButton *cc_button;
  GtkToggleButton *bcc_button;
  GtkEntry *subject_entry;
  GtkTextView *body_view;

  /* Owned. */
  GSettings *settings;    /* the application's: the list of accounts */
  PigeonDraft *draft;     /* NULL until the store has loaded it */
  GPtrArray *bindings;    /* GBinding between the draft and the widgets */
  GCallback changed_func; /* (PigeonWindow *): a field, the accounts or the draft changed */
  gpointer changed_data;
  gboolean refreshing; /* refilling the From list: its "changed" is not the user's */
  GtkWidget *question; /* weak: "Send without attachment?" while it is open */
  GCallback send_func; /* what to do when the user says "Send Anyway" */
  gpointer send_data;
  guint spell_idle_id;             /* after the first frame: start loading the spell checker */
  GCancellable *spell_cancellable; /* loading it, in a worker thread */
} PigeonWindowFields;

void pigeon_window_fields_init (PigeonWindowFields *fields,
                                GCallback changed_func,
                                gpointer changed_data);
void pigeon_window_fields_clear (PigeonWindowFields *fields);
/* Binds the widgets to @draft (and no longer to the previous draft). */
void pigeon_window_fields_set_draft (PigeonWindowFields *fields, PigeonDraft *draft);
void pigeon_window_fields_set_editable (PigeonWindowFields *fields, gboolean editable);
/* The account chosen in From (loaded now), or NULL with the reason in @error. */
PigeonAccount *pigeon_window_fields_get_account (PigeonWindowFields *fields, GError **error);
/* Marks invalid address fields and returns why the message cannot be sent yet (translated),
 * or NULL. */
char *pigeon_window_fields_validate (PigeonWindowFields *fields);
/* Calls @send_func (@send_data) now, or, when the body mentions an attachment ("attached",
 * "Anhang", "附件"…) but @n_attachments is 0, after asking "Send without attachment?", if the
 * user says so. */
void pigeon_window_fields_confirm_send (PigeonWindowFields *fields,
                                        GtkWindow *parent,
                                        guint n_attachments,
                                        GCallback send_func,
                                        gpointer send_data);
/* "Bob", "Bob and 2 others": the recipients, for the notification after sending. */
char *pigeon_window_fields_describe_recipients (PigeonWindowFields *fields);

G_END_DECLS
