/* pigeon-mime-error.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-mime-error.h"

G_DEFINE_QUARK (pigeon - mime - error - quark, pigeon_mime_error)
