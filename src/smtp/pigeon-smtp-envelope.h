/* pigeon-smtp-envelope.h: who a message is from and to, as SMTP sees it (RFC 5321)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Maximum lengths from RFC 5321 §4.5.3.1. */
#define PIGEON_SMTP_MAX_LOCAL_PART_LENGTH 64
#define PIGEON_SMTP_MAX_PATH_LENGTH       254

/* Checks a bare mailbox (local@domain, no angle brackets, no display name) against RFC 5321:
 * local part a dot-atom or a quoted string, domain a host name or an address literal
 * ("[192.0.2.1]", "[IPv6:…]"), length limits, and nothing that could end a command (CR, LF,
 * NUL, "<", ">", white space outside quotes, other control characters). Returns the address as
 * it goes on the wire: a non-ASCII domain converted to its A-label form (IDNA), everything else
 * unchanged. *@needs_smtputf8 is set when the local part is not ASCII (the server must then
 * offer SMTPUTF8). Errors are PIGEON_SMTP_ERROR_BAD_INPUT with a message that quotes the
 * address and says what is wrong with it. */
char *pigeon_smtp_address_normalize (const char *address, gboolean *needs_smtputf8, GError **error);

typedef struct _PigeonSmtpEnvelope PigeonSmtpEnvelope;

PigeonSmtpEnvelope *pigeon_smtp_envelope_new (void);
void pigeon_smtp_envelope_free (PigeonSmtpEnvelope *envelope);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonSmtpEnvelope, pigeon_smtp_envelope_free)

/* The reverse path. An empty string means the null reverse path "<>"; otherwise the address is
 * checked and normalized as above. */
gboolean
pigeon_smtp_envelope_set_sender (PigeonSmtpEnvelope *envelope, const char *address, GError **error);

/* Adds a forward path, checked and normalized as above. A recipient already present (compared
 * case-insensitively in the domain) is not added twice. */
gboolean pigeon_smtp_envelope_add_recipient (PigeonSmtpEnvelope *envelope,
                                             const char *address,
                                             GError **error);

/* "" for the null reverse path; NULL until set. */
const char *pigeon_smtp_envelope_get_sender (const PigeonSmtpEnvelope *envelope);

/* NULL-terminated, in the order added. */
const char *const *pigeon_smtp_envelope_get_recipients (const PigeonSmtpEnvelope *envelope);
guint pigeon_smtp_envelope_get_n_recipients (const PigeonSmtpEnvelope *envelope);

/* TRUE when any address has a non-ASCII local part. */
gboolean pigeon_smtp_envelope_needs_smtputf8 (const PigeonSmtpEnvelope *envelope);

G_END_DECLS
