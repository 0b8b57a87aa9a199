/* test-draft-autosave.c: the draft saved as the user types: the debounced background save,
 * a main loop that keeps answering meanwhile, a crash in the middle of typing
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "pigeon-test-draft-store.h"

#define CHILD_ENV     "PIGEON_TEST_DRAFT_STORE_CHILD"
#define CHILD_SUBJECT "Written just before the crash"

typedef PigeonTestDraftStore Fixture;

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
  g_assert_true (pigeon_test_draft_store_wait_until (typing_done_cb, &typist, 30000));
  saved.expected = typed->str;
  g_assert_true (pigeon_test_draft_store_wait_until (saved_cb, &saved, 5000));

  /* 300 changes over 1.5 s or more: saved when the typing paused, and at most every 2 s. */
  g_test_message ("%u writes for 300 changes", writes);
  g_assert_cmpuint (writes, >=, 1);
  g_assert_cmpuint (writes, <=, 5);
}

static void
test_watch_attachments (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GFile) png = pigeon_test_draft_store_write_file (
    fixture, "photo.png", pigeon_test_draft_store_png, sizeof pigeon_test_draft_store_png);
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (PigeonAttachment) attachment = NULL;
  g_autoptr (PigeonDraft) restored = NULL;
  Saved saved = { fixture, "subject", "Photos", 1, NULL };

  pigeon_draft_store_watch (fixture->store, draft);
  g_object_set (draft, "subject", "Photos", NULL);
  attachment = pigeon_test_draft_store_attach (draft, png);
  g_assert_true (pigeon_test_draft_store_wait_until (saved_cb, &saved, 5000));

  pigeon_attachment_set_display_name (attachment, "beach.png");
  g_assert_true (pigeon_attachment_set_disposition (attachment, PIGEON_ATTACHMENT_ATTACHED));
  g_object_set (draft, "subject", "Photos, renamed", NULL);
  saved.expected = "Photos, renamed";
  g_assert_true (pigeon_test_draft_store_wait_until (saved_cb, &saved, 5000));
  restored = pigeon_test_draft_store_reload (fixture, NULL);
  pigeon_test_draft_store_assert_attachment (pigeon_draft_get_attachments (restored), 0, png,
                                             "beach.png", PIGEON_ATTACHMENT_ATTACHED);

  /* Removing the last of what the user wrote leaves nothing to restore. */
  g_assert_true (pigeon_draft_remove_attachment (draft, attachment));
  g_object_set (draft, "subject", "", NULL);
  g_assert_true (pigeon_test_draft_store_wait_until (draft_gone_cb, fixture, 5000));
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
  pigeon_test_draft_store_save (fixture, draft); /* the same work, blocking, as a yardstick */
  blocking = g_get_monotonic_time () - start;
  g_assert_cmpint (g_remove (fixture->draft_path), ==, 0);

  pigeon_draft_store_watch (fixture->store, draft);
  g_string_append (body, "The end.\n");
  g_object_set (draft, "body", body->str, NULL);
  ticker.last_tick = g_get_monotonic_time ();
  tick = g_timeout_add (1, tick_cb, &ticker);
  g_assert_true (pigeon_test_draft_store_wait_until (big_file_cb, &ticker, 10000));
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

  g_assert_true (pigeon_test_draft_store_wait_until (draft_written_cb, fixture, 10000));
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  restored = pigeon_test_draft_store_reload (fixture, NULL);
  body = pigeon_draft_get_body (restored);
  g_assert_cmpstr (pigeon_draft_get_subject (restored), ==, CHILD_SUBJECT);
  g_assert_cmpstr (pigeon_draft_get_to (restored), ==, "kim@example.org");
  g_assert_cmpuint (strlen (body), >, 0);
  for (gsize i = 0; body[i] != '\0'; i++)
    g_assert_cmpint (body[i], ==, "pigeon "[(G_MAXUINT - i) % 7]);
}

int
main (int argc, char **argv)
{
  const char *child_folder = g_getenv (CHILD_ENV);

  if (child_folder != NULL)
    return run_child (child_folder);

  g_test_init (&argc, &argv, NULL);

  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/watch/debounce", test_watch_debounce);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/watch/attachments", test_watch_attachments);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/watch/responsive", test_watch_responsive);
  PIGEON_TEST_DRAFT_STORE_ADD ("/draft-store/watch/killed", test_watch_killed);

  return g_test_run ();
}
