/* pigeon-account-presets.h: what the accounts dialog asks of the world, without GTK and off
 * the main thread: the outgoing server for an email address (a table of well-known providers,
 * DNS SRV records per RFC 6186 and RFC 8314), a connection test, keeping the password
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-account.h"

G_BEGIN_DECLS

/* Where to submit mail: what fills the account editor's server, port and security. */
typedef struct
{
  char *host;
  guint16 port;
  PigeonSmtpSecurity security;
} PigeonAccountServer;

PigeonAccountServer *
pigeon_account_server_new (const char *host, guint16 port, PigeonSmtpSecurity security);
void pigeon_account_server_free (PigeonAccountServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonAccountServer, pigeon_account_server_free)

/* The domain of @address in lower case ("Ana@Example.ORG" → "example.org"), without a trailing
 * dot, or NULL when there is none yet (no "@", nothing after it, no dot in it). */
char *pigeon_account_presets_domain_of (const char *address);

/* The well-known provider's server for @domain (lower case), or NULL. */
PigeonAccountServer *pigeon_account_presets_lookup (const char *domain);

/* The server named by SRV @targets (as GResolver returns them) for a service with @security,
 * or NULL when there is none: an empty list, or the single target "." that says the domain
 * offers no such service (RFC 2782). */
PigeonAccountServer *pigeon_account_presets_from_srv (GList *targets, PigeonSmtpSecurity security);

/* Looks up _submissions._tcp.@domain (implicit TLS), then _submission._tcp.@domain
 * (STARTTLS) with the default GResolver. Fails with G_IO_ERROR_NOT_FOUND when neither names a
 * server, or G_IO_ERROR_CANCELLED. */
void pigeon_account_presets_discover_async (const char *domain,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
PigeonAccountServer *pigeon_account_presets_discover_finish (GAsyncResult *result, GError **error);

/* What "Test connection" found. @error is NULL when it connected, secured the connection and
 * (with a user name) logged in; the rest says how far it got. */
typedef struct
{
  char *host;
  char *tls_protocol; /* NULL without TLS */
  char *ciphersuite;
  GTlsCertificate *certificate; /* NULL without TLS */
  GTlsCertificateFlags certificate_errors;
  gboolean have_capabilities; /* the server answered EHLO */
  PigeonSmtpCapabilities capabilities;
  gboolean logged_in;
  GError *error;
} PigeonAccountProbe;

void pigeon_account_probe_free (PigeonAccountProbe *probe);

/* Stores the SIZE limit @probe learnt on @saved (the account as saved, or NULL for a new one),
 * when @tested had the same host, port and security: a server being edited is not the saved
 * account's yet. */
void pigeon_account_probe_remember_size_limit (const PigeonAccountProbe *probe,
                                               PigeonAccount *tested,
                                               PigeonAccount *saved);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonAccountProbe, pigeon_account_probe_free)

/* Tests @account's settings (copied now) in a worker thread: connect, secure, log in with
 * @password or, when NULL and there is a user name, the keyring's, then QUIT. Fails only with
 * G_IO_ERROR_CANCELLED; everything else is in the result. */
void pigeon_account_presets_probe_async (PigeonAccount *account,
                                         const char *password,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
PigeonAccountProbe *pigeon_account_presets_probe_finish (GAsyncResult *result, GError **error);

/* The result as rows for a person: names and values in turn ("Encryption", "TLS 1.3, …",
 * "Log-in methods", "PLAIN, LOGIN", …). The verdict ("Logged in", or the error) is not in it. */
GStrv pigeon_account_presets_describe_probe (const PigeonAccountProbe *probe);
/* The verdict, for a person: the error's message, "Logged in", or that it connected and tried
 * no log-in (no user name). */
const char *pigeon_account_presets_probe_verdict (const PigeonAccountProbe *probe);

/* Stores @password (or, when NULL, the one kept for @previous) for @account (copied now), in
 * a worker thread; a password kept under @previous's server and user moves to the new ones.
 * @previous: (nullable): the account as saved before. Errors as
 * pigeon_account_store_password_sync(): PIGEON_ACCOUNT_ERROR_NO_KEYRING above all. */
void pigeon_account_presets_keep_password_async (PigeonAccount *account,
                                                 PigeonAccount *previous,
                                                 const char *password,
                                                 GAsyncReadyCallback callback,
                                                 gpointer user_data);
gboolean pigeon_account_presets_keep_password_finish (GAsyncResult *result, GError **error);

/* Removes @account's password from the keyring in a worker thread; a failure is only logged
 * (the account is already gone, nobody is waiting for this). */
void pigeon_account_presets_forget_password (PigeonAccount *account);

G_END_DECLS
