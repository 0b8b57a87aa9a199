/* pigeon-mime-error.h: the MIME layer's error domain
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PIGEON_MIME_ERROR (pigeon_mime_error_quark ())

typedef enum
{
  PIGEON_MIME_ERROR_BAD_INPUT, /* a malformed address or header, CR/LF in a field, … */
  PIGEON_MIME_ERROR_FILE,      /* a file that cannot be read */
} PigeonMimeErrorCode;

GQuark pigeon_mime_error_quark (void);

G_END_DECLS
