/* test-draft-store.c: the draft saved as the user types: round trips, damaged and missing
 * files, the debounced background save, a crash in the middle of typing, imported data
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "pigeon-draft-store.h"

/* The smallest PNG: signature, IHDR (1×1, grey), IDAT, IEND. */
static const guchar png_bytes[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
  0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
  0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
  0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00,
  0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

#define CHILD_ENV     "PIGEON_TEST_DRAFT_STORE_CHILD"
#define CHILD_SUBJECT "Written just before the crash"

typedef struct
{
  char *dir;
  GFile *folder; /* dir/draft: made by the store */
  char *draft_path;
  PigeonDraftStore *store;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds, for at most @timeout_ms. */
static gboolean
wait_until (Condition condition, gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  guint wake = g_timeout_add (5, wake_cb, NULL);
  gboolean met = FALSE;

  while (!(met = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return met;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name = NULL;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

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
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *folder = NULL;

  fixture->dir = g_dir_make_tmp ("pigeon-draft-store-XXXXXX", &error);
  g_assert_no_error (error);
  folder = g_build_filename (fixture->dir, "draft", NULL);
  fixture->folder = g_file_new_for_path (folder);
  fixture->draft_path = g_build_filename (folder, "draft.ini", NULL);
  fixture->store = pigeon_draft_store_new (fixture->folder);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->folder);
  remove_tree (fixture->dir);
  g_free (fixture->draft_path);
  g_free (fixture->dir);
}

/* What a restart finds: a new store on the same folder. */
static PigeonDraft *
reload (Fixture *fixture, GStrv *missing)
{
  g_autoptr (PigeonDraftStore) store = pigeon_draft_store_new (fixture->folder);
  g_autoptr (GError) error = NULL;
  PigeonDraft *draft = pigeon_draft_store_load (store, missing, &error);

  g_assert_no_error (error);
  g_assert_nonnull (draft);
  return draft;
}

static void
save (Fixture *fixture, PigeonDraft *draft)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pigeon_draft_store_save (fixture->store, draft, &error));
  g_assert_no_error (error);
}

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
  save (fixture, draft);
  restored = reload (fixture, NULL);

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
assert_attachment (GListModel *model,
                   guint position,
                   GFile *file,
                   const char *display_name,
                   PigeonAttachmentDisposition disposition)
{
  g_autoptr (PigeonAttachment) attachment = g_list_model_get_item (model, position);

  g_assert_nonnull (attachment);
  g_assert_true (g_file_equal (pigeon_attachment_get_file (attachment), file));
  g_assert_cmpstr (pigeon_attachment_get_display_name (attachment), ==, display_name);
  g_assert_cmpint (pigeon_attachment_get_disposition (attachment), ==, disposition);
}

static PigeonAttachment *
attach (PigeonDraft *draft, GFile *file)
{
  g_autoptr (GError) error = NULL;
  PigeonAttachment *attachment = pigeon_attachment_new_for_file (file, NULL, &error);

  g_assert_no_error (error);
  pigeon_draft_add_attachment (draft, attachment);
  return attachment;
}

static void
test_round_trip_attachments (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GFile) png = write_file (fixture, "photo.png", png_bytes, sizeof png_bytes);
  g_autoptr (GFile) png2 = write_file (fixture, "scan [1].png", png_bytes, sizeof png_bytes);
  g_autoptr (GFile) text = write_file (fixture, "notes.txt", "Notes\n", 6);
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (PigeonDraft) restored = NULL;
  g_autoptr (PigeonAttachment) first = attach (draft, png);
  g_autoptr (PigeonAttachment) second = attach (draft, png2);
  g_autoptr (PigeonAttachment) third = attach (draft, text);
  g_auto (GStrv) missing = NULL;
  GListModel *model = NULL;

  pigeon_attachment_set_display_name (second, "Holiday — été 2026 = [final].png");
  g_assert_true (pigeon_attachment_set_disposition (second, PIGEON_ATTACHMENT_ATTACHED));
  pigeon_attachment_set_display_name (third, "minutes.txt");
  save (fixture, draft);

  restored = reload (fixture, &missing);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  model = pigeon_draft_get_attachments (restored);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  assert_attachment (model, 0, png, "photo.png", PIGEON_ATTACHMENT_INLINE);
  assert_attachment (model, 1, png2, "Holiday — été 2026 = [final].png",
                     PIGEON_ATTACHMENT_ATTACHED);
  assert_attachment (model, 2, text, "minutes.txt", PIGEON_ATTACHMENT_ATTACHED);
}

static void
test_load_missing_attachment (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GFile) png = write_file (fixture, "photo.png", png_bytes, sizeof png_bytes);
  g_autoptr (GFile) text = write_file (fixture, "gone.txt", "soon gone\n", 10);
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (PigeonDraft) restored = NULL;
  g_autoptr (PigeonAttachment) first = attach (draft, text);
  g_autoptr (PigeonAttachment) second = attach (draft, png);
  g_auto (GStrv) missing = NULL;

  g_object_set (draft, "subject", "With two files", NULL);
  save (fixture, draft);
  g_assert_true (g_file_delete (text, NULL, NULL));

  restored = reload (fixture, &missing);
  g_assert_cmpstr (pigeon_draft_get_subject (restored), ==, "With two files");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (restored)), ==, 1);
  assert_attachment (pigeon_draft_get_attachments (restored), 0, png, "photo.png",
                     PIGEON_ATTACHMENT_INLINE);
  g_assert_cmpuint (g_strv_length (missing), ==, 1);
  g_assert_cmpstr (missing[0], ==, g_file_peek_path (text));
}

static void
test_load_none (Fixture *fixture, gconstpointer data)
{
  g_auto (GStrv) missing = NULL;
  g_autoptr (PigeonDraft) draft = reload (fixture, &missing);

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
  after = reload (fixture, NULL);
  g_assert_cmpstr (pigeon_draft_get_subject (after), ==, "");
}

/* Each time draft.ini is replaced (a rename onto it) or made. */
static void
folder_changed_cb (
  GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event, gpointer data)
{
  guint *writes = data;
  GFile *target = event == G_FILE_MONITOR_EVENT_RENAMED ? other : file;
  g_autofree char *name = target ? g_file_get_basename (target) : NULL;

  if (g_strcmp0 (name, "draft.ini") == 0 &&
      (event == G_FILE_MONITOR_EVENT_RENAMED || event == G_FILE_MONITOR_EVENT_MOVED_IN ||
       event == G_FILE_MONITOR_EVENT_CREATED))
    (*writes)++;
}

typedef struct
{
  Fixture *fixture;
  const char *field;
  const char *expected;
  guint min_attachments;
  guint *writes;
} Saved;

static gboolean
saved_cb (gpointer data)
{
  Saved *saved = data;
  g_autoptr (PigeonDraftStore) store = NULL;
  g_autoptr (PigeonDraft) draft = NULL;
  g_autofree char *value = NULL;

  if (!g_file_test (saved->fixture->draft_path, G_FILE_TEST_EXISTS) ||
      (saved->writes != NULL && *saved->writes == 0))
    return FALSE;
  store = pigeon_draft_store_new (saved->fixture->folder);
  draft = pigeon_draft_store_load (store, NULL, NULL);
  g_assert_nonnull (draft);
  g_object_get (draft, saved->field, &value, NULL);
  return g_strcmp0 (value, saved->expected) == 0 &&
         g_list_model_get_n_items (pigeon_draft_get_attachments (draft)) >= saved->min_attachments;
}

static gboolean
draft_gone_cb (gpointer data)
{
  return !g_file_test (((Fixture *) data)->draft_path, G_FILE_TEST_EXISTS);
}

typedef struct
{
  PigeonDraft *draft;
  GString *typed;
  guint left;
} Typist;

/* A key press every few milliseconds, as a fast typist. */
static gboolean
type_key_cb (gpointer data)
{
  Typist *typist = data;

  g_string_append_c (typist->typed, "pigeon "[typist->left % 7]);
  g_object_set (typist->draft, "body", typist->typed->str, NULL);
  return --typist->left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
typing_done_cb (gpointer data)
{
  return ((Typist *) data)->left == 0;
}

static void
test_watch_debounce (Fixture *fixture, gconstpointer data)
{
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (GFileMonitor) monitor = NULL;
  g_autoptr (GString) typed = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  Typist typist = { draft, typed, 300 };
  guint writes = 0;
  Saved saved = { fixture, "body", NULL, 0, &writes };

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->folder), 0700), ==, 0);
  monitor = g_file_monitor_directory (fixture->folder, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (monitor, "changed", G_CALLBACK (folder_changed_cb), &writes);
  pigeon_draft_store_watch (fixture->store, draft);

  g_timeout_add (5, type_key_cb, &typist);
  g_assert_true (wait_until (typing_done_cb, &typist, 30000));
  saved.expected = typed->str;
  g_assert_true (wait_until (saved_cb, &saved, 5000));

  /* 300 changes over 1.5 s or more: saved when the typing paused, and at most every 2 s. */
  g_test_message ("%u writes for 300 changes", writes);
  g_assert_cmpuint (writes, >=, 1);
  g_assert_cmpuint (writes, <=, 5);
}

static void
test_watch_attachments (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GFile) png = write_file (fixture, "photo.png", png_bytes, sizeof png_bytes);
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (PigeonAttachment) attachment = NULL;
  g_autoptr (PigeonDraft) restored = NULL;
  Saved saved = { fixture, "subject", "Photos", 1, NULL };

  pigeon_draft_store_watch (fixture->store, draft);
  g_object_set (draft, "subject", "Photos", NULL);
  attachment = attach (draft, png);
  g_assert_true (wait_until (saved_cb, &saved, 5000));

  pigeon_attachment_set_display_name (attachment, "beach.png");
  g_assert_true (pigeon_attachment_set_disposition (attachment, PIGEON_ATTACHMENT_ATTACHED));
  g_object_set (draft, "subject", "Photos, renamed", NULL);
  saved.expected = "Photos, renamed";
  g_assert_true (wait_until (saved_cb, &saved, 5000));
  restored = reload (fixture, NULL);
  assert_attachment (pigeon_draft_get_attachments (restored), 0, png, "beach.png",
                     PIGEON_ATTACHMENT_ATTACHED);

  /* Removing the last of what the user wrote leaves nothing to restore. */
  g_assert_true (pigeon_draft_remove_attachment (draft, attachment));
  g_object_set (draft, "subject", "", NULL);
  g_assert_true (wait_until (draft_gone_cb, fixture, 5000));
}

typedef struct
{
  const char *path;
  gint64 last_tick;
  gint64 longest_gap;
} Ticker;

static gboolean
tick_cb (gpointer data)
{
  Ticker *ticker = data;
  gint64 now = g_get_monotonic_time ();

  ticker->longest_gap = MAX (ticker->longest_gap, now - ticker->last_tick);
  ticker->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
big_file_cb (gpointer data)
{
  GStatBuf st;

  return g_stat (((Ticker *) data)->path, &st) == 0 && st.st_size > 16 * 1024 * 1024;
}

/* A body of tens of megabytes takes a while to escape and write; the window must not stop
 * answering meanwhile: the main loop keeps running while the watched draft is saved. */
static void
test_watch_responsive (Fixture *fixture, gconstpointer data)
{
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (GString) body = g_string_sized_new (24 * 1024 * 1024);
  Ticker ticker = { fixture->draft_path, 0, 0 };
  gint64 start = 0, blocking = 0;
  guint tick = 0;

  while (body->len < 20 * 1024 * 1024)
    g_string_append (body, "Une ligne\tavec = et [crochets] \\ à échapper.\n");
  g_object_set (draft, "body", body->str, NULL);
  start = g_get_monotonic_time ();
  save (fixture, draft); /* the same work, blocking, as a yardstick */
  blocking = g_get_monotonic_time () - start;
  g_assert_cmpint (g_remove (fixture->draft_path), ==, 0);

  pigeon_draft_store_watch (fixture->store, draft);
  g_string_append (body, "The end.\n");
  g_object_set (draft, "body", body->str, NULL);
  ticker.last_tick = g_get_monotonic_time ();
  tick = g_timeout_add (1, tick_cb, &ticker);
  g_assert_true (wait_until (big_file_cb, &ticker, 10000));
  g_source_remove (tick);

  g_test_message ("blocking save: %" G_GINT64_FORMAT " µs; longest main loop gap while saving in "
                  "the background: %" G_GINT64_FORMAT " µs",
                  blocking, ticker.longest_gap);
  g_assert_cmpint (ticker.longest_gap * 3, <, blocking);
}

/* The child: a draft being typed into, saved by watch(), until the parent kills it. */
static int
run_child (const char *folder_path)
{
  g_autoptr (GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr (PigeonDraftStore) store = pigeon_draft_store_new (folder);
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (GString) typed = g_string_new (NULL);
  Typist typist = { draft, typed, G_MAXUINT };

  pigeon_draft_store_watch (store, draft);
  g_object_set (draft, "subject", CHILD_SUBJECT, "to", "kim@example.org", NULL);
  g_timeout_add (2, type_key_cb, &typist);
  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
  return 1;
}

static gboolean
draft_written_cb (gpointer data)
{
  return g_file_test (((Fixture *) data)->draft_path, G_FILE_TEST_EXISTS);
}

/* kill -9 while typing goes on: what was saved is whole, and is what was typed. */
static void
test_watch_killed (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (PigeonDraft) restored = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", &error);
  const char *body = NULL;

  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, CHILD_ENV, g_file_peek_path (fixture->folder), TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, NULL);
  g_assert_no_error (error);

  g_assert_true (wait_until (draft_written_cb, fixture, 10000));
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  restored = reload (fixture, NULL);
  body = pigeon_draft_get_body (restored);
  g_assert_cmpstr (pigeon_draft_get_subject (restored), ==, CHILD_SUBJECT);
  g_assert_cmpstr (pigeon_draft_get_to (restored), ==, "kim@example.org");
  g_assert_cmpuint (strlen (body), >, 0);
  for (gsize i = 0; body[i] != '\0'; i++)
    g_assert_cmpint (body[i], ==, "pigeon "[(G_MAXUINT - i) % 7]);
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
  g_autoptr (GFile) photo = import (fixture, png_bytes, sizeof png_bytes, "photo.png");
  g_autoptr (GFile) photo2 = import (fixture, png_bytes, sizeof png_bytes, "photo.png");
  g_autoptr (GFile) unnamed = import (fixture, png_bytes, sizeof png_bytes, NULL);
  g_autoptr (GFile) climber = import (fixture, png_bytes, sizeof png_bytes, "../../etc/passwd");
  g_autoptr (GFile) hidden = import (fixture, png_bytes, sizeof png_bytes, ".bashrc");
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
  shortened = import (fixture, png_bytes, sizeof png_bytes, long_name->str);
  shortened_name = g_file_get_basename (shortened);
  g_assert_cmpuint (strlen (shortened_name), <=, 255);
  g_assert_true (g_str_has_suffix (shortened_name, ".png"));

  g_string_truncate (long_name, long_name->len - 4);
  no_extension = import (fixture, png_bytes, sizeof png_bytes, long_name->str);
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
  g_autoptr (GFile) pasted = import (fixture, png_bytes, sizeof png_bytes, "pasted.png");
  g_autoptr (PigeonAttachment) attachment = attach (draft, pasted);
  g_autoptr (PigeonDraft) restored = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) files = g_file_get_parent (pasted);
  guint wake = 0;

  g_object_set (draft, "subject", "Sent soon", NULL);
  save (fixture, draft);
  g_assert_true (g_file_test (fixture->draft_path, G_FILE_TEST_EXISTS));

  /* A change still waiting to be saved when the message goes is not saved after it. */
  pigeon_draft_store_watch (fixture->store, draft);
  g_object_set (draft, "body", "typed just before Send", NULL);
  g_assert_true (pigeon_draft_store_clear (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->draft_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_query_exists (pasted, NULL));
  g_assert_false (g_file_query_exists (files, NULL));

  wake = g_timeout_add (5, wake_cb, NULL);
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_false (g_file_test (fixture->draft_path, G_FILE_TEST_EXISTS));

  restored = reload (fixture, NULL);
  g_assert_cmpstr (pigeon_draft_get_subject (restored), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (restored)), ==, 0);
}

int
main (int argc, char **argv)
{
  const char *child_folder = g_getenv (CHILD_ENV);

  if (child_folder != NULL)
    return run_child (child_folder);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/draft-store/round-trip/fields", test_round_trip_fields);
  ADD ("/draft-store/round-trip/attachments", test_round_trip_attachments);
  ADD ("/draft-store/load/missing-attachment", test_load_missing_attachment);
  ADD ("/draft-store/load/none", test_load_none);
  ADD ("/draft-store/load/corrupt", test_load_corrupt);
  ADD ("/draft-store/watch/debounce", test_watch_debounce);
  ADD ("/draft-store/watch/attachments", test_watch_attachments);
  ADD ("/draft-store/watch/responsive", test_watch_responsive);
  ADD ("/draft-store/watch/killed", test_watch_killed);
  ADD ("/draft-store/import-bytes", test_import_bytes);
  ADD ("/draft-store/clear", test_clear);
#undef ADD

  return g_test_run ();
}
