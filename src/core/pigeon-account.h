/* pigeon-account.h: a sending account: settings in GSettings, password in the Secret Service
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-smtp-client.h"

G_BEGIN_DECLS

#define PIGEON_ACCOUNT_ERROR (pigeon_account_error_quark ())

typedef enum
{
  PIGEON_ACCOUNT_ERROR_NOT_FOUND,   /* no account with that id */
  PIGEON_ACCOUNT_ERROR_INVALID,     /* a setting that cannot work: host, port, address, … */
  PIGEON_ACCOUNT_ERROR_NO_KEYRING,  /* no Secret Service: ask for the password instead */
  PIGEON_ACCOUNT_ERROR_NO_PASSWORD, /* the keyring has none for this account, host and user */
} PigeonAccountErrorCode;

GQuark pigeon_account_error_quark (void);

/* PigeonSmtpSecurity as a GEnum (nicks "starttls", "tls", "none", as in the schema), for the
 * "security" property. */
#define PIGEON_TYPE_ACCOUNT_SECURITY (pigeon_account_security_get_type ())
GType pigeon_account_security_get_type (void);

/**
 * PigeonAccount:
 *
 * The settings of one account (properties "id", "display-name", "address", "host", "port",
 * "security", "user", "auth-mechanism", "ca-file", "pinned-fingerprint",
 * "allow-insecure-auth"), kept in memory until pigeon_account_save(). The strings are never
 * NULL ("" when unset). "size-limit" is not edited but learnt from the server: see
 * pigeon_account_set_size_limit().
 */
#define PIGEON_TYPE_ACCOUNT (pigeon_account_get_type ())
G_DECLARE_FINAL_TYPE (PigeonAccount, pigeon_account, PIGEON, ACCOUNT, GObject)

/* Letters, digits, '-' and '_', at least one: what an id may be (it names a settings path). */
gboolean pigeon_account_id_is_valid (const char *id);

/* A new, unsaved account with the schema's defaults. @id: (nullable): letters, digits, '-' and
 * '_' only; NULL makes a new unique one. */
PigeonAccount *pigeon_account_new (const char *id);

/* Reads the account's settings; PIGEON_ACCOUNT_ERROR_NOT_FOUND naming @id when it is not in
 * the "accounts" list. */
PigeonAccount *pigeon_account_load (const char *id, GError **error);

/* Checks the settings (PIGEON_ACCOUNT_ERROR_INVALID, naming the setting), writes them all at
 * once and adds the id to the list; the first account saved becomes the default. */
gboolean pigeon_account_save (PigeonAccount *self, GError **error);

/* Removes the account from the list (and as the default) and resets its settings. Its
 * password stays in the keyring: clear it first with pigeon_account_clear_password_sync(). */
void pigeon_account_delete (PigeonAccount *self);

/* PIGEON_ACCOUNT_ERROR_INVALID naming the first bad setting, or TRUE. */
gboolean pigeon_account_validate (PigeonAccount *self, GError **error);

/* The ids of the saved accounts, in order; an empty array when there are none. */
GStrv pigeon_account_list (void);

/* The default account's id: the "default-account" key when it names a saved account, else the
 * first saved account, else NULL. */
char *pigeon_account_get_default_id (void);
/* PIGEON_ACCOUNT_ERROR_NOT_FOUND when @id is not a saved account. */
gboolean pigeon_account_set_default_id (const char *id, GError **error);

const char *pigeon_account_get_id (PigeonAccount *self);
const char *pigeon_account_get_display_name (PigeonAccount *self);
const char *pigeon_account_get_address (PigeonAccount *self);
const char *pigeon_account_get_host (PigeonAccount *self);
guint pigeon_account_get_port (PigeonAccount *self);
PigeonSmtpSecurity pigeon_account_get_security (PigeonAccount *self);
const char *pigeon_account_get_user (PigeonAccount *self);
const char *pigeon_account_get_auth_mechanism (PigeonAccount *self);
const char *pigeon_account_get_ca_file (PigeonAccount *self);
const char *pigeon_account_get_pinned_fingerprint (PigeonAccount *self);
gboolean pigeon_account_get_allow_insecure_auth (PigeonAccount *self);

/* The largest message the server takes, in bytes, as it declared with SIZE in its answer to
 * EHLO the last time Pigeon asked (a send or a connection test, in this session or an earlier
 * one); 0 when it declared no limit or is not known. Only a hint: the server decides. */
guint64 pigeon_account_get_size_limit (PigeonAccount *self);
/* Keeps @limit (0: none declared) with the saved account at once, without
 * pigeon_account_save(): call it whenever a server's capabilities were learnt, so that a server
 * that no longer declares SIZE clears it. pigeon_account_save() clears it when the host, port
 * or security changes, since it belonged to the other server. */
void pigeon_account_set_size_limit (PigeonAccount *self, guint64 limit);
/* pigeon_account_set_size_limit() with what @client learnt from the server's EHLO, once a send
 * or a test got that far (nothing otherwise). */
void pigeon_account_remember_size_limit (PigeonAccount *self, PigeonSmtpClient *client);
/* The id build-aux/run gives the local test inbox it starts when no account exists. */
#define PIGEON_ACCOUNT_TEST_INBOX_ID "test-inbox"

/* How lists show the account instead of its address, when set; for the local test inbox,
 * "Local test inbox — messages stay on this computer" in the user's language. */
const char *pigeon_account_get_description (PigeonAccount *self);

/* "Ana Núñez <ana@example.org>" (the name quoted when it needs it, e.g. "\"Doe, John\" <…>"),
 * or the bare address without a display name: what pigeon_composer_set_from() takes. */
char *pigeon_account_get_from_mailbox (PigeonAccount *self);

/**
 * pigeon_account_create_client:
 * @password: (nullable): needed when the account has a user name
 *
 * A client configured from the settings: host, port, security, credentials, the allowed
 * mechanism, the CA file, the pinned fingerprint and whether credentials may go without TLS.
 * Errors: PIGEON_ACCOUNT_ERROR_INVALID (settings, or a CA file that cannot be read),
 * PIGEON_ACCOUNT_ERROR_NO_PASSWORD (a user name but no @password).
 */
PigeonSmtpClient *
pigeon_account_create_client (PigeonAccount *self, const char *password, GError **error);

/* The password in the Secret Service, keyed by the account's id, host and user. The password
 * is never written anywhere else. Errors: PIGEON_ACCOUNT_ERROR_NO_KEYRING when there is no
 * Secret Service (the caller asks the user instead), NO_PASSWORD when it has none (lookup),
 * G_IO_ERROR_CANCELLED. Free a password with pigeon_account_password_free(). These block:
 * from the UI thread, use the async lookup. */
char *pigeon_account_lookup_password_sync (PigeonAccount *self,
                                           GCancellable *cancellable,
                                           GError **error);
gboolean pigeon_account_store_password_sync (PigeonAccount *self,
                                             const char *password,
                                             GCancellable *cancellable,
                                             GError **error);
/* TRUE also when there was nothing to clear. */
gboolean
pigeon_account_clear_password_sync (PigeonAccount *self, GCancellable *cancellable, GError **error);

void pigeon_account_lookup_password (PigeonAccount *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
char *
pigeon_account_lookup_password_finish (PigeonAccount *self, GAsyncResult *result, GError **error);

/* Wipes the password's bytes, then frees it. NULL is ignored. */
void pigeon_account_password_free (char *password);

G_END_DECLS
