/* pigeon-mime-error.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-mime-error.h"

/* clang-format would put spaces into the quark's name */
/* clang-format off */
G_DEFINE_QUARK (pigeon-mime-error-quark, pigeon_mime_error)
/* clang-format on */
