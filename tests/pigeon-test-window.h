/* pigeon-test-window.h: what the window's tests share (test-ui-window.c, test-ui-open.c,
 * test-ui-window-send.c): the application in a private home, a fixture with the window, the
 * account and the files to attach, and what the user does
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-fake-server.h"
#include "pigeon-test-ui.h"
#include "pigeon-window.h"

G_BEGIN_DECLS

#define WAIT_USEC        (20 * G_USEC_PER_SEC)
#define WAIT_UNTIL(cond) PIGEON_TEST_UI_WAIT_UNTIL (cond, WAIT_USEC)

/* The account, and what the user types. */
#define USER    "alice@example.org"
#define TO      "Bob Example <bob@example.org>"
#define SUBJECT "Pictures from the trip: Grüße"
#define BODY    "Hello Bob,\n\nhere they are.\n.a line with a leading dot\n\nAlice\n"

typedef struct
{
  PigeonWindow *window;
  PigeonFakeServer *server;
  char *files; /* what the test attaches */
} PigeonTestWindow;

/* Adds the test /ui/window/@path with the fixture below. */
#define PIGEON_TEST_WINDOW_ADD(path, func)                                                 \
  g_test_add ("/ui/window/" path, PigeonTestWindow, NULL, pigeon_test_window_set_up, func, \
              pigeon_test_window_tear_down)

/* Instead of gtk_test_init(): the XDG folders in a new temporary folder, settings in memory,
 * GTK, GMime, and the application (for its accelerators, style and shortcuts window;
 * registered, never run). */
void pigeon_test_window_init (int *argc, char ***argv);
/* g_test_run(); then the application and the temporary folder go. Returns the status. */
int pigeon_test_window_run (void);
PigeonApplication *pigeon_test_window_get_app (void);

/* No accounts, no saved draft, an empty folder for the files; after the test, neither the
 * window nor the server is left. */
void pigeon_test_window_set_up (PigeonTestWindow *f, gconstpointer data);
void pigeon_test_window_tear_down (PigeonTestWindow *f, gconstpointer data);

/* The account "test", from "Alice Example <USER>". */
void pigeon_test_window_save_account (
  const char *host, guint port, PigeonSmtpSecurity security, const char *user, const char *ca_file);
/* A server without TLS or AUTH, for an account without a user name. */
void pigeon_test_window_start_plain_server (PigeonTestWindow *f);
/* @size random bytes (they do not compress) in the files folder. */
char *pigeon_test_window_random_file_new (PigeonTestWindow *f, const char *name, gsize size);
/* A colourful gradient in the files folder, so that thumbnails show something. */
char *pigeon_test_window_picture_new (PigeonTestWindow *f, const char *name, double hue);
/* The draft the next start would restore. */
PigeonDraft *pigeon_test_window_draft_in_store (void);

/* The window, at PIGEON_TEST_SHOT_SIZE (e.g. "360x700"; default 1000x700), once it is shown
 * with its draft. */
void pigeon_test_window_open (PigeonTestWindow *f);
void pigeon_test_window_close (PigeonTestWindow *f);
/* The widget in the window with the accessible name @name, as a screen reader finds it;
 * asserts there is one. */
GtkWidget *pigeon_test_window_find (PigeonTestWindow *f, const char *name);
GtkInfoBar *pigeon_test_window_info_bar (PigeonTestWindow *f);

/* What the user does. */

/* Typing goes through "insert-at-cursor", as input methods do. */
void pigeon_test_window_type (PigeonTestWindow *f, const char *field, const char *text);
/* TO, SUBJECT and BODY typed in. */
void pigeon_test_window_fill_message (PigeonTestWindow *f);
/* Drops files on the attachments area, as a file manager does, and waits until they are in. */
void pigeon_test_window_drop_files (PigeonTestWindow *f, const char *const *paths);

G_END_DECLS
