/* pigeon-smtp-sasl.h: SASL mechanisms for SMTP AUTH (RFC 4954)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-smtp-capabilities.h"

G_BEGIN_DECLS

/* "PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2"; NULL for anything else. */
const char *pigeon_smtp_sasl_mechanism_name (PigeonSmtpAuthMechanism mechanism);

/* Case-insensitive; FALSE for a name Pigeon does not implement. */
gboolean pigeon_smtp_sasl_mechanism_from_name (const char *name,
                                               PigeonSmtpAuthMechanism *mechanism);

/* The best mechanism in @offered ∩ @allowed, or PIGEON_SMTP_AUTH_NONE. XOAUTH2 only when
 * @have_oauth2_token (and then it is preferred), the password mechanisms only when not.
 * Over TLS: PLAIN, LOGIN, CRAM-MD5 (the password is protected by TLS and PLAIN takes one round
 * trip). Without TLS (only when the user allowed it): CRAM-MD5 first, as it never sends the
 * password itself. */
PigeonSmtpAuthMechanism pigeon_smtp_sasl_choose (PigeonSmtpAuthMechanism offered,
                                                 PigeonSmtpAuthMechanism allowed,
                                                 gboolean have_oauth2_token,
                                                 gboolean over_tls);

/* base64 ("\0" user "\0" password): the PLAIN initial response (RFC 4616). */
char *pigeon_smtp_sasl_plain_response (const char *user, const char *password);

/* base64 of @text: each LOGIN step. */
char *pigeon_smtp_sasl_login_response (const char *text);

/* base64 (user " " hex (HMAC-MD5 (password, challenge))) for the base64 @challenge the
 * server sent (RFC 2195). PIGEON_SMTP_ERROR_PROTOCOL if @challenge is not valid base64 or is
 * empty. */
char *pigeon_smtp_sasl_cram_md5_response (const char *challenge,
                                          const char *user,
                                          const char *password,
                                          GError **error);

/* base64 ("user=" user "\1auth=Bearer " token "\1\1"), Google's and Microsoft's XOAUTH2. */
char *pigeon_smtp_sasl_xoauth2_response (const char *user, const char *token);

G_END_DECLS
