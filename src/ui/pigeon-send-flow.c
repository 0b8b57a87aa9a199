/* pigeon-send-flow.c: one send from the window: password, composing, the send job, the result
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-send-flow.h"

#include <glib/gi18n.h>

#include "pigeon-certificate-dialog.h"
#include "pigeon-log-dialog.h"
#include "pigeon-send-job.h"
#include "pigeon-stall-probe.h"

struct _PigeonSendFlow
{
  GObject parent_instance;

  GtkWindow *parent; /* weak */
  GtkTextBuffer *log;
  /* Accounts whose password from the keyring the server refused: asked for next time. */
  GHashTable *ask_again;

  /* One send; all cleared when it ends. */
  gboolean running;
  GCancellable *cancellable;
  PigeonAccount *account;
  PigeonDraft *draft; /* a copy: what goes out */
  char *password;     /* wiped when freed */
  gboolean password_from_keyring;
  PigeonSendJob *job;
  GtkWidget *dialog;  /* the password or certificate dialog, while it is open */
  GError *cert_error; /* while the certificate dialog is open: the send's error */
};

/* What the worker thread composes the message with, and what it hands back. */
typedef struct
{
  PigeonDraft *draft;
  PigeonAccount *account;
  char *password;
  PigeonComposedMessage *message;
  PigeonSmtpClient *client;
} ComposeData;

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_SENT,
  SIGNAL_FAILED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PigeonSendFlow, pigeon_send_flow, G_TYPE_OBJECT)

static void compose_and_send (PigeonSendFlow *self);

/* Helpers ------------------------------------------------------------------------------------ */

static void
compose_data_free (gpointer data)
{
  ComposeData *compose = data;

  g_clear_object (&compose->draft);
  g_clear_object (&compose->account);
  g_clear_pointer (&compose->password, pigeon_account_password_free);
  g_clear_object (&compose->message);
  g_clear_object (&compose->client);
  g_free (compose);
}

static PigeonDraft *
draft_copy (PigeonDraft *draft)
{
  PigeonDraft *copy = pigeon_draft_new ();
  GListModel *attachments = pigeon_draft_get_attachments (draft);

  g_object_set (copy, "from", pigeon_draft_get_from (draft), "to", pigeon_draft_get_to (draft),
                "cc", pigeon_draft_get_cc (draft), "bcc", pigeon_draft_get_bcc (draft), "subject",
                pigeon_draft_get_subject (draft), "body", pigeon_draft_get_body (draft), NULL);
  for (guint i = 0; i < g_list_model_get_n_items (attachments); i++)
    {
      g_autoptr (PigeonAttachment) attachment = g_list_model_get_item (attachments, i);

      pigeon_draft_add_attachment (copy, attachment);
    }
  return copy;
}

static void
log_info (PigeonSendFlow *self, const char *line)
{
  pigeon_log_buffer_append (self->log, PIGEON_SMTP_TRANSCRIPT_INFO, line);
}

static void
emit_progress (PigeonSendFlow *self, const char *stage, double fraction, const char *detail)
{
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, stage, fraction, detail);
}

static void
close_dialog (PigeonSendFlow *self)
{
  if (self->dialog == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->dialog, self);
  gtk_widget_destroy (self->dialog);
  g_clear_object (&self->dialog);
}

/* What the server said its SIZE limit is, once a send got as far as its EHLO, is kept with the
 * account: the window warns before a message is too large, after a restart too. A server that
 * no longer declares SIZE clears it. */
static void
remember_size_limit (PigeonSendFlow *self)
{
  if (self->job != NULL)
    pigeon_account_remember_size_limit (self->account, pigeon_send_job_get_client (self->job));
}

/* Ends the send: @error NULL for sent, G_IO_ERROR_CANCELLED for cancelled, else failed. */
static void
finish (PigeonSendFlow *self, const GError *error)
{
  g_autoptr (PigeonSendFlow) keep = g_object_ref (self);

  close_dialog (self);
  self->running = FALSE;
  remember_size_limit (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->account);
  g_clear_object (&self->draft);
  g_clear_object (&self->job);
  g_clear_pointer (&self->password, pigeon_account_password_free);
  g_clear_error (&self->cert_error);

  if (error == NULL)
    g_signal_emit (self, signals[SIGNAL_SENT], 0);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
  else
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  /* After the window has shown the result: its work belongs to the send's. */
  pigeon_stall_probe_mark ("send-finished");
}

static const char *
stage_in_words (PigeonSmtpStage stage)
{
  switch (stage)
    {
      case PIGEON_SMTP_STAGE_RESOLVING:
        return _ ("Looking up the server…");
      case PIGEON_SMTP_STAGE_CONNECTING:
        return _ ("Connecting…");
      case PIGEON_SMTP_STAGE_SECURING:
        return _ ("Securing the connection…");
      case PIGEON_SMTP_STAGE_AUTHENTICATING:
        return _ ("Logging in…");
      case PIGEON_SMTP_STAGE_SENDING:
        return _ ("Sending…");
      case PIGEON_SMTP_STAGE_FINISHING:
        return _ ("Waiting for the server to accept it…");
      case PIGEON_SMTP_STAGE_DONE:
      default:
        return _ ("Sent");
    }
}

/* Storing the password: a worker thread, since libsecret may block. ------------------------- */

static void
store_password_thread_cb (GTask *task,
                          gpointer source_object,
                          gpointer task_data,
                          GCancellable *cancellable)
{
  GError *error = NULL;

  if (pigeon_account_store_password_sync (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
password_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PigeonSendFlow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *line =
        g_strdup_printf (_ ("The password was not saved: %s"), error->message);

      log_info (self, line);
    }
}

static void
store_password (PigeonSendFlow *self)
{
  g_autoptr (GTask) task =
    g_task_new (self->account, NULL, password_stored_cb, g_object_ref (self));

  g_task_set_source_tag (task, store_password);
  g_task_set_name (task, "[pigeon] store password");
  g_task_set_task_data (task, g_strdup (self->password),
                        (GDestroyNotify) pigeon_account_password_free);
  g_task_run_in_thread (task, store_password_thread_cb);
}

/* Signal callbacks --------------------------------------------------------------------------- */

static void
password_dialog_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  PigeonSendFlow *self = user_data;
  PigeonPasswordDialog *password_dialog = PIGEON_PASSWORD_DIALOG (dialog);
  g_autoptr (GError) cancelled =
    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Sending cancelled"));

  if (response != GTK_RESPONSE_OK)
    {
      finish (self, cancelled);
      return;
    }
  self->password = g_strdup (pigeon_password_dialog_get_password (password_dialog));
  self->password_from_keyring = FALSE;
  if (pigeon_password_dialog_get_remember (password_dialog))
    store_password (self);
  close_dialog (self);
  compose_and_send (self);
}

static void
ask_password (PigeonSendFlow *self, gboolean keyring, const char *reason)
{
  self->dialog =
    g_object_ref_sink (pigeon_password_dialog_new (self->parent, self->account, keyring, reason));
  g_signal_connect (self->dialog, "response", G_CALLBACK (password_dialog_response_cb), self);
  emit_progress (self, _ ("Waiting for the password…"), -1, "");
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
password_looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PigeonSendFlow) self = user_data;
  g_autoptr (GError) error = NULL;
  char *password = pigeon_account_lookup_password_finish (PIGEON_ACCOUNT (source), result, &error);

  if (!self->running)
    {
      pigeon_account_password_free (password);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_autoptr (GError) cancelled =
        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Sending cancelled"));

      pigeon_account_password_free (password);
      finish (self, cancelled);
      return;
    }
  if (password != NULL)
    {
      self->password = password;
      self->password_from_keyring = TRUE;
      compose_and_send (self);
    }
  else if (g_error_matches (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_PASSWORD))
    ask_password (self, TRUE, NULL);
  else if (g_error_matches (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_KEYRING))
    ask_password (self, FALSE, NULL);
  else
    finish (self, error);
}

static void
certificate_dialog_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  PigeonSendFlow *self = user_data;
  g_autoptr (GError) error = g_steal_pointer (&self->cert_error);
  g_autoptr (GError) save_error = NULL;
  PigeonCertificateDialog *cert_dialog = PIGEON_CERTIFICATE_DIALOG (dialog);

  if (response != PIGEON_CERTIFICATE_RESPONSE_TRUST)
    {
      finish (self, error);
      return;
    }
  g_object_set (self->account, "pinned-fingerprint",
                pigeon_certificate_dialog_get_fingerprint (cert_dialog), NULL);
  if (!pigeon_account_save (self->account, &save_error))
    {
      finish (self, save_error);
      return;
    }
  close_dialog (self);
  g_clear_object (&self->job);
  compose_and_send (self);
}

static void
ask_about_certificate (PigeonSendFlow *self, GError *error)
{
  PigeonSmtpClient *client = pigeon_send_job_get_client (self->job);
  GTlsCertificate *certificate = pigeon_smtp_client_get_peer_certificate (client);

  if (certificate == NULL)
    {
      finish (self, error);
      return;
    }
  self->cert_error = g_error_copy (error);
  self->dialog = g_object_ref_sink (pigeon_certificate_dialog_new (
    self->parent, pigeon_account_get_host (self->account), certificate,
    pigeon_smtp_client_get_peer_certificate_errors (client)));
  g_signal_connect (self->dialog, "response", G_CALLBACK (certificate_dialog_response_cb), self);
  emit_progress (self, _ ("The server’s certificate is not trusted"), -1, "");
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
job_progress_cb (PigeonSendJob *job,
                 PigeonSmtpStage stage,
                 guint64 bytes_sent,
                 gint64 bytes_total,
                 gpointer user_data)
{
  PigeonSendFlow *self = user_data;
  g_autofree char *sent = NULL;
  g_autofree char *total = NULL;
  g_autofree char *detail = NULL;

  if (bytes_total <= 0 || stage < PIGEON_SMTP_STAGE_SENDING)
    {
      emit_progress (self, stage_in_words (stage), stage == PIGEON_SMTP_STAGE_DONE ? 1.0 : -1, "");
      return;
    }
  sent = g_format_size (bytes_sent);
  total = g_format_size ((guint64) bytes_total);
  /* Translators: how much of the message has been sent, e.g. "3.2 MB of 12 MB". */
  detail = g_strdup_printf (_ ("%s of %s"), sent, total);
  emit_progress (self, stage_in_words (stage), (double) bytes_sent / (double) bytes_total, detail);
}

static void
job_transcript_cb (PigeonSendJob *job,
                   PigeonSmtpTranscriptKind kind,
                   const char *line,
                   gpointer user_data)
{
  PigeonSendFlow *self = user_data;

  pigeon_log_buffer_append (self->log, kind, line);
}

static void
job_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PigeonSendFlow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!self->running || PIGEON_SEND_JOB (source) != self->job)
    return;
  if (pigeon_send_job_run_finish (self->job, result, &error))
    finish (self, NULL);
  else if (g_error_matches (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_CERTIFICATE))
    ask_about_certificate (self, error);
  else
    {
      if (self->password_from_keyring &&
          g_error_matches (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_AUTH_FAILED))
        g_hash_table_add (self->ask_again, g_strdup (pigeon_account_get_id (self->account)));
      finish (self, error);
    }
}

/* Composing: a worker thread, since it looks at every attached file. ------------------------ */

static void
compose_thread_cb (GTask *task,
                   gpointer source_object,
                   gpointer task_data,
                   GCancellable *cancellable)
{
  ComposeData *compose = task_data;
  g_autofree char *from = pigeon_account_get_from_mailbox (compose->account);
  GError *error = NULL;

  compose->message = pigeon_draft_compose (compose->draft, from, &error);
  if (compose->message != NULL)
    compose->client = pigeon_account_create_client (compose->account, compose->password, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
composed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PigeonSendFlow) self = user_data;
  g_autoptr (GError) error = NULL;
  ComposeData *compose = g_task_get_task_data (G_TASK (result));

  if (!self->running)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      finish (self, error);
      return;
    }
  self->job = pigeon_send_job_new (compose->client, compose->message);
  g_signal_connect (self->job, "progress", G_CALLBACK (job_progress_cb), self);
  g_signal_connect (self->job, "transcript", G_CALLBACK (job_transcript_cb), self);
  pigeon_send_job_run_async (self->job, self->cancellable, job_done_cb, g_object_ref (self));
}

static void
compose_and_send (PigeonSendFlow *self)
{
  g_autoptr (GTask) task = NULL;
  ComposeData *compose = g_new0 (ComposeData, 1);

  compose->draft = g_object_ref (self->draft);
  compose->account = g_object_ref (self->account);
  compose->password = g_strdup (self->password);
  task = g_task_new (self, self->cancellable, composed_cb, g_object_ref (self));
  g_task_set_source_tag (task, compose_and_send);
  g_task_set_name (task, "[pigeon] compose");
  g_task_set_task_data (task, compose, compose_data_free);
  /* Cancel answers at once; the thread finishes looking at the files on its own. */
  g_task_set_return_on_cancel (task, TRUE);
  emit_progress (self, _ ("Preparing the message…"), -1, "");
  g_task_run_in_thread (task, compose_thread_cb);
}

/* Overrides ---------------------------------------------------------------------------------- */

static void
pigeon_send_flow_dispose (GObject *object)
{
  PigeonSendFlow *self = PIGEON_SEND_FLOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  close_dialog (self);
  g_clear_weak_pointer (&self->parent);
  g_clear_object (&self->log);
  G_OBJECT_CLASS (pigeon_send_flow_parent_class)->dispose (object);
}

static void
pigeon_send_flow_finalize (GObject *object)
{
  PigeonSendFlow *self = PIGEON_SEND_FLOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->account);
  g_clear_object (&self->draft);
  g_clear_object (&self->job);
  g_clear_pointer (&self->password, pigeon_account_password_free);
  g_clear_error (&self->cert_error);
  g_hash_table_unref (self->ask_again);
  G_OBJECT_CLASS (pigeon_send_flow_parent_class)->finalize (object);
}

static void
pigeon_send_flow_class_init (PigeonSendFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pigeon_send_flow_dispose;
  object_class->finalize = pigeon_send_flow_finalize;

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_STRING);
  signals[SIGNAL_SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pigeon_send_flow_init (PigeonSendFlow *self)
{
  self->ask_again = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Public API --------------------------------------------------------------------------------- */

PigeonSendFlow *
pigeon_send_flow_new (GtkWindow *parent, GtkTextBuffer *log)
{
  PigeonSendFlow *self = g_object_new (PIGEON_TYPE_SEND_FLOW, NULL);

  g_set_weak_pointer (&self->parent, parent);
  self->log = g_object_ref (log);
  return self;
}

void
pigeon_send_flow_start (PigeonSendFlow *self, PigeonAccount *account, PigeonDraft *draft)
{
  const char *id = pigeon_account_get_id (account);

  g_return_if_fail (PIGEON_IS_SEND_FLOW (self));
  g_return_if_fail (!self->running);

  pigeon_stall_probe_mark ("send-started");
  self->running = TRUE;
  self->cancellable = g_cancellable_new ();
  self->account = g_object_ref (account);
  self->draft = draft_copy (draft);
  gtk_text_buffer_set_text (self->log, "", 0);

  if (*pigeon_account_get_user (account) == '\0')
    compose_and_send (self);
  else if (g_hash_table_remove (self->ask_again, id))
    ask_password (self, TRUE, _ ("The server refused the saved password. Type it again."));
  else
    {
      emit_progress (self, _ ("Looking for the password…"), -1, "");
      pigeon_account_lookup_password (account, self->cancellable, password_looked_up_cb,
                                      g_object_ref (self));
    }
}

void
pigeon_send_flow_cancel (PigeonSendFlow *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (PIGEON_IS_SEND_FLOW (self));

  if (!self->running)
    return;
  g_cancellable_cancel (self->cancellable);
  /* A dialog waits for the user, not for the cancellable: end now. Otherwise the step that is
   * running ends with G_IO_ERROR_CANCELLED and finishes the send. */
  if (self->dialog != NULL)
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Sending cancelled"));
      finish (self, error);
    }
}

gboolean
pigeon_send_flow_is_running (PigeonSendFlow *self)
{
  g_return_val_if_fail (PIGEON_IS_SEND_FLOW (self), FALSE);

  return self->running;
}
