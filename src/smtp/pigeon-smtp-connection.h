/* pigeon-smtp-connection.h: one connection to an SMTP server, its lines and its TLS
 *
 * Internal to the SMTP layer: PigeonSmtpClient drives the dialogue, this does the I/O.
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-smtp-client.h"
#include "pigeon-smtp-reply.h"

G_BEGIN_DECLS

typedef struct _PigeonSmtpConnection PigeonSmtpConnection;

/* What the connection needs to decide whether to trust a certificate. Owned by the client;
 * read on the sending thread only. */
typedef struct
{
  GTlsDatabase *extra_ca;    /* the user's CA file, or NULL */
  const char *pinned_sha256; /* normalized lower-case hex without colons, or NULL */
} PigeonSmtpTrust;

/* What the TLS handshake found; filled in even when it fails. */
typedef struct
{
  GTlsCertificate *certificate;
  GTlsCertificateFlags errors;
  char *protocol;
  char *ciphersuite;
} PigeonSmtpTlsInfo;

void pigeon_smtp_tls_info_clear (PigeonSmtpTlsInfo *info);

/* Moves an error from below the protocol (GIO, the resolver, TLS) into PIGEON_SMTP_ERROR with
 * "@doing: reason" as its message; cancellation stays G_IO_ERROR_CANCELLED. Takes @src. */
void pigeon_smtp_propagate_io_error (GError **dest, GError *src, const char *doing);

PigeonSmtpConnection *pigeon_smtp_connection_new (guint timeout_seconds,
                                                  PigeonSmtpTranscriptFunc transcript_func,
                                                  gpointer transcript_data);
void pigeon_smtp_connection_free (PigeonSmtpConnection *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonSmtpConnection, pigeon_smtp_connection_free)

/* Resolves and connects; @event_cb (may be NULL) sees GSocketClient's events, to report the
 * resolving and connecting stages. */
gboolean pigeon_smtp_connection_open (PigeonSmtpConnection *self,
                                      const char *host,
                                      guint16 port,
                                      GCallback event_cb,
                                      gpointer event_data,
                                      GCancellable *cancellable,
                                      GError **error);

/* Wraps the connection in TLS and does the handshake, checking the certificate against the
 * system's trust store and @trust. Fails with PIGEON_SMTP_ERROR_PROTOCOL if the server already
 * sent bytes we have not read (a response injected before TLS). */
gboolean pigeon_smtp_connection_start_tls (PigeonSmtpConnection *self,
                                           const char *host,
                                           guint16 port,
                                           const PigeonSmtpTrust *trust,
                                           PigeonSmtpTlsInfo *info,
                                           GCancellable *cancellable,
                                           GError **error);

gboolean pigeon_smtp_connection_is_tls (PigeonSmtpConnection *self);

/* The "[192.0.2.1]" / "[IPv6:…]" form of our end of the connection, for EHLO. */
char *pigeon_smtp_connection_get_local_address_literal (PigeonSmtpConnection *self);

/* Queues a command line (without CRLF). @shown is what the transcript gets instead when the
 * line carries a secret (NULL: the line itself). Nothing is sent until _flush(). */
void pigeon_smtp_connection_queue (PigeonSmtpConnection *self, const char *line, const char *shown);

/* Sends everything queued in one write (one TLS record for a pipelined batch). */
gboolean pigeon_smtp_connection_flush (PigeonSmtpConnection *self,
                                       GCancellable *cancellable,
                                       GError **error);

/* Queue + flush. */
gboolean pigeon_smtp_connection_send (PigeonSmtpConnection *self,
                                      const char *line,
                                      const char *shown,
                                      GCancellable *cancellable,
                                      GError **error);

/* Reads one complete reply, within the timeout for the whole reply (a server that sends a byte
 * now and then cannot hold us longer). */
PigeonSmtpReply *pigeon_smtp_connection_read_reply (PigeonSmtpConnection *self,
                                                    GCancellable *cancellable,
                                                    GError **error);

/* Sends one command and reads its reply. */
PigeonSmtpReply *pigeon_smtp_connection_command (PigeonSmtpConnection *self,
                                                 const char *line,
                                                 const char *shown,
                                                 GCancellable *cancellable,
                                                 GError **error);

/* Sends QUIT now, to be answered after the replies already due (RFC 2920 lets QUIT end a
 * pipelined group), and remembers it was sent so that only its reply is left to read. */
gboolean pigeon_smtp_connection_send_quit (PigeonSmtpConnection *self,
                                           GCancellable *cancellable,
                                           GError **error);
gboolean pigeon_smtp_connection_get_quit_sent (PigeonSmtpConnection *self);

/* The raw output stream, for the DATA content; writes time out after the connection's timeout. */
GOutputStream *pigeon_smtp_connection_get_output (PigeonSmtpConnection *self);

/* FALSE after a failed read or write, a failed handshake, or _abandon(): then only closing is
 * left (no QUIT). */
gboolean pigeon_smtp_connection_is_usable (PigeonSmtpConnection *self);

/* Gives up on the dialogue, e.g. to leave DATA without the final "." so that the server drops
 * a half-sent message. */
void pigeon_smtp_connection_abandon (PigeonSmtpConnection *self);

/* Adds a line to the transcript. */
void pigeon_smtp_connection_note (PigeonSmtpConnection *self,
                                  PigeonSmtpTranscriptKind kind,
                                  const char *line);

/* Closes politely if possible, bounded by the timeout; errors are ignored. */
void pigeon_smtp_connection_close (PigeonSmtpConnection *self);

G_END_DECLS
