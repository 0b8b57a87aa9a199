/* pigeon-account-editor.h: the accounts dialog's editor page: one account's settings, the
 * server found from the address, Test connection, saving
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pigeon-account.h"

G_BEGIN_DECLS

#define PIGEON_TYPE_ACCOUNT_EDITOR (pigeon_account_editor_get_type ())
G_DECLARE_FINAL_TYPE (PigeonAccountEditor, pigeon_account_editor, PIGEON, ACCOUNT_EDITOR, GtkBox)

/**
 * PigeonAccountEditor:
 *
 * Email address and name; the server filled in from presets by domain or looked up in DNS SRV
 * once the user pauses, never over a server the user typed; port (following the security
 * choice while it is the usual one), security (None warns), user (following the address until
 * typed), password (the keyring's, when it has one, shown as a placeholder). What is wrong is
 * shown in place and keeps Save off. "Test connection" runs a probe off the main thread and
 * shows what the server offers; an untrusted certificate can be viewed and pinned.
 *
 * Signals: "saved" (the account is in GSettings, its password on its way to the keyring),
 * "cancelled", both once the editor has let go of the account; "notice" (const char *message)
 * when keeping the password failed after "saved".
 */
GtkWidget *pigeon_account_editor_new (void);

/* Fills the fields from @account, edited in place until Save; @previous: (nullable): the
 * account as saved, when editing a saved one (its password is looked up). Focuses the address
 * and makes Save the default: call once the editor is shown in its window. */
void pigeon_account_editor_edit (PigeonAccountEditor *self,
                                 PigeonAccount *account,
                                 PigeonAccount *previous);

G_END_DECLS
