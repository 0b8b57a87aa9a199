/* pigeon-smtp-message.h: the message content the client sends, as a writer of bytes
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes the whole RFC 5322 message into @stream (any line endings; the DATA stream converts
 * them). Called on the thread that sends, at most once per send. */
typedef gboolean (*PigeonSmtpMessageWriteFunc) (GOutputStream *stream,
                                                gpointer user_data,
                                                GCancellable *cancellable,
                                                GError **error);

typedef struct _PigeonSmtpMessage PigeonSmtpMessage;

/* The SMTP layer never looks inside a message: it only asks it to write itself, so the
 * composer (GMime, a file, a test) stays free to stream from wherever it likes. */
PigeonSmtpMessage *pigeon_smtp_message_new (PigeonSmtpMessageWriteFunc write_func,
                                            gpointer user_data,
                                            GDestroyNotify destroy_data);
void pigeon_smtp_message_free (PigeonSmtpMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonSmtpMessage, pigeon_smtp_message_free)

/* The message's size in bytes as it will be written, or -1 (the default) when unknown. Used for
 * SIZE= in MAIL FROM, to refuse a message the server declared too large before sending it
 * (unless a wire size is set, below), and for the progress total. */
void pigeon_smtp_message_set_size (PigeonSmtpMessage *message, gint64 size);
gint64 pigeon_smtp_message_get_size (const PigeonSmtpMessage *message);

/* The size as SMTP carries it, every line ended with CRLF, when that differs from what is
 * written (a file with bare LF line ends: the DATA stream adds the CRs). Used for SIZE= and the
 * size limit. Defaults to the size. */
void pigeon_smtp_message_set_wire_size (PigeonSmtpMessage *message, gint64 wire_size);
gint64 pigeon_smtp_message_get_wire_size (const PigeonSmtpMessage *message);

/* Whether the message has bytes above 127 (so needs BODY=8BITMIME). Default FALSE. */
void pigeon_smtp_message_set_8bit (PigeonSmtpMessage *message, gboolean is_8bit);
gboolean pigeon_smtp_message_get_8bit (const PigeonSmtpMessage *message);

gboolean pigeon_smtp_message_write (PigeonSmtpMessage *message,
                                    GOutputStream *stream,
                                    GCancellable *cancellable,
                                    GError **error);

G_END_DECLS
