/* pigeon-composed-message.h: a built message, ready to be written (and sent)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PIGEON_TYPE_COMPOSED_MESSAGE (pigeon_composed_message_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonComposedMessage, pigeon_composed_message, PIGEON, COMPOSED_MESSAGE, GObject)

/* The bare address of the From mailbox: the envelope's sender. */
const char *pigeon_composed_message_get_sender (PigeonComposedMessage *self);

/* The bare addresses of To, Cc and Bcc, in that order, each once: the envelope's recipients.
 * NULL-terminated. */
const char *const *pigeon_composed_message_get_recipients (PigeonComposedMessage *self);

/* "<…@domain>" as in the Message-ID header. */
const char *pigeon_composed_message_get_message_id (PigeonComposedMessage *self);

/* Exactly the number of bytes pigeon_composed_message_write() writes, known without writing
 * (computed from the file sizes, so a 100 MB attachment is not encoded twice). */
gint64 pigeon_composed_message_get_size (PigeonComposedMessage *self);

/* Whether any byte written is above 127 (only when a header needs raw UTF-8, i.e. SMTPUTF8). */
gboolean pigeon_composed_message_is_8bit (PigeonComposedMessage *self);

/* Writes the message with CRLF line endings, streaming each file in chunks and base64-encoding
 * as it goes (memory does not grow with the files' sizes). Fails with PIGEON_MIME_ERROR_FILE
 * naming the file if one cannot be read or no longer has the size it had when added. May be
 * called from any one thread at a time, several times. */
gboolean pigeon_composed_message_write (PigeonComposedMessage *self,
                                        GOutputStream *stream,
                                        GCancellable *cancellable,
                                        GError **error);

G_END_DECLS
