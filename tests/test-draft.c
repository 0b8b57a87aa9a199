/* test-draft.c: the draft model: its fields, its attachments (a list model,
 * sniffed content types, files refused) and composing the message from it
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pigeon-draft.h"

/* The smallest PNG: signature, IHDR (1×1, grey), IDAT, IEND. */
static const guchar png_bytes[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
  0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
  0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
  0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00,
  0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

#define TEXT "Minutes of the meeting.\nNothing was decided.\n"

typedef struct
{
  char *dir;
  GFile *png;  /* a PNG under a name that does not say so */
  GFile *text; /* notes.txt */
  PigeonDraft *draft;
  GString *changes; /* "position,removed,added;" for each items-changed */
} Fixture;

static GFile *
write_file (Fixture *fixture, const char *name, const void *data, gsize length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  Fixture *fixture = data;

  g_string_append_printf (fixture->changes, "%u,%u,%u;", position, removed, added);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pigeon-draft-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->png = write_file (fixture, "picture.dat", png_bytes, sizeof png_bytes);
  fixture->text = write_file (fixture, "notes.txt", TEXT, strlen (TEXT));
  fixture->draft = pigeon_draft_new ();
  fixture->changes = g_string_new (NULL);
  g_signal_connect (pigeon_draft_get_attachments (fixture->draft), "items-changed",
                    G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_chmod (path, 0700);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
  g_clear_object (&fixture->png);
  g_clear_object (&fixture->text);
  g_clear_object (&fixture->draft);
  g_string_free (fixture->changes, TRUE);
}

static PigeonAttachment *
attachment_at (Fixture *fixture, guint position)
{
  GListModel *model = pigeon_draft_get_attachments (fixture->draft);
  g_autoptr (PigeonAttachment) attachment = g_list_model_get_item (model, position);

  g_assert_nonnull (attachment);
  return attachment; /* the draft holds a reference */
}

static void
notified_cb (GObject *object, GParamSpec *pspec, gpointer data)
{
  GString *names = data;

  g_string_append_printf (names, "%s;", pspec->name);
}

static void
test_fields (void)
{
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (GString) notified = g_string_new (NULL);
  const char *const values[] = {
    "from",    "work",
    "to",      "Bob <bob@example.org>",
    "cc",      "carol@example.org",
    "bcc",     "dave@example.org",
    "subject", "Lunch?",
    "body",    "At noon.\n",
  };

  g_assert_cmpstr (pigeon_draft_get_from (draft), ==, "");
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 0);

  g_signal_connect (draft, "notify", G_CALLBACK (notified_cb), notified);
  /* One by one: g_object_set() of several would send the notifications in its
   * own order. */
  for (guint i = 0; i < G_N_ELEMENTS (values); i += 2)
    g_object_set (draft, values[i], values[i + 1], NULL);
  g_assert_cmpstr (notified->str, ==, "from;to;cc;bcc;subject;body;");
  g_assert_cmpstr (pigeon_draft_get_from (draft), ==, "work");
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, "Bob <bob@example.org>");
  g_assert_cmpstr (pigeon_draft_get_cc (draft), ==, "carol@example.org");
  g_assert_cmpstr (pigeon_draft_get_bcc (draft), ==, "dave@example.org");
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, "Lunch?");
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, "At noon.\n");

  /* The same value again is not a change (saving as the user types would repeat
   * work). */
  g_string_truncate (notified, 0);
  g_object_set (draft, "subject", "Lunch?", NULL);
  g_assert_cmpstr (notified->str, ==, "");
  g_object_set (draft, "subject", NULL, NULL);
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, "");
  g_assert_cmpstr (notified->str, ==, "subject;");
}

static void
test_sniffing (Fixture *fixture, gconstpointer data)
{
  static const guchar junk[64] = { 0x00, 0x01, 0x02, 0xfe, 0xff };
  g_autoptr (GFile) fake_png = write_file (fixture, "fake.png", junk, sizeof junk);
  PigeonAttachment *image, *text, *fake;
  g_autoptr (GError) error = NULL;

  g_assert_true (pigeon_draft_add_file (fixture->draft, fixture->png, NULL, &error));
  g_assert_true (pigeon_draft_add_file (fixture->draft, fixture->text, NULL, &error));
  g_assert_true (pigeon_draft_add_file (fixture->draft, fake_png, NULL, &error));
  g_assert_no_error (error);

  image = attachment_at (fixture, 0);
  g_assert_cmpstr (pigeon_attachment_get_content_type (image), ==, "image/png");
  g_assert_cmpint (pigeon_attachment_get_disposition (image), ==, PIGEON_ATTACHMENT_INLINE);
  g_assert_cmpuint (pigeon_attachment_get_size (image), ==, sizeof png_bytes);
  g_assert_cmpstr (pigeon_attachment_get_display_name (image), ==, "picture.dat");
  g_assert_true (g_file_equal (pigeon_attachment_get_file (image), fixture->png));

  text = attachment_at (fixture, 1);
  g_assert_cmpstr (pigeon_attachment_get_content_type (text), ==, "text/plain");
  g_assert_cmpint (pigeon_attachment_get_disposition (text), ==, PIGEON_ATTACHMENT_ATTACHED);
  g_assert_cmpuint (pigeon_attachment_get_size (text), ==, strlen (TEXT));

  /* A name does not make an image: the composer would refuse it inline. */
  fake = attachment_at (fixture, 2);
  g_assert_cmpstr (pigeon_attachment_get_content_type (fake), ==, "application/octet-stream");
  g_assert_false (pigeon_attachment_is_image (fake));
  g_assert_cmpint (pigeon_attachment_get_disposition (fake), ==, PIGEON_ATTACHMENT_ATTACHED);
  g_assert_false (pigeon_attachment_set_disposition (fake, PIGEON_ATTACHMENT_INLINE));
  g_assert_cmpint (pigeon_attachment_get_disposition (fake), ==, PIGEON_ATTACHMENT_ATTACHED);

  g_assert_true (pigeon_attachment_set_disposition (image, PIGEON_ATTACHMENT_ATTACHED));
  g_assert_cmpint (pigeon_attachment_get_disposition (image), ==, PIGEON_ATTACHMENT_ATTACHED);
}

static void
test_list_model (Fixture *fixture, gconstpointer data)
{
  GListModel *model = pigeon_draft_get_attachments (fixture->draft);
  g_autoptr (PigeonAttachment) first = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_list_model_get_item_type (model) == PIGEON_TYPE_ATTACHMENT);
  g_assert_true (pigeon_draft_add_file (fixture->draft, fixture->png, NULL, &error));
  g_assert_true (pigeon_draft_add_file (fixture->draft, fixture->text, NULL, &error));
  g_assert_cmpstr (fixture->changes->str, ==, "0,0,1;1,0,1;");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  first = g_object_ref (attachment_at (fixture, 0));
  g_string_truncate (fixture->changes, 0);
  g_assert_true (pigeon_draft_remove_attachment (fixture->draft, first));
  g_assert_cmpstr (fixture->changes->str, ==, "0,1,0;");
  g_assert_cmpstr (pigeon_attachment_get_display_name (attachment_at (fixture, 0)), ==,
                   "notes.txt");

  g_assert_false (pigeon_draft_remove_attachment (fixture->draft, first));
  g_assert_cmpstr (fixture->changes->str, ==, "0,1,0;");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
}

static void
assert_refused (Fixture *fixture, GFile *file, int code)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);

  g_assert_false (pigeon_draft_add_file (fixture->draft, file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (fixture->draft)), ==,
                    1);
  g_assert_cmpstr (fixture->changes->str, ==, "0,0,1;");
}

static void
test_refused (Fixture *fixture, gconstpointer data)
{
  g_autofree char *missing_path = g_build_filename (fixture->dir, "gone.pdf", NULL);
  g_autoptr (GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr (GFile) folder = g_file_new_for_path (fixture->dir);
  /* Regular, but reading its first bytes fails with EIO, even for root. */
  g_autoptr (GFile) unreadable_for_all = g_file_new_for_path ("/proc/self/mem");

  g_assert_true (pigeon_draft_add_file (fixture->draft, fixture->text, NULL, NULL));
  assert_refused (fixture, missing, G_IO_ERROR_NOT_FOUND);
  assert_refused (fixture, folder, G_IO_ERROR_NOT_REGULAR_FILE);
  assert_refused (fixture, unreadable_for_all, G_IO_ERROR_FAILED);

  /* Permissions hold for everybody but root (the test machines run as root). */
  if (geteuid () != 0)
    {
      g_autoptr (GFile) locked = write_file (fixture, "locked.txt", TEXT, strlen (TEXT));

      g_assert_cmpint (g_chmod (g_file_peek_path (locked), 0), ==, 0);
      assert_refused (fixture, locked, G_IO_ERROR_PERMISSION_DENIED);
    }
}

static void
attachment_made_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static void
test_async (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (PigeonAttachment) attachment = NULL;
  g_autoptr (GError) error = NULL;

  pigeon_attachment_new_for_file_async (fixture->png, NULL, attachment_made_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  attachment = pigeon_attachment_new_for_file_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pigeon_attachment_get_content_type (attachment), ==, "image/png");
  pigeon_draft_add_attachment (fixture->draft, attachment);
  g_assert_cmpstr (fixture->changes->str, ==, "0,0,1;");
}

static char *
written (PigeonComposedMessage *message)
{
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  pigeon_composed_message_write (message, stream, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (stream, "", 1, NULL, NULL, &error); /* NUL-terminated */
  g_output_stream_close (stream, NULL, &error);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_compose (Fixture *fixture, gconstpointer data)
{
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  const char *const expected[] = { "bob@example.org", "carol@example.org", "dave@example.org",
                                   "eve@example.org", NULL };

  g_object_set (fixture->draft, "from", "work", "to", "bob@example.org, Carol <carol@example.org>",
                "cc", "dave@example.org", "bcc", "eve@example.org", "subject", "Minutes", "body",
                "See the notes.\n", NULL);
  g_assert_true (pigeon_draft_add_file (fixture->draft, fixture->text, NULL, &error));
  message = pigeon_draft_compose (fixture->draft, "\"Doe, Ana\" <ana@example.org>", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (pigeon_composed_message_get_sender (message), ==, "ana@example.org");
  g_assert_cmpstrv (pigeon_composed_message_get_recipients (message), expected);
  text = written (message);
  g_assert_nonnull (strstr (text, "Subject: Minutes\r\n"));
  g_assert_nonnull (strstr (text, "carol@example.org"));
  g_assert_nonnull (strstr (text, "notes.txt"));
  g_assert_null (strstr (text, "eve@example.org")); /* Bcc never in the headers */
  /* The draft is what the user typed, still. */
  g_assert_cmpstr (pigeon_draft_get_bcc (fixture->draft), ==, "eve@example.org");
}

static void
test_compose_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) to_error = NULL;
  g_autoptr (GError) subject_error = NULL;
  g_autoptr (PigeonComposedMessage) bad_to = NULL;
  g_autoptr (PigeonComposedMessage) bad_subject = NULL;

  g_object_set (fixture->draft, "to", "bob@example.org, not an address", NULL);
  bad_to = pigeon_draft_compose (fixture->draft, "ana@example.org", &to_error);
  g_assert_null (bad_to);
  g_assert_error (to_error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_test_message ("%s", to_error->message);
  g_assert_nonnull (strstr (to_error->message, "To"));

  g_object_set (fixture->draft, "to", "bob@example.org", "subject", "Hi\r\nBcc: x@example.org",
                NULL);
  bad_subject = pigeon_draft_compose (fixture->draft, "ana@example.org", &subject_error);
  g_assert_null (bad_subject);
  g_assert_error (subject_error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_test_message ("%s", subject_error->message);
  g_assert_nonnull (strstr (subject_error->message, "Subject"));
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/draft/fields", test_fields);
  ADD ("/draft/attachments/sniffing", test_sniffing);
  ADD ("/draft/attachments/list-model", test_list_model);
  ADD ("/draft/attachments/refused", test_refused);
  ADD ("/draft/attachments/async", test_async);
  ADD ("/draft/compose/message", test_compose);
  ADD ("/draft/compose/errors", test_compose_errors);

  return g_test_run ();
}
