/* test-account-client.c: the SMTP client made from an account's settings, against the
 * scripted server: every setting must reach the wire
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-account.h"
#include "pigeon-test-client.h"

static PigeonAccount *
account_for (PigeonFakeServer *server, PigeonSmtpSecurity security)
{
  PigeonAccount *account = pigeon_account_new ("client");

  g_object_set (account, "address", USER, "host", "127.0.0.1", "port",
                (guint) pigeon_fake_server_get_port (server), "security", security, "user", USER,
                NULL);
  return account;
}

static void
send_with (PigeonAccount *account, GError **error)
{
  g_autoptr (PigeonSmtpClient) client = pigeon_account_create_client (account, PASSWORD, error);

  g_assert_nonnull (client);
  pigeon_smtp_client_set_timeout (client, 5);
  pigeon_smtp_client_set_transcript_func (client, pigeon_test_client_log_transcript_cb, NULL);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, error);
}

/* A server without TLS offering PLAIN and LOGIN, and an account pointing at it. */
static PigeonAccount *
plain_login_account (PigeonFakeServer *server)
{
  pigeon_fake_server_set_capabilities (server, "AUTH PLAIN LOGIN", "");
  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  return account_for (server, PIGEON_SMTP_SECURITY_NONE);
}

/* Host, port, security "none", the credentials, the one allowed mechanism. */
static void
test_client_login (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  account = plain_login_account (server);
  g_object_set (account, "auth-mechanism", "LOGIN", "allow-insecure-auth", TRUE, NULL);
  send_with (account, &error);
  g_assert_no_error (error);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH LOGIN*"), ==, 1);
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH PLAIN*"), ==, 0);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
}

static void
test_client_insecure_refused (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  account = plain_login_account (server);
  send_with (account, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_SECURITY);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH *"), ==, 0);
}

/* An untrusted certificate: refused, unless the account pins it. */
static void
test_client_pinned (gconstpointer data)
{
  gboolean pinned = GPOINTER_TO_INT (data);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("untrusted");
  g_autoptr (PigeonAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *fingerprint = pigeon_test_client_fingerprint_of ("untrusted");

  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  pigeon_fake_server_start_tls (server);
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  account = account_for (server, PIGEON_SMTP_SECURITY_TLS);
  if (pinned)
    g_object_set (account, "pinned-fingerprint", fingerprint, NULL);
  send_with (account, &error);
  pigeon_test_client_assert_hung_up (server);
  if (!pinned)
    {
      g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_CERTIFICATE);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
}

/* A certificate from the test CA: trusted only through the account's CA file. */
static void
test_client_ca_file (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("server");
  g_autoptr (PigeonAccount) account = NULL;
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ca = g_test_build_filename (G_TEST_BUILT, "ca.pem", NULL);

  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  pigeon_fake_server_start_tls (server);
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  account = account_for (server, PIGEON_SMTP_SECURITY_TLS);
  g_object_set (account, "ca-file", ca, NULL);
  send_with (account, &error);
  g_assert_no_error (error);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);

  g_object_set (account, "ca-file", "/nonexistent/ca.pem", NULL);
  client = pigeon_account_create_client (account, PASSWORD, &error);
  g_assert_null (client);
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "/nonexistent/ca.pem"));
}

static void
test_client_needs_password (void)
{
  g_autoptr (PigeonAccount) account = pigeon_account_new ("nopass");
  g_autoptr (PigeonSmtpClient) without_user = NULL;
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  g_object_set (account, "address", USER, "host", "127.0.0.1", NULL);
  without_user = pigeon_account_create_client (account, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (without_user);

  g_object_set (account, "user", "ana", NULL);
  client = pigeon_account_create_client (account, NULL, &error);
  g_assert_null (client);
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_PASSWORD);
}

int
main (int argc, char *argv[])
{
  pigeon_test_client_init (&argc, &argv);

  g_test_add_func ("/account/client/login", test_client_login);
  g_test_add_func ("/account/client/insecure-refused", test_client_insecure_refused);
  g_test_add_data_func ("/account/client/untrusted", GINT_TO_POINTER (FALSE), test_client_pinned);
  g_test_add_data_func ("/account/client/pinned", GINT_TO_POINTER (TRUE), test_client_pinned);
  g_test_add_func ("/account/client/ca-file", test_client_ca_file);
  g_test_add_func ("/account/client/needs-password", test_client_needs_password);

  return g_test_run ();
}
