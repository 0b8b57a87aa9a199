/* pigeon-smtp-client.c: the SMTP dialogue of one submission
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <glib/gi18n.h>
#include <string.h>

#include "pigeon-smtp-auth.h"
#include "pigeon-smtp-client.h"
#include "pigeon-smtp-connection.h"
#include "pigeon-smtp-sasl.h"
#include "pigeon-smtp-transaction.h"

#define DEFAULT_TIMEOUT_SECONDS 60

struct _PigeonSmtpClient
{
  GObject parent_instance;

  /* Settings: written by the owner before a send, read by the sending thread. */
  char *host;
  guint16 port;
  PigeonSmtpSecurity security;
  char *user;
  char *secret; /* the password, or the OAuth 2 token when use_oauth2 */
  gboolean use_oauth2;
  PigeonSmtpAuthMechanism allowed_mechanisms;
  gboolean allow_insecure_auth;
  GTlsDatabase *extra_ca;
  char *pinned_sha256;
  guint timeout_seconds;
  char *helo_name;
  PigeonSmtpProgressFunc progress_func;
  gpointer progress_data;
  PigeonSmtpTranscriptFunc transcript_func;
  gpointer transcript_data;

  /* What the last send learned: written by the sending thread, read after it returns. */
  PigeonSmtpCapabilities capabilities;
  gboolean have_capabilities;
  PigeonSmtpTlsInfo tls_info;
};

/* One send in progress: lives on the sending thread's stack. */
typedef struct
{
  PigeonSmtpClient *client;
  PigeonSmtpConnection *connection;
  GCancellable *cancellable;
  gint64 bytes_total;
} Session;

G_DEFINE_FINAL_TYPE (PigeonSmtpClient, pigeon_smtp_client, G_TYPE_OBJECT)

/* Helpers ----------------------------------------------------------------------------------- */

static void
wipe_string (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
report_stage (Session *session, PigeonSmtpStage stage, guint64 bytes_sent)
{
  PigeonSmtpClient *client = session->client;

  if (client->progress_func != NULL)
    client->progress_func (stage, bytes_sent, session->bytes_total, client->progress_data);
}

static PigeonSmtpReply *
command (Session *session, const char *line, GError **error)
{
  return pigeon_smtp_connection_command (session->connection, line, NULL, session->cancellable,
                                         error);
}

static void
transaction_stage_cb (PigeonSmtpStage stage, guint64 bytes_sent, gpointer user_data)
{
  report_stage (user_data, stage, bytes_sent);
}

/* A host name is a fine EHLO argument only when it is fully qualified; otherwise servers are
 * right to reject it, and the address literal of our end is the honest alternative. */
static gboolean
is_usable_helo_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > 255 || strchr (name, '.') == NULL)
    return FALSE;
  if (name[0] == '[')
    return name[length - 1] == ']' && strpbrk (name, " \r\n\t") == NULL;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return !g_str_has_suffix (name, ".localdomain") && name[0] != '.' && name[0] != '-';
}

static char *
choose_helo_name (Session *session)
{
  const char *host_name = session->client->helo_name;

  if (host_name == NULL)
    host_name = g_get_host_name ();
  if (is_usable_helo_name (host_name))
    return g_strdup (host_name);
  return pigeon_smtp_connection_get_local_address_literal (session->connection);
}

/* Connecting -------------------------------------------------------------------------------- */

static void
socket_client_event_cb (GSocketClient *socket_client,
                        GSocketClientEvent event,
                        GSocketConnectable *connectable,
                        GIOStream *connection,
                        gpointer user_data)
{
  Session *session = user_data;

  if (event == G_SOCKET_CLIENT_RESOLVING)
    report_stage (session, PIGEON_SMTP_STAGE_RESOLVING, 0);
  else if (event == G_SOCKET_CLIENT_CONNECTING)
    report_stage (session, PIGEON_SMTP_STAGE_CONNECTING, 0);
}

static gboolean
secure_connection (Session *session, GError **error)
{
  PigeonSmtpClient *client = session->client;
  PigeonSmtpTrust trust = { client->extra_ca, client->pinned_sha256 };

  report_stage (session, PIGEON_SMTP_STAGE_SECURING, 0);
  return pigeon_smtp_connection_start_tls (session->connection, client->host, client->port, &trust,
                                           &client->tls_info, session->cancellable, error);
}

static gboolean
read_greeting (Session *session, GError **error)
{
  g_autoptr (PigeonSmtpReply) greeting = NULL;
  g_autofree char *what = NULL;

  greeting = pigeon_smtp_connection_read_reply (session->connection, session->cancellable, error);
  if (greeting == NULL)
    return FALSE;
  if (greeting->code == 220)
    return TRUE;

  what = g_strdup_printf (_ ("%s is not accepting mail now"), session->client->host);
  pigeon_smtp_set_reply_error (error, greeting, PIGEON_SMTP_ERROR_UNAVAILABLE, what);
  return FALSE;
}

/* EHLO, or HELO for a server that does not know EHLO (RFC 5321 §3.2). */
static gboolean
say_hello (Session *session, GError **error)
{
  PigeonSmtpClient *client = session->client;
  g_autofree char *name = choose_helo_name (session);
  g_autofree char *ehlo = g_strdup_printf ("EHLO %s", name);
  g_autofree char *helo = NULL;
  g_autoptr (PigeonSmtpReply) reply = NULL;

  memset (&client->capabilities, 0, sizeof client->capabilities);
  client->have_capabilities = FALSE;

  reply = command (session, ehlo, error);
  if (reply == NULL)
    return FALSE;
  if (pigeon_smtp_reply_is_positive (reply))
    {
      pigeon_smtp_capabilities_parse (&client->capabilities, reply);
      client->have_capabilities = TRUE;
      return TRUE;
    }
  if (reply->code != 500 && reply->code != 502)
    {
      pigeon_smtp_set_reply_error (error, reply, PIGEON_SMTP_ERROR_UNAVAILABLE,
                                   _ ("The server refused to talk to Pigeon"));
      return FALSE;
    }

  g_clear_pointer (&reply, pigeon_smtp_reply_free);
  helo = g_strdup_printf ("HELO %s", name);
  reply = command (session, helo, error);
  if (reply == NULL)
    return FALSE;
  if (pigeon_smtp_reply_is_positive (reply))
    return TRUE;
  pigeon_smtp_set_reply_error (error, reply, PIGEON_SMTP_ERROR_UNAVAILABLE,
                               _ ("The server refused to talk to Pigeon"));
  return FALSE;
}

/* STARTTLS is never optional here: without it the password and the message would cross the
 * network in clear, so a server that does not offer it, or refuses it, ends the send. */
static gboolean
upgrade_to_tls (Session *session, GError **error)
{
  PigeonSmtpClient *client = session->client;
  g_autoptr (PigeonSmtpReply) reply = NULL;

  if (!client->capabilities.starttls)
    {
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_SECURITY,
                   _ ("%s does not offer STARTTLS, so the connection cannot be secured; Pigeon "
                      "did not send anything. Check the port, or choose SSL/TLS security"),
                   client->host);
      return FALSE;
    }

  reply = command (session, "STARTTLS", error);
  if (reply == NULL)
    return FALSE;
  if (reply->code != 220)
    {
      g_autofree char *text = pigeon_smtp_reply_to_string (reply);

      /* Even a "try later" 454 is SECURITY: anyone in the middle can send it, and the user
       * must not be nudged towards turning TLS off. */
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_SECURITY,
                   _ ("The server refused to start a secure connection (%s)"), text);
      return FALSE;
    }

  /* What the server said before TLS may have been forged: forget it and ask again. */
  return secure_connection (session, error) && say_hello (session, error);
}

/* Logging in -------------------------------------------------------------------------------- */

static char *
describe_mechanisms (PigeonSmtpAuthMechanism mechanisms)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint bit = 1; bit <= PIGEON_SMTP_AUTH_XOAUTH2; bit <<= 1)
    if (mechanisms & bit)
      g_ptr_array_add (names, (gpointer) pigeon_smtp_sasl_mechanism_name (bit));
  if (names->len == 0)
    return g_strdup (C_ ("login methods offered", "none"));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static gboolean
authenticate (Session *session, GError **error)
{
  PigeonSmtpClient *client = session->client;
  gboolean over_tls = pigeon_smtp_connection_is_tls (session->connection);
  PigeonSmtpAuthMechanism mechanism;
  g_autofree char *offered = NULL;

  if (client->user == NULL)
    return TRUE;

  if (!over_tls && !client->allow_insecure_auth)
    {
      g_set_error_literal (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_SECURITY,
                           _ ("Pigeon will not send your password over a connection that is not "
                              "encrypted. Choose STARTTLS or SSL/TLS security"));
      return FALSE;
    }

  mechanism = pigeon_smtp_sasl_choose (client->capabilities.auth, client->allowed_mechanisms,
                                       client->use_oauth2, over_tls);
  if (mechanism == PIGEON_SMTP_AUTH_NONE)
    {
      offered = describe_mechanisms (client->capabilities.auth);
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_AUTH_FAILED,
                   _ ("The server offers no way of logging in that Pigeon can use (it offers: %s)"),
                   offered);
      return FALSE;
    }

  report_stage (session, PIGEON_SMTP_STAGE_AUTHENTICATING, 0);
  return pigeon_smtp_auth_run (session->connection, mechanism, client->user, client->secret,
                               session->cancellable, error);
}

/* Everything before the mail transaction: connect, secure, greet, log in. */
static gboolean
open_session (Session *session, GError **error)
{
  PigeonSmtpClient *client = session->client;

  if (!pigeon_smtp_connection_open (session->connection, client->host, client->port,
                                    G_CALLBACK (socket_client_event_cb), session,
                                    session->cancellable, error))
    return FALSE;
  if (client->security == PIGEON_SMTP_SECURITY_TLS && !secure_connection (session, error))
    return FALSE;
  if (!read_greeting (session, error) || !say_hello (session, error))
    return FALSE;
  if (client->security == PIGEON_SMTP_SECURITY_STARTTLS && !upgrade_to_tls (session, error))
    return FALSE;
  return authenticate (session, error);
}

static gboolean
run_dialogue (Session *session,
              const PigeonSmtpEnvelope *envelope,
              PigeonSmtpMessage *message,
              GError **error)
{
  PigeonSmtpTransaction transaction = { 0 };

  if (!open_session (session, error))
    return FALSE;

  transaction.connection = session->connection;
  transaction.capabilities = &session->client->capabilities;
  transaction.cancellable = session->cancellable;
  transaction.stage_func = transaction_stage_cb;
  transaction.stage_data = session;
  return pigeon_smtp_transaction_run (&transaction, envelope, message, error);
}

static void
say_goodbye (Session *session)
{
  g_autoptr (PigeonSmtpReply) reply = NULL;

  /* After a failure the connection may be half-read or tampered with: then just close it. */
  if (pigeon_smtp_connection_is_usable (session->connection))
    reply = pigeon_smtp_connection_get_quit_sent (session->connection)
              ? pigeon_smtp_connection_read_reply (session->connection, session->cancellable, NULL)
              : command (session, "QUIT", NULL);
  pigeon_smtp_connection_close (session->connection);
}

/* GObject ------------------------------------------------------------------------------------ */

static void
pigeon_smtp_client_finalize (GObject *object)
{
  PigeonSmtpClient *self = PIGEON_SMTP_CLIENT (object);

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->user, g_free);
  wipe_string (&self->secret);
  g_clear_object (&self->extra_ca);
  g_clear_pointer (&self->pinned_sha256, g_free);
  g_clear_pointer (&self->helo_name, g_free);
  pigeon_smtp_tls_info_clear (&self->tls_info);

  G_OBJECT_CLASS (pigeon_smtp_client_parent_class)->finalize (object);
}

static void
pigeon_smtp_client_class_init (PigeonSmtpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pigeon_smtp_client_finalize;
}

static void
pigeon_smtp_client_init (PigeonSmtpClient *self)
{
  self->allowed_mechanisms = PIGEON_SMTP_AUTH_ALL;
  self->timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
}

/* Public API --------------------------------------------------------------------------------- */

PigeonSmtpClient *
pigeon_smtp_client_new (const char *host, guint16 port, PigeonSmtpSecurity security)
{
  static const guint16 default_ports[] = { 587, 465, 25 };
  PigeonSmtpClient *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (security <= PIGEON_SMTP_SECURITY_NONE, NULL);

  self = g_object_new (PIGEON_TYPE_SMTP_CLIENT, NULL);
  self->host = g_strdup (host);
  self->port = port != 0 ? port : default_ports[security];
  self->security = security;
  return self;
}

void
pigeon_smtp_client_set_credentials (PigeonSmtpClient *self, const char *user, const char *password)
{
  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (self));

  g_free (self->user);
  self->user = g_strdup (user);
  wipe_string (&self->secret);
  self->secret = g_strdup (user != NULL ? password : NULL);
  self->use_oauth2 = FALSE;
}

void
pigeon_smtp_client_set_oauth2_token (PigeonSmtpClient *self, const char *user, const char *token)
{
  pigeon_smtp_client_set_credentials (self, user, token);
  self->use_oauth2 = user != NULL;
}

void
pigeon_smtp_client_set_allowed_mechanisms (PigeonSmtpClient *self,
                                           PigeonSmtpAuthMechanism mechanisms)
{
  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (self));
  self->allowed_mechanisms = mechanisms;
}

void
pigeon_smtp_client_set_allow_insecure_auth (PigeonSmtpClient *self, gboolean allow)
{
  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (self));
  self->allow_insecure_auth = !!allow;
}

gboolean
pigeon_smtp_client_set_ca_file (PigeonSmtpClient *self, const char *path, GError **error)
{
  g_autofree char *absolute = NULL;
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (self), FALSE);

  /* A relative path gives an empty trust store with only a warning (see NOTES-servers.md). */
  absolute = g_canonicalize_filename (path, NULL);
  database = g_tls_file_database_new (absolute, &local_error);
  if (database == NULL)
    {
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT,
                   _ ("Could not read the certificate authority file “%s”: %s"), path,
                   local_error->message);
      return FALSE;
    }
  g_set_object (&self->extra_ca, database);
  return TRUE;
}

void
pigeon_smtp_client_set_pinned_fingerprint (PigeonSmtpClient *self, const char *fingerprint)
{
  GString *normalized;

  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (self));

  g_clear_pointer (&self->pinned_sha256, g_free);
  if (fingerprint == NULL)
    return;
  normalized = g_string_new (NULL);
  for (const char *p = fingerprint; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (normalized, g_ascii_tolower (*p));
  self->pinned_sha256 = g_string_free (normalized, FALSE);
}

void
pigeon_smtp_client_set_timeout (PigeonSmtpClient *self, guint seconds)
{
  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (self));
  self->timeout_seconds = seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS;
}

void
pigeon_smtp_client_set_helo_name (PigeonSmtpClient *self, const char *name)
{
  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (self));
  g_free (self->helo_name);
  self->helo_name = g_strdup (name);
}

void
pigeon_smtp_client_set_progress_func (PigeonSmtpClient *self,
                                      PigeonSmtpProgressFunc func,
                                      gpointer user_data)
{
  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (self));
  self->progress_func = func;
  self->progress_data = user_data;
}

void
pigeon_smtp_client_set_transcript_func (PigeonSmtpClient *self,
                                        PigeonSmtpTranscriptFunc func,
                                        gpointer user_data)
{
  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (self));
  self->transcript_func = func;
  self->transcript_data = user_data;
}

/* Forgets what the last send learned and makes the connection for a new one. */
static PigeonSmtpConnection *
start_session (PigeonSmtpClient *self, Session *session, GCancellable *cancellable)
{
  memset (&self->capabilities, 0, sizeof self->capabilities);
  self->have_capabilities = FALSE;
  pigeon_smtp_tls_info_clear (&self->tls_info);

  session->client = self;
  session->cancellable = cancellable;
  session->bytes_total = -1;
  session->connection = pigeon_smtp_connection_new (self->timeout_seconds, self->transcript_func,
                                                    self->transcript_data);
  return session->connection;
}

gboolean
pigeon_smtp_client_probe_sync (PigeonSmtpClient *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (PigeonSmtpConnection) connection = NULL;
  Session session = { 0 };
  gboolean ok;

  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (self), FALSE);

  connection = start_session (self, &session, cancellable);
  ok = open_session (&session, error);
  say_goodbye (&session);
  return ok;
}

gboolean
pigeon_smtp_client_send_sync (PigeonSmtpClient *self,
                              const PigeonSmtpEnvelope *envelope,
                              PigeonSmtpMessage *message,
                              GCancellable *cancellable,
                              GError **error)
{
  g_autoptr (PigeonSmtpConnection) connection = NULL;
  Session session = { 0 };
  gboolean ok;

  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (envelope != NULL && message != NULL, FALSE);

  if (pigeon_smtp_envelope_get_sender (envelope) == NULL ||
      pigeon_smtp_envelope_get_n_recipients (envelope) == 0)
    {
      g_set_error_literal (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT,
                           _ ("A message needs a sender and at least one recipient"));
      return FALSE;
    }

  connection = start_session (self, &session, cancellable);
  session.bytes_total = pigeon_smtp_message_get_size (message);

  ok = run_dialogue (&session, envelope, message, error);
  say_goodbye (&session);
  if (ok)
    report_stage (&session, PIGEON_SMTP_STAGE_DONE, (guint64) MAX (session.bytes_total, 0));
  return ok;
}

const PigeonSmtpCapabilities *
pigeon_smtp_client_get_capabilities (PigeonSmtpClient *self)
{
  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (self), NULL);
  return self->have_capabilities ? &self->capabilities : NULL;
}

GTlsCertificate *
pigeon_smtp_client_get_peer_certificate (PigeonSmtpClient *self)
{
  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (self), NULL);
  return self->tls_info.certificate;
}

GTlsCertificateFlags
pigeon_smtp_client_get_peer_certificate_errors (PigeonSmtpClient *self)
{
  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (self), 0);
  return self->tls_info.errors;
}

const char *
pigeon_smtp_client_get_tls_protocol (PigeonSmtpClient *self)
{
  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (self), NULL);
  return self->tls_info.protocol;
}

const char *
pigeon_smtp_client_get_tls_ciphersuite (PigeonSmtpClient *self)
{
  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (self), NULL);
  return self->tls_info.ciphersuite;
}
