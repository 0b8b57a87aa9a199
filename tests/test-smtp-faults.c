/* test-smtp-faults.c: PigeonSmtpClient against a scripted server that misbehaves: every
 * reply class at every stage, broken replies, timeouts, cancelling, connecting
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>
#include <sys/resource.h>

#include "pigeon-test-client.h"

/* A TLS server that wants STARTTLS, then AUTH, for the stage tests. */
static PigeonFakeServer *
submission_server_new (void)
{
  PigeonFakeServer *server = pigeon_fake_server_new ("server");

  pigeon_fake_server_set_capabilities (server, "STARTTLS\nENHANCEDSTATUSCODES",
                                       "AUTH PLAIN LOGIN\nENHANCEDSTATUSCODES\n8BITMIME");
  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  return server;
}

/* Each stage, a 4xx and a 5xx */

typedef struct
{
  const char *path;
  const char *greeting; /* NULL: a friendly one */
  const char *glob;     /* the command that fails, NULL for the greeting */
  const char *reply;
  int code;              /* -1: the send succeeds */
  const char *forbidden; /* no line may match this afterwards, nor the next one */
  const char *forbidden2;
} StageFault;

static const StageFault stage_faults[] = {
  { "greeting/4xx", "421 4.3.2 Too busy, come back later", NULL, NULL, PIGEON_SMTP_ERROR_TEMPORARY,
    "EHLO *", "MAIL *" },
  { "greeting/5xx", "554 5.7.1 No SMTP service here", NULL, NULL, PIGEON_SMTP_ERROR_UNAVAILABLE,
    "EHLO *", "MAIL *" },
  { "ehlo/4xx", NULL, "*LO *", "421 4.3.0 Try again later", PIGEON_SMTP_ERROR_TEMPORARY, "STARTTLS",
    "MAIL *" },
  { "ehlo/5xx", NULL, "*LO *", "554 5.7.1 You are not welcome", PIGEON_SMTP_ERROR_UNAVAILABLE,
    "STARTTLS", "MAIL *" },
  /* Any refusal of STARTTLS is a security failure (the error code's own contract): an
   * attacker in the middle can answer 454 as easily as 554. */
  { "starttls/4xx", NULL, "STARTTLS", "454 4.7.0 TLS not available right now",
    PIGEON_SMTP_ERROR_SECURITY, "AUTH *", "MAIL *" },
  { "starttls/5xx", NULL, "STARTTLS", "554 5.7.3 TLS refused", PIGEON_SMTP_ERROR_SECURITY, "AUTH *",
    "MAIL *" },
  { "auth/4xx", NULL, "AUTH *", "454 4.7.0 Temporary authentication failure",
    PIGEON_SMTP_ERROR_TEMPORARY, "MAIL *", NULL },
  { "auth/5xx", NULL, "AUTH *", "535 5.7.8 Authentication credentials invalid",
    PIGEON_SMTP_ERROR_AUTH_FAILED, "MAIL *", NULL },
  { "mail/4xx", NULL, "MAIL *", "451 4.3.0 Mail server temporarily unavailable",
    PIGEON_SMTP_ERROR_TEMPORARY, "RCPT *", "DATA" },
  { "mail/5xx", NULL, "MAIL *", "550 5.7.1 Sender refused", PIGEON_SMTP_ERROR_UNAVAILABLE, "RCPT *",
    "DATA" },
  { "rcpt/4xx", NULL, "RCPT *", "450 4.2.0 Mailbox busy", PIGEON_SMTP_ERROR_TEMPORARY, "DATA",
    NULL },
  { "rcpt/5xx", NULL, "RCPT *", "550 5.1.1 No such user", PIGEON_SMTP_ERROR_RECIPIENT_REJECTED,
    "DATA", NULL },
  { "data/4xx", NULL, "DATA", "451 4.3.0 Not now", PIGEON_SMTP_ERROR_TEMPORARY, "Subject:*",
    "Hello.*" },
  { "data/5xx", NULL, "DATA", "554 5.5.0 No DATA for you", PIGEON_SMTP_ERROR_UNAVAILABLE,
    "Subject:*", "Hello.*" },
  { "end-of-data/4xx", NULL, ".", "452 4.3.1 Out of storage", PIGEON_SMTP_ERROR_TEMPORARY, NULL,
    NULL },
  { "end-of-data/5xx", NULL, ".", "554 5.6.0 Message refused", PIGEON_SMTP_ERROR_UNAVAILABLE, NULL,
    NULL },
  { "quit/4xx", NULL, "QUIT", "421 4.3.0 Bye anyway", -1, NULL, NULL },
  { "quit/5xx", NULL, "QUIT", "500 5.5.1 What QUIT?", -1, NULL, NULL },
};

static void
test_stage_fault (gconstpointer data)
{
  const StageFault *fault = data;
  g_autoptr (PigeonFakeServer) server = submission_server_new ();
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  char code[4] = "";

  pigeon_fake_server_send (server, fault->greeting ? fault->greeting : "220 fake.test ESMTP");
  if (fault->glob != NULL)
    pigeon_fake_server_override (server, fault->glob, fault->reply);
  pigeon_fake_server_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  pigeon_test_client_assert_hung_up (server);
  if (fault->code < 0)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
      return;
    }
  g_assert_error (error, PIGEON_SMTP_ERROR, fault->code);
  memcpy (code, fault->greeting ? fault->greeting : fault->reply, 3);
  pigeon_test_client_assert_message_contains (error, code);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 0);
  if (fault->forbidden != NULL)
    g_assert_cmpuint (pigeon_fake_server_count (server, fault->forbidden), ==, 0);
  if (fault->forbidden2 != NULL)
    g_assert_cmpuint (pigeon_fake_server_count (server, fault->forbidden2), ==, 0);
}

static void
test_auth_enhanced_code (void)
{
  g_autoptr (PigeonFakeServer) server = submission_server_new ();
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, "not the password");
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_AUTH_FAILED);
  pigeon_test_client_assert_message_contains (error, "5.7.8");
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpint (pigeon_fake_server_find (server, "MAIL *"), ==, -1);
}

/* Recipients */

static void
test_rcpt_some_rejected (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (GError) error = NULL;
  int rset;

  pigeon_fake_server_set_capabilities (server, "ENHANCEDSTATUSCODES", "");
  pigeon_fake_server_override (server, "RCPT TO:<nobody@*", "550 5.1.1 No such user");
  pigeon_fake_server_override (server, "RCPT TO:<ghost@*", "553 5.1.3 Bad address");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  pigeon_test_client_send_to_three (server, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_RECIPIENT_REJECTED);
  pigeon_test_client_assert_message_contains (error, "nobody@example.org");
  pigeon_test_client_assert_message_contains (error, "ghost@example.org");
  g_assert_cmpuint (pigeon_fake_server_count (server, "RCPT *"), ==, 3);
  g_assert_cmpuint (pigeon_fake_server_count (server, "DATA"), ==, 0);
  rset = pigeon_fake_server_find (server, "RSET");
  g_assert_cmpint (rset, >, pigeon_fake_server_find (server, "RCPT TO:<ghost@*"));
}

/* With PIPELINING the DATA is already on its way when the rejections come back: the server
 * says 354 (one recipient was fine) and the message must still not be delivered. */
static void
test_rcpt_some_rejected_pipelined (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_set_capabilities (server, "PIPELINING\nENHANCEDSTATUSCODES", "");
  pigeon_fake_server_override (server, "RCPT TO:<nobody@*", "550 5.1.1 No such user");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  pigeon_test_client_send_to_three (server, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_RECIPIENT_REJECTED);
  pigeon_test_client_assert_message_contains (error, "nobody@example.org");
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 0);
  g_assert_cmpuint (pigeon_fake_server_count (server, "Subject:*"), ==, 0);
}

/* Broken replies */

static void
test_close_mid_data (gconstpointer data)
{
  gsize size = GPOINTER_TO_SIZE (data);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = g_string_new ("Subject: big\r\n\r\n");

  while (text->len < size)
    g_string_append (text, "All work and no play makes Jack a dull boy.\r\n");
  pigeon_fake_server_set_capabilities (server, "ENHANCEDSTATUSCODES", "");
  pigeon_fake_server_send (server, "220 fake.test ESMTP");
  pigeon_fake_server_expect (server, "EHLO *", "250-fake.test\n250 ENHANCEDSTATUSCODES");
  pigeon_fake_server_expect (server, "MAIL FROM:<alice@example.org>*", "250 2.1.0 Ok");
  pigeon_fake_server_expect (server, "RCPT TO:<bob@example.org>*", "250 2.1.5 Ok");
  pigeon_fake_server_expect (server, "DATA", "354 Go ahead");
  pigeon_fake_server_expect (server, "Subject: big", NULL);
  pigeon_fake_server_close (server);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_test_client_send_text (client, text->str, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  pigeon_test_client_assert_hung_up (server);
  pigeon_test_client_assert_no_script_failure (server);
}

static void
test_garbage_reply (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_send (server, "220 fake.test ESMTP");
  pigeon_fake_server_expect (server, "EHLO *", "HTTP/1.1 400 Bad Request\nContent-Length: 0");
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpint (pigeon_fake_server_find (server, "MAIL *"), ==, -1);
}

static long
max_rss_kib (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

/* A reply line of @data bytes: refused quickly, without buffering it. */
static void
test_huge_line (gconstpointer data)
{
  gsize length = GPOINTER_TO_SIZE (data);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  long rss_before = max_rss_kib ();
  double seconds;

  pigeon_fake_server_huge_line (server, "220 ", length);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 10);
  seconds = pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  g_assert_cmpfloat (seconds, <, 2.0);
  g_assert_cmpint (max_rss_kib () - rss_before, <, 16 * 1024);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpint (pigeon_fake_server_find (server, "EHLO *"), ==, -1);
}

static void
test_endless_reply (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  double seconds;

  pigeon_fake_server_send (server, "220 fake.test ESMTP");
  pigeon_fake_server_expect (server, "EHLO *", NULL);
  pigeon_fake_server_endless_reply (server, "250");
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 10);
  seconds = pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  g_assert_cmpfloat (seconds, <, 2.0);
  pigeon_test_client_assert_hung_up (server);
}

/* Timeouts */

static void
test_silence (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  double seconds;

  pigeon_fake_server_silence (server, 20000);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 1);
  seconds = pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_TIMED_OUT);
  g_assert_cmpfloat (seconds, >=, 0.9);
  g_assert_cmpfloat (seconds, <, 1.9);
  pigeon_test_client_assert_hung_up (server);
}

/* A byte a second never lets a per-read timeout of 2 s expire; the reply's deadline must. */
static void
test_drip (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  double seconds;

  pigeon_fake_server_drip (server, "220 fake.test ESMTP at a very leisurely pace", 1000);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  seconds = pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_TIMED_OUT);
  g_assert_cmpfloat (seconds, >=, 1.9);
  g_assert_cmpfloat (seconds, <, 3.5);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpint (pigeon_fake_server_find (server, "EHLO *"), ==, -1);
}

typedef struct
{
  PigeonSmtpClient *client;
  GCancellable *cancellable;
  GError *error;
} SendJob;

static gpointer
send_thread (gpointer data)
{
  SendJob *job = data;
  g_autoptr (PigeonSmtpEnvelope) envelope =
    pigeon_test_client_envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (SIMPLE_TEXT, TRUE);

  pigeon_smtp_client_send_sync (job->client, envelope, message, job->cancellable, &job->error);
  return NULL;
}

static void
test_cancel_while_waiting (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  SendJob job = { NULL, cancellable, NULL };
  GThread *thread;
  gint64 start;

  pigeon_fake_server_send (server, "220 fake.test ESMTP");
  pigeon_fake_server_expect (server, "EHLO *", NULL);
  pigeon_fake_server_silence (server, 20000);
  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 10);
  job.client = client;
  thread = g_thread_new ("send", send_thread, &job);
  g_assert_true (pigeon_fake_server_wait_lines (server, 1, WAIT_MS));
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  g_assert_error (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&job.error);
  pigeon_test_client_assert_hung_up (server);
}

/* Connecting */

static void
test_host_not_found (void)
{
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  int lookups_before = pigeon_test_client_get_failed_lookups ();

  client = pigeon_smtp_client_new ("nowhere.fake.test", 2525, PIGEON_SMTP_SECURITY_NONE);
  pigeon_smtp_client_set_timeout (client, 2);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_HOST_NOT_FOUND);
  pigeon_test_client_assert_message_contains (error, "nowhere.fake.test");
  g_assert_cmpint (pigeon_test_client_get_failed_lookups (), >, lookups_before);
}

/* The fake resolver's one name reaches the fake server: names do get resolved through it. */
static void
test_resolved_name (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = pigeon_smtp_client_new (FAKE_HOSTNAME, pigeon_fake_server_get_port (server),
                                   PIGEON_SMTP_SECURITY_NONE);
  pigeon_smtp_client_set_timeout (client, 2);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_no_error (error);
  pigeon_test_client_assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
}

static void
test_connection_refused (void)
{
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  client = pigeon_smtp_client_new ("127.0.0.1", pigeon_fake_server_closed_port (),
                                   PIGEON_SMTP_SECURITY_NONE);
  pigeon_smtp_client_set_timeout (client, 2);
  pigeon_test_client_send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_UNAVAILABLE);
}

int
main (int argc, char **argv)
{
  pigeon_test_client_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (stage_faults); i++)
    {
      g_autofree char *path = g_strconcat ("/smtp/faults/stage/", stage_faults[i].path, NULL);
      g_test_add_data_func (path, &stage_faults[i], test_stage_fault);
    }
  g_test_add_func ("/smtp/faults/auth/enhanced-code", test_auth_enhanced_code);
  g_test_add_func ("/smtp/faults/rcpt/some-rejected", test_rcpt_some_rejected);
  g_test_add_func ("/smtp/faults/rcpt/some-rejected-pipelined", test_rcpt_some_rejected_pipelined);
  g_test_add_data_func ("/smtp/faults/data/close-small", GSIZE_TO_POINTER (100),
                        test_close_mid_data);
  g_test_add_data_func ("/smtp/faults/data/close-large", GSIZE_TO_POINTER (4 << 20),
                        test_close_mid_data);
  g_test_add_func ("/smtp/faults/reply/garbage", test_garbage_reply);
  g_test_add_data_func ("/smtp/faults/reply/huge-line", GSIZE_TO_POINTER (1 << 20), test_huge_line);
  g_test_add_data_func ("/smtp/faults/reply/huge-line-memory", GSIZE_TO_POINTER (128 << 20),
                        test_huge_line);
  g_test_add_func ("/smtp/faults/reply/endless", test_endless_reply);
  g_test_add_func ("/smtp/faults/timeout/silence", test_silence);
  g_test_add_func ("/smtp/faults/timeout/drip", test_drip);
  g_test_add_func ("/smtp/faults/cancel/while-waiting", test_cancel_while_waiting);
  g_test_add_func ("/smtp/faults/connect/host-not-found", test_host_not_found);
  g_test_add_func ("/smtp/faults/connect/resolved-name", test_resolved_name);
  g_test_add_func ("/smtp/faults/connect/refused", test_connection_refused);

  return g_test_run ();
}
