/* pigeon-smtp-transaction.h: one mail transaction, internal to the SMTP layer
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-smtp-connection.h"

G_BEGIN_DECLS

typedef void (*PigeonSmtpStageFunc) (PigeonSmtpStage stage, guint64 bytes_sent, gpointer user_data);

/* What a transaction needs from the session that runs it. */
typedef struct
{
  PigeonSmtpConnection *connection;
  const PigeonSmtpCapabilities *capabilities; /* from the last EHLO */
  GCancellable *cancellable;
  PigeonSmtpStageFunc stage_func; /* SENDING with bytes, then FINISHING */
  gpointer stage_data;
} PigeonSmtpTransaction;

/* Checks the message against SIZE and SMTPUTF8, then MAIL FROM, RCPT TO for each recipient and
 * DATA (one batch with PIPELINING), then the content and the final reply. Any refused recipient
 * cancels the message (RSET, or dropping the connection when the server already waits for
 * content), with an error naming each. With CHUNKING and PIPELINING, a message of known size to
 * one recipient goes as MAIL, RCPT, BDAT LAST, content and QUIT in one burst. */
gboolean pigeon_smtp_transaction_run (PigeonSmtpTransaction *transaction,
                                      const PigeonSmtpEnvelope *envelope,
                                      PigeonSmtpMessage *message,
                                      GError **error);

G_END_DECLS
