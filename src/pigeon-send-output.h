/* pigeon-send-output.h: what pigeon-send tells its user, and its exit statuses
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-smtp-client.h"

G_BEGIN_DECLS

/* Exit statuses from sysexits.h: scripts can tell "fix your input" from "try again later". */
enum
{
  PIGEON_SEND_EXIT_SENT = 0,
  PIGEON_SEND_EXIT_USAGE = 64,
  PIGEON_SEND_EXIT_BAD_INPUT = 65,
  PIGEON_SEND_EXIT_RECIPIENT = 67,
  PIGEON_SEND_EXIT_NO_HOST = 68,
  PIGEON_SEND_EXIT_UNAVAILABLE = 69,
  PIGEON_SEND_EXIT_INTERNAL = 70,
  PIGEON_SEND_EXIT_TEMPORARY = 75,
  PIGEON_SEND_EXIT_PROTOCOL = 76,
  PIGEON_SEND_EXIT_AUTH = 77,
  PIGEON_SEND_EXIT_SECURITY = 78,
};

typedef struct
{
  gboolean show_progress;  /* a terminal, and neither --quiet nor --transcript */
  gboolean progress_shown; /* a progress line is on screen without its line break */
} PigeonSendOutput;

int pigeon_send_exit_status (const GError *error);

/* Prints "pigeon-send: MESSAGE" on standard error and returns @status. */
int pigeon_send_fail (PigeonSendOutput *output, int status, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
int pigeon_send_fail_with_error (PigeonSendOutput *output, const GError *error);

void pigeon_send_output_progress (PigeonSendOutput *output,
                                  PigeonSmtpStage stage,
                                  guint64 bytes_sent,
                                  gint64 bytes_total);

/* "C: ", "S: " or "* " and the line, on standard error. */
void pigeon_send_output_transcript (PigeonSendOutput *output,
                                    PigeonSmtpTranscriptKind kind,
                                    const char *line);

G_END_DECLS
