/* pigeon-composed-message-private.h: how the composer hands a built message over
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gmime/gmime.h>

#include "pigeon-composed-message.h"

G_BEGIN_DECLS

/* A file in a message: what it was when added (its size and content type, learnt without
 * reading it all), and the part that carries it once the message is built. Its content is read
 * only when the message is written, which checks the file is still the same size. */
typedef struct
{
  GFile *file;
  char *name;         /* the file as people know it (its path), for error messages */
  char *display_name; /* the file name the recipient sees */
  char *mime_type;
  goffset size;
  gboolean is_inline;
  GMimePart *part; /* NULL until built into a message */
} PigeonComposedFile;

/**
 * pigeon_composed_file_new:
 * @display_name: (nullable): valid UTF-8 without control characters; %NULL for the file's own
 *   name
 *
 * Reads only the file's size and first bytes (for its content type). Errors: see
 * pigeon_composer_add_file().
 */
PigeonComposedFile *pigeon_composed_file_new (GFile *file,
                                              const char *display_name,
                                              gboolean is_inline,
                                              GCancellable *cancellable,
                                              GError **error);

/* A copy with a new part to carry it (base64, its content type, its disposition and name), for
 * the caller to put in a message. */
PigeonComposedFile *pigeon_composed_file_copy_with_part (const PigeonComposedFile *file);
void pigeon_composed_file_free (PigeonComposedFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonComposedFile, pigeon_composed_file_free)

/**
 * pigeon_composed_message_new:
 * @message: (transfer full): the whole tree; each file part's content is left to this object
 * @files: (transfer full) (element-type PigeonComposedFile): the files in @message, each
 *   with its part
 * @recipients: (transfer full): the envelope's recipients, NULL-terminated
 *
 * Measures the message at once (files counted from their sizes, not read).
 */
PigeonComposedMessage *pigeon_composed_message_new (GMimeMessage *message,
                                                    GPtrArray *files,
                                                    const char *sender,
                                                    GStrv recipients,
                                                    const char *message_id);

G_END_DECLS
