/* pigeon-mime-init.h: GMime's one-time set-up, shared by the whole MIME layer
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Calls g_mime_init() the first time, from whichever thread comes first; later calls do
 * nothing. Every entry point of the MIME layer that uses GMime calls it, so callers need not. */
void pigeon_mime_init (void);

G_END_DECLS
