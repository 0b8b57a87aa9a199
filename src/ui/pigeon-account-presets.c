/* pigeon-account-presets.c: the outgoing server for an email address
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-account-presets.h"

#include <glib/gi18n.h>
#include <string.h>

typedef struct
{
  const char *domain;
  const char *host;
  guint16 port;
  PigeonSmtpSecurity security;
} Preset;

/* Providers whose users rarely know their server's name. Where a provider offers both, implicit
 * TLS is preferred (RFC 8314): no plain-text exchange happens before the handshake. */
static const Preset presets[] = {
  { "gmail.com", "smtp.gmail.com", 465, PIGEON_SMTP_SECURITY_TLS },
  { "googlemail.com", "smtp.gmail.com", 465, PIGEON_SMTP_SECURITY_TLS },
  { "outlook.com", "smtp-mail.outlook.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
  { "hotmail.com", "smtp-mail.outlook.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
  { "live.com", "smtp-mail.outlook.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
  { "yahoo.com", "smtp.mail.yahoo.com", 465, PIGEON_SMTP_SECURITY_TLS },
  { "icloud.com", "smtp.mail.me.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
  { "me.com", "smtp.mail.me.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
  { "mac.com", "smtp.mail.me.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
  { "qq.com", "smtp.qq.com", 465, PIGEON_SMTP_SECURITY_TLS },
  { "163.com", "smtp.163.com", 465, PIGEON_SMTP_SECURITY_TLS },
};

PigeonAccountServer *
pigeon_account_server_new (const char *host, guint16 port, PigeonSmtpSecurity security)
{
  PigeonAccountServer *server = g_new0 (PigeonAccountServer, 1);

  server->host = g_strdup (host);
  server->port = port;
  server->security = security;
  return server;
}

void
pigeon_account_server_free (PigeonAccountServer *server)
{
  if (server == NULL)
    return;
  g_free (server->host);
  g_free (server);
}

char *
pigeon_account_presets_domain_of (const char *address)
{
  const char *at;
  g_autofree char *domain = NULL;
  gsize len;

  g_return_val_if_fail (address != NULL, NULL);

  at = strrchr (address, '@');
  if (at == NULL || !g_utf8_validate (at + 1, -1, NULL))
    return NULL;
  domain = g_strstrip (g_utf8_strdown (at + 1, -1));
  len = strlen (domain);
  if (len > 0 && domain[len - 1] == '.')
    domain[--len] = '\0';
  /* While the user is still typing "ana@exa" there is nothing worth asking DNS about. */
  if (len == 0 || strchr (domain, '.') == NULL || domain[0] == '.' ||
      strstr (domain, "..") != NULL || strpbrk (domain, " \t@<>()[],;:\"\\") != NULL ||
      domain[len - 1] == '.')
    return NULL;
  return g_steal_pointer (&domain);
}

PigeonAccountServer *
pigeon_account_presets_lookup (const char *domain)
{
  g_return_val_if_fail (domain != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      if (g_ascii_strcasecmp (presets[i].domain, domain) == 0)
        return pigeon_account_server_new (presets[i].host, presets[i].port, presets[i].security);
    }
  return NULL;
}

/* Lowest priority first; among equals the heaviest, so that the choice does not depend on
 * the order DNS happened to return them in (weights only spread load, any pick works). */
static gboolean
srv_target_is_better (GSrvTarget *candidate, GSrvTarget *best)
{
  if (g_srv_target_get_priority (candidate) != g_srv_target_get_priority (best))
    return g_srv_target_get_priority (candidate) < g_srv_target_get_priority (best);
  return g_srv_target_get_weight (candidate) > g_srv_target_get_weight (best);
}

PigeonAccountServer *
pigeon_account_presets_from_srv (GList *targets, PigeonSmtpSecurity security)
{
  GSrvTarget *best = NULL;
  g_autofree char *host = NULL;
  gsize len;

  for (GList *l = targets; l != NULL; l = l->next)
    {
      GSrvTarget *target = l->data;

      /* "." is how a domain says "no such service here". */
      if (g_strcmp0 (g_srv_target_get_hostname (target), ".") == 0 ||
          g_srv_target_get_port (target) == 0)
        continue;
      if (best == NULL || srv_target_is_better (target, best))
        best = target;
    }
  if (best == NULL)
    return NULL;
  host = g_strdup (g_srv_target_get_hostname (best));
  len = strlen (host);
  if (len > 1 && host[len - 1] == '.')
    host[len - 1] = '\0';
  return pigeon_account_server_new (host, g_srv_target_get_port (best), security);
}

/* The discovery: two look-ups in turn. */

typedef struct
{
  char *domain;
  gboolean starttls_round; /* the implicit-TLS service was not found */
} Discovery;

static void
discovery_free (Discovery *discovery)
{
  g_free (discovery->domain);
  g_free (discovery);
}

static void discover_lookup (GTask *task);

static void
srv_looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Discovery *discovery = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GList *targets = g_resolver_lookup_service_finish (G_RESOLVER (source), result, &error);
  PigeonSmtpSecurity security =
    discovery->starttls_round ? PIGEON_SMTP_SECURITY_STARTTLS : PIGEON_SMTP_SECURITY_TLS;
  PigeonAccountServer *server = pigeon_account_presets_from_srv (targets, security);

  g_resolver_free_targets (targets);
  if (server != NULL)
    {
      g_task_return_pointer (task, server, (GDestroyNotify) pigeon_account_server_free);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Not found, or a DNS failure: either way the other service may still be published. */
  if (!discovery->starttls_round)
    {
      discovery->starttls_round = TRUE;
      discover_lookup (g_steal_pointer (&task));
      return;
    }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _ ("No outgoing server is published for this domain."));
}

static void
discover_lookup (GTask *task)
{
  g_autoptr (GResolver) resolver = g_resolver_get_default ();
  Discovery *discovery = g_task_get_task_data (task);
  const char *service = discovery->starttls_round ? "submission" : "submissions";

  g_resolver_lookup_service_async (resolver, service, "tcp", discovery->domain,
                                   g_task_get_cancellable (task), srv_looked_up_cb, task);
}

void
pigeon_account_presets_discover_async (const char *domain,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  GTask *task = NULL;
  Discovery *discovery = NULL;

  g_return_if_fail (domain != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pigeon_account_presets_discover_async);
  g_task_set_name (task, "pigeon_account_presets_discover_async");
  discovery = g_new0 (Discovery, 1);
  discovery->domain = g_strdup (domain);
  g_task_set_task_data (task, discovery, (GDestroyNotify) discovery_free);
  /* The task's reference goes to the look-up and comes back in srv_looked_up_cb. */
  discover_lookup (task);
}

PigeonAccountServer *
pigeon_account_presets_discover_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == pigeon_account_presets_discover_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Work on a copy of an account in a worker thread. */

#define PROBE_TIMEOUT_S 30

/* A detached copy of every setting: the user may keep editing the original meanwhile. */
static PigeonAccount *
account_copy (PigeonAccount *account)
{
  PigeonAccount *copy = pigeon_account_new (pigeon_account_get_id (account));
  guint n_specs = 0;
  g_autofree GParamSpec **specs =
    g_object_class_list_properties (G_OBJECT_GET_CLASS (account), &n_specs);

  for (guint i = 0; i < n_specs; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;

      if ((specs[i]->flags & G_PARAM_WRITABLE) == 0 ||
          (specs[i]->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
        continue;
      g_value_init (&value, specs[i]->value_type);
      g_object_get_property (G_OBJECT (account), specs[i]->name, &value);
      g_object_set_property (G_OBJECT (copy), specs[i]->name, &value);
    }
  return copy;
}

/* What a worker is given: the worker's own until the task completes. */
typedef struct
{
  PigeonAccount *account;
  PigeonAccount *previous;
  char *password; /* wiped when freed */
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->account);
  g_clear_object (&work->previous);
  g_clear_pointer (&work->password, pigeon_account_password_free);
  g_free (work);
}

static GTask *
work_task_new (PigeonAccount *account,
               PigeonAccount *previous,
               const char *password,
               GCancellable *cancellable,
               GAsyncReadyCallback callback,
               gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Work *work = g_new0 (Work, 1);

  work->account = account_copy (account);
  work->previous = previous != NULL ? account_copy (previous) : NULL;
  work->password = g_strdup (password);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  return task;
}

void
pigeon_account_probe_free (PigeonAccountProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->host);
  g_free (probe->tls_protocol);
  g_free (probe->ciphersuite);
  g_clear_object (&probe->certificate);
  g_clear_error (&probe->error);
  g_free (probe);
}

static void
probe_collect (PigeonAccountProbe *probe, PigeonSmtpClient *client)
{
  const PigeonSmtpCapabilities *capabilities = pigeon_smtp_client_get_capabilities (client);

  probe->have_capabilities = capabilities != NULL;
  if (capabilities != NULL)
    probe->capabilities = *capabilities;
  g_set_object (&probe->certificate, pigeon_smtp_client_get_peer_certificate (client));
  probe->certificate_errors = pigeon_smtp_client_get_peer_certificate_errors (client);
  probe->tls_protocol = g_strdup (pigeon_smtp_client_get_tls_protocol (client));
  probe->ciphersuite = g_strdup (pigeon_smtp_client_get_tls_ciphersuite (client));
}

static void
probe_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr (PigeonAccountProbe) probe = g_new0 (PigeonAccountProbe, 1);
  g_autoptr (PigeonSmtpClient) client = NULL;
  gboolean has_user = *pigeon_account_get_user (work->account) != '\0';

  probe->host = g_strdup (pigeon_account_get_host (work->account));
  if (work->password == NULL && has_user)
    work->password =
      pigeon_account_lookup_password_sync (work->account, cancellable, &probe->error);
  if (probe->error == NULL)
    client = pigeon_account_create_client (work->account, work->password, &probe->error);
  if (client != NULL)
    {
      pigeon_smtp_client_set_timeout (client, PROBE_TIMEOUT_S);
      probe->logged_in =
        pigeon_smtp_client_probe_sync (client, cancellable, &probe->error) && has_user;
      probe_collect (probe, client);
    }
  if (g_error_matches (probe->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&probe->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&probe),
                           (GDestroyNotify) pigeon_account_probe_free);
}

void
pigeon_account_presets_probe_async (PigeonAccount *account,
                                    const char *password,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (PIGEON_IS_ACCOUNT (account));

  task = work_task_new (account, NULL, password, cancellable, callback, user_data);
  g_task_set_source_tag (task, pigeon_account_presets_probe_async);
  g_task_set_name (task, "pigeon_account_presets_probe_async");
  g_task_run_in_thread (task, probe_thread);
}

PigeonAccountProbe *
pigeon_account_presets_probe_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == pigeon_account_presets_probe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Describing a probe. */

static const struct
{
  PigeonSmtpAuthMechanism mechanism;
  const char *name;
} mechanisms[] = {
  { PIGEON_SMTP_AUTH_PLAIN, "PLAIN" },
  { PIGEON_SMTP_AUTH_LOGIN, "LOGIN" },
  { PIGEON_SMTP_AUTH_CRAM_MD5, "CRAM-MD5" },
  { PIGEON_SMTP_AUTH_XOAUTH2, "XOAUTH2" },
};

static void
add_row (GStrvBuilder *rows, const char *name, const char *value)
{
  g_strv_builder_add (rows, name);
  g_strv_builder_add (rows, value != NULL && *value != '\0' ? value : _ ("Unknown"));
}

static void
describe_certificate (GStrvBuilder *rows, GTlsCertificate *certificate)
{
  g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);
  g_autofree char *issuer = g_tls_certificate_get_issuer_name (certificate);
  g_autoptr (GDateTime) expiry = g_tls_certificate_get_not_valid_after (certificate);
  g_autoptr (GDateTime) local = expiry != NULL ? g_date_time_to_local (expiry) : NULL;
  /* Translators: a certificate's expiry date, see g_date_time_format() */
  g_autofree char *expires = local != NULL ? g_date_time_format (local, _ ("%-d %B %Y")) : NULL;

  add_row (rows, _ ("Certificate for"), subject);
  add_row (rows, _ ("Issued by"), issuer);
  add_row (rows, _ ("Valid until"), expires);
}

static void
describe_capabilities (GStrvBuilder *rows, const PigeonSmtpCapabilities *caps)
{
  g_autoptr (GString) auth = g_string_new (NULL);
  g_autofree char *limit = g_format_size (caps->size_limit);
  g_autofree char *size = g_strdup_printf (_ ("Up to %s"), limit);

  for (gsize i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      if (caps->auth & mechanisms[i].mechanism)
        g_string_append_printf (auth, "%s%s", auth->len > 0 ? ", " : "", mechanisms[i].name);
    }
  add_row (rows, _ ("Log-in methods"), auth->len > 0 ? auth->str : _ ("None offered"));
  add_row (rows, "SIZE",
           !caps->size_declared    ? _ ("Not declared")
           : caps->size_limit == 0 ? _ ("No fixed limit")
                                   : size);
  add_row (rows, "PIPELINING", caps->pipelining ? _ ("Offered") : _ ("Not offered"));
  add_row (rows, "8BITMIME", caps->eightbitmime ? _ ("Offered") : _ ("Not offered"));
  add_row (rows, "SMTPUTF8", caps->smtputf8 ? _ ("Offered") : _ ("Not offered"));
  add_row (rows, "CHUNKING", caps->chunking ? _ ("Offered") : _ ("Not offered"));
}

GStrv
pigeon_account_presets_describe_probe (const PigeonAccountProbe *probe)
{
  g_autoptr (GStrvBuilder) rows = g_strv_builder_new ();
  g_autofree char *tls = NULL;

  g_return_val_if_fail (probe != NULL, NULL);

  if (probe->tls_protocol != NULL)
    tls = g_strdup_printf ("%s, %s", probe->tls_protocol,
                           probe->ciphersuite != NULL ? probe->ciphersuite : _ ("unknown cipher"));
  if (probe->tls_protocol != NULL || probe->have_capabilities)
    add_row (rows, _ ("Encryption"), tls != NULL ? tls : _ ("None: not encrypted"));
  if (probe->certificate != NULL)
    describe_certificate (rows, probe->certificate);
  if (probe->have_capabilities)
    describe_capabilities (rows, &probe->capabilities);
  return g_strv_builder_end (rows);
}

const char *
pigeon_account_presets_probe_verdict (const PigeonAccountProbe *probe)
{
  g_return_val_if_fail (probe != NULL, NULL);

  if (probe->error != NULL)
    return probe->error->message;
  if (probe->logged_in)
    return _ ("Logged in");
  return _ ("Connected. No user name is set, so no log-in was tried.");
}

/* The password. */

static gboolean
login_moved (Work *work)
{
  return work->previous != NULL && (g_strcmp0 (pigeon_account_get_host (work->account),
                                               pigeon_account_get_host (work->previous)) != 0 ||
                                    g_strcmp0 (pigeon_account_get_user (work->account),
                                               pigeon_account_get_user (work->previous)) != 0);
}

static void
keep_password_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;

  /* The keyring files a password under the server and user: when they change, a password
   * the user does not type again must follow them. */
  if (work->password == NULL && login_moved (work))
    work->password = pigeon_account_lookup_password_sync (work->previous, cancellable, NULL);
  if (work->password == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!pigeon_account_store_password_sync (work->account, work->password, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (login_moved (work))
    pigeon_account_clear_password_sync (work->previous, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

void
pigeon_account_presets_keep_password_async (PigeonAccount *account,
                                            PigeonAccount *previous,
                                            const char *password,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (PIGEON_IS_ACCOUNT (account));

  task = work_task_new (account, previous, password, NULL, callback, user_data);
  g_task_set_source_tag (task, pigeon_account_presets_keep_password_async);
  g_task_set_name (task, "pigeon_account_presets_keep_password_async");
  g_task_run_in_thread (task, keep_password_thread);
}

gboolean
pigeon_account_presets_keep_password_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
forget_password_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr (GError) error = NULL;

  /* Without a keyring there is nothing to remove. */
  if (!pigeon_account_clear_password_sync (work->account, cancellable, &error) &&
      !g_error_matches (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_KEYRING))
    g_warning ("The password of a removed account stays in the keyring: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

void
pigeon_account_presets_forget_password (PigeonAccount *account)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (PIGEON_IS_ACCOUNT (account));

  task = work_task_new (account, NULL, NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, pigeon_account_presets_forget_password);
  g_task_set_name (task, "pigeon_account_presets_forget_password");
  g_task_run_in_thread (task, forget_password_thread);
}

void
pigeon_account_probe_remember_size_limit (const PigeonAccountProbe *probe,
                                          PigeonAccount *tested,
                                          PigeonAccount *saved)
{
  g_return_if_fail (probe != NULL);
  g_return_if_fail (PIGEON_IS_ACCOUNT (tested));

  if (saved != NULL && probe->have_capabilities &&
      g_strcmp0 (pigeon_account_get_host (tested), pigeon_account_get_host (saved)) == 0 &&
      pigeon_account_get_port (tested) == pigeon_account_get_port (saved) &&
      pigeon_account_get_security (tested) == pigeon_account_get_security (saved))
    pigeon_account_set_size_limit (saved, probe->capabilities.size_limit);
}
