/* pigeon-send-job.h: sending one message on a worker thread
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-composed-message.h"
#include "pigeon-smtp-client.h"

G_BEGIN_DECLS

#define PIGEON_TYPE_SEND_JOB (pigeon_send_job_get_type ())
G_DECLARE_FINAL_TYPE (PigeonSendJob, pigeon_send_job, PIGEON, SEND_JOB, GObject)

/**
 * pigeon_send_job_new:
 * @client: configured for the account (server, security, credentials, trust)
 * @message: the built message; its sender and recipients make the envelope
 *
 * The job owns references to both. While it runs, the client and the message belong to the
 * worker thread: the caller must not change them until the job has finished.
 *
 * Signals, always emitted on the main context that was the thread-default one when
 * pigeon_send_job_run_async() was called (the UI thread for the window), never on the worker:
 * - "progress" (PigeonSmtpStage stage, guint64 bytes_sent, gint64 bytes_total)
 * - "transcript" (PigeonSmtpTranscriptKind kind, const char *line) — secrets already hidden
 */
PigeonSendJob *pigeon_send_job_new (PigeonSmtpClient *client, PigeonComposedMessage *message);

/* Sends any message source (e.g. a ready-made .eml) with an envelope the caller built. Takes
 * ownership of @envelope and @message. */
PigeonSendJob *pigeon_send_job_new_full (PigeonSmtpClient *client,
                                         PigeonSmtpEnvelope *envelope,
                                         PigeonSmtpMessage *message);

/* Runs the send in a GTask worker thread. Cancel with @cancellable at any stage. While it runs
 * the job replaces the client's progress and transcript callbacks with its own, and clears them
 * when it finishes. A job runs once: a second run fails with G_IO_ERROR_PENDING while the first
 * is running, G_IO_ERROR_CLOSED after. A message the server accepted is reported as sent even
 * if the cancellable was cancelled a moment later. */
void pigeon_send_job_run_async (PigeonSendJob *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);

/* Errors: PIGEON_SMTP_ERROR, PIGEON_MIME_ERROR (a file that changed or vanished), or
 * G_IO_ERROR_CANCELLED. */
gboolean pigeon_send_job_run_finish (PigeonSendJob *self, GAsyncResult *result, GError **error);

/* Blocks the calling thread until the send has finished, running the caller's own main context
 * meanwhile so that the signals are delivered (for the command line). */
gboolean pigeon_send_job_run (PigeonSendJob *self, GCancellable *cancellable, GError **error);

PigeonSmtpClient *pigeon_send_job_get_client (PigeonSendJob *self);

G_END_DECLS
