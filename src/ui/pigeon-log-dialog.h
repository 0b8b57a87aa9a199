/* pigeon-log-dialog.h: the SMTP transcript of the current or last send
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pigeon-smtp-client.h"

G_BEGIN_DECLS

#define PIGEON_TYPE_LOG_DIALOG (pigeon_log_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PigeonLogDialog, pigeon_log_dialog, PIGEON, LOG_DIALOG, GtkDialog)

/* A non-modal window showing @buffer live (monospace, read-only, scrolled to the end as lines
 * arrive), with a Copy button. */
GtkWidget *pigeon_log_dialog_new (GtkWindow *parent, GtkTextBuffer *buffer);

/* The transcript's buffer: client lines, server lines and events each in their own tag
 * ("client", "server", "info": colours that work in light and dark themes), each line prefixed
 * "C: ", "S: " or "* " so that copied text keeps the distinction. Secrets are already hidden
 * by the SMTP layer. */
GtkTextBuffer *pigeon_log_buffer_new (void);
void
pigeon_log_buffer_append (GtkTextBuffer *buffer, PigeonSmtpTranscriptKind kind, const char *line);

G_END_DECLS
