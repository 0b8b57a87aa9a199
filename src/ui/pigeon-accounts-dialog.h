/* pigeon-accounts-dialog.h: adding, editing and testing accounts
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PIGEON_TYPE_ACCOUNTS_DIALOG (pigeon_accounts_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonAccountsDialog, pigeon_accounts_dialog, PIGEON, ACCOUNTS_DIALOG, GtkDialog)

/* The accounts (GSettings), one default; editing one: email address and name; the server
 * filled in from presets by domain (Gmail, Outlook/Hotmail, Yahoo, iCloud, QQ, 163) or looked up
 * in DNS SRV (_submissions._tcp, _submission._tcp; RFC 6186) through GResolver; server, port,
 * security (STARTTLS / SSL/TLS / None — None warns), user, password (libsecret). "Test
 * connection" runs a probe off the main thread and shows what the server offers (TLS version
 * and cipher, certificate, AUTH mechanisms, SIZE, PIPELINING…) and whether logging in works.
 * Changes are saved to GSettings, so the window sees them through its own GSettings. */
GtkWidget *pigeon_accounts_dialog_new (GtkWindow *parent);

G_END_DECLS
