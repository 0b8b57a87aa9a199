/* pigeon-smtp-auth.h: the AUTH exchange (RFC 4954), internal to the SMTP layer
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-smtp-connection.h"

G_BEGIN_DECLS

/* Runs AUTH with @mechanism; @secret is the password, or the OAuth 2 token for XOAUTH2. Every
 * payload is shown as "********" in the transcript. Errors: AUTH_FAILED when the server refused
 * the credentials, TEMPORARY for 4xx, SECURITY when the server wants encryption first. */
gboolean pigeon_smtp_auth_run (PigeonSmtpConnection *connection,
                               PigeonSmtpAuthMechanism mechanism,
                               const char *user,
                               const char *secret,
                               GCancellable *cancellable,
                               GError **error);

/* Turns a reply the dialogue did not want into an error: 4xx → TEMPORARY, 5xx →
 * @permanent_code, anything else → PROTOCOL. The message is "@what (reply)". */
void pigeon_smtp_set_reply_error (GError **error,
                                  const PigeonSmtpReply *reply,
                                  PigeonSmtpErrorCode permanent_code,
                                  const char *what);

G_END_DECLS
