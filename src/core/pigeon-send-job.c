/* pigeon-send-job.c: sending one message on a worker thread, reporting to the caller's thread
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-core"

#include "pigeon-send-job.h"

#include <glib/gi18n.h>

/* Byte progress reaches the caller at most this often (plus the first and the last update):
 * a 100 MB attachment is written in thousands of chunks, and each count the window shows
 * relays it out and redraws it (about 15 ms of the main thread with 20 photos attached). Five
 * times a second still looks live. */
#define PROGRESS_INTERVAL_USEC (200 * 1000)

/* Reports use the GTask's own priority, so that every report posted by the worker is
 * dispatched before the task's completion, which is posted last. */
#define REPORT_PRIORITY G_PRIORITY_DEFAULT

typedef enum
{
  JOB_NEW,
  JOB_RUNNING,
  JOB_FINISHED,
} JobState;

/* What the worker remembers of byte progress, to decide what to forward. */
typedef struct
{
  gboolean forwarded_any; /* a SENDING update has been forwarded */
  gint64 forwarded_usec;  /* when the last one was */
  guint64 forwarded_bytes;
  gboolean held;      /* a newer update was held back … */
  guint64 held_bytes; /* … with these values */
  gint64 held_total;
} ProgressThrottle;

struct _PigeonSendJob
{
  GObject parent_instance;

  /* Set by pigeon_send_job_new() and never replaced. While the job runs, the objects belong to
   * the worker thread: the caller has promised not to touch them. */
  PigeonSmtpClient *client;
  PigeonComposedMessage *message; /* NULL when made with _new_full() */
  PigeonSmtpEnvelope *envelope;   /* NULL when made from a composed message */
  PigeonSmtpMessage *content;     /* idem */

  /* The caller's thread only (the one that called run_async; the task completes there). */
  JobState state;

  /* Written by run_async before the worker starts, then only read, by the worker, to post the
   * reports there. */
  GMainContext *context;

  /* The worker thread only. */
  ProgressThrottle throttle;
};

/* One progress update or transcript line on its way from the worker to the caller's context.
 * It holds its own reference to the job and its own copy of the line, because the worker
 * moves on (and the job may be released by everyone else) before it is delivered. */
typedef struct
{
  PigeonSendJob *job;
  gboolean is_transcript;
  PigeonSmtpStage stage;
  guint64 bytes_sent;
  gint64 bytes_total;
  PigeonSmtpTranscriptKind kind;
  char *line;
} Report;

G_DEFINE_FINAL_TYPE (PigeonSendJob, pigeon_send_job, G_TYPE_OBJECT)

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_TRANSCRIPT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Reports: posted by the worker, emitted on the caller's context ---------------------------- */

static void
report_free (gpointer data)
{
  Report *report = data;

  g_object_unref (report->job);
  g_free (report->line);
  g_free (report);
}

/* Runs on the caller's context. */
static gboolean
report_dispatch_cb (gpointer data)
{
  Report *report = data;

  if (report->is_transcript)
    g_signal_emit (report->job, signals[SIGNAL_TRANSCRIPT], 0, (int) report->kind, report->line);
  else
    g_signal_emit (report->job, signals[SIGNAL_PROGRESS], 0, (int) report->stage,
                   report->bytes_sent, report->bytes_total);
  return G_SOURCE_REMOVE;
}

/* Not g_main_context_invoke_full(): it calls the function at once when the target context is
 * the worker's thread-default one and nobody holds it at that instant, which is the case for
 * the global default context between two iterations of a caller that iterates by hand. A
 * source attached to the context is always dispatched by the thread that runs the context. */
static void
post_report (PigeonSendJob *self, Report *report)
{
  g_autoptr (GSource) source = g_idle_source_new ();

  report->job = g_object_ref (self);
  g_source_set_priority (source, REPORT_PRIORITY);
  g_source_set_static_name (source, "[pigeon] send job report");
  g_source_set_callback (source, report_dispatch_cb, report, report_free);
  g_source_attach (source, self->context);
}

static void
post_progress (PigeonSendJob *self, PigeonSmtpStage stage, guint64 bytes_sent, gint64 bytes_total)
{
  Report *report = g_new0 (Report, 1);

  report->stage = stage;
  report->bytes_sent = bytes_sent;
  report->bytes_total = bytes_total;
  post_report (self, report);
}

/* Worker: byte progress, throttled ----------------------------------------------------------- */

/* The last byte count the caller sees must be the last one there was. */
static void
flush_held_progress (PigeonSendJob *self)
{
  ProgressThrottle *throttle = &self->throttle;

  if (!throttle->held)
    return;
  throttle->held = FALSE;
  throttle->forwarded_bytes = throttle->held_bytes;
  throttle->forwarded_usec = g_get_monotonic_time ();
  post_progress (self, PIGEON_SMTP_STAGE_SENDING, throttle->held_bytes, throttle->held_total);
}

static void
forward_sending_progress (PigeonSendJob *self, guint64 bytes_sent, gint64 bytes_total)
{
  ProgressThrottle *throttle = &self->throttle;
  gint64 now = g_get_monotonic_time ();
  gboolean is_last = bytes_total >= 0 && bytes_sent >= (guint64) bytes_total;

  if (throttle->forwarded_any && bytes_sent == throttle->forwarded_bytes)
    return;
  if (throttle->forwarded_any && !is_last &&
      now - throttle->forwarded_usec < PROGRESS_INTERVAL_USEC)
    {
      throttle->held = TRUE;
      throttle->held_bytes = bytes_sent;
      throttle->held_total = bytes_total;
      return;
    }
  throttle->held = FALSE;
  throttle->forwarded_any = TRUE;
  throttle->forwarded_usec = now;
  throttle->forwarded_bytes = bytes_sent;
  post_progress (self, PIGEON_SMTP_STAGE_SENDING, bytes_sent, bytes_total);
}

/* Client callbacks: they run on the worker thread ------------------------------------------- */

static void
client_progress_cb (PigeonSmtpStage stage,
                    guint64 bytes_sent,
                    gint64 bytes_total,
                    gpointer user_data)
{
  PigeonSendJob *self = user_data;

  if (stage == PIGEON_SMTP_STAGE_SENDING)
    {
      forward_sending_progress (self, bytes_sent, bytes_total);
      return;
    }
  flush_held_progress (self);
  post_progress (self, stage, bytes_sent, bytes_total);
}

static void
client_transcript_cb (PigeonSmtpTranscriptKind kind, const char *line, gpointer user_data)
{
  PigeonSendJob *self = user_data;
  Report *report = g_new0 (Report, 1);

  /* Progress held back so far happened before this line. */
  flush_held_progress (self);
  report->is_transcript = TRUE;
  report->kind = kind;
  report->line = g_strdup (line);
  post_report (self, report);
}

static gboolean
write_message_cb (GOutputStream *stream,
                  gpointer user_data,
                  GCancellable *cancellable,
                  GError **error)
{
  return pigeon_composed_message_write (user_data, stream, cancellable, error);
}

/* Worker: the send --------------------------------------------------------------------------- */

static PigeonSmtpEnvelope *
envelope_new (PigeonComposedMessage *message, GError **error)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_smtp_envelope_new ();
  const char *sender = pigeon_composed_message_get_sender (message);
  const char *const *recipients = pigeon_composed_message_get_recipients (message);

  if (sender == NULL)
    {
      g_set_error_literal (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT,
                           _ ("The message has no sender address"));
      return NULL;
    }
  if (!pigeon_smtp_envelope_set_sender (envelope, sender, error))
    return NULL;
  for (gsize i = 0; recipients != NULL && recipients[i] != NULL; i++)
    {
      if (!pigeon_smtp_envelope_add_recipient (envelope, recipients[i], error))
        return NULL;
    }
  return g_steal_pointer (&envelope);
}

static PigeonSmtpMessage *
smtp_message_new (PigeonComposedMessage *message)
{
  PigeonSmtpMessage *content =
    pigeon_smtp_message_new (write_message_cb, g_object_ref (message), g_object_unref);

  pigeon_smtp_message_set_size (content, pigeon_composed_message_get_size (message));
  pigeon_smtp_message_set_8bit (content, pigeon_composed_message_is_8bit (message));
  return content;
}

static gboolean
send_message (PigeonSendJob *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (PigeonSmtpEnvelope) built_envelope = NULL;
  g_autoptr (PigeonSmtpMessage) built_content = NULL;

  /* Cancelled before the worker even started: no connection at all. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (self->envelope != NULL)
    return pigeon_smtp_client_send_sync (self->client, self->envelope, self->content, cancellable,
                                         error);

  built_envelope = envelope_new (self->message, error);
  if (built_envelope == NULL)
    return FALSE;
  built_content = smtp_message_new (self->message);
  return pigeon_smtp_client_send_sync (self->client, built_envelope, built_content, cancellable,
                                       error);
}

static void
send_thread_cb (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  PigeonSendJob *self = source_object;
  g_autoptr (GError) error = NULL;
  gboolean sent;

  pigeon_smtp_client_set_progress_func (self->client, client_progress_cb, self);
  pigeon_smtp_client_set_transcript_func (self->client, client_transcript_cb, self);
  sent = send_message (self, cancellable, &error);
  flush_held_progress (self);
  /* The client may outlive the job (pigeon_send_job_get_client): it must not call back into
   * a job that is gone. */
  pigeon_smtp_client_set_progress_func (self->client, NULL, NULL);
  pigeon_smtp_client_set_transcript_func (self->client, NULL, NULL);

  if (sent)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* A job runs once: sending the same message twice by mistake is the worst thing a mail client
 * can do, so a second run is an error the caller sees rather than a second message. */
static gboolean
check_not_run (PigeonSendJob *self, GTask *task)
{
  if (self->state == JOB_RUNNING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "%s",
                               _ ("This message is already being sent"));
      return FALSE;
    }
  if (self->state == JOB_FINISHED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "%s",
                               _ ("This send job has already run; make a new one to send again"));
      return FALSE;
    }
  return TRUE;
}

/* Signal callbacks --------------------------------------------------------------------------- */

/* On the caller's context, after the caller's callback. */
static void
task_completed_cb (GObject *task, GParamSpec *pspec, gpointer user_data)
{
  PigeonSendJob *self = user_data;

  self->state = JOB_FINISHED;
}

static void
run_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **result_out = user_data;

  *result_out = g_object_ref (result);
}

/* GObject ------------------------------------------------------------------------------------ */

static void
pigeon_send_job_dispose (GObject *object)
{
  PigeonSendJob *self = PIGEON_SEND_JOB (object);

  g_clear_object (&self->client);
  g_clear_object (&self->message);
  g_clear_pointer (&self->envelope, pigeon_smtp_envelope_free);
  g_clear_pointer (&self->content, pigeon_smtp_message_free);
  G_OBJECT_CLASS (pigeon_send_job_parent_class)->dispose (object);
}

static void
pigeon_send_job_finalize (GObject *object)
{
  PigeonSendJob *self = PIGEON_SEND_JOB (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (pigeon_send_job_parent_class)->finalize (object);
}

static void
pigeon_send_job_class_init (PigeonSendJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pigeon_send_job_dispose;
  object_class->finalize = pigeon_send_job_finalize;

  /* (PigeonSmtpStage stage, guint64 bytes_sent, gint64 bytes_total); bytes_total is -1 when
   * the size is unknown. */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_UINT64, G_TYPE_INT64);
  /* (PigeonSmtpTranscriptKind kind, const char *line); the line lives as long as the
   * emission, so handlers are not given copies they do not need. */
  signals[SIGNAL_TRANSCRIPT] =
    g_signal_new ("transcript", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pigeon_send_job_init (PigeonSendJob *self)
{
  self->state = JOB_NEW;
}

/* Public API --------------------------------------------------------------------------------- */

PigeonSendJob *
pigeon_send_job_new (PigeonSmtpClient *client, PigeonComposedMessage *message)
{
  PigeonSendJob *self = NULL;

  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (client), NULL);
  g_return_val_if_fail (PIGEON_IS_COMPOSED_MESSAGE (message), NULL);

  self = g_object_new (PIGEON_TYPE_SEND_JOB, NULL);
  self->client = g_object_ref (client);
  self->message = g_object_ref (message);
  return self;
}

PigeonSendJob *
pigeon_send_job_new_full (PigeonSmtpClient *client,
                          PigeonSmtpEnvelope *envelope,
                          PigeonSmtpMessage *message)
{
  PigeonSendJob *self = NULL;

  g_return_val_if_fail (PIGEON_IS_SMTP_CLIENT (client), NULL);
  g_return_val_if_fail (envelope != NULL && message != NULL, NULL);

  self = g_object_new (PIGEON_TYPE_SEND_JOB, NULL);
  self->client = g_object_ref (client);
  self->envelope = envelope;
  self->content = message;
  return self;
}

void
pigeon_send_job_run_async (PigeonSendJob *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (PIGEON_IS_SEND_JOB (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pigeon_send_job_run_async);
  g_task_set_name (task, "[pigeon] send job");
  /* The worker's own result is the truth: a message the server accepted with 250 was sent,
   * even if the user pressed Cancel a moment too late, and must not be reported as cancelled
   * (the user would send it again). Cancellation is reported by the worker when it stopped
   * the send. */
  g_task_set_check_cancellable (task, FALSE);
  if (!check_not_run (self, task))
    return;

  self->state = JOB_RUNNING;
  g_signal_connect (task, "notify::completed", G_CALLBACK (task_completed_cb), self);
  self->context = g_main_context_ref_thread_default ();
  g_task_run_in_thread (task, send_thread_cb);
}

gboolean
pigeon_send_job_run_finish (PigeonSendJob *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (PIGEON_IS_SEND_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pigeon_send_job_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
pigeon_send_job_run (PigeonSendJob *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr (GAsyncResult) result = NULL;
  gboolean pushed = FALSE;

  g_return_val_if_fail (PIGEON_IS_SEND_JOB (self), FALSE);

  /* Held for the whole send, not only during each iteration, so that nothing else takes the
   * context in between. When another thread is running it, the signals go to a private
   * context of this thread instead. */
  if (!g_main_context_acquire (context))
    {
      g_clear_pointer (&context, g_main_context_unref);
      context = g_main_context_new ();
      g_main_context_acquire (context);
      g_main_context_push_thread_default (context);
      pushed = TRUE;
    }
  pigeon_send_job_run_async (self, cancellable, run_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  if (pushed)
    g_main_context_pop_thread_default (context);
  g_main_context_release (context);

  return pigeon_send_job_run_finish (self, result, error);
}

PigeonSmtpClient *
pigeon_send_job_get_client (PigeonSendJob *self)
{
  g_return_val_if_fail (PIGEON_IS_SEND_JOB (self), NULL);

  return self->client;
}
