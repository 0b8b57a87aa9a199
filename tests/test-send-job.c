/* test-send-job.c: PigeonSendJob against the scripted server: a composed message arrives as
 * written, the signals reach the caller's thread in order, the caller's main loop keeps
 * running, cancelling stops the send at once, errors come back as they were
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <string.h>

#include "pigeon-composer.h"
#include "pigeon-fake-server.h"
#include "pigeon-send-job.h"

#define USER      "alice@example.org"
#define PASSWORD  "s3cret-Pa55word"
#define WAIT_MS   5000
#define PROMPT_US (G_USEC_PER_SEC / 2) /* how soon a cancelled job must have stopped */

/* Lines starting with dots, and one that is only a dot, which would end the DATA if it were
 * not dot-stuffed on the way. */
#define BODY \
  "Hello Bob,\n\n.leading dot\n..two dots\n.\nthe line above was a lone dot.\n\n-- \nAlice\n"

typedef struct
{
  int stage;
  guint64 bytes_sent;
  gint64 bytes_total;
} ProgressEvent;

typedef struct
{
  char *dir; /* attachments */
  PigeonFakeServer *server;
  PigeonComposedMessage *message;
  PigeonSmtpClient *client;
  PigeonSendJob *job;
  GCancellable *cancellable;

  GArray *progress; /* of ProgressEvent */
  GPtrArray *log;   /* "P <stage>", "C: line", "S: line", "I: line", in the order received */
  int cancel_at_stage;
  gint64 cancel_us;

  GAsyncResult *result;
  gint64 start_us, result_us;
  guint ticks;
  gboolean finished_before_cancel;
} Fixture;

/* Helpers ------------------------------------------------------------------------------------ */

/* A server without TLS or AUTH, for the tests where those do not matter. */
static void
plain_server_start (Fixture *f)
{
  f->server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_set_capabilities (f->server, "8BITMIME\nPIPELINING", "");
  pigeon_fake_server_greet_and_serve (f->server);
  pigeon_fake_server_start (f->server);
}

/* A TLS server that wants STARTTLS, then AUTH. */
static void
submission_server_start (Fixture *f)
{
  f->server = pigeon_fake_server_new ("server");
  pigeon_fake_server_set_capabilities (f->server, "STARTTLS\nENHANCEDSTATUSCODES",
                                       "AUTH PLAIN LOGIN\nENHANCEDSTATUSCODES\n8BITMIME");
  pigeon_fake_server_set_credentials (f->server, USER, PASSWORD);
  pigeon_fake_server_greet_and_serve (f->server);
  pigeon_fake_server_start (f->server);
}

static GFile *
random_file_new (Fixture *f, gsize size)
{
  g_autofree char *path = g_build_filename (f->dir, "data.bin", NULL);
  g_autofree guint32 *bytes = g_new (guint32, size / 4 + 1);
  g_autoptr (GError) error = NULL;

  for (gsize i = 0; i < size / 4 + 1; i++)
    bytes[i] = g_random_int ();
  g_file_set_contents (path, (const char *) bytes, size, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* From Alice to Bob, with a Bcc to Carol when @bcc, and a file of @attachment_size random
 * bytes unless it is 0. */
static PigeonComposedMessage *
build_message (Fixture *f, gboolean bcc, gsize attachment_size)
{
  g_autoptr (PigeonComposer) composer = pigeon_composer_new ();
  g_autoptr (GDateTime) date = g_date_time_new_utc (2026, 3, 4, 5, 6, 7);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = attachment_size > 0 ? random_file_new (f, attachment_size) : NULL;
  PigeonComposedMessage *message = NULL;

  pigeon_composer_set_date (composer, date);
  if (pigeon_composer_set_from (composer, "Alice Example <alice@example.org>", &error) &&
      pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_TO, "Bob <bob@example.org>",
                                      &error) &&
      (!bcc || pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_BCC, "carol@example.org",
                                               &error)) &&
      pigeon_composer_set_subject (composer, "Send job test: Grüße", &error) &&
      pigeon_composer_set_body (composer, BODY, &error) &&
      (file == NULL ||
       pigeon_composer_add_file (composer, file, NULL, PIGEON_ATTACHMENT_ATTACHED, NULL, &error)))
    message = pigeon_composer_build (composer, &error);
  g_assert_no_error (error);
  return message;
}

/* What the composer writes, the reference for what must arrive. */
static GBytes *
written_bytes (PigeonComposedMessage *message)
{
  g_autoptr (GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  pigeon_composed_message_write (message, memory, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (memory, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* The DATA as it came on the wire, without the final "." line and with the dot-stuffing
 * (RFC 5321 §4.5.2) undone. */
static GBytes *
unstuff (GBytes *wire)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (wire, &length);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gboolean line_start = TRUE;

  g_assert_cmpuint (length, >=, 3);
  g_assert_true (memcmp (data + length - 3, ".\r\n", 3) == 0);
  g_assert_true (length == 3 || memcmp (data + length - 5, "\r\n", 2) == 0);
  length -= 3;
  for (gsize i = 0; i < length; i++)
    {
      if (!(line_start && data[i] == '.'))
        g_byte_array_append (out, (const guint8 *) data + i, 1);
      line_start = data[i] == '\n' && i > 0 && data[i - 1] == '\r';
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static int
log_find (Fixture *f, const char *entry)
{
  for (guint i = 0; i < f->log->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (f->log, i), entry))
        return (int) i;
    }
  return -1;
}

/* Signal handlers: they must run on the test's thread, in its context's dispatch. ----------- */

static GThread *main_thread;

static void
assert_on_main_thread (void)
{
  g_assert_true (g_thread_self () == main_thread);
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
}

static void
job_progress_cb (
  PigeonSendJob *job, int stage, guint64 bytes_sent, gint64 bytes_total, gpointer user_data)
{
  Fixture *f = user_data;
  ProgressEvent event = { stage, bytes_sent, bytes_total };

  assert_on_main_thread ();
  g_array_append_val (f->progress, event);
  g_ptr_array_add (f->log, g_strdup_printf ("P %d", stage));
  if (stage == f->cancel_at_stage && f->cancel_us == 0)
    {
      f->cancel_us = g_get_monotonic_time ();
      g_cancellable_cancel (f->cancellable);
    }
}

static void
job_transcript_cb (PigeonSendJob *job, int kind, const char *line, gpointer user_data)
{
  Fixture *f = user_data;

  assert_on_main_thread ();
  g_ptr_array_add (f->log, g_strdup_printf ("%c: %s", "CSI"[kind], line));
  g_test_message ("%c: %s", "CSI"[kind], line);
}

static void
job_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  assert_on_main_thread ();
  f->result = g_object_ref (result);
  f->result_us = g_get_monotonic_time ();
}

static void
store_result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **result_out = user_data;

  *result_out = g_object_ref (result);
}

/* The main loop at work while the job is running: it ticks, and cancels after ten ticks. */
static gboolean
tick_cb (gpointer user_data)
{
  Fixture *f = user_data;
  gint64 now = g_get_monotonic_time ();

  if (++f->ticks == 10)
    {
      f->finished_before_cancel = f->result != NULL;
      f->cancel_us = now;
      g_cancellable_cancel (f->cancellable);
    }
  return G_SOURCE_CONTINUE;
}

/* Fixture ------------------------------------------------------------------------------------ */

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("pigeon-send-job-XXXXXX", &error);
  g_assert_no_error (error);
  f->cancellable = g_cancellable_new ();
  f->progress = g_array_new (FALSE, TRUE, sizeof (ProgressEvent));
  f->log = g_ptr_array_new_with_free_func (g_free);
  f->cancel_at_stage = -1;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->dir, "data.bin", NULL);

  g_clear_object (&f->job);
  g_clear_object (&f->client);
  g_clear_object (&f->message);
  g_clear_object (&f->server);
  g_clear_object (&f->cancellable);
  g_clear_object (&f->result);
  g_array_unref (f->progress);
  g_ptr_array_unref (f->log);
  g_remove (file);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* A job sending f->message to f->server, not started yet. */
static void
fixture_make_job (Fixture *f, PigeonSmtpSecurity security, const char *password)
{
  g_autofree char *ca = g_test_build_filename (G_TEST_BUILT, "ca.pem", NULL);
  g_autoptr (GError) error = NULL;

  f->client =
    pigeon_smtp_client_new ("127.0.0.1", pigeon_fake_server_get_port (f->server), security);
  pigeon_smtp_client_set_ca_file (f->client, ca, &error);
  g_assert_no_error (error);
  pigeon_smtp_client_set_timeout (f->client, 10);
  pigeon_smtp_client_set_helo_name (f->client, "client.test");
  if (password != NULL)
    pigeon_smtp_client_set_credentials (f->client, USER, password);
  f->job = pigeon_send_job_new (f->client, f->message);
  g_assert_true (pigeon_send_job_get_client (f->job) == f->client);
  g_signal_connect (f->job, "progress", G_CALLBACK (job_progress_cb), f);
  g_signal_connect (f->job, "transcript", G_CALLBACK (job_transcript_cb), f);
}

static void
fixture_run (Fixture *f, PigeonSmtpSecurity security, const char *password)
{
  fixture_make_job (f, security, password);
  f->start_us = g_get_monotonic_time ();
  pigeon_send_job_run_async (f->job, f->cancellable, job_done_cb, f);
}

/* Runs the test's main context until the job has finished (bounded: the client gives up
 * after 10 s of silence); returns its result. */
static gboolean
fixture_finish (Fixture *f, GError **error)
{
  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return pigeon_send_job_run_finish (f->job, f->result, error);
}

static void
fixture_finish_ok (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = fixture_finish (f, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

/* @connected: the client had connected when it was cancelled, and must have hung up. */
static void
assert_cancelled_promptly (Fixture *f, const GError *error, gboolean connected)
{
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (f->cancel_us, >, 0);
  g_assert_cmpint (f->result_us - f->cancel_us, <, PROMPT_US);
  if (connected)
    g_assert_true (pigeon_fake_server_wait_done (f->server, WAIT_MS));
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 0);
}

/* The progress a user sees: stages only move forward, the byte count never goes back, and it
 * ends at the message's size. */
static void
assert_progress_complete (Fixture *f, gint64 size)
{
  const ProgressEvent *events = (const ProgressEvent *) f->progress->data;
  const ProgressEvent *last = NULL;
  gboolean saw_all_bytes = FALSE;

  g_assert_cmpuint (f->progress->len, >=, 4);
  g_assert_cmpint (events[0].stage, <=, PIGEON_SMTP_STAGE_CONNECTING);
  for (guint i = 0; i < f->progress->len; i++)
    {
      g_assert_cmpint (events[i].bytes_total, ==, size);
      if (events[i].stage == PIGEON_SMTP_STAGE_SENDING && events[i].bytes_sent == (guint64) size)
        saw_all_bytes = TRUE;
      if (i == 0)
        continue;
      g_assert_cmpint (events[i].stage, >=, events[i - 1].stage);
      g_assert_cmpuint (events[i].bytes_sent, >=, events[i - 1].bytes_sent);
    }
  g_assert_true (saw_all_bytes);
  last = &events[f->progress->len - 1];
  g_assert_cmpint (last->stage, ==, PIGEON_SMTP_STAGE_DONE);
  g_assert_cmpuint (last->bytes_sent, ==, size);
}

/* The client's transcript lines are the lines the server received, in the same order, with
 * the AUTH payloads hidden; and the progress is interleaved with them as it happened. */
static void
assert_transcript_matches_server (Fixture *f)
{
  g_auto (GStrv) received = pigeon_fake_server_get_lines (f->server);
  g_autofree char *auth = g_strdup_printf ("P %d", PIGEON_SMTP_STAGE_AUTHENTICATING);
  g_autofree char *finishing = g_strdup_printf ("P %d", PIGEON_SMTP_STAGE_FINISHING);
  g_autofree char *done = g_strdup_printf ("P %d", PIGEON_SMTP_STAGE_DONE);
  guint n = 0;

  for (guint i = 0; i < f->log->len; i++)
    {
      const char *entry = g_ptr_array_index (f->log, i);
      const char *hidden = strstr (entry, "********");

      g_assert_null (strstr (entry, PASSWORD));
      if (!g_str_has_prefix (entry, "C: ") || g_str_equal (entry, "C: ."))
        continue;
      g_assert_nonnull (received[n]);
      /* Up to the hidden part, if any. */
      g_assert_cmpint (strncmp (received[n], entry + 3, hidden ? hidden - entry - 3 : G_MAXINT), ==,
                       0);
      n++;
    }
  g_assert_null (received[n]);
  g_assert_cmpint (log_find (f, auth), <, log_find (f, "C: AUTH PLAIN ********"));
  g_assert_cmpint (log_find (f, "C: ."), <, log_find (f, finishing));
  g_assert_cmpint (log_find (f, done), ==, (int) f->log->len - 1);
}

/* Tests -------------------------------------------------------------------------------------- */

static void
test_delivered (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) expected = NULL;
  g_autoptr (GBytes) wire = NULL;
  g_autoptr (GBytes) received = NULL;

  submission_server_start (f);
  f->message = build_message (f, TRUE, 100 * 1024);
  fixture_run (f, PIGEON_SMTP_SECURITY_STARTTLS, PASSWORD);
  fixture_finish_ok (f);

  g_assert_true (pigeon_fake_server_wait_done (f->server, WAIT_MS));
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "RCPT TO:<bob@example.org>*"), >=, 0);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "RCPT TO:<carol@example.org>*"), >=, 0);
  g_assert_true (pigeon_fake_server_get_line_tls (
    f->server, pigeon_fake_server_find (f->server, "MAIL FROM:<alice@example.org>*")));
  expected = written_bytes (f->message);
  g_assert_cmpint (g_bytes_get_size (expected), ==, pigeon_composed_message_get_size (f->message));
  wire = pigeon_fake_server_get_data (f->server);
  received = unstuff (wire);
  g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_null (g_strstr_len (g_bytes_get_data (wire, NULL), g_bytes_get_size (wire), "carol"));
  assert_progress_complete (f, pigeon_composed_message_get_size (f->message));
  assert_transcript_matches_server (f);
}

/* While the server says nothing, the caller's main loop goes on (the window stays alive). */
static void
test_responsive_then_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) second_error = NULL;
  g_autoptr (GAsyncResult) second = NULL;
  guint tick = 0;

  f->server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_silence (f->server, 20000);
  pigeon_fake_server_start (f->server);
  f->message = build_message (f, FALSE, 0);
  fixture_run (f, PIGEON_SMTP_SECURITY_NONE, NULL);
  /* A job runs once: a second run while the first is going is refused and disturbs nothing. */
  pigeon_send_job_run_async (f->job, NULL, store_result_cb, &second);
  tick = g_timeout_add (20, tick_cb, f);
  g_assert_false (fixture_finish (f, &error));
  g_source_remove (tick);
  g_assert_false (pigeon_send_job_run_finish (f->job, second, &second_error));
  g_assert_error (second_error, G_IO_ERROR, G_IO_ERROR_PENDING);

  g_assert_cmpuint (f->ticks, >=, 10);
  g_assert_false (f->finished_before_cancel);
  assert_cancelled_promptly (f, error, TRUE);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "EHLO *"), ==, -1);
}

/* The server accepts the DATA, then never answers: cancelling at @data's stage (while the
 * message is being written, or while waiting for the reply to the final ".") ends the job at
 * once, and nothing was accepted. */
static void
test_cancel_after_354 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  int data_line = -1;

  f->server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_send (f->server, "220 fake.test ESMTP");
  pigeon_fake_server_expect (f->server, "EHLO *", "250-fake.test\n250 8BITMIME");
  pigeon_fake_server_expect (f->server, "MAIL FROM:<alice@example.org>*", "250 2.1.0 Ok");
  pigeon_fake_server_expect (f->server, "RCPT TO:<bob@example.org>*", "250 2.1.5 Ok");
  pigeon_fake_server_expect (f->server, "DATA", "354 Go ahead");
  pigeon_fake_server_silence (f->server, 20000);
  pigeon_fake_server_start (f->server);
  f->message = build_message (f, FALSE, 4 << 20);
  f->cancel_at_stage = GPOINTER_TO_INT (data);
  fixture_run (f, PIGEON_SMTP_SECURITY_NONE, NULL);
  g_assert_false (fixture_finish (f, &error));

  assert_cancelled_promptly (f, error, TRUE);
  data_line = log_find (f, "C: DATA");
  g_assert_cmpint (data_line, >=, 0);
  for (guint i = data_line; i < f->log->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (f->log, i), "S: 250"));
  g_assert_cmpint (log_find (f, "S: 354 Go ahead"), >, data_line);
}

static void
test_cancel_before_start (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  plain_server_start (f);
  f->message = build_message (f, FALSE, 0);
  f->cancel_us = g_get_monotonic_time ();
  g_cancellable_cancel (f->cancellable);
  fixture_run (f, PIGEON_SMTP_SECURITY_NONE, NULL);
  g_assert_false (fixture_finish (f, &error));

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (f->result_us - f->cancel_us, <, PROMPT_US);
  g_assert_cmpuint (f->progress->len, ==, 0);
  g_assert_cmpuint (f->log->len, ==, 0);
  g_assert_false (pigeon_fake_server_wait_lines (f->server, 1, 100));
}

static void
test_auth_failed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  submission_server_start (f);
  f->message = build_message (f, FALSE, 0);
  fixture_run (f, PIGEON_SMTP_SECURITY_STARTTLS, "not the password");
  g_assert_false (fixture_finish (f, &error));

  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "535"));
  g_assert_true (pigeon_fake_server_wait_done (f->server, WAIT_MS));
  g_assert_cmpint (pigeon_fake_server_find (f->server, "MAIL *"), ==, -1);
  for (guint i = 0; i < f->progress->len; i++)
    g_assert_cmpint (g_array_index (f->progress, ProgressEvent, i).stage, <,
                     PIGEON_SMTP_STAGE_SENDING);
}

/* A big message is reported in a few updates, not one per chunk written; the first and the
 * last byte counts are always among them. */
static void
test_progress_throttled (Fixture *f, gconstpointer data)
{
  guint n_sending = 0;
  guint64 last_bytes = 0;
  gint64 size;

  plain_server_start (f);
  f->message = build_message (f, FALSE, 8 << 20);
  size = pigeon_composed_message_get_size (f->message);
  fixture_run (f, PIGEON_SMTP_SECURITY_NONE, NULL);
  fixture_finish_ok (f);

  for (guint i = 0; i < f->progress->len; i++)
    {
      const ProgressEvent *event = &g_array_index (f->progress, ProgressEvent, i);

      if (event->stage != PIGEON_SMTP_STAGE_SENDING)
        continue;
      if (n_sending++ == 0)
        g_assert_cmpuint (event->bytes_sent, ==, 0);
      else
        g_assert_cmpuint (event->bytes_sent, >, last_bytes);
      last_bytes = event->bytes_sent;
    }
  g_assert_cmpuint (last_bytes, ==, size);
  /* The first, the last, and at most one per 200 ms of the whole job in between. */
  g_assert_cmpuint (n_sending, <=, 3 + (f->result_us - f->start_us) / 200000);
  assert_progress_complete (f, size);
}

/* For the command line: no main loop runs, and the signals still arrive, before run()
 * returns, on the calling thread. A message the server accepted is reported as sent even if
 * the user cancels a moment later: reported as cancelled, it would be sent again. */
static void
test_run_blocking (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;

  plain_server_start (f);
  f->message = build_message (f, FALSE, 0);
  fixture_make_job (f, PIGEON_SMTP_SECURITY_NONE, NULL);
  /* Cancelled once the server has accepted the message: too late, and it was sent. */
  f->cancel_at_stage = PIGEON_SMTP_STAGE_DONE;
  ok = pigeon_send_job_run (f->job, f->cancellable, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
  assert_progress_complete (f, pigeon_composed_message_get_size (f->message));
  g_assert_cmpint (log_find (f, "C: QUIT"), >=, 0);

  /* A job runs once. */
  g_assert_false (pigeon_send_job_run (f->job, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
}

int
main (int argc, char **argv)
{
  /* Nothing in these tests may leave the machine, not even a proxy look-up. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

#define ADD(path, func, data) \
  g_test_add ("/send-job/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("delivered", test_delivered, NULL);
  ADD ("responsive-then-cancel", test_responsive_then_cancel, NULL);
  ADD ("cancel/while-writing", test_cancel_after_354, GINT_TO_POINTER (PIGEON_SMTP_STAGE_SENDING));
  ADD ("cancel/waiting-for-end-of-data", test_cancel_after_354,
       GINT_TO_POINTER (PIGEON_SMTP_STAGE_FINISHING));
  ADD ("cancel/before-start", test_cancel_before_start, NULL);
  ADD ("error/auth-failed", test_auth_failed, NULL);
  ADD ("progress/throttled", test_progress_throttled, NULL);
  ADD ("run/blocking", test_run_blocking, NULL);
#undef ADD

  return g_test_run ();
}
