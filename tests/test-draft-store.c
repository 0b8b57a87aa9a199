/* test-draft-store.c: the draft saved and restored: round trips, damaged and missing files,
 * imported data, clearing after a send (the background save: test-draft-autosave.c)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pigeon-test-draft-store.h"

typedef PigeonTestDraftStore Fixture;

static void
test_round_trip_fields (Fixture *fixture, gconstpointer data)
{
  static const char *const values[][2] = {
    { "from", "work-account" },
    { "to", "Zoë Ørsted <zoe@exämple.org>, \"Doe, John\" <john@example.com>" },
    { "cc", "" },
    { "bcc", "  leading@spaces.example" },
    { "subject", "[PATCH 2/3] a=b; c [d] # not a comment = still the subject" },
    { "body", "Hello,\n\nline with trailing spaces   \n\ttab\r\nliteral \\n and \\\\\n"
              "[Draft]\nversion=99\n日本語のテキスト 🐦\n\n" },
  };
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (PigeonDraft) restored = NULL;
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_object_set (draft, values[i][0], values[i][1], NULL);
  pigeon_test_draft_store_save (fixture, draft);
  restored = pigeon_test_draft_store_reload (fixture, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *value = NULL;

      g_object_get (restored, values[i][0], &value, NULL);
      g_assert_cmpstr (value, ==, values[i][1]);
    }
  /* Private, and with a version a later format can be told apart by. */
  g_assert_cmpint (g_stat (fixture->draft_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_key_file_load_from_file (key_file, fixture->draft_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (key_file, "Draft", "version", NULL), ==, 1);
}

static void
test_round_trip_attachments (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GFile) png = pigeon_test_draft_store_write_file (
    fixture, "photo.png", pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png);
  g_autoptr (GFile) png2 = pigeon_test_draft_store_write_file (
    fixture, "scan [1].png", pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png);
  g_autoptr (GFile) text = pigeon_test_draft_store_write_file (fixture, "notes.txt", "Notes\n", 6);
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (PigeonDraft) restored = NULL;
  g_autoptr (PigeonAttachment) first = pigeon_test_draft_store_attach (draft, png);
  g_autoptr (PigeonAttachment) second = pigeon_test_draft_store_attach (draft, png2);
  g_autoptr (PigeonAttachment) third = pigeon_test_draft_store_attach (draft, text);
  g_auto (GStrv) missing = NULL;
  GListModel *model = NULL;

  pigeon_attachment_set_display_name (second, "Holiday — été 2026 = [final].png");
  g_assert_true (pigeon_attachment_set_disposition (second, PIGEON_ATTACHMENT_ATTACHED));
  pigeon_attachment_set_display_name (third, "minutes.txt");
  pigeon_test_draft_store_save (fixture, draft);

  restored = pigeon_test_draft_store_reload (fixture, &missing);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  model = pigeon_draft_get_attachments (restored);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  pigeon_test_draft_store_assert_attachment (model, 0, png, "photo.png", PIGEON_ATTACHMENT_INLINE);
  pigeon_test_draft_store_assert_attachment (model, 1, png2, "Holiday — été 2026 = [final].png",
                                             PIGEON_ATTACHMENT_ATTACHED);
  pigeon_test_draft_store_assert_attachment (model, 2, text, "minutes.txt",
                                             PIGEON_ATTACHMENT_ATTACHED);
}

static void
test_load_missing_attachment (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GFile) png = pigeon_test_draft_store_write_file (
    fixture, "photo.png", pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png);
  g_autoptr (GFile) text =
    pigeon_test_draft_store_write_file (fixture, "gone.txt", "soon gone\n", 10);
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (PigeonDraft) restored = NULL;
  g_autoptr (PigeonAttachment) first = pigeon_test_draft_store_attach (draft, text);
  g_autoptr (PigeonAttachment) second = pigeon_test_draft_store_attach (draft, png);
  g_auto (GStrv) missing = NULL;

  g_object_set (draft, "subject", "With two files", NULL);
  pigeon_test_draft_store_save (fixture, draft);
  g_assert_true (g_file_delete (text, NULL, NULL));

  restored = pigeon_test_draft_store_reload (fixture, &missing);
  g_assert_cmpstr (pigeon_draft_get_subject (restored), ==, "With two files");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (restored)), ==, 1);
  pigeon_test_draft_store_assert_attachment (pigeon_draft_get_attachments (restored), 0, png,
                                             "photo.png", PIGEON_ATTACHMENT_INLINE);
  g_assert_cmpuint (g_strv_length (missing), ==, 1);
  g_assert_cmpstr (missing[0], ==, g_file_peek_path (text));
}

static void
test_load_none (Fixture *fixture, gconstpointer data)
{
  g_auto (GStrv) missing = NULL;
  g_autoptr (PigeonDraft) draft = pigeon_test_draft_store_reload (fixture, &missing);

  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, "");
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 0);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
}

/* Writes @contents as the draft file, loads it, and checks that loading fails naming the file
 * and that the bytes were kept, unchanged, under @kept_as. */
static void
assert_kept_aside (Fixture *fixture, const char *contents, gsize length, const char *kept_as)
{
  g_autofree char *kept_path = g_build_filename (g_file_peek_path (fixture->folder), kept_as, NULL);
  g_autofree char *kept = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonDraft) draft = NULL;
  gsize kept_length = 0;

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->folder), 0700), ==, 0);
  g_file_set_contents (fixture->draft_path, contents, length, &error);
  g_assert_no_error (error);

  draft = pigeon_draft_store_load (fixture->store, NULL, &error);
  g_assert_null (draft);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->draft_path));
  g_assert_nonnull (strstr (error->message, kept_path));

  g_assert_false (g_file_test (fixture->draft_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (kept_path, &kept, &kept_length, NULL));
  g_assert_cmpmem (kept, kept_length, contents, length);
}

static void
test_load_corrupt (Fixture *fixture, gconstpointer data)
{
  static const char garbage[] = "\x89PNG not a draft\n[Draft\nsubject=x\n\xff\xfe";
  static const char future[] = "[Draft]\nversion=7\nsubject=From the future\n";
  static const char bad_utf8[] = "[Draft]\nversion=1\nsubject=caf\xe9\n";
  g_autoptr (PigeonDraft) after = NULL;

  assert_kept_aside (fixture, garbage, sizeof garbage - 1, "draft.ini.corrupt");
  /* A second damaged file does not replace the first one kept. */
  assert_kept_aside (fixture, future, sizeof future - 1, "draft.ini (2).corrupt");
  assert_kept_aside (fixture, bad_utf8, sizeof bad_utf8 - 1, "draft.ini (3).corrupt");
  assert_kept_aside (fixture, "", 0, "draft.ini (4).corrupt");

  /* With the damaged file out of the way, the next start has an empty draft. */
  after = pigeon_test_draft_store_reload (fixture, NULL);
  g_assert_cmpstr (pigeon_draft_get_subject (after), ==, "");
}
static GFile *
import (Fixture *fixture, const void *bytes, gsize length, const char *hint)
{
  g_autoptr (GBytes) data = g_bytes_new (bytes, length);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  GFile *file = pigeon_draft_store_import_bytes (fixture->store, data, hint, &error);
  gsize contents_length = 0;

  g_assert_no_error (error);
  g_assert_nonnull (file);
  /* Inside the draft's folder, whatever the hint said, and not hidden. */
  g_assert_true (g_file_has_prefix (file, fixture->folder));
  name = g_file_get_basename (file);
  g_test_message ("%s → %s", hint ? hint : "(none)", name);
  g_assert_null (strchr (name, '/'));
  g_assert_cmpint (name[0], !=, '.');
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_true (g_file_load_contents (file, NULL, &contents, &contents_length, NULL, NULL));
  g_assert_cmpmem (contents, contents_length, bytes, length);
  return file;
}

static void
assert_name (GFile *file, const char *expected)
{
  g_autofree char *name = g_file_get_basename (file);

  g_assert_cmpstr (name, ==, expected);
}

static void
test_import_bytes (Fixture *fixture, gconstpointer data)
{
  static const char text[] = "Just some text pasted from a web page.\n";
  g_autoptr (GFile) photo =
    import (fixture, pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png, "photo.png");
  g_autoptr (GFile) photo2 =
    import (fixture, pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png, "photo.png");
  g_autoptr (GFile) unnamed =
    import (fixture, pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png, NULL);
  g_autoptr (GFile) climber = import (fixture, pigeon_test_draft_store_png,
                                      sizeof pigeon_test_draft_store_png, "../../etc/passwd");
  g_autoptr (GFile) hidden =
    import (fixture, pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png, ".bashrc");
  g_autoptr (GFile) windows = import (fixture, text, strlen (text), "C:\\Temp\\a\nb\tc.txt");
  g_autoptr (GFile) dots = import (fixture, text, strlen (text), "...");
  g_autoptr (GFile) no_extension = NULL;
  g_autoptr (GString) long_name = g_string_new (NULL);
  g_autoptr (GFile) shortened = NULL;
  g_autofree char *shortened_name = NULL;
  g_autoptr (PigeonAttachment) attachment = NULL;

  assert_name (photo, "photo.png");
  assert_name (photo2, "photo (2).png");
  assert_name (climber, "passwd.png");
  assert_name (hidden, "bashrc.png");
  assert_name (windows, "a_b_c.txt");
  g_assert_true (g_str_has_suffix (g_file_peek_path (unnamed), ".png"));
  g_assert_true (g_str_has_suffix (g_file_peek_path (dots), ".txt"));

  while (long_name->len < 400)
    g_string_append (long_name, "très-long-日本-");
  g_string_append (long_name, ".png");
  shortened = import (fixture, pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png,
                      long_name->str);
  shortened_name = g_file_get_basename (shortened);
  g_assert_cmpuint (strlen (shortened_name), <=, 255);
  g_assert_true (g_str_has_suffix (shortened_name, ".png"));

  g_string_truncate (long_name, long_name->len - 4);
  no_extension = import (fixture, pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png,
                         long_name->str);
  g_assert_true (g_str_has_suffix (g_file_peek_path (no_extension), ".png"));

  /* What was imported is attached like any file. */
  attachment = pigeon_attachment_new_for_file (unnamed, NULL, NULL);
  g_assert_nonnull (attachment);
  g_assert_cmpstr (pigeon_attachment_get_content_type (attachment), ==, "image/png");
}

static void
test_clear (Fixture *fixture, gconstpointer data)
{
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (GFile) pasted =
    import (fixture, pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png, "pasted.png");
  g_autoptr (PigeonAttachment) attachment = pigeon_test_draft_store_attach (draft, pasted);
  g_autoptr (PigeonDraft) restored = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) files = g_file_get_parent (pasted);
  guint wake = 0;

  g_object_set (draft, "subject", "Sent soon", NULL);
  pigeon_test_draft_store_save (fixture, draft);
  g_assert_true (g_file_test (fixture->draft_path, G_FILE_TEST_EXISTS));

  /* A change still waiting to be saved when the message goes is not saved after it. */
  pigeon_draft_store_watch (fixture->store, draft);
  g_object_set (draft, "body", "typed just before Send", NULL);
  g_assert_true (pigeon_draft_store_clear (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->draft_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_query_exists (pasted, NULL));
  g_assert_false (g_file_query_exists (files, NULL));

  wake = g_timeout_add (5, pigeon_test_draft_store_wake_cb, NULL);
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_false (g_file_test (fixture->draft_path, G_FILE_TEST_EXISTS));

  restored = pigeon_test_draft_store_reload (fixture, NULL);
  g_assert_cmpstr (pigeon_draft_get_subject (restored), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (restored)), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/round-trip/fields", test_round_trip_fields);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/round-trip/attachments", test_round_trip_attachments);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/load/missing-attachment",
                               test_load_missing_attachment);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/load/none", test_load_none);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/load/corrupt", test_load_corrupt);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/import-bytes", test_import_bytes);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/clear", test_clear);

  return g_test_run ();
}
