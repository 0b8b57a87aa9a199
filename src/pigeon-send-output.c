/* pigeon-send-output.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-send"

#include <glib/gi18n.h>

#include "pigeon-mime-error.h"
#include "pigeon-send-output.h"

int
pigeon_send_exit_status (const GError *error)
{
  static const int smtp_statuses[] = {
    [PIGEON_SMTP_ERROR_BAD_INPUT] = PIGEON_SEND_EXIT_BAD_INPUT,
    [PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE] = PIGEON_SEND_EXIT_BAD_INPUT,
    [PIGEON_SMTP_ERROR_RECIPIENT_REJECTED] = PIGEON_SEND_EXIT_RECIPIENT,
    [PIGEON_SMTP_ERROR_HOST_NOT_FOUND] = PIGEON_SEND_EXIT_NO_HOST,
    [PIGEON_SMTP_ERROR_UNAVAILABLE] = PIGEON_SEND_EXIT_UNAVAILABLE,
    [PIGEON_SMTP_ERROR_TEMPORARY] = PIGEON_SEND_EXIT_TEMPORARY,
    [PIGEON_SMTP_ERROR_TIMED_OUT] = PIGEON_SEND_EXIT_TEMPORARY,
    [PIGEON_SMTP_ERROR_PROTOCOL] = PIGEON_SEND_EXIT_PROTOCOL,
    [PIGEON_SMTP_ERROR_AUTH_FAILED] = PIGEON_SEND_EXIT_AUTH,
    [PIGEON_SMTP_ERROR_SECURITY] = PIGEON_SEND_EXIT_SECURITY,
    [PIGEON_SMTP_ERROR_CERTIFICATE] = PIGEON_SEND_EXIT_SECURITY,
    [PIGEON_SMTP_ERROR_INTERNAL] = PIGEON_SEND_EXIT_INTERNAL,
  };

  if (error->domain == PIGEON_SMTP_ERROR && error->code >= 0 &&
      (gsize) error->code < G_N_ELEMENTS (smtp_statuses))
    return smtp_statuses[error->code];
  if (error->domain == PIGEON_MIME_ERROR || error->domain == G_FILE_ERROR)
    return PIGEON_SEND_EXIT_BAD_INPUT;
  if (error->domain == G_OPTION_ERROR)
    return PIGEON_SEND_EXIT_USAGE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return PIGEON_SEND_EXIT_TEMPORARY;
  return PIGEON_SEND_EXIT_INTERNAL;
}

static void
end_progress_line (PigeonSendOutput *output)
{
  if (output->progress_shown)
    g_printerr ("\n");
  output->progress_shown = FALSE;
}

int
pigeon_send_fail (PigeonSendOutput *output, int status, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  end_progress_line (output);
  g_printerr ("pigeon-send: %s\n", message);
  return status;
}

int
pigeon_send_fail_with_error (PigeonSendOutput *output, const GError *error)
{
  return pigeon_send_fail (output, pigeon_send_exit_status (error), "%s", error->message);
}

static const char *
stage_text (PigeonSmtpStage stage)
{
  static const char *const texts[] = {
    [PIGEON_SMTP_STAGE_RESOLVING] = N_ ("Looking up the server"),
    [PIGEON_SMTP_STAGE_CONNECTING] = N_ ("Connecting"),
    [PIGEON_SMTP_STAGE_SECURING] = N_ ("Securing the connection"),
    [PIGEON_SMTP_STAGE_AUTHENTICATING] = N_ ("Logging in"),
    [PIGEON_SMTP_STAGE_SENDING] = N_ ("Sending"),
    [PIGEON_SMTP_STAGE_FINISHING] = N_ ("Waiting for the server to accept the message"),
    [PIGEON_SMTP_STAGE_DONE] = N_ ("Sent"),
  };
  return _ (texts[stage]);
}

void
pigeon_send_output_progress (PigeonSendOutput *output,
                             PigeonSmtpStage stage,
                             guint64 bytes_sent,
                             gint64 bytes_total)
{
  g_autofree char *sent = NULL;
  g_autofree char *total = NULL;

  if (!output->show_progress)
    return;
  if (stage == PIGEON_SMTP_STAGE_SENDING && bytes_total > 0)
    {
      sent = g_format_size (bytes_sent);
      total = g_format_size ((guint64) bytes_total);
      g_printerr ("\r\033[K");
      /* Translators: a stage and how much of the message has gone, "Sending: 3.2 MB of 12 MB" */
      g_printerr (_ ("%s: %s of %s"), stage_text (stage), sent, total);
    }
  else
    g_printerr ("\r\033[K%s%s", stage_text (stage), stage == PIGEON_SMTP_STAGE_DONE ? "" : "…");
  output->progress_shown = TRUE;
  if (stage == PIGEON_SMTP_STAGE_DONE)
    end_progress_line (output);
}

void
pigeon_send_output_transcript (PigeonSendOutput *output,
                               PigeonSmtpTranscriptKind kind,
                               const char *line)
{
  static const char *const prefixes[] = { "C: ", "S: ", "* " };

  if (output->progress_shown)
    g_printerr ("\r\033[K");
  output->progress_shown = FALSE;
  g_printerr ("%s%s\n", prefixes[kind], line);
}
