/* test-smtp-security.c: PigeonSmtpClient against a scripted server: STARTTLS, credentials in
 * the clear, certificates and pinning, what the server offers, secrets in the transcript
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-test-client.h"

/* STARTTLS and credentials in the clear */

static void
test_starttls_response_injection (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("server");
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;

  pigeon_fake_server_send (server, "220 fake.test ESMTP");
  pigeon_fake_server_expect (server, "EHLO *", "250-fake.test\n250 STARTTLS");
  pigeon_fake_server_expect (server, "STARTTLS",
                             "220 2.0.0 Ready to start TLS\n250-fake.test\n250 AUTH PLAIN");
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  pigeon_test_client_assert_hung_up (server);
  lines = pigeon_fake_server_get_lines (server);
  g_assert_cmpuint (g_strv_length (lines), ==, 2); /* EHLO, STARTTLS: then nothing at all */
  pigeon_test_client_assert_no_script_failure (server);
}

static void
test_starttls_not_offered (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("server");
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_set_capabilities (server, "PIPELINING\nAUTH PLAIN LOGIN", "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_SECURITY);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH *"), ==, 0);
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL *"), ==, 0);
}

static void
test_auth_in_clear (gconstpointer data)
{
  gboolean allow = GPOINTER_TO_INT (data);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_set_capabilities (server, "AUTH PLAIN LOGIN\nENHANCEDSTATUSCODES", "");
  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_smtp_client_set_allow_insecure_auth (client, allow);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  pigeon_test_client_assert_hung_up (server);
  if (allow)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH *"), ==, 1);
      g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
      return;
    }
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_SECURITY);
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH *"), ==, 0);
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL *"), ==, 0);
}

/* Certificates */

typedef struct
{
  const char *cert_name;
  PigeonSmtpSecurity security;
  GTlsCertificateFlags flag;
} BadCertificate;

static const BadCertificate bad_certificates[] = {
  { "untrusted", PIGEON_SMTP_SECURITY_STARTTLS, G_TLS_CERTIFICATE_UNKNOWN_CA },
  { "wrong-host", PIGEON_SMTP_SECURITY_STARTTLS, G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "expired", PIGEON_SMTP_SECURITY_TLS, G_TLS_CERTIFICATE_EXPIRED },
};

static void
script_for (PigeonFakeServer *server, PigeonSmtpSecurity security)
{
  if (security == PIGEON_SMTP_SECURITY_TLS)
    pigeon_fake_server_start_tls (server);
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
}

static void
test_bad_certificate (gconstpointer data)
{
  const BadCertificate *bad = data;
  g_autoptr (PigeonFakeServer) bad_server = pigeon_fake_server_new (bad->cert_name);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_set_credentials (bad_server, USER, PASSWORD);
  script_for (bad_server, bad->security);
  client = pigeon_test_client_new (bad_server, bad->security, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_CERTIFICATE);
  g_assert_nonnull (pigeon_smtp_client_get_peer_certificate (client));
  /* Only what is wrong: a certificate from the CA the client was given, for another name, was
   * not also "signed by an unknown authority". */
  g_assert_cmphex (pigeon_smtp_client_get_peer_certificate_errors (client), ==, bad->flag);
  pigeon_test_client_assert_hung_up (bad_server);
  g_assert_cmpuint (pigeon_fake_server_count (bad_server, "AUTH *"), ==, 0);
  g_assert_cmpuint (pigeon_fake_server_count (bad_server, "MAIL *"), ==, 0);
}

static void
test_pinned_fingerprint (gconstpointer data)
{
  const char *pinned_cert = data;
  gboolean should_work = g_str_equal (pinned_cert, "untrusted");
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("untrusted");
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *fingerprint = pigeon_test_client_fingerprint_of (pinned_cert);

  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  script_for (server, PIGEON_SMTP_SECURITY_STARTTLS);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_smtp_client_set_pinned_fingerprint (client, fingerprint);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  pigeon_test_client_assert_hung_up (server);
  if (!should_work)
    {
      g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_CERTIFICATE);
      g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH *"), ==, 0);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
  g_assert_nonnull (pigeon_smtp_client_get_tls_protocol (client));
}

/* What the server offers */

/* Before TLS: a tiny SIZE and AUTH PLAIN; after: a larger SIZE and only AUTH LOGIN. A client
 * that kept the first EHLO's answer would refuse the message or try PLAIN. */
static void
test_capabilities_after_starttls (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("server");
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  const PigeonSmtpCapabilities *caps;
  int auth;

  pigeon_fake_server_set_capabilities (server, "STARTTLS\nSIZE 10\nAUTH PLAIN",
                                       "SIZE 100000\nAUTH LOGIN");
  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  script_for (server, PIGEON_SMTP_SECURITY_STARTTLS);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_no_error (error);
  pigeon_test_client_assert_hung_up (server);
  auth = pigeon_fake_server_find (server, "AUTH LOGIN*");
  g_assert_cmpint (auth, >=, 0);
  g_assert_true (pigeon_fake_server_get_line_tls (server, auth));
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH PLAIN*"), ==, 0);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
  caps = pigeon_smtp_client_get_capabilities (client);
  g_assert_nonnull (caps);
  g_assert_false (caps->starttls);
  g_assert_cmpuint (caps->size_limit, ==, 100000);
  g_assert_cmpuint (caps->auth, ==, PIGEON_SMTP_AUTH_LOGIN);
}

/* "Test connection": logs in over TLS, reports what the server offers, sends no mail. */
static void
test_probe (gconstpointer data)
{
  gboolean right_password = GPOINTER_TO_INT (data);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("server");
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_set_capabilities (server, "STARTTLS", "SIZE 2048\nPIPELINING\nAUTH PLAIN");
  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  script_for (server, PIGEON_SMTP_SECURITY_STARTTLS);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, right_password ? PASSWORD : "wrong");
  pigeon_smtp_client_probe_sync (client, NULL, &error);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL *"), ==, 0);
  g_assert_cmpstr (pigeon_smtp_client_get_tls_protocol (client), ==, "TLS 1.3");
  g_assert_nonnull (pigeon_smtp_client_get_tls_ciphersuite (client));
  g_assert_nonnull (pigeon_smtp_client_get_peer_certificate (client));
  g_assert_cmpuint (pigeon_smtp_client_get_capabilities (client)->size_limit, ==, 2048);
  g_assert_true (pigeon_smtp_client_get_capabilities (client)->pipelining);
  if (right_password)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (pigeon_fake_server_count (server, "QUIT*"), ==, 1);
    }
  else
    g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_AUTH_FAILED);
}

static void
test_pipelining (gconstpointer data)
{
  gboolean offered = GPOINTER_TO_INT (data);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (GError) error = NULL;
  int mail;

  pigeon_fake_server_set_capabilities (server, offered ? "PIPELINING\n8BITMIME" : "8BITMIME", "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  pigeon_test_client_send_to_three (server, &error);
  g_assert_no_error (error);
  mail = pigeon_fake_server_find (server, "MAIL FROM:*");
  g_assert_cmpint (mail, >=, 1);
  g_assert_cmpint (pigeon_fake_server_find (server, "DATA"), ==, mail + 4);
  for (int i = mail + 1; i <= mail + 4; i++)
    {
      guint before = pigeon_fake_server_get_turn (server, i - 1);
      guint turn = pigeon_fake_server_get_turn (server, i);

      if (offered)
        g_assert_cmpuint (turn, ==, before);
      else
        g_assert_cmpuint (turn, >, before);
    }
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
}

static void
collect_transcript_cb (PigeonSmtpTranscriptKind kind, const char *line, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%c %s", "CS*"[kind], line));
}

/* With PIPELINING, QUIT follows the final "." without waiting for its reply (RFC 2920 lets QUIT
 * end a group): one round trip less. Without it, QUIT waits. */
static void
test_pipelined_quit (gconstpointer data)
{
  gboolean offered = GPOINTER_TO_INT (data);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  guint dot = 0;

  pigeon_fake_server_set_capabilities (server, offered ? "PIPELINING" : "8BITMIME", "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_set_transcript_func (client, collect_transcript_cb, lines);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_no_error (error);
  pigeon_test_client_assert_hung_up (server);
  while (dot < lines->len && !g_str_equal (g_ptr_array_index (lines, dot), "C ."))
    dot++;
  g_assert_cmpuint (dot + 2, <, lines->len);
  if (offered)
    g_assert_cmpstr (g_ptr_array_index (lines, dot + 1), ==, "C QUIT");
  else
    g_assert_cmpstr (g_ptr_array_index (lines, dot + 2), ==, "C QUIT");
  g_assert_true (
    g_str_has_prefix (g_ptr_array_index (lines, offered ? dot + 2 : dot + 1), "S 250"));
  g_assert_cmpuint (pigeon_fake_server_count (server, "QUIT"), ==, 1);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
}

static void
test_size_too_large (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strnfill (5000, 'a');

  pigeon_fake_server_set_capabilities (server, "PIPELINING\nSIZE 1000", "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_test_client_send_text (client, text, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL *"), ==, 0);
}

/* Sends @message with @caps offered and returns the MAIL FROM line the server saw. */
static char *
mail_from_for (const char *caps, PigeonSmtpEnvelope *envelope, PigeonSmtpMessage *message)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  int mail;

  pigeon_fake_server_set_capabilities (server, caps, "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_send_sync (client, envelope, message, NULL, &error);
  g_assert_no_error (error);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
  mail = pigeon_fake_server_find (server, "MAIL FROM:*");
  g_assert_cmpint (mail, >=, 0);
  lines = pigeon_fake_server_get_lines (server);
  return g_strdup (lines[mail]);
}

static void
test_size_parameter (void)
{
  g_autoptr (PigeonSmtpEnvelope) envelope =
    pigeon_test_client_envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (SIMPLE_TEXT, TRUE);
  g_autofree char *expected = g_strdup_printf (" SIZE=%zu", strlen (SIMPLE_TEXT));
  g_autofree char *mail = mail_from_for ("SIZE 100000", envelope, message);

  g_assert_nonnull (strstr (mail, expected));
}

static void
test_8bitmime (void)
{
  g_autoptr (PigeonSmtpEnvelope) envelope =
    pigeon_test_client_envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message =
    pigeon_test_client_message_new ("Subject: caf\xc3\xa9\r\n\r\n\xc3\xa9\r\n", TRUE);
  g_autofree char *mail = NULL;

  pigeon_smtp_message_set_8bit (message, TRUE);
  mail = mail_from_for ("8BITMIME\nSIZE 100000", envelope, message);
  g_assert_nonnull (strstr (mail, " BODY=8BITMIME"));
}

static void
test_smtputf8 (gconstpointer data)
{
  gboolean offered = GPOINTER_TO_INT (data);
  g_autoptr (PigeonSmtpEnvelope) envelope =
    pigeon_test_client_envelope_new ("j\xc3\xb6rg@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (SIMPLE_TEXT, TRUE);
  g_autoptr (PigeonFakeServer) server = NULL;
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *mail = NULL;

  if (offered)
    {
      mail = mail_from_for ("8BITMIME\nSMTPUTF8", envelope, message);
      g_assert_nonnull (strstr (mail, " SMTPUTF8"));
      return;
    }
  server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_set_capabilities (server, "8BITMIME\nPIPELINING", "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_send_sync (client, envelope, message, NULL, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL *"), ==, 0);
}

/* LF line ends, lines starting with dots, no final line break; size unknown. */
static void
test_dot_stuffing (void)
{
  static const char text[] = "Subject: dots\n\n.leading dot\n..two\n.\nlast line";
  static const char wire[] =
    "Subject: dots\r\n\r\n..leading dot\r\n...two\r\n..\r\nlast line\r\n.\r\n";
  g_autoptr (PigeonSmtpEnvelope) envelope =
    pigeon_test_client_envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (text, FALSE);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) data = NULL;

  pigeon_fake_server_set_capabilities (server, "PIPELINING\nSIZE 100000", "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_send_sync (client, envelope, message, NULL, &error);
  g_assert_no_error (error);
  pigeon_test_client_assert_hung_up (server);
  data = pigeon_fake_server_get_data (server);
  g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), wire, strlen (wire));
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL FROM:* SIZE=*"), ==, 0);
}

/* The transcript */

static void
transcript_cb (PigeonSmtpTranscriptKind kind, const char *line, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%c: %s", "CS*"[kind], line));
  pigeon_test_client_log_transcript_cb (kind, line, NULL);
}

static void
test_transcript_hides_secrets (gconstpointer data)
{
  const char *mechanism = data;
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("server");
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) transcript = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *after_tls = g_strconcat ("AUTH ", mechanism, NULL);
  /* PLAIN goes in one line with its initial response; LOGIN's answers come on their own. */
  const char *expected =
    g_str_equal (mechanism, "PLAIN") ? "C: AUTH PLAIN ********" : "C: ********";
  const char plain[] = "\0" USER "\0" PASSWORD;
  char *secrets[] = {
    g_strdup (PASSWORD),
    g_base64_encode ((const guchar *) plain, sizeof plain - 1),
    g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD)),
    g_base64_encode ((const guchar *) USER, strlen (USER)),
  };
  gboolean redacted_line_seen = FALSE;

  pigeon_fake_server_set_capabilities (server, "STARTTLS", after_tls);
  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  script_for (server, PIGEON_SMTP_SECURITY_STARTTLS);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_smtp_client_set_transcript_func (client, transcript_cb, transcript);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_no_error (error);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH *"), ==, 1);
  for (guint i = 0; i < transcript->len; i++)
    {
      const char *line = transcript->pdata[i];

      for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
        g_assert_null (strstr (line, secrets[s]));
      redacted_line_seen |= g_str_equal (line, expected);
    }
  g_assert_true (redacted_line_seen);
  for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
    g_free (secrets[s]);
}

int
main (int argc, char **argv)
{
  pigeon_test_client_init (&argc, &argv);

  g_test_add_func ("/smtp/faults/starttls/response-injection", test_starttls_response_injection);
  g_test_add_func ("/smtp/faults/starttls/not-offered", test_starttls_not_offered);
  g_test_add_data_func ("/smtp/faults/auth/in-clear-refused", GINT_TO_POINTER (FALSE),
                        test_auth_in_clear);
  g_test_add_data_func ("/smtp/faults/auth/in-clear-allowed", GINT_TO_POINTER (TRUE),
                        test_auth_in_clear);
  g_test_add_data_func ("/smtp/faults/tls/untrusted", &bad_certificates[0], test_bad_certificate);
  g_test_add_data_func ("/smtp/faults/tls/wrong-host", &bad_certificates[1], test_bad_certificate);
  g_test_add_data_func ("/smtp/faults/tls/expired", &bad_certificates[2], test_bad_certificate);
  g_test_add_data_func ("/smtp/faults/tls/pinned", "untrusted", test_pinned_fingerprint);
  g_test_add_data_func ("/smtp/faults/tls/pinned-other", "server", test_pinned_fingerprint);
  g_test_add_func ("/smtp/faults/caps/after-starttls", test_capabilities_after_starttls);
  g_test_add_data_func ("/smtp/faults/probe/ok", GINT_TO_POINTER (TRUE), test_probe);
  g_test_add_data_func ("/smtp/faults/probe/wrong-password", GINT_TO_POINTER (FALSE), test_probe);
  g_test_add_data_func ("/smtp/faults/pipelining/on", GINT_TO_POINTER (TRUE), test_pipelining);
  g_test_add_data_func ("/smtp/faults/pipelining/off", GINT_TO_POINTER (FALSE), test_pipelining);
  g_test_add_data_func ("/smtp/faults/pipelining/quit", GINT_TO_POINTER (TRUE),
                        test_pipelined_quit);
  g_test_add_data_func ("/smtp/faults/pipelining/quit-waits", GINT_TO_POINTER (FALSE),
                        test_pipelined_quit);
  g_test_add_func ("/smtp/faults/size/too-large", test_size_too_large);
  g_test_add_func ("/smtp/faults/size/parameter", test_size_parameter);
  g_test_add_func ("/smtp/faults/8bitmime/body", test_8bitmime);
  g_test_add_data_func ("/smtp/faults/smtputf8/offered", GINT_TO_POINTER (TRUE), test_smtputf8);
  g_test_add_data_func ("/smtp/faults/smtputf8/missing", GINT_TO_POINTER (FALSE), test_smtputf8);
  g_test_add_func ("/smtp/faults/data/dot-stuffing", test_dot_stuffing);
  g_test_add_data_func ("/smtp/faults/transcript/plain", "PLAIN", test_transcript_hides_secrets);
  g_test_add_data_func ("/smtp/faults/transcript/login", "LOGIN", test_transcript_hides_secrets);

  return g_test_run ();
}
