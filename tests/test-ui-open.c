/* test-ui-open.c: "pigeon mailto:… FILE…" and a file manager's "Open With → Pigeon": the
 * application's "open" fills in the message from mailto: links and attaches the files
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-window.h"

typedef PigeonTestWindow Fixture;

/* Helpers. */

/* What "pigeon ARG…" hands to the application. */
static void
open_args (const char *const *args)
{
  guint n = g_strv_length ((char **) args);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (args[i]));
  g_application_open (G_APPLICATION (pigeon_test_window_get_app ()), (GFile **) files->pdata, n,
                      "");
}

static GtkWidget *
the_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (pigeon_test_window_get_app ()));

  g_assert_cmpuint (g_list_length (windows), ==, 1);
  return windows->data;
}

static guint
n_attachments (PigeonDraft *draft)
{
  return g_list_model_get_n_items (pigeon_draft_get_attachments (draft));
}

static gboolean
window_ready (guint n_attachments_wanted)
{
  GtkWidget *window = the_window ();
  PigeonDraft *draft = pigeon_window_get_draft (PIGEON_WINDOW (window));

  return draft != NULL && gtk_widget_get_mapped (window) &&
         n_attachments (draft) == n_attachments_wanted;
}

/* The attachments as the window lists them, in order: "name, size" for each item. */
static void
assert_attachments_shown (const char *const *names)
{
  g_autoptr (GPtrArray) items =
    pigeon_test_ui_find_widgets (the_window (), GTK_TYPE_FLOW_BOX_CHILD);

  g_assert_cmpuint (items->len, ==, g_strv_length ((char **) names));
  for (guint i = 0; i < items->len; i++)
    {
      const char *item = atk_object_get_name (gtk_widget_get_accessible (items->pdata[i]));
      g_autofree char *prefix = g_strdup_printf ("%s, ", names[i]);

      g_assert_true (g_str_has_prefix (item, prefix));
      g_assert_true (pigeon_test_ui_shows_text (the_window (), names[i]));
    }
}

static const char *
entry_text (const char *name)
{
  GtkWidget *entry = pigeon_test_ui_find_named (the_window (), GTK_TYPE_ENTRY, name);

  g_assert_nonnull (entry);
  return gtk_entry_get_text (GTK_ENTRY (entry));
}

static gboolean
info_bar_shown (void)
{
  GtkWidget *bar = pigeon_test_ui_find_named (the_window (), GTK_TYPE_INFO_BAR, NULL);

  return gtk_info_bar_get_revealed (GTK_INFO_BAR (bar));
}

/* The window the application opened becomes the fixture's, which closes it. */
static void
adopt_window (Fixture *f)
{
  f->window = g_object_ref (PIGEON_WINDOW (the_window ()));
}

/* The window has one picture and a message ready; Send is clicked. */
static PigeonDraft *
start_sending (Fixture *f, const char *picture)
{
  const char *args[] = { picture, NULL };

  open_args (args);
  WAIT_UNTIL (window_ready (1));
  adopt_window (f);
  pigeon_test_window_type (f, "To", TO);
  pigeon_test_window_type (f, "Subject", SUBJECT);
  WAIT_UNTIL (pigeon_window_get_send_blocker (f->window) == NULL);
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  g_assert_true (pigeon_window_is_sending (f->window));
  return pigeon_window_get_draft (f->window);
}

/* "Open With → Pigeon" and a mailto: link, while the message is on its way. Straight to the
 * window, in the same turn of the main loop as Send: the send cannot have ended yet. (The
 * application hands files over at the window's next frame, when it may have.) */
static void
open_during_send (Fixture *f, const char *picture)
{
  g_autoptr (GFile) file = g_file_new_for_path (picture);

  pigeon_window_open_link (f->window, "mailto:carol@example.org?subject=Next%20time");
  pigeon_window_attach_files (f->window, &file, 1);
}

/* The fixture: the shared one (no accounts, no saved draft), and no window left after. */

static void
tear_down (Fixture *f, gconstpointer data)
{
  GList *windows = NULL;

  if (f->window != NULL)
    pigeon_test_window_close (f);
  while ((windows =
            gtk_application_get_windows (GTK_APPLICATION (pigeon_test_window_get_app ()))) != NULL)
    gtk_widget_destroy (windows->data);
  pigeon_test_window_tear_down (f, data);
}

/* The tests. */

static void
test_mailto_and_files (Fixture *f, gconstpointer data)
{
  g_autofree char *first = pigeon_test_window_picture_new (f, "first.png", 0.1);
  g_autofree char *second = pigeon_test_window_picture_new (f, "second.png", 0.6);
  const char *args[] = { "mailto:bob@example.org?subject=Photos", first, second, NULL };
  const char *shown[] = { "first.png", "second.png", NULL };

  /* Before the window has read its draft: the link and the files wait for it. */
  open_args (args);
  WAIT_UNTIL (window_ready (2));
  g_assert_cmpstr (entry_text ("To"), ==, "bob@example.org");
  g_assert_cmpstr (entry_text ("Subject"), ==, "Photos");
  assert_attachments_shown (shown);
  g_assert_false (info_bar_shown ());
}

/* "Open With → Pigeon" while Pigeon runs: the files join the message being written. */
static void
test_running_window (Fixture *f, gconstpointer data)
{
  g_autofree char *first = pigeon_test_window_picture_new (f, "first.png", 0.1);
  g_autofree char *second = pigeon_test_window_picture_new (f, "second.png", 0.6);
  const char *args[] = { first, NULL };
  const char *more[] = { second, NULL };
  const char *shown[] = { "first.png", "second.png", NULL };

  open_args (args);
  WAIT_UNTIL (window_ready (1));
  open_args (more);
  WAIT_UNTIL (window_ready (2));
  assert_attachments_shown (shown);
  g_assert_cmpstr (entry_text ("To"), ==, "");
}

/* A web address is not downloaded behind the user's back: the window says why not. */
static void
test_not_on_this_computer (Fixture *f, gconstpointer data)
{
  g_autofree char *first = pigeon_test_window_picture_new (f, "first.png", 0.1);
  const char *args[] = { "https://example.org/photo.jpg", first, NULL };
  const char *refused =
    "“https://example.org/photo.jpg” cannot be attached: only files on this computer can.";
  const char *shown[] = { "first.png", NULL };

  open_args (args);
  WAIT_UNTIL (window_ready (1) && pigeon_test_ui_shows_text (the_window (), refused));
  g_assert_true (info_bar_shown ());
  assert_attachments_shown (shown);
}

/* What came while the message was on its way goes into the next one: the sent draft is
 * replaced by an empty one, and would have taken it along. */
static void
test_while_sending_sent (Fixture *f, gconstpointer data)
{
  g_autofree char *first = pigeon_test_window_picture_new (f, "first.png", 0.1);
  g_autofree char *later = pigeon_test_window_picture_new (f, "later.png", 0.6);
  const char *shown[] = { "later.png", NULL };
  PigeonDraft *sent = NULL;
  PigeonDraft *next = NULL;

  pigeon_test_window_start_plain_server (f);
  sent = g_object_ref (start_sending (f, first));
  open_during_send (f, later);
  /* Nothing joins the message on its way. */
  g_assert_cmpstr (pigeon_draft_get_to (sent), ==, TO);
  g_assert_cmpuint (n_attachments (sent), ==, 1);
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
  g_assert_cmpint (pigeon_fake_server_count (f->server, "RCPT TO:<carol@example.org>*"), ==, 0);
  next = pigeon_window_get_draft (f->window);
  g_assert_true (next != sent);
  WAIT_UNTIL (window_ready (1));
  g_assert_cmpstr (entry_text ("To"), ==, "carol@example.org");
  g_assert_cmpstr (entry_text ("Subject"), ==, "Next time");
  assert_attachments_shown (shown);
  g_object_unref (sent);
}

/* After a failure or Cancel the message is still being written: what came is added to it. */
static void
assert_added_to_same_draft (Fixture *f, PigeonDraft *draft)
{
  const char *shown[] = { "first.png", "later.png", NULL };

  WAIT_UNTIL (!pigeon_window_is_sending (f->window));
  g_assert_true (pigeon_window_get_draft (f->window) == draft);
  WAIT_UNTIL (window_ready (2));
  g_assert_cmpstr (entry_text ("To"), ==, TO ", carol@example.org");
  g_assert_cmpstr (entry_text ("Subject"), ==, SUBJECT);
  g_assert_true (g_str_has_prefix (pigeon_draft_get_body (draft), "Next time"));
  assert_attachments_shown (shown);
  g_assert_true (gtk_widget_is_sensitive (pigeon_test_window_find (f, "To")));
}

static void
test_while_sending_failed (Fixture *f, gconstpointer data)
{
  g_autofree char *first = pigeon_test_window_picture_new (f, "first.png", 0.1);
  g_autofree char *later = pigeon_test_window_picture_new (f, "later.png", 0.6);
  PigeonDraft *draft = NULL;

  /* Nobody listens there: the connection is refused. */
  pigeon_test_window_save_account ("127.0.0.1", pigeon_fake_server_closed_port (),
                                   PIGEON_SMTP_SECURITY_NONE, "", "");
  draft = start_sending (f, first);
  open_during_send (f, later);
  g_assert_cmpuint (n_attachments (draft), ==, 1);
  assert_added_to_same_draft (f, draft);
  g_assert_true (info_bar_shown ());
}

static void
test_while_sending_cancelled (Fixture *f, gconstpointer data)
{
  g_autofree char *first = pigeon_test_window_picture_new (f, "first.png", 0.1);
  g_autofree char *later = pigeon_test_window_picture_new (f, "later.png", 0.6);
  PigeonDraft *draft = NULL;

  pigeon_test_window_start_plain_server (f);
  draft = start_sending (f, first);
  open_during_send (f, later);
  pigeon_test_ui_click (pigeon_test_window_find (f, "Cancel"));
  assert_added_to_same_draft (f, draft);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 0);
}

#define ADD(path, func) \
  g_test_add ("/ui/open/" path, Fixture, NULL, pigeon_test_window_set_up, func, tear_down)

int
main (int argc, char *argv[])
{
  pigeon_test_window_init (&argc, &argv);
  ADD ("mailto-and-files", test_mailto_and_files);
  ADD ("running-window", test_running_window);
  ADD ("not-on-this-computer", test_not_on_this_computer);
  ADD ("while-sending/sent", test_while_sending_sent);
  ADD ("while-sending/failed", test_while_sending_failed);
  ADD ("while-sending/cancelled", test_while_sending_cancelled);
  return pigeon_test_window_run ();
}
