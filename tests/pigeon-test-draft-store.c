/* pigeon-test-draft-store.c: what the draft store's tests share
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-draft-store.h"

#include <glib/gstdio.h>

const guchar pigeon_test_draft_store_png[PIGEON_TEST_DRAFT_STORE_PNG_SIZE] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
  0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
  0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
  0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00,
  0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

gboolean
pigeon_test_draft_store_wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds, for at most @timeout_ms. */
gboolean
pigeon_test_draft_store_wait_until (PigeonTestDraftStoreCondition condition,
                                    gpointer data,
                                    guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  guint wake = g_timeout_add (5, pigeon_test_draft_store_wake_cb, NULL);
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

GFile *
pigeon_test_draft_store_write_file (PigeonTestDraftStore *fixture,
                                    const char *name,
                                    const void *data,
                                    gsize length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

void
pigeon_test_draft_store_set_up (PigeonTestDraftStore *fixture, gconstpointer data)
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

void
pigeon_test_draft_store_tear_down (PigeonTestDraftStore *fixture, gconstpointer data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->folder);
  remove_tree (fixture->dir);
  g_free (fixture->draft_path);
  g_free (fixture->dir);
}

/* What a restart finds: a new store on the same folder. */
PigeonDraft *
pigeon_test_draft_store_reload (PigeonTestDraftStore *fixture, GStrv *missing)
{
  g_autoptr (PigeonDraftStore) store = pigeon_draft_store_new (fixture->folder);
  g_autoptr (GError) error = NULL;
  PigeonDraft *draft = pigeon_draft_store_load (store, missing, &error);

  g_assert_no_error (error);
  g_assert_nonnull (draft);
  return draft;
}

void
pigeon_test_draft_store_save (PigeonTestDraftStore *fixture, PigeonDraft *draft)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pigeon_draft_store_save (fixture->store, draft, &error));
  g_assert_no_error (error);
}

void
pigeon_test_draft_store_assert_attachment (GListModel *model,
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

PigeonAttachment *
pigeon_test_draft_store_attach (PigeonDraft *draft, GFile *file)
{
  g_autoptr (GError) error = NULL;
  PigeonAttachment *attachment = pigeon_attachment_new_for_file (file, NULL, &error);

  g_assert_no_error (error);
  pigeon_draft_add_attachment (draft, attachment);
  return attachment;
}
