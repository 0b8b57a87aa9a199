/* pigeon-eml.h: a ready-made RFC 5322 message file, sent as it is
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-mime-error.h"

G_BEGIN_DECLS

/* The header section may be at most this long; a longer one is refused as not a message. */
#define PIGEON_EML_MAX_HEADER_BYTES (1024 * 1024)

typedef struct _PigeonEml PigeonEml;

/**
 * pigeon_eml_open:
 *
 * Reads @file once, start to end, in chunks (never whole into memory): finds the header
 * section (up to the first empty line, LF or CRLF line endings), remembers where each Bcc and
 * Resent-Bcc field (with its continuation lines) stands so that writing can leave it out,
 * collects the addresses of From, To, Cc and Bcc (parsed with GMime, group syntax allowed) —
 * or, for a message being resent, those of the newest block of Resent-From, Resent-To,
 * Resent-Cc and Resent-Bcc fields (RFC 5322 §3.6.6, as sendmail -t does) — and notes whether
 * any byte is above 127 and how its lines end. Errors: PIGEON_MIME_ERROR_FILE when the file cannot
 * be read, PIGEON_MIME_ERROR_BAD_INPUT when it has no header section, a header section longer than
 * PIGEON_EML_MAX_HEADER_BYTES, a NUL byte in the header section, or an address field that
 * does not parse — the message names the field and quotes it.
 */
PigeonEml *pigeon_eml_open (GFile *file, GCancellable *cancellable, GError **error);
void pigeon_eml_free (PigeonEml *eml);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonEml, pigeon_eml_free)

/* The bare address (local@domain) of the first mailbox in From (Resent-From for a message being
 * resent, when it has one), or NULL if there is none. */
const char *pigeon_eml_get_from (const PigeonEml *eml);

/* The bare addresses of every mailbox in To, Cc and Bcc (the newest Resent- ones for a message
 * being resent), in that order, each once; NULL-terminated, possibly empty. */
const char *const *pigeon_eml_get_recipients (const PigeonEml *eml);

/* Exactly how many bytes pigeon_eml_write() will write. */
gint64 pigeon_eml_get_size (const PigeonEml *eml);
/* The size of those bytes as SMTP carries them (RFC 1870's SIZE): with every bare LF and bare
 * CR made CRLF, and a final line break added when there is none, as the DATA stream does. */
gint64 pigeon_eml_get_wire_size (const PigeonEml *eml);

/* Whether the bytes that will be written include any above 127. */
gboolean pigeon_eml_is_8bit (const PigeonEml *eml);

/* Streams the file into @stream, byte for byte, except the Bcc and Resent-Bcc fields. Reads in
 * chunks. Fails with PIGEON_MIME_ERROR_FILE if the file changed size since it was opened. */
gboolean pigeon_eml_write (const PigeonEml *eml,
                           GOutputStream *stream,
                           GCancellable *cancellable,
                           GError **error);

G_END_DECLS
