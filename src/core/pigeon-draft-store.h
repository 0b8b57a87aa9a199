/* pigeon-draft-store.h: the open draft, saved as the user types and restored after a crash
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-draft.h"

G_BEGIN_DECLS

#define PIGEON_TYPE_DRAFT_STORE (pigeon_draft_store_get_type ())
G_DECLARE_FINAL_TYPE (PigeonDraftStore, pigeon_draft_store, PIGEON, DRAFT_STORE, GObject)

/**
 * pigeon_draft_store_new:
 * @folder: where the draft lives, e.g. $XDG_DATA_HOME/pigeon/draft (created when needed)
 *
 * One draft: its fields and the list of attachments (by path, display name and disposition)
 * in a small file in @folder, replaced atomically on each save; data that came without a file
 * (an image dropped from a browser, pasted from the clipboard) is copied into @folder so that
 * it survives too.
 */
PigeonDraftStore *pigeon_draft_store_new (GFile *folder);

/* The default folder: g_get_user_data_dir()/pigeon/draft. */
GFile *pigeon_draft_store_get_default_folder (void);

/* Restores the saved draft; an empty draft when there is none. An attachment whose file is gone
 * is left out and named in @missing (may be NULL). Errors only for an unreadable store. */
PigeonDraft *pigeon_draft_store_load (PigeonDraftStore *self, GStrv *missing, GError **error);

/* Watches @draft: every change (fields, attachments) is saved after a short pause (about half
 * a second, so typing does not write on each key), off the main thread, atomically. */
void pigeon_draft_store_watch (PigeonDraftStore *self, PigeonDraft *draft);

/* Saves now (blocking; for quitting and tests). */
gboolean pigeon_draft_store_save (PigeonDraftStore *self, PigeonDraft *draft, GError **error);

/* After a successful send: removes the saved draft and the data copied for it. */
gboolean pigeon_draft_store_clear (PigeonDraftStore *self, GError **error);

/* Saves @data (dropped or pasted) as a file in the folder, named after @name_hint (made safe and
 * unique), and returns it, to be attached like any file. */
GFile *pigeon_draft_store_import_bytes (PigeonDraftStore *self,
                                        GBytes *data,
                                        const char *name_hint,
                                        GError **error);

G_END_DECLS
