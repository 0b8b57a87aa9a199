/* pigeon-draft-store-private.h: what pigeon-draft-store.c and pigeon-draft-import.c share;
 * not for use outside src/core
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-draft-store.h"

G_BEGIN_DECLS

/* Where imported data goes: a folder inside the store's, set at construction. */
GFile *pigeon_draft_store_get_imported_folder (PigeonDraftStore *self);

/* Makes @folder (and its parents) if needed, readable by the user alone. Any thread. */
gboolean pigeon_draft_store_ensure_folder (GFile *folder, GError **error);

/* Replaces @file with @data in one rename, readable by the user alone. Any thread. */
gboolean
pigeon_draft_store_write_atomically (GFile *file, const char *data, gsize length, GError **error);

/* Creates an empty file in @folder named @name, or "stem (2).ext" and so on when that is
 * taken, and returns it. (In pigeon-draft-import.c.) */
GFile *pigeon_draft_import_reserve_name (GFile *folder, const char *name, GError **error);

G_END_DECLS
