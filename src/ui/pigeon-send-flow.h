/* pigeon-send-flow.h: one send from the window: password, composing, the send job, the result
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pigeon-account.h"
#include "pigeon-draft.h"

G_BEGIN_DECLS

#define PIGEON_TYPE_SEND_FLOW (pigeon_send_flow_get_type ())
G_DECLARE_FINAL_TYPE (PigeonSendFlow, pigeon_send_flow, PIGEON, SEND_FLOW, GObject)

/**
 * PigeonSendFlow:
 *
 * What happens between the Send button and the result, so that the window only shows it:
 * the password from the keyring (or asked for with a PigeonPasswordDialog, and stored when the
 * user asks and a keyring exists), the message composed in a worker thread, the PigeonSendJob,
 * and, when the server's certificate is not trusted, the certificate dialog ("Trust and Retry"
 * pins it to the account and sends again). Every step can be cancelled, the dialogs included.
 * Once the server has answered EHLO, its SIZE limit is kept with the account
 * (pigeon_account_set_size_limit()) before the send ends.
 * The transcript goes into the log buffer given at creation (emptied at each start).
 *
 * Signals (on the main thread):
 * - "progress" (const char *stage, double fraction, const char *detail): the stage in words
 *   ("Logging in…"), how much of the message has gone (0…1; -1 while nothing measurable is
 *   happening), and "3.2 MB of 12 MB" or "".
 * - "sent" ()
 * - "failed" (GError *error): nothing was sent; the message says why, with the server's words.
 * - "cancelled" (): the user stopped it; nothing was sent.
 * Exactly one of the last three ends each start.
 */
PigeonSendFlow *pigeon_send_flow_new (GtkWindow *parent, GtkTextBuffer *log);

/* Sends what @draft holds now (it is copied: later edits do not change what goes out) from
 * @account. */
void pigeon_send_flow_start (PigeonSendFlow *self, PigeonAccount *account, PigeonDraft *draft);

/* Stops the send at whatever stage it is, closing a dialog it opened. Nothing if not running. */
void pigeon_send_flow_cancel (PigeonSendFlow *self);

gboolean pigeon_send_flow_is_running (PigeonSendFlow *self);

/* PigeonPasswordDialog (pigeon-password-dialog.c), used by the send flow only. ------------- */

#define PIGEON_TYPE_PASSWORD_DIALOG (pigeon_password_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonPasswordDialog, pigeon_password_dialog, PIGEON, PASSWORD_DIALOG, GtkDialog)

/* Asks for @account's password, non-modal (the window's Cancel stays usable). "Remember" is
 * offered only when @can_remember (a keyring exists). @reason (nullable) says why it asks
 * again, e.g. after the server refused the saved password. Responses: GTK_RESPONSE_OK,
 * GTK_RESPONSE_CANCEL (or GTK_RESPONSE_DELETE_EVENT). The entry's accessible name is
 * "Password". */
GtkWidget *pigeon_password_dialog_new (GtkWindow *parent,
                                       PigeonAccount *account,
                                       gboolean can_remember,
                                       const char *reason);
const char *pigeon_password_dialog_get_password (PigeonPasswordDialog *self);
gboolean pigeon_password_dialog_get_remember (PigeonPasswordDialog *self);

G_END_DECLS
