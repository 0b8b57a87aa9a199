/* pigeon-smtp-error.h: the SMTP client's error domain
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PIGEON_SMTP_ERROR (pigeon_smtp_error_quark ())

/**
 * PigeonSmtpErrorCode:
 *
 * What went wrong, grouped by what the caller can do about it. The comment after each code is
 * the exit status `pigeon-send` maps it to (sysexits.h). Cancellation is reported as
 * G_IO_ERROR_CANCELLED, never with this domain.
 */
typedef enum
{
  PIGEON_SMTP_ERROR_BAD_INPUT,          /* 65: a malformed address, CR/LF in a field, … */
  PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE,  /* 65: bigger than the server's declared SIZE */
  PIGEON_SMTP_ERROR_RECIPIENT_REJECTED, /* 67: one or more RCPT TO refused */
  PIGEON_SMTP_ERROR_HOST_NOT_FOUND,     /* 68: the server name does not resolve */
  PIGEON_SMTP_ERROR_UNAVAILABLE,        /* 69: connection refused, permanent 5xx */
  PIGEON_SMTP_ERROR_TEMPORARY,          /* 75: 4xx, try again later */
  PIGEON_SMTP_ERROR_TIMED_OUT,          /* 75: the server stopped answering */
  PIGEON_SMTP_ERROR_PROTOCOL,           /* 76: malformed reply, unexpected close, … */
  PIGEON_SMTP_ERROR_AUTH_FAILED,        /* 77: the server refused the credentials */
  PIGEON_SMTP_ERROR_SECURITY,           /* 78: STARTTLS missing or refused, AUTH in clear */
  PIGEON_SMTP_ERROR_CERTIFICATE,        /* 78: the server's certificate is not trusted */
  PIGEON_SMTP_ERROR_INTERNAL,           /* 70: a bug or a local failure */
} PigeonSmtpErrorCode;

GQuark pigeon_smtp_error_quark (void);

G_END_DECLS
