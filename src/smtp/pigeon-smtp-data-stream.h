/* pigeon-smtp-data-stream.h: the output stream a message is written into during DATA
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PIGEON_TYPE_SMTP_DATA_STREAM (pigeon_smtp_data_stream_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonSmtpDataStream, pigeon_smtp_data_stream, PIGEON, SMTP_DATA_STREAM, GFilterOutputStream)

/* Called after each chunk reaches the base stream, with the number of message bytes consumed
 * so far (the bytes the message source wrote, before conversion). */
typedef void (*PigeonSmtpDataProgressFunc) (guint64 message_bytes, gpointer user_data);

/**
 * pigeon_smtp_data_stream_new:
 * @base: the connection's output stream; not closed when this stream is closed
 *
 * Everything written is sent as SMTP DATA content (RFC 5321 §4.5.2): bare LF and bare CR
 * become CRLF, a line starting with "." gets a second ".", and output is gathered into large
 * chunks (64 KiB) so that a TLS connection sends full records rather than one per line. The
 * state carries across writes, so a CR at the end of one write and an LF at the start of the
 * next make one line break. Memory use does not depend on the message size.
 */
GOutputStream *pigeon_smtp_data_stream_new (GOutputStream *base);

/**
 * pigeon_smtp_data_stream_new_chunk:
 * @size: the size announced in "BDAT @size LAST"
 *
 * The same conversion for BDAT content (RFC 3030): line breaks made CRLF and a final one added
 * when missing, but no dot-stuffing and no terminator. Exactly @size bytes go out: a write
 * that would pass it fails (PIGEON_SMTP_ERROR_BAD_INPUT) with nothing of it sent, since the server
 * would read further bytes as commands; finish() fails when fewer were written. After a
 * failure the caller must drop the connection: the server still waits for the rest.
 */
GOutputStream *pigeon_smtp_data_stream_new_chunk (GOutputStream *base, guint64 size);
void pigeon_smtp_data_stream_set_progress_func (PigeonSmtpDataStream *self,
                                                PigeonSmtpDataProgressFunc func,
                                                gpointer user_data);

/* Ends the content: a CRLF if the message did not end with a line break, then ".\r\n" (not for
 * BDAT), then flushes everything to the base stream. Further writes fail. */
gboolean pigeon_smtp_data_stream_finish (PigeonSmtpDataStream *self,
                                         GCancellable *cancellable,
                                         GError **error);

/* Bytes the message source wrote (before conversion). */
guint64 pigeon_smtp_data_stream_get_message_bytes (PigeonSmtpDataStream *self);

/* Bytes handed to the base stream so far (after conversion, including the final ".\r\n"
 * once finished). */
guint64 pigeon_smtp_data_stream_get_wire_bytes (PigeonSmtpDataStream *self);

G_END_DECLS
