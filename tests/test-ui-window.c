/* test-ui-window.c: the Pigeon window, in-process under Xvfb: what a user sees, what the fields
 * do, the draft restored (sending: test-ui-window-send.c)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PIGEON_TEST_SHOTS=DIR saves screenshots (see pigeon-test-ui.h).
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <string.h>

#include "pigeon-test-window.h"
#include "pigeon-ui-config.h"

#ifdef HAVE_GSPELL
#include <gspell/gspell.h>
#endif

typedef PigeonTestWindow Fixture;

static void
test_build (Fixture *f, gconstpointer data)
{
  const char *names[] = {
    "To", "Cc", "Bcc", "Subject", "Message", "Attachments", "Attach", "Send"
  };
  g_auto (GStrv) accels = NULL;

  /* Without an account, the window says what to do first. */
  pigeon_test_window_open (f);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_nonnull (pigeon_test_ui_find_named (GTK_WIDGET (f->window), G_TYPE_NONE, names[i]));
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "Add an Account"));
  g_assert_false (gtk_widget_is_sensitive (pigeon_test_window_find (f, "Send")));
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "Add an account to send from"));

  /* The account appears as soon as it is saved. */
  pigeon_test_window_save_account ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  WAIT_UNTIL (gtk_widget_is_drawable (pigeon_test_window_find (f, "From")));
  g_assert_cmpstr (
    gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (pigeon_test_window_find (f, "From"))),
    ==, "Alice Example <" USER ">");
  g_assert_cmpstr (pigeon_draft_get_from (pigeon_window_get_draft (f->window)), ==, "test");
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "Add a recipient"));
  pigeon_test_ui_shoot (GTK_WIDGET (f->window), "empty");

  /* The keys the shortcuts window lists. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (pigeon_test_window_get_app ()),
                                                  "win.send");
  g_assert_cmpstr (accels[0], ==, "<Primary>Return");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (pigeon_test_window_get_app ()),
                                                  "win.attach");
  g_assert_cmpstr (accels[0], ==, "<Primary><Shift>a");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (pigeon_test_window_get_app ()),
                                                  "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Primary>q");
}

static void
test_fields_update_draft (Fixture *f, gconstpointer data)
{
  PigeonDraft *draft = NULL;

  pigeon_test_window_save_account ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  pigeon_test_window_open (f);
  draft = pigeon_window_get_draft (f->window);
  g_assert_false (gtk_widget_is_drawable (pigeon_test_window_find (f, "Cc")));
  pigeon_test_ui_click (
    pigeon_test_ui_find_named (GTK_WIDGET (f->window), GTK_TYPE_TOGGLE_BUTTON, "Cc"));
  g_assert_true (gtk_widget_is_drawable (
    pigeon_test_ui_find_named (GTK_WIDGET (f->window), GTK_TYPE_ENTRY, "Cc")));
  pigeon_test_window_fill_message (f);
  pigeon_test_window_type (f, "Cc", "carol@example.org");
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, TO);
  g_assert_cmpstr (pigeon_draft_get_cc (draft), ==, "carol@example.org");
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, SUBJECT);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, BODY);
  g_assert_true (gtk_widget_is_sensitive (pigeon_test_window_find (f, "Send")));
  g_assert_null (pigeon_window_get_send_blocker (f->window));
}

static void
test_invalid_address (Fixture *f, gconstpointer data)
{
  GtkWidget *to = NULL;
  g_autofree char *blocker = NULL;

  pigeon_test_window_save_account ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  pigeon_test_window_open (f);
  to = pigeon_test_window_find (f, "To");
  pigeon_test_window_type (f, "To", "bob@example.org, carol");
  g_assert_false (gtk_widget_is_sensitive (pigeon_test_window_find (f, "Send")));
  blocker = g_strdup (pigeon_window_get_send_blocker (f->window));
  g_assert_nonnull (blocker);
  g_assert_nonnull (strstr (blocker, "To"));
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), blocker));
  g_assert_true (gtk_style_context_has_class (gtk_widget_get_style_context (to), "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (to), ==, blocker);

  pigeon_test_window_type (f, "To", "@example.org");
  g_assert_true (gtk_widget_is_sensitive (pigeon_test_window_find (f, "Send")));
  g_assert_false (gtk_style_context_has_class (gtk_widget_get_style_context (to), "error"));
  g_assert_false (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), blocker));
}

static void
test_forgotten_attachment (Fixture *f, gconstpointer data)
{
  GtkWidget *question = NULL;

  pigeon_test_window_start_plain_server (f);
  pigeon_test_window_open (f);
  pigeon_test_window_type (f, "To", TO);
  pigeon_test_window_type (f, "Message", "The report is attached.");
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  WAIT_UNTIL ((question = pigeon_test_ui_find_toplevel (GTK_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_true (pigeon_test_ui_shows_text (question, "Send without attachment?"));
  gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
  g_assert_false (pigeon_window_is_sending (f->window));
  g_assert_cmpuint (pigeon_fake_server_count (f->server, "MAIL FROM:*"), ==, 0);
}

static void
test_restore (Fixture *f, gconstpointer data)
{
  g_autofree char *kept = pigeon_test_window_picture_new (f, "kept.png", 0.3);
  g_autofree char *gone = pigeon_test_window_picture_new (f, "gone.png", 0.7);
  const char *paths[] = { kept, gone, NULL };
  PigeonDraft *draft = NULL;

  pigeon_test_window_save_account ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  pigeon_test_window_open (f);
  pigeon_test_window_fill_message (f);
  pigeon_test_window_drop_files (f, paths);
  /* The autosave, seen from outside as the next start would see it. */
  WAIT_UNTIL (({
    g_autoptr (PigeonDraft) stored = pigeon_test_window_draft_in_store ();
    g_str_equal (pigeon_draft_get_body (stored), BODY) &&
      g_list_model_get_n_items (pigeon_draft_get_attachments (stored)) == 2;
  }));
  pigeon_test_window_close (f);
  g_assert_cmpint (g_remove (gone), ==, 0);

  pigeon_test_window_open (f);
  draft = pigeon_window_get_draft (f->window);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (pigeon_test_window_find (f, "To"))), ==, TO);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (pigeon_test_window_find (f, "Subject"))), ==,
                   SUBJECT);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, BODY);
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 1);
  g_assert_true (gtk_info_bar_get_revealed (pigeon_test_window_info_bar (f)));
  WAIT_UNTIL (pigeon_test_ui_shows_text (GTK_WIDGET (pigeon_test_window_info_bar (f)), "gone.png"));
}

/* The thumbnails take the height of their rows: with three pictures the text keeps the rest of
 * the window (the area once took 260 px whatever it held); with many, it stops at 260 px and
 * scrolls. */
static void
test_attachments_height (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) scrollers = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) flow_boxes = NULL;
  GtkWidget *attachments = NULL;
  GtkWidget *scroller = NULL;

  pigeon_test_window_save_account ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  pigeon_test_window_open (f);
  attachments = pigeon_test_window_find (f, "Attachments");
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (paths, pigeon_test_window_picture_new (f, "photo.png", i / 3.0));
  g_ptr_array_add (paths, NULL);
  pigeon_test_window_drop_files (f, (const char *const *) paths->pdata);
  scrollers = pigeon_test_ui_find_widgets (attachments, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_cmpuint (scrollers->len, ==, 1);
  scroller = scrollers->pdata[0];
  items = pigeon_test_ui_find_widgets (attachments, GTK_TYPE_FLOW_BOX_CHILD);
  g_assert_cmpuint (items->len, ==, 3);
  WAIT_UNTIL (pigeon_test_ui_count_thumbnails (attachments) == 3);
  WAIT_UNTIL (gtk_widget_get_allocated_height (items->pdata[0]) > 0 &&
              gtk_widget_get_allocated_height (scroller) ==
                gtk_widget_get_allocated_height (items->pdata[0]));
  /* And it stays so once the layout has settled. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (gtk_widget_get_allocated_height (scroller), ==,
                   gtk_widget_get_allocated_height (items->pdata[0]));
  g_assert_cmpint (gtk_widget_get_allocated_height (scroller), <, 260);

  g_ptr_array_set_size (paths, 0);
  for (guint i = 0; i < 27; i++)
    g_ptr_array_add (paths, pigeon_test_window_random_file_new (f, "notes.txt", 10));
  g_ptr_array_add (paths, NULL);
  pigeon_test_window_drop_files (f, (const char *const *) paths->pdata);
  flow_boxes = pigeon_test_ui_find_widgets (attachments, GTK_TYPE_FLOW_BOX);
  WAIT_UNTIL (gtk_widget_get_allocated_height (scroller) == 260 &&
              gtk_widget_get_allocated_height (flow_boxes->pdata[0]) > 260);
}

/* The red line under a misspelled word (gspell's tag; nothing else underlines the text). */
static gboolean
marked_misspelled (GtkTextBuffer *buffer, int offset)
{
  GtkTextIter iter;
  g_autoptr (GSList) tags = NULL;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      PangoUnderline underline = PANGO_UNDERLINE_NONE;

      g_object_get (l->data, "underline", &underline, NULL);
      if (underline != PANGO_UNDERLINE_NONE)
        return TRUE;
    }
  return FALSE;
}

/* The spell checker is loaded off the main thread once the window is drawn; what was typed
 * before it is ready is checked all the same. */
static void
test_spell_check (Fixture *f, gconstpointer data)
{
#ifdef HAVE_GSPELL
  const char *text = "Thsi is the photo I promised.";
  GtkTextBuffer *buffer = NULL;

  /* Asked before the window's worker thread uses gspell. */
  if (gspell_language_get_default () == NULL)
    {
      g_test_skip ("no spelling dictionary is installed");
      return;
    }
  pigeon_test_window_open (f);
  pigeon_test_window_type (f, "Message", text);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pigeon_test_window_find (f, "Message")));
  WAIT_UNTIL (marked_misspelled (buffer, 1));
  g_assert_false (marked_misspelled (buffer, strstr (text, "photo") - text));
#else
  g_test_skip ("built without gspell");
#endif
}

int
main (int argc, char *argv[])
{
  pigeon_test_window_init (&argc, &argv);
  PIGEON_TEST_WINDOW_ADD ("build", test_build);
  PIGEON_TEST_WINDOW_ADD ("fields-update-draft", test_fields_update_draft);
  PIGEON_TEST_WINDOW_ADD ("invalid-address", test_invalid_address);
  PIGEON_TEST_WINDOW_ADD ("forgotten-attachment", test_forgotten_attachment);
  PIGEON_TEST_WINDOW_ADD ("restore", test_restore);
  PIGEON_TEST_WINDOW_ADD ("attachments-height", test_attachments_height);
  PIGEON_TEST_WINDOW_ADD ("spell-check", test_spell_check);
  return pigeon_test_window_run ();
}
