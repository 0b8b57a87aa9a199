/* pigeon-smtp-transaction.c: MAIL, RCPT, DATA or BDAT, and the message content
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <glib/gi18n.h>

#include "pigeon-smtp-auth.h"
#include "pigeon-smtp-data-stream.h"
#include "pigeon-smtp-transaction.h"

static void
report_stage (PigeonSmtpTransaction *transaction, PigeonSmtpStage stage, guint64 bytes_sent)
{
  transaction->stage_func (stage, bytes_sent, transaction->stage_data);
}

static PigeonSmtpReply *
command (PigeonSmtpTransaction *transaction, const char *line, GError **error)
{
  return pigeon_smtp_connection_command (transaction->connection, line, NULL,
                                         transaction->cancellable, error);
}

static PigeonSmtpReply *
read_reply (PigeonSmtpTransaction *transaction, GError **error)
{
  return pigeon_smtp_connection_read_reply (transaction->connection, transaction->cancellable,
                                            error);
}

static gboolean
check_message_fits (PigeonSmtpTransaction *transaction,
                    const PigeonSmtpEnvelope *envelope,
                    PigeonSmtpMessage *message,
                    GError **error)
{
  const PigeonSmtpCapabilities *caps = transaction->capabilities;
  gint64 size = pigeon_smtp_message_get_wire_size (message);
  g_autofree char *size_text = NULL;
  g_autofree char *limit_text = NULL;

  if (caps->size_limit > 0 && size > 0 && (guint64) size > caps->size_limit)
    {
      size_text = g_format_size ((guint64) size);
      limit_text = g_format_size (caps->size_limit);
      g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE,
                   _ ("The message is %s, but the server accepts at most %s"), size_text,
                   limit_text);
      return FALSE;
    }

  if (pigeon_smtp_envelope_needs_smtputf8 (envelope) && !caps->smtputf8)
    {
      g_set_error_literal (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT,
                           _ ("An address has non-ASCII characters before the “@”, and the "
                              "server does not support such addresses (SMTPUTF8)"));
      return FALSE;
    }
  return TRUE;
}

static char *
mail_from_command (PigeonSmtpTransaction *transaction,
                   const PigeonSmtpEnvelope *envelope,
                   PigeonSmtpMessage *message)
{
  const PigeonSmtpCapabilities *caps = transaction->capabilities;
  GString *line = g_string_new ("MAIL FROM:<");
  gint64 size = pigeon_smtp_message_get_wire_size (message);

  g_string_append (line, pigeon_smtp_envelope_get_sender (envelope));
  g_string_append_c (line, '>');
  if (caps->size_declared && size >= 0)
    g_string_append_printf (line, " SIZE=%" G_GINT64_FORMAT, size);
  if (caps->eightbitmime && pigeon_smtp_message_get_8bit (message))
    g_string_append (line, " BODY=8BITMIME");
  if (pigeon_smtp_envelope_needs_smtputf8 (envelope))
    g_string_append (line, " SMTPUTF8");
  return g_string_free (line, FALSE);
}

static gboolean
is_size_rejection (const PigeonSmtpReply *reply)
{
  return reply->code == 552 || g_str_equal (reply->enhanced, "5.3.4");
}

static void
set_sender_error (GError **error, const PigeonSmtpReply *reply)
{
  pigeon_smtp_set_reply_error (error, reply,
                               is_size_rejection (reply) ? PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE
                                                         : PIGEON_SMTP_ERROR_UNAVAILABLE,
                               _ ("The server refused the sender"));
}

/* Names every refused recipient with the server's reason. All-temporary refusals (greylisting,
 * a full mailbox) are TEMPORARY: trying later may work. */
static void
set_recipients_error (GError **error, GPtrArray *refusals, gboolean all_transient)
{
  g_autofree char *head = NULL;
  g_autofree char *list = NULL;
  guint n = refusals->len;

  g_ptr_array_add (refusals, NULL);
  list = g_strjoinv ("; ", (char **) refusals->pdata);
  g_ptr_array_remove_index (refusals, n);
  head = g_strdup_printf (
    ngettext ("The server refused %u recipient", "The server refused %u recipients", n), n);
  g_set_error (error, PIGEON_SMTP_ERROR,
               all_transient ? PIGEON_SMTP_ERROR_TEMPORARY : PIGEON_SMTP_ERROR_RECIPIENT_REJECTED,
               /* Translators: "The server refused 2 recipients", then the list */
               _ ("%s: %s"), head, list);
}

static void
record_recipient_reply (GPtrArray *refusals,
                        gboolean *all_transient,
                        const char *recipient,
                        const PigeonSmtpReply *reply)
{
  g_autofree char *text = NULL;

  if (pigeon_smtp_reply_is_positive (reply))
    return;
  text = pigeon_smtp_reply_to_string (reply);
  /* Translators: an address and the server's reply, e.g. "bob@example.org (550 5.1.1 No such
   * user)" */
  g_ptr_array_add (refusals, g_strdup_printf (_ ("%s (%s)"), recipient, text));
  if (!pigeon_smtp_reply_is_transient (reply))
    *all_transient = FALSE;
}

/* Judges the replies to MAIL, each RCPT and DATA. Without PIPELINING the dialogue stopped at the
 * first problem, so @data (and RCPT replies) may be missing. A refused recipient cancels the
 * whole message: the user asked for all of them. */
static gboolean
judge_envelope_replies (PigeonSmtpTransaction *transaction,
                        const PigeonSmtpReply *mail,
                        GPtrArray *refusals,
                        gboolean all_transient,
                        const PigeonSmtpReply *data,
                        GError **error)
{
  gboolean data_started = data != NULL && data->code == 354;
  g_autoptr (PigeonSmtpReply) reset = NULL;

  if (!pigeon_smtp_reply_is_positive (mail))
    set_sender_error (error, mail);
  else if (refusals->len > 0)
    set_recipients_error (error, refusals, all_transient);
  else if (!data_started)
    pigeon_smtp_set_reply_error (error, data, PIGEON_SMTP_ERROR_UNAVAILABLE,
                                 _ ("The server refused to take the message"));
  else
    return TRUE;

  /* Once the server waits for content, only closing the connection without the final "."
   * makes it drop the message; otherwise RSET ends the transaction politely. */
  if (data_started)
    pigeon_smtp_connection_abandon (transaction->connection);
  else if (pigeon_smtp_reply_is_positive (mail))
    reset = command (transaction, "RSET", NULL);
  return FALSE;
}

/* MAIL, RCPT… and DATA: one batch with PIPELINING (RFC 2920), else one by one. */
static gboolean
send_envelope (PigeonSmtpTransaction *transaction,
               const PigeonSmtpEnvelope *envelope,
               PigeonSmtpMessage *message,
               GError **error)
{
  gboolean pipelining = transaction->capabilities->pipelining;
  const char *const *recipients = pigeon_smtp_envelope_get_recipients (envelope);
  g_autoptr (GPtrArray) refusals = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (PigeonSmtpReply) mail = NULL;
  g_autoptr (PigeonSmtpReply) data = NULL;
  g_autofree char *mail_line = mail_from_command (transaction, envelope, message);
  PigeonSmtpConnection *connection = transaction->connection;
  gboolean all_transient = TRUE;

  pigeon_smtp_connection_queue (connection, mail_line, NULL);
  if (pipelining)
    {
      for (guint i = 0; recipients[i] != NULL; i++)
        {
          g_autofree char *rcpt = g_strdup_printf ("RCPT TO:<%s>", recipients[i]);
          pigeon_smtp_connection_queue (connection, rcpt, NULL);
        }
      pigeon_smtp_connection_queue (connection, "DATA", NULL);
    }
  if (!pigeon_smtp_connection_flush (connection, transaction->cancellable, error))
    return FALSE;

  mail = pigeon_smtp_connection_read_reply (connection, transaction->cancellable, error);
  if (mail == NULL)
    return FALSE;
  if (!pipelining && !pigeon_smtp_reply_is_positive (mail))
    return judge_envelope_replies (transaction, mail, refusals, all_transient, NULL, error);

  for (guint i = 0; recipients[i] != NULL; i++)
    {
      g_autofree char *rcpt = g_strdup_printf ("RCPT TO:<%s>", recipients[i]);
      g_autoptr (PigeonSmtpReply) reply = NULL;

      reply = pipelining
                ? pigeon_smtp_connection_read_reply (connection, transaction->cancellable, error)
                : command (transaction, rcpt, error);
      if (reply == NULL)
        return FALSE;
      record_recipient_reply (refusals, &all_transient, recipients[i], reply);
    }

  if (pipelining)
    data = pigeon_smtp_connection_read_reply (connection, transaction->cancellable, error);
  else if (refusals->len == 0)
    data = command (transaction, "DATA", error);
  if ((pipelining || refusals->len == 0) && data == NULL)
    return FALSE;

  return judge_envelope_replies (transaction, mail, refusals, all_transient, data, error);
}

static void
content_progress_cb (guint64 message_bytes, gpointer user_data)
{
  report_stage (user_data, PIGEON_SMTP_STAGE_SENDING, message_bytes);
}

/* The message source's own errors (an unreadable file, …) pass through as they are; a broken
 * connection becomes an SMTP error like any other. */
static void
set_content_error (GError **error, GError *content_error)
{
  if (content_error->domain == G_IO_ERROR || content_error->domain == G_TLS_ERROR)
    pigeon_smtp_propagate_io_error (error, content_error,
                                    _ ("The connection broke while sending the message"));
  else
    g_propagate_error (error, content_error);
}

/* Writes the message into @data (a DATA or BDAT stream) and ends it. On failure the connection
 * is dropped: half a message must never be delivered, and the server would wait for the rest. */
static gboolean
write_content (PigeonSmtpTransaction *transaction,
               PigeonSmtpMessage *message,
               GOutputStream *data,
               const char *terminator_shown,
               GError **error)
{
  PigeonSmtpDataStream *stream = PIGEON_SMTP_DATA_STREAM (data);
  PigeonSmtpConnection *connection = transaction->connection;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *size = NULL;

  pigeon_smtp_data_stream_set_progress_func (stream, content_progress_cb, transaction);
  report_stage (transaction, PIGEON_SMTP_STAGE_SENDING, 0);
  if (!pigeon_smtp_message_write (message, data, transaction->cancellable, &local_error) ||
      !pigeon_smtp_data_stream_finish (stream, transaction->cancellable, &local_error))
    {
      pigeon_smtp_connection_abandon (connection);
      set_content_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  size = g_format_size_full (pigeon_smtp_data_stream_get_message_bytes (stream),
                             G_FORMAT_SIZE_LONG_FORMAT);
  note = g_strdup_printf (_ ("message content sent: %s"), size);
  pigeon_smtp_connection_note (connection, PIGEON_SMTP_TRANSCRIPT_INFO, note);
  if (terminator_shown != NULL)
    pigeon_smtp_connection_note (connection, PIGEON_SMTP_TRANSCRIPT_CLIENT, terminator_shown);
  report_stage (transaction, PIGEON_SMTP_STAGE_FINISHING,
                pigeon_smtp_data_stream_get_message_bytes (stream));
  return TRUE;
}

static gboolean
judge_content_reply (const PigeonSmtpReply *reply, GError **error)
{
  if (pigeon_smtp_reply_is_positive (reply))
    return TRUE;
  pigeon_smtp_set_reply_error (error, reply,
                               is_size_rejection (reply) ? PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE
                                                         : PIGEON_SMTP_ERROR_UNAVAILABLE,
                               _ ("The server did not accept the message"));
  return FALSE;
}

static gboolean
send_content (PigeonSmtpTransaction *transaction, PigeonSmtpMessage *message, GError **error)
{
  PigeonSmtpConnection *connection = transaction->connection;
  g_autoptr (GOutputStream) data = NULL;
  g_autoptr (PigeonSmtpReply) reply = NULL;

  data = pigeon_smtp_data_stream_new (pigeon_smtp_connection_get_output (connection));
  if (!write_content (transaction, message, data, ".", error))
    return FALSE;

  /* With PIPELINING, QUIT follows the "." at once: one round trip less. Whether the message was
   * accepted is still the reply to the ".", read next. */
  if (transaction->capabilities->pipelining &&
      !pigeon_smtp_connection_send_quit (connection, transaction->cancellable, error))
    return FALSE;

  reply = pigeon_smtp_connection_read_reply (connection, transaction->cancellable, error);
  return reply != NULL && judge_content_reply (reply, error);
}

/* CHUNKING (RFC 3030) with PIPELINING lets a transaction go in one burst: MAIL, RCPT,
 * "BDAT n LAST", the content and QUIT, then one wait for all the replies — one round trip less
 * than DATA, which must wait for its 354 before the content. Only for a single recipient: LAST
 * commits the message before the RCPT replies are read, so with several a refused one would
 * leave the message delivered to the others, and Pigeon sends to all or none. With one, a
 * refused recipient leaves the server no one to deliver to, and it refuses the BDAT. */
static gboolean
can_send_in_one_burst (PigeonSmtpTransaction *transaction,
                       const PigeonSmtpEnvelope *envelope,
                       PigeonSmtpMessage *message)
{
  const PigeonSmtpCapabilities *caps = transaction->capabilities;

  return caps->chunking && caps->pipelining &&
         pigeon_smtp_envelope_get_n_recipients (envelope) == 1 &&
         pigeon_smtp_message_get_wire_size (message) >= 0;
}

static gboolean
judge_burst_replies (const char *recipient,
                     const PigeonSmtpReply *mail,
                     const PigeonSmtpReply *rcpt,
                     const PigeonSmtpReply *bdat,
                     GError **error)
{
  g_autoptr (GPtrArray) refusals = g_ptr_array_new_with_free_func (g_free);
  gboolean all_transient = TRUE;

  if (!pigeon_smtp_reply_is_positive (mail))
    {
      set_sender_error (error, mail);
      return FALSE;
    }
  record_recipient_reply (refusals, &all_transient, recipient, rcpt);
  if (refusals->len > 0)
    {
      set_recipients_error (error, refusals, all_transient);
      return FALSE;
    }
  return judge_content_reply (bdat, error);
}

static gboolean
send_in_one_burst (PigeonSmtpTransaction *transaction,
                   const PigeonSmtpEnvelope *envelope,
                   PigeonSmtpMessage *message,
                   GError **error)
{
  PigeonSmtpConnection *connection = transaction->connection;
  const char *recipient = pigeon_smtp_envelope_get_recipients (envelope)[0];
  gint64 size = pigeon_smtp_message_get_wire_size (message);
  g_autofree char *mail_line = mail_from_command (transaction, envelope, message);
  g_autofree char *rcpt_line = g_strdup_printf ("RCPT TO:<%s>", recipient);
  g_autofree char *bdat_line = g_strdup_printf ("BDAT %" G_GINT64_FORMAT " LAST", size);
  g_autoptr (GOutputStream) chunk = NULL;
  g_autoptr (PigeonSmtpReply) mail = NULL;
  g_autoptr (PigeonSmtpReply) rcpt = NULL;
  g_autoptr (PigeonSmtpReply) bdat = NULL;

  pigeon_smtp_connection_queue (connection, mail_line, NULL);
  pigeon_smtp_connection_queue (connection, rcpt_line, NULL);
  pigeon_smtp_connection_queue (connection, bdat_line, NULL);
  if (!pigeon_smtp_connection_flush (connection, transaction->cancellable, error))
    return FALSE;
  chunk = pigeon_smtp_data_stream_new_chunk (pigeon_smtp_connection_get_output (connection),
                                             (guint64) size);
  if (!write_content (transaction, message, chunk, NULL, error) ||
      !pigeon_smtp_connection_send_quit (connection, transaction->cancellable, error))
    return FALSE;

  if ((mail = read_reply (transaction, error)) == NULL ||
      (rcpt = read_reply (transaction, error)) == NULL ||
      (bdat = read_reply (transaction, error)) == NULL)
    return FALSE;
  return judge_burst_replies (recipient, mail, rcpt, bdat, error);
}

gboolean
pigeon_smtp_transaction_run (PigeonSmtpTransaction *transaction,
                             const PigeonSmtpEnvelope *envelope,
                             PigeonSmtpMessage *message,
                             GError **error)
{
  if (!check_message_fits (transaction, envelope, message, error))
    return FALSE;
  if (can_send_in_one_burst (transaction, envelope, message))
    return send_in_one_burst (transaction, envelope, message, error);
  return send_envelope (transaction, envelope, message, error) &&
         send_content (transaction, message, error);
}
