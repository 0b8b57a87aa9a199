/* pigeon-smtp-client.h: one SMTP submission: connect, secure, authenticate, send, quit
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-smtp-capabilities.h"
#include "pigeon-smtp-envelope.h"
#include "pigeon-smtp-error.h"
#include "pigeon-smtp-message.h"

G_BEGIN_DECLS

typedef enum
{
  PIGEON_SMTP_SECURITY_STARTTLS, /* plain connection upgraded with STARTTLS; required */
  PIGEON_SMTP_SECURITY_TLS,      /* TLS from the first byte ("implicit TLS", port 465) */
  PIGEON_SMTP_SECURITY_NONE,     /* no TLS at all: only when the user chose it */
} PigeonSmtpSecurity;

typedef enum
{
  PIGEON_SMTP_STAGE_RESOLVING,
  PIGEON_SMTP_STAGE_CONNECTING,
  PIGEON_SMTP_STAGE_SECURING,
  PIGEON_SMTP_STAGE_AUTHENTICATING,
  PIGEON_SMTP_STAGE_SENDING,
  PIGEON_SMTP_STAGE_FINISHING,
  PIGEON_SMTP_STAGE_DONE,
} PigeonSmtpStage;

typedef enum
{
  PIGEON_SMTP_TRANSCRIPT_CLIENT, /* a line we sent */
  PIGEON_SMTP_TRANSCRIPT_SERVER, /* a line the server sent */
  PIGEON_SMTP_TRANSCRIPT_INFO,   /* something that happened: "TLS 1.3 established …" */
} PigeonSmtpTranscriptKind;

/* Both callbacks run on the thread that called pigeon_smtp_client_send_sync(); the caller
 * moves them to its own thread if it needs to. @bytes_total is -1 when the size is unknown. */
typedef void (*PigeonSmtpProgressFunc) (PigeonSmtpStage stage,
                                        guint64 bytes_sent,
                                        gint64 bytes_total,
                                        gpointer user_data);

/* @line is one line without its line ending; AUTH payloads are already replaced by "********",
 * so a transcript can be shown and saved as it is. */
typedef void (*PigeonSmtpTranscriptFunc) (PigeonSmtpTranscriptKind kind,
                                          const char *line,
                                          gpointer user_data);

#define PIGEON_TYPE_SMTP_CLIENT (pigeon_smtp_client_get_type ())
G_DECLARE_FINAL_TYPE (PigeonSmtpClient, pigeon_smtp_client, PIGEON, SMTP_CLIENT, GObject)

/* @port 0 means the usual port of @security: 587, 465 or 25. */
PigeonSmtpClient *
pigeon_smtp_client_new (const char *host, guint16 port, PigeonSmtpSecurity security);

/* Password authentication. Without credentials no AUTH is attempted. */
void
pigeon_smtp_client_set_credentials (PigeonSmtpClient *self, const char *user, const char *password);

/* OAuth 2 bearer token, for XOAUTH2 (replaces a password). */
void
pigeon_smtp_client_set_oauth2_token (PigeonSmtpClient *self, const char *user, const char *token);

/* Restricts the mechanisms that may be used (default: all). */
void pigeon_smtp_client_set_allowed_mechanisms (PigeonSmtpClient *self,
                                                PigeonSmtpAuthMechanism mechanisms);

/* Allows credentials over a connection without TLS (default: refuse, PIGEON_SMTP_ERROR_SECURITY).
 */
void pigeon_smtp_client_set_allow_insecure_auth (PigeonSmtpClient *self, gboolean allow);

/* Trusts certificates issued by the CA(s) in @path in addition to the system's. @path is made
 * absolute. Fails if the file cannot be read as PEM certificates. */
gboolean pigeon_smtp_client_set_ca_file (PigeonSmtpClient *self, const char *path, GError **error);

/* Accepts a server certificate whose SHA-256 fingerprint (of the DER bytes, hex, colons and case
 * ignored) is @fingerprint, whatever else is wrong with it: the user looked at it and trusted it.
 */
void pigeon_smtp_client_set_pinned_fingerprint (PigeonSmtpClient *self, const char *fingerprint);

/* Seconds to wait for connecting and for each reply (default 60). */
void pigeon_smtp_client_set_timeout (PigeonSmtpClient *self, guint seconds);

/* The name given in EHLO; default: the host's fully qualified name, or an address literal of
 * the local end of the connection when the host has none. */
void pigeon_smtp_client_set_helo_name (PigeonSmtpClient *self, const char *name);

void pigeon_smtp_client_set_progress_func (PigeonSmtpClient *self,
                                           PigeonSmtpProgressFunc func,
                                           gpointer user_data);
void pigeon_smtp_client_set_transcript_func (PigeonSmtpClient *self,
                                             PigeonSmtpTranscriptFunc func,
                                             gpointer user_data);

/* Sends one message: connect → greeting → EHLO → (STARTTLS → EHLO) → AUTH → MAIL/RCPT/DATA →
 * QUIT. Blocks; call it from a worker thread. Errors are PIGEON_SMTP_ERROR or
 * G_IO_ERROR_CANCELLED. Each call makes a new connection. */
gboolean pigeon_smtp_client_send_sync (PigeonSmtpClient *self,
                                       const PigeonSmtpEnvelope *envelope,
                                       PigeonSmtpMessage *message,
                                       GCancellable *cancellable,
                                       GError **error);

/* What "Test connection" does: connects, secures the connection, logs in (when credentials
 * are set), then QUIT without sending anything. Afterwards the getters below say what the server
 * offered. Same errors as a send. */
gboolean
pigeon_smtp_client_probe_sync (PigeonSmtpClient *self, GCancellable *cancellable, GError **error);

/* After a send or a probe (successful or not): what the server offered in its last EHLO (NULL if it
 * never got that far), the certificate it presented (NULL without TLS) and what was wrong with it
 * (0 when it was trusted), and the TLS protocol and cipher suite ("TLS 1.3",
 * "TLS_AES_256_GCM_SHA384"; NULL without TLS). */
const PigeonSmtpCapabilities *pigeon_smtp_client_get_capabilities (PigeonSmtpClient *self);
GTlsCertificate *pigeon_smtp_client_get_peer_certificate (PigeonSmtpClient *self);
GTlsCertificateFlags pigeon_smtp_client_get_peer_certificate_errors (PigeonSmtpClient *self);
const char *pigeon_smtp_client_get_tls_protocol (PigeonSmtpClient *self);
const char *pigeon_smtp_client_get_tls_ciphersuite (PigeonSmtpClient *self);

G_END_DECLS
