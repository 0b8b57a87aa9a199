/* pigeon-probe-rows.h: what "Test connection" found, as rows of a grid in the account editor:
 * each name dimmed on the left, its value beside it, wrapped and selectable
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pigeon-account-presets.h"

G_BEGIN_DECLS

/* Adds a row to @grid, below those it has, for each name and value
 * pigeon_account_presets_describe_probe() gives for @probe; shows @grid when there was any,
 * hides it otherwise. */
void pigeon_probe_rows_add (GtkGrid *grid, const PigeonAccountProbe *probe);

/* Removes every row from @grid, and hides it. */
void pigeon_probe_rows_clear (GtkGrid *grid);

G_END_DECLS
