/* pigeon-test-draft-store.h: what the draft store's tests share (test-draft-store.c,
 * test-draft-autosave.c): a store in a new temporary folder, files to attach, saving, and
 * loading as the next start would
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-draft-store.h"

G_BEGIN_DECLS

/* The fixture. */
typedef struct
{
  char *dir;
  GFile *folder; /* dir/draft: made by the store */
  char *draft_path;
  PigeonDraftStore *store;
} PigeonTestDraftStore;

typedef gboolean (*PigeonTestDraftStoreCondition) (gpointer data);

/* The smallest PNG: signature, IHDR (1×1, grey), IDAT, IEND. */
#define PIGEON_TEST_DRAFT_STORE_PNG_SIZE 67
extern const guchar pigeon_test_draft_store_png[PIGEON_TEST_DRAFT_STORE_PNG_SIZE];

/* Adds the test @path with the fixture below. */
#define PIGEON_TEST_DRAFT_STORE_ADD(path, func)                                       \
  g_test_add (path, PigeonTestDraftStore, NULL, pigeon_test_draft_store_set_up, func, \
              pigeon_test_draft_store_tear_down)

/* A store on dir/draft, dir new; all of dir is removed after. */
void pigeon_test_draft_store_set_up (PigeonTestDraftStore *fixture, gconstpointer data);
void pigeon_test_draft_store_tear_down (PigeonTestDraftStore *fixture, gconstpointer data);

/* A timeout's callback that only wakes the main loop. */
gboolean pigeon_test_draft_store_wake_cb (gpointer data);
/* Runs the main loop until @condition holds, for at most @timeout_ms. */
gboolean pigeon_test_draft_store_wait_until (PigeonTestDraftStoreCondition condition,
                                             gpointer data,
                                             guint timeout_ms);

/* A file @name in dir (beside the draft's folder) holding @data. */
GFile *pigeon_test_draft_store_write_file (PigeonTestDraftStore *fixture,
                                           const char *name,
                                           const void *data,
                                           gsize length);
/* What a restart finds: a new store on the same folder. */
PigeonDraft *pigeon_test_draft_store_reload (PigeonTestDraftStore *fixture, GStrv *missing);
/* pigeon_draft_store_save(), which must succeed. */
void pigeon_test_draft_store_save (PigeonTestDraftStore *fixture, PigeonDraft *draft);

/* Adds @file to @draft; returns the attachment. */
PigeonAttachment *pigeon_test_draft_store_attach (PigeonDraft *draft, GFile *file);
void pigeon_test_draft_store_assert_attachment (GListModel *model,
                                                guint position,
                                                GFile *file,
                                                const char *display_name,
                                                PigeonAttachmentDisposition disposition);

G_END_DECLS
