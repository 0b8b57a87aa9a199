/* pigeon-smtp-connection.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <glib/gi18n.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "pigeon-smtp-connection.h"

#define READ_CHUNK_SIZE 16384

struct _PigeonSmtpConnection
{
  GSocketConnection *socket_connection;
  GIOStream *stream; /* socket_connection, or the TLS connection wrapping it */
  guint timeout_seconds;

  PigeonSmtpTranscriptFunc transcript_func;
  gpointer transcript_data;

  /* Bytes read from the server and not consumed yet: buffer[read_start..read_end). */
  char buffer[READ_CHUNK_SIZE];
  gsize read_start;
  gsize read_end;
  GString *line; /* the line being assembled, bounded by PIGEON_SMTP_REPLY_MAX_LINE_LENGTH */
  PigeonSmtpReplyParser *parser;

  GString *pending; /* queued command lines, sent in one write by flush() */

  /* Set when a read or write failed, or the dialogue was abandoned: the two ends no longer
   * agree on where they are, so nothing more may be sent. */
  gboolean broken;

  gboolean quit_sent; /* QUIT went out pipelined after the end of the content */
};

static void set_socket_timeout (PigeonSmtpConnection *self, guint seconds);

void
pigeon_smtp_tls_info_clear (PigeonSmtpTlsInfo *info)
{
  g_clear_object (&info->certificate);
  g_clear_pointer (&info->protocol, g_free);
  g_clear_pointer (&info->ciphersuite, g_free);
  info->errors = 0;
}

PigeonSmtpConnection *
pigeon_smtp_connection_new (guint timeout_seconds,
                            PigeonSmtpTranscriptFunc transcript_func,
                            gpointer transcript_data)
{
  PigeonSmtpConnection *self = g_new0 (PigeonSmtpConnection, 1);

  self->timeout_seconds = MAX (timeout_seconds, 1);
  self->transcript_func = transcript_func;
  self->transcript_data = transcript_data;
  self->line = g_string_sized_new (128);
  self->parser = pigeon_smtp_reply_parser_new ();
  self->pending = g_string_sized_new (256);
  return self;
}

void
pigeon_smtp_connection_free (PigeonSmtpConnection *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->stream);
  g_clear_object (&self->socket_connection);
  g_string_free (self->line, TRUE);
  g_string_free (self->pending, TRUE);
  pigeon_smtp_reply_parser_free (self->parser);
  g_free (self);
}

void
pigeon_smtp_connection_note (PigeonSmtpConnection *self,
                             PigeonSmtpTranscriptKind kind,
                             const char *line)
{
  if (self->transcript_func != NULL)
    self->transcript_func (kind, line, self->transcript_data);
}

/* Errors below the protocol (sockets, resolver) become the SMTP domain, so that callers act on
 * one set of codes. Cancellation stays G_IO_ERROR_CANCELLED. */
void
pigeon_smtp_propagate_io_error (GError **dest, GError *src, const char *doing)
{
  PigeonSmtpErrorCode code = PIGEON_SMTP_ERROR_UNAVAILABLE;

  if (g_error_matches (src, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (dest, src);
      return;
    }

  if (src->domain == G_RESOLVER_ERROR)
    code = PIGEON_SMTP_ERROR_HOST_NOT_FOUND;
  else if (g_error_matches (src, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = PIGEON_SMTP_ERROR_TIMED_OUT;
  else if (g_error_matches (src, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
           g_error_matches (src, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
           g_error_matches (src, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
           g_error_matches (src, G_TLS_ERROR, G_TLS_ERROR_EOF))
    code = PIGEON_SMTP_ERROR_PROTOCOL;
  else if (src->domain == G_TLS_ERROR)
    code = PIGEON_SMTP_ERROR_SECURITY;

  /* Translators: what Pigeon was doing, then why it failed, e.g. "Could not connect to
   * mail.example.org port 587: Connection refused" */
  g_set_error (dest, PIGEON_SMTP_ERROR, code, _ ("%s: %s"), doing, src->message);
  g_error_free (src);
}

static void
set_nodelay (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  /* Without it, the first exchange after the TLS handshake waits ~40 ms for a delayed ACK. */
  if (g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

gboolean
pigeon_smtp_connection_open (PigeonSmtpConnection *self,
                             const char *host,
                             guint16 port,
                             GCallback event_cb,
                             gpointer event_data,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnectable) address = g_network_address_new (host, port);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *doing = NULL;

  g_socket_client_set_timeout (client, self->timeout_seconds);
  /* The desktop's proxy settings are for the web; mail programs connect directly. Skipping the
   * lookup also saves loading libproxy for every send. */
  g_socket_client_set_enable_proxy (client, FALSE);
  if (event_cb != NULL)
    g_signal_connect (client, "event", event_cb, event_data);

  self->socket_connection = g_socket_client_connect (client, address, cancellable, &local_error);
  if (self->socket_connection == NULL)
    {
      doing = g_strdup_printf (_ ("Could not connect to %s port %u"), host, port);
      pigeon_smtp_propagate_io_error (error, g_steal_pointer (&local_error), doing);
      return FALSE;
    }

  set_nodelay (self->socket_connection);
  self->stream = g_object_ref (G_IO_STREAM (self->socket_connection));
  return TRUE;
}

gboolean
pigeon_smtp_connection_is_tls (PigeonSmtpConnection *self)
{
  return G_IS_TLS_CONNECTION (self->stream);
}

char *
pigeon_smtp_connection_get_local_address_literal (PigeonSmtpConnection *self)
{
  g_autoptr (GSocketAddress) local = NULL;
  g_autofree char *text = NULL;
  GInetAddress *inet;

  local = g_socket_connection_get_local_address (self->socket_connection, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("[127.0.0.1]");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  text = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", text);
  return g_strdup_printf ("[%s]", text);
}

GOutputStream *
pigeon_smtp_connection_get_output (PigeonSmtpConnection *self)
{
  set_socket_timeout (self, self->timeout_seconds);
  return g_io_stream_get_output_stream (self->stream);
}

gboolean
pigeon_smtp_connection_is_usable (PigeonSmtpConnection *self)
{
  return self->stream != NULL && !self->broken;
}

void
pigeon_smtp_connection_abandon (PigeonSmtpConnection *self)
{
  self->broken = TRUE;
}

/* TLS ---------------------------------------------------------------------------------------- */

typedef struct
{
  const PigeonSmtpTrust *trust;
  GSocketConnectable *identity;
  PigeonSmtpTlsInfo *info;
  GCancellable *cancellable;
} CertificateCheck;

static gboolean
matches_pinned_fingerprint (GTlsCertificate *certificate, const char *pinned_sha256)
{
  g_autoptr (GByteArray) der = NULL;
  g_autofree char *fingerprint = NULL;

  if (pinned_sha256 == NULL)
    return FALSE;
  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return FALSE;
  fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_ascii_strcasecmp (fingerprint, pinned_sha256) == 0;
}

static GTlsCertificateFlags
verify_against (GTlsDatabase *database, GTlsCertificate *certificate, CertificateCheck *check)
{
  return g_tls_database_verify_chain (database, certificate,
                                      G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, check->identity,
                                      NULL, G_TLS_DATABASE_VERIFY_NONE, check->cancellable, NULL);
}

/* The handshake runs with no database, so every certificate comes here, and this decides,
 * cheapest first: the pinned fingerprint, the user's CA file, then the system's trust store.
 * The system store is ~150 authorities, ~8 MiB and ~35 ms to load here: a send that a pin or
 * a CA file settles never pays for it. glib-networking loads it on first use and keeps it for
 * the life of the process.
 *
 * The reasons kept for the user are those of the store the chain leads to: a certificate
 * signed by the user's own authority for another name "was issued for a different server
 * name", not also "not signed by an authority you trust".
 *
 * Runs on the thread doing the handshake (the sending thread), so it only consults data the
 * caller decided on beforehand. */
static gboolean
accept_certificate_cb (GTlsConnection *connection,
                       GTlsCertificate *certificate,
                       GTlsCertificateFlags handshake_errors,
                       gpointer user_data)
{
  CertificateCheck *check = user_data;
  g_autoptr (GTlsDatabase) system_trust = NULL;
  GTlsCertificateFlags extra_errors = G_TLS_CERTIFICATE_UNKNOWN_CA;
  GTlsCertificateFlags system_errors = handshake_errors;

  g_set_object (&check->info->certificate, certificate);
  check->info->errors = 0;
  if (matches_pinned_fingerprint (certificate, check->trust->pinned_sha256))
    return TRUE;

  if (check->trust->extra_ca != NULL)
    extra_errors = verify_against (check->trust->extra_ca, certificate, check);
  if (extra_errors == 0)
    return TRUE;

  system_trust = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  if (system_trust != NULL)
    system_errors = verify_against (system_trust, certificate, check);
  if (system_errors == 0)
    return TRUE;

  check->info->errors =
    (extra_errors & G_TLS_CERTIFICATE_UNKNOWN_CA) ? system_errors : extra_errors;
  return FALSE;
}

static char *
describe_certificate_errors (GTlsCertificateFlags errors)
{
  static const struct
  {
    GTlsCertificateFlags flag;
    const char *text;
  } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_ ("it is not signed by an authority you trust") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_ ("it was issued for a different server name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_ ("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_ ("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_ ("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_ ("it uses an insecure algorithm") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_ ("it could not be checked") },
  };
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (errors & reasons[i].flag)
      g_ptr_array_add (texts, (gpointer) _ (reasons[i].text));
  if (texts->len == 0)
    g_ptr_array_add (texts, (gpointer) _ ("it could not be checked"));
  g_ptr_array_add (texts, NULL);
  return g_strjoinv ("; ", (char **) texts->pdata);
}

static const char *
protocol_version_name (GTlsProtocolVersion version)
{
  switch (version)
    {
      case G_TLS_PROTOCOL_VERSION_SSL_3_0:
        return "SSL 3.0";
      case G_TLS_PROTOCOL_VERSION_TLS_1_0:
        return "TLS 1.0";
      case G_TLS_PROTOCOL_VERSION_TLS_1_1:
        return "TLS 1.1";
      case G_TLS_PROTOCOL_VERSION_TLS_1_2:
        return "TLS 1.2";
      case G_TLS_PROTOCOL_VERSION_TLS_1_3:
        return "TLS 1.3";
      default:
        return "TLS";
    }
}

static void
record_tls_session (PigeonSmtpConnection *self, GTlsConnection *tls, PigeonSmtpTlsInfo *info)
{
  g_autofree char *note = NULL;

  g_set_object (&info->certificate, g_tls_connection_get_peer_certificate (tls));
  g_free (info->protocol);
  info->protocol = g_strdup (protocol_version_name (g_tls_connection_get_protocol_version (tls)));
  g_free (info->ciphersuite);
  info->ciphersuite = g_tls_connection_get_ciphersuite_name (tls);

  note = g_strdup_printf (_ ("%s established (%s)"), info->protocol,
                          info->ciphersuite ? info->ciphersuite : "?");
  pigeon_smtp_connection_note (self, PIGEON_SMTP_TRANSCRIPT_INFO, note);
}

static void
set_handshake_error (GError **error, const char *host, GError *tls_error, PigeonSmtpTlsInfo *info)
{
  g_autofree char *reasons = NULL;

  if (g_error_matches (tls_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (tls_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      pigeon_smtp_propagate_io_error (error, tls_error, _ ("TLS negotiation failed"));
      return;
    }

  if (info->errors != 0 || g_error_matches (tls_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      reasons = describe_certificate_errors (info->errors);
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_CERTIFICATE,
                   _ ("The certificate of %s is not trusted: %s"), host, reasons);
    }
  else
    {
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_SECURITY,
                   _ ("A secure (TLS) connection to %s could not be established: %s"), host,
                   tls_error->message);
    }
  g_error_free (tls_error);
}

static void
set_socket_timeout (PigeonSmtpConnection *self, guint seconds)
{
  g_socket_set_timeout (g_socket_connection_get_socket (self->socket_connection), seconds);
}

gboolean
pigeon_smtp_connection_start_tls (PigeonSmtpConnection *self,
                                  const char *host,
                                  guint16 port,
                                  const PigeonSmtpTrust *trust,
                                  PigeonSmtpTlsInfo *info,
                                  GCancellable *cancellable,
                                  GError **error)
{
  g_autoptr (GSocketConnectable) identity = g_network_address_new (host, port);
  g_autoptr (GIOStream) tls = NULL;
  GError *local_error = NULL;
  CertificateCheck check = { trust, identity, info, cancellable };
  gulong handler;
  gboolean ok;

  /* Anything the server sent after its "220 ready" was sent in clear and could have been put
   * there by an attacker, to be read later as if it came over TLS (CVE-2011-0411). */
  self->broken = TRUE; /* until the handshake succeeds */
  if (self->read_start != self->read_end || self->line->len > 0)
    {
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL,
                   _ ("%s sent unexpected data before the secure connection started; Pigeon "
                      "stopped, as this can be an attempt to tamper with the connection"),
                   host);
      return FALSE;
    }

  /* g_tls_client_connection_new () would load the system's trust store while constructing the
   * connection; a database of NULL, given at construction, defers that to
   * accept_certificate_cb. */
  tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                        cancellable, &local_error, "base-io-stream", self->socket_connection,
                        "server-identity", identity, "database", NULL, NULL);
  if (tls == NULL)
    {
      pigeon_smtp_propagate_io_error (error, local_error, _ ("TLS is not available"));
      return FALSE;
    }

  handler =
    g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), &check);
  set_socket_timeout (self, self->timeout_seconds);
  ok = g_tls_connection_handshake (G_TLS_CONNECTION (tls), cancellable, &local_error);
  g_signal_handler_disconnect (tls, handler);

  if (!ok)
    {
      set_handshake_error (error, host, local_error, info);
      return FALSE;
    }

  record_tls_session (self, G_TLS_CONNECTION (tls), info);
  g_set_object (&self->stream, tls);
  self->broken = FALSE;
  return TRUE;
}

/* Reading replies --------------------------------------------------------------------------- */

static gboolean
fill_buffer (PigeonSmtpConnection *self, gint64 deadline, GCancellable *cancellable, GError **error)
{
  GInputStream *input = g_io_stream_get_input_stream (self->stream);
  gint64 remaining = deadline - g_get_monotonic_time ();
  GError *local_error = NULL;
  gssize n;

  if (remaining <= 0)
    {
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_TIMED_OUT,
                   ngettext ("The server did not finish its answer within %u second",
                             "The server did not finish its answer within %u seconds",
                             self->timeout_seconds),
                   self->timeout_seconds);
      return FALSE;
    }

  /* The socket timeout bounds each read; the deadline bounds the whole reply, so a server that
   * drips a byte a second cannot keep us waiting. */
  set_socket_timeout (self, (guint) ((remaining + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  n = g_input_stream_read (input, self->buffer, sizeof self->buffer, cancellable, &local_error);
  if (n < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_error_free (local_error);
          g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_TIMED_OUT,
                       ngettext ("The server did not answer within %u second",
                                 "The server did not answer within %u seconds",
                                 self->timeout_seconds),
                       self->timeout_seconds);
          return FALSE;
        }
      pigeon_smtp_propagate_io_error (error, local_error, _ ("Could not read the server’s answer"));
      return FALSE;
    }
  if (n == 0)
    {
      g_set_error_literal (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL,
                           _ ("The server closed the connection unexpectedly"));
      return FALSE;
    }

  self->read_start = 0;
  self->read_end = (gsize) n;
  return TRUE;
}

/* Reads up to the next LF into self->line, without the line ending. */
static gboolean
read_line (PigeonSmtpConnection *self, gint64 deadline, GCancellable *cancellable, GError **error)
{
  g_string_truncate (self->line, 0);

  for (;;)
    {
      const char *start;
      const char *newline;
      gsize available;
      gsize take;

      if (self->read_start == self->read_end && !fill_buffer (self, deadline, cancellable, error))
        return FALSE;

      start = self->buffer + self->read_start;
      available = self->read_end - self->read_start;
      newline = memchr (start, '\n', available);
      take = newline != NULL ? (gsize) (newline - start) : available;

      if (self->line->len + take > PIGEON_SMTP_REPLY_MAX_LINE_LENGTH + 1)
        {
          g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL,
                       _ ("The server sent a line longer than %d bytes"),
                       PIGEON_SMTP_REPLY_MAX_LINE_LENGTH);
          return FALSE;
        }

      g_string_append_len (self->line, start, take);
      self->read_start += take;
      if (newline != NULL)
        {
          self->read_start++;
          if (self->line->len > 0 && self->line->str[self->line->len - 1] == '\r')
            g_string_truncate (self->line, self->line->len - 1);
          return TRUE;
        }
    }
}

static void
note_server_line (PigeonSmtpConnection *self, const GString *line)
{
  g_autofree char *shown = NULL;

  if (self->transcript_func == NULL)
    return;
  shown = g_utf8_make_valid (line->str, line->len);
  g_strdelimit (shown, "\r\n", ' ');
  pigeon_smtp_connection_note (self, PIGEON_SMTP_TRANSCRIPT_SERVER, shown);
}

PigeonSmtpReply *
pigeon_smtp_connection_read_reply (PigeonSmtpConnection *self,
                                   GCancellable *cancellable,
                                   GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) self->timeout_seconds * G_USEC_PER_SEC;

  for (;;)
    {
      PigeonSmtpReplyParseStatus status;

      if (!read_line (self, deadline, cancellable, error))
        {
          self->broken = TRUE;
          return NULL;
        }

      note_server_line (self, self->line);
      status =
        pigeon_smtp_reply_parser_feed (self->parser, self->line->str, self->line->len, error);
      g_string_truncate (self->line, 0);
      if (status == PIGEON_SMTP_REPLY_PARSE_ERROR)
        {
          self->broken = TRUE;
          return NULL;
        }
      if (status == PIGEON_SMTP_REPLY_PARSE_DONE)
        return pigeon_smtp_reply_parser_take_reply (self->parser);
    }
}

/* Sending commands -------------------------------------------------------------------------- */

void
pigeon_smtp_connection_queue (PigeonSmtpConnection *self, const char *line, const char *shown)
{
  /* Every caller validates what goes into a command; a line break here would be an injected
   * command, so it is a bug, never sent. */
  g_return_if_fail (strpbrk (line, "\r\n") == NULL);

  pigeon_smtp_connection_note (self, PIGEON_SMTP_TRANSCRIPT_CLIENT, shown ? shown : line);
  g_string_append (self->pending, line);
  g_string_append (self->pending, "\r\n");
}

gboolean
pigeon_smtp_connection_flush (PigeonSmtpConnection *self, GCancellable *cancellable, GError **error)
{
  GOutputStream *output = g_io_stream_get_output_stream (self->stream);
  GError *local_error = NULL;
  gboolean ok;

  if (self->pending->len == 0)
    return TRUE;

  set_socket_timeout (self, self->timeout_seconds);
  ok = g_output_stream_write_all (output, self->pending->str, self->pending->len, NULL, cancellable,
                                  &local_error);
  /* The batch may hold an AUTH response: do not leave it in memory longer than needed. */
  memset (self->pending->str, 0, self->pending->len);
  g_string_truncate (self->pending, 0);
  if (!ok)
    {
      self->broken = TRUE;
      pigeon_smtp_propagate_io_error (error, local_error, _ ("Could not send to the server"));
    }
  return ok;
}

gboolean
pigeon_smtp_connection_send (PigeonSmtpConnection *self,
                             const char *line,
                             const char *shown,
                             GCancellable *cancellable,
                             GError **error)
{
  pigeon_smtp_connection_queue (self, line, shown);
  return pigeon_smtp_connection_flush (self, cancellable, error);
}

gboolean
pigeon_smtp_connection_send_quit (PigeonSmtpConnection *self,
                                  GCancellable *cancellable,
                                  GError **error)
{
  self->quit_sent = TRUE;
  return pigeon_smtp_connection_send (self, "QUIT", NULL, cancellable, error);
}

gboolean
pigeon_smtp_connection_get_quit_sent (PigeonSmtpConnection *self)
{
  return self->quit_sent;
}

PigeonSmtpReply *
pigeon_smtp_connection_command (PigeonSmtpConnection *self,
                                const char *line,
                                const char *shown,
                                GCancellable *cancellable,
                                GError **error)
{
  if (!pigeon_smtp_connection_send (self, line, shown, cancellable, error))
    return NULL;
  return pigeon_smtp_connection_read_reply (self, cancellable, error);
}

void
pigeon_smtp_connection_close (PigeonSmtpConnection *self)
{
  if (self->stream == NULL)
    return;
  set_socket_timeout (self, MIN (self->timeout_seconds, 5));
  g_io_stream_close (self->stream, NULL, NULL);
}
