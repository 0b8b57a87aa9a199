/* test-smtp-faults.c: PigeonSmtpClient against a scripted server that misbehaves
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>
#include <sys/resource.h>

#include "pigeon-fake-server.h"
#include "pigeon-smtp-client.h"

#define USER     "alice@example.org"
#define PASSWORD "s3cret-Pa55word"
#define SIMPLE_TEXT \
  "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nHello.\r\n"
#define WAIT_MS       5000
#define FAKE_HOSTNAME "mail.fake.test"

/* A resolver that knows one name and fails all others, so no test ever asks DNS. */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static int n_lookups_failed; /* atomic */

static GList *
test_resolve (const char *hostname, GError **error)
{
  if (g_ascii_strcasecmp (hostname, FAKE_HOSTNAME) == 0 ||
      g_ascii_strcasecmp (hostname, "localhost") == 0)
    return g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  g_atomic_int_inc (&n_lookups_failed);
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "%s is not a name the test resolver knows", hostname);
  return NULL;
}

static GList *
test_resolver_lookup_by_name (GResolver *resolver,
                              const char *hostname,
                              GCancellable *cancellable,
                              GError **error)
{
  return test_resolve (hostname, error);
}

static GList *
test_resolver_lookup_by_name_with_flags (GResolver *resolver,
                                         const char *hostname,
                                         GResolverNameLookupFlags flags,
                                         GCancellable *cancellable,
                                         GError **error)
{
  return test_resolve (hostname, error);
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver *resolver,
                                               const char *hostname,
                                               GResolverNameLookupFlags flags,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  GList *addresses = test_resolve (hostname, &error);

  if (addresses != NULL)
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
test_resolver_lookup_by_name_async (GResolver *resolver,
                                    const char *hostname,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  test_resolver_lookup_by_name_with_flags_async (resolver, hostname, 0, cancellable, callback,
                                                 user_data);
}

static GList *
test_resolver_lookup_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_finish;
  resolver_class->lookup_by_name_with_flags = test_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

/* Helpers */

static gboolean
write_text_cb (GOutputStream *stream, gpointer user_data, GCancellable *cancellable, GError **error)
{
  return g_output_stream_write_all (stream, user_data, strlen (user_data), NULL, cancellable,
                                    error);
}

/* A message of @text, its size declared unless @size_known is FALSE. */
static PigeonSmtpMessage *
message_new (const char *text, gboolean size_known)
{
  PigeonSmtpMessage *message = pigeon_smtp_message_new (write_text_cb, g_strdup (text), g_free);

  if (size_known)
    pigeon_smtp_message_set_size (message, strlen (text));
  return message;
}

static PigeonSmtpEnvelope *
envelope_new (const char *first_recipient, ...)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_smtp_envelope_new ();
  g_autoptr (GError) error = NULL;
  va_list args;

  pigeon_smtp_envelope_set_sender (envelope, "alice@example.org", &error);
  g_assert_no_error (error);
  va_start (args, first_recipient);
  for (const char *r = first_recipient; r != NULL; r = va_arg (args, const char *))
    {
      pigeon_smtp_envelope_add_recipient (envelope, r, &error);
      g_assert_no_error (error);
    }
  va_end (args);
  return g_steal_pointer (&envelope);
}

/* Shown with --verbose (or in the test log), for whoever debugs a failure. */
static void
log_transcript_cb (PigeonSmtpTranscriptKind kind, const char *line, gpointer user_data)
{
  g_test_message ("%c: %s", "CS*"[kind], line);
}

static PigeonSmtpClient *
client_new (PigeonFakeServer *server, PigeonSmtpSecurity security, guint timeout)
{
  g_autofree char *ca = g_test_build_filename (G_TEST_BUILT, "ca.pem", NULL);
  g_autoptr (GError) error = NULL;
  PigeonSmtpClient *client;

  client = pigeon_smtp_client_new ("127.0.0.1", pigeon_fake_server_get_port (server), security);
  pigeon_smtp_client_set_ca_file (client, ca, &error);
  g_assert_no_error (error);
  pigeon_smtp_client_set_timeout (client, timeout);
  pigeon_smtp_client_set_helo_name (client, "client.test");
  pigeon_smtp_client_set_transcript_func (client, log_transcript_cb, NULL);
  return client;
}

/* Sends @text to bob@example.org; returns the seconds it took. */
static double
send_text (PigeonSmtpClient *client, const char *text, GError **error)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = message_new (text, TRUE);
  gint64 start = g_get_monotonic_time ();

  pigeon_smtp_client_send_sync (client, envelope, message, NULL, error);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* The client must hang up when it is done, whatever happened. */
static void
assert_hung_up (PigeonFakeServer *server)
{
  g_assert_true (pigeon_fake_server_wait_done (server, WAIT_MS));
}

static void
assert_no_script_failure (PigeonFakeServer *server)
{
  g_autofree char *failure = pigeon_fake_server_get_failure (server);

  g_assert_null (failure);
}

static void
assert_message_contains (const GError *error, const char *text)
{
  if (strstr (error->message, text) == NULL)
    g_error ("error message \"%s\" does not contain \"%s\"", error->message, text);
}

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
  client = client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  send_text (client, SIMPLE_TEXT, &error);
  assert_hung_up (server);
  if (fault->code < 0)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
      return;
    }
  g_assert_error (error, PIGEON_SMTP_ERROR, fault->code);
  memcpy (code, fault->greeting ? fault->greeting : fault->reply, 3);
  assert_message_contains (error, code);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, "not the password");
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_AUTH_FAILED);
  assert_message_contains (error, "5.7.8");
  assert_hung_up (server);
  g_assert_cmpint (pigeon_fake_server_find (server, "MAIL *"), ==, -1);
}

/* Recipients */

static void
send_to_three (PigeonFakeServer *server, GError **error)
{
  g_autoptr (PigeonSmtpClient) client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  g_autoptr (PigeonSmtpEnvelope) envelope =
    envelope_new ("bob@example.org", "nobody@example.org", "ghost@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = message_new (SIMPLE_TEXT, TRUE);

  pigeon_smtp_client_send_sync (client, envelope, message, NULL, error);
  assert_hung_up (server);
}

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
  send_to_three (server, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_RECIPIENT_REJECTED);
  assert_message_contains (error, "nobody@example.org");
  assert_message_contains (error, "ghost@example.org");
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
  send_to_three (server, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_RECIPIENT_REJECTED);
  assert_message_contains (error, "nobody@example.org");
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  send_text (client, text->str, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  assert_hung_up (server);
  assert_no_script_failure (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  assert_hung_up (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 10);
  seconds = send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  g_assert_cmpfloat (seconds, <, 2.0);
  g_assert_cmpint (max_rss_kib () - rss_before, <, 16 * 1024);
  assert_hung_up (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 10);
  seconds = send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  g_assert_cmpfloat (seconds, <, 2.0);
  assert_hung_up (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 1);
  seconds = send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_TIMED_OUT);
  g_assert_cmpfloat (seconds, >=, 0.9);
  g_assert_cmpfloat (seconds, <, 1.9);
  assert_hung_up (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  seconds = send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_TIMED_OUT);
  g_assert_cmpfloat (seconds, >=, 1.9);
  g_assert_cmpfloat (seconds, <, 3.5);
  assert_hung_up (server);
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
  g_autoptr (PigeonSmtpEnvelope) envelope = envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = message_new (SIMPLE_TEXT, TRUE);

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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 10);
  job.client = client;
  thread = g_thread_new ("send", send_thread, &job);
  g_assert_true (pigeon_fake_server_wait_lines (server, 1, WAIT_MS));
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  g_assert_error (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&job.error);
  assert_hung_up (server);
}

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
  client = client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  assert_hung_up (server);
  lines = pigeon_fake_server_get_lines (server);
  g_assert_cmpuint (g_strv_length (lines), ==, 2); /* EHLO, STARTTLS: then nothing at all */
  assert_no_script_failure (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_SECURITY);
  assert_hung_up (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_smtp_client_set_allow_insecure_auth (client, allow);
  send_text (client, SIMPLE_TEXT, &error);
  assert_hung_up (server);
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
  client = client_new (bad_server, bad->security, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_CERTIFICATE);
  g_assert_nonnull (pigeon_smtp_client_get_peer_certificate (client));
  g_assert_true (pigeon_smtp_client_get_peer_certificate_errors (client) & bad->flag);
  assert_hung_up (bad_server);
  g_assert_cmpuint (pigeon_fake_server_count (bad_server, "AUTH *"), ==, 0);
  g_assert_cmpuint (pigeon_fake_server_count (bad_server, "MAIL *"), ==, 0);
}

/* "AB:CD:…", the way a person would copy it from a certificate viewer. */
static char *
fingerprint_of (const char *cert_name)
{
  g_autofree char *name = g_strconcat (cert_name, ".pem", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, &error);
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GString) pretty = g_string_new (NULL);
  const char *hex;

  g_assert_no_error (error);
  g_object_get (certificate, "certificate", &der, NULL);
  g_checksum_update (checksum, der->data, der->len);
  hex = g_checksum_get_string (checksum);
  for (guint i = 0; hex[i] != '\0'; i += 2)
    g_string_append_printf (pretty, "%s%c%c", i ? ":" : "", g_ascii_toupper (hex[i]),
                            g_ascii_toupper (hex[i + 1]));
  return g_string_free (g_steal_pointer (&pretty), FALSE);
}

static void
test_pinned_fingerprint (gconstpointer data)
{
  const char *pinned_cert = data;
  gboolean should_work = g_str_equal (pinned_cert, "untrusted");
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new ("untrusted");
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *fingerprint = fingerprint_of (pinned_cert);

  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  script_for (server, PIGEON_SMTP_SECURITY_STARTTLS);
  client = client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_smtp_client_set_pinned_fingerprint (client, fingerprint);
  send_text (client, SIMPLE_TEXT, &error);
  assert_hung_up (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_no_error (error);
  assert_hung_up (server);
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
  send_to_three (server, &error);
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
test_size_too_large (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strnfill (5000, 'a');

  pigeon_fake_server_set_capabilities (server, "PIPELINING\nSIZE 1000", "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  send_text (client, text, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE);
  assert_hung_up (server);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_send_sync (client, envelope, message, NULL, &error);
  g_assert_no_error (error);
  assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
  mail = pigeon_fake_server_find (server, "MAIL FROM:*");
  g_assert_cmpint (mail, >=, 0);
  lines = pigeon_fake_server_get_lines (server);
  return g_strdup (lines[mail]);
}

static void
test_size_parameter (void)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = message_new (SIMPLE_TEXT, TRUE);
  g_autofree char *expected = g_strdup_printf (" SIZE=%zu", strlen (SIMPLE_TEXT));
  g_autofree char *mail = mail_from_for ("SIZE 100000", envelope, message);

  g_assert_nonnull (strstr (mail, expected));
}

static void
test_8bitmime (void)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message =
    message_new ("Subject: caf\xc3\xa9\r\n\r\n\xc3\xa9\r\n", TRUE);
  g_autofree char *mail = NULL;

  pigeon_smtp_message_set_8bit (message, TRUE);
  mail = mail_from_for ("8BITMIME\nSIZE 100000", envelope, message);
  g_assert_nonnull (strstr (mail, " BODY=8BITMIME"));
}

static void
test_smtputf8 (gconstpointer data)
{
  gboolean offered = GPOINTER_TO_INT (data);
  g_autoptr (PigeonSmtpEnvelope) envelope = envelope_new ("j\xc3\xb6rg@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = message_new (SIMPLE_TEXT, TRUE);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_send_sync (client, envelope, message, NULL, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);
  assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL *"), ==, 0);
}

/* LF line ends, lines starting with dots, no final line break; size unknown. */
static void
test_dot_stuffing (void)
{
  static const char text[] = "Subject: dots\n\n.leading dot\n..two\n.\nlast line";
  static const char wire[] =
    "Subject: dots\r\n\r\n..leading dot\r\n...two\r\n..\r\nlast line\r\n.\r\n";
  g_autoptr (PigeonSmtpEnvelope) envelope = envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = message_new (text, FALSE);
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) data = NULL;

  pigeon_fake_server_set_capabilities (server, "PIPELINING\nSIZE 100000", "");
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  client = client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  pigeon_smtp_client_send_sync (client, envelope, message, NULL, &error);
  g_assert_no_error (error);
  assert_hung_up (server);
  data = pigeon_fake_server_get_data (server);
  g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), wire, strlen (wire));
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL FROM:* SIZE=*"), ==, 0);
}

/* The transcript */

static void
transcript_cb (PigeonSmtpTranscriptKind kind, const char *line, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%c: %s", "CS*"[kind], line));
  log_transcript_cb (kind, line, NULL);
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
  client = client_new (server, PIGEON_SMTP_SECURITY_STARTTLS, 2);
  pigeon_smtp_client_set_credentials (client, USER, PASSWORD);
  pigeon_smtp_client_set_transcript_func (client, transcript_cb, transcript);
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_no_error (error);
  assert_hung_up (server);
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

/* Connecting */

static void
test_host_not_found (void)
{
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;
  int lookups_before = g_atomic_int_get (&n_lookups_failed);

  client = pigeon_smtp_client_new ("nowhere.fake.test", 2525, PIGEON_SMTP_SECURITY_NONE);
  pigeon_smtp_client_set_timeout (client, 2);
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_HOST_NOT_FOUND);
  assert_message_contains (error, "nowhere.fake.test");
  g_assert_cmpint (g_atomic_int_get (&n_lookups_failed), >, lookups_before);
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
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_no_error (error);
  assert_hung_up (server);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
}

static guint16
closed_port (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket =
    g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_connection_refused (void)
{
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (GError) error = NULL;

  client = pigeon_smtp_client_new ("127.0.0.1", closed_port (), PIGEON_SMTP_SECURITY_NONE);
  pigeon_smtp_client_set_timeout (client, 2);
  send_text (client, SIMPLE_TEXT, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_UNAVAILABLE);
}

int
main (int argc, char **argv)
{
  g_autoptr (GResolver) resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);

  /* No proxy look-ups either: nothing in these tests may leave the machine. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_resolver_set_default (resolver);

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
  g_test_add_data_func ("/smtp/faults/pipelining/on", GINT_TO_POINTER (TRUE), test_pipelining);
  g_test_add_data_func ("/smtp/faults/pipelining/off", GINT_TO_POINTER (FALSE), test_pipelining);
  g_test_add_func ("/smtp/faults/size/too-large", test_size_too_large);
  g_test_add_func ("/smtp/faults/size/parameter", test_size_parameter);
  g_test_add_func ("/smtp/faults/8bitmime/body", test_8bitmime);
  g_test_add_data_func ("/smtp/faults/smtputf8/offered", GINT_TO_POINTER (TRUE), test_smtputf8);
  g_test_add_data_func ("/smtp/faults/smtputf8/missing", GINT_TO_POINTER (FALSE), test_smtputf8);
  g_test_add_func ("/smtp/faults/data/dot-stuffing", test_dot_stuffing);
  g_test_add_data_func ("/smtp/faults/transcript/plain", "PLAIN", test_transcript_hides_secrets);
  g_test_add_data_func ("/smtp/faults/transcript/login", "LOGIN", test_transcript_hides_secrets);
  g_test_add_func ("/smtp/faults/connect/host-not-found", test_host_not_found);
  g_test_add_func ("/smtp/faults/connect/resolved-name", test_resolved_name);
  g_test_add_func ("/smtp/faults/connect/refused", test_connection_refused);

  return g_test_run ();
}
