/* pigeon-account-store.c: where accounts are kept: settings in GSettings, the password in the
 * Secret Service and nowhere else
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-core"

#include "pigeon-account.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#define APP_SCHEMA_ID     "io.github.pigeonmail.Pigeon"
#define ACCOUNT_SCHEMA_ID "io.github.pigeonmail.Pigeon.Account"
#define ACCOUNT_PATH_FMT  "/io/github/pigeonmail/Pigeon/accounts/%s/"

static const SecretSchema *
password_schema (void)
{
  static const SecretSchema schema = {
    "io.github.pigeonmail.Pigeon.Password",
    SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

static GSettings *
account_settings_new (const char *id)
{
  g_autofree char *path = g_strdup_printf (ACCOUNT_PATH_FMT, id);

  return g_settings_new_with_path (ACCOUNT_SCHEMA_ID, path);
}

static gboolean
id_is_listed (GSettings *app_settings, const char *id)
{
  g_auto (GStrv) ids = g_settings_get_strv (app_settings, "accounts");

  return g_strv_contains ((const char *const *) ids, id);
}

/* Every string property of the account but "id" is the key of the same name. */
static GPtrArray *
string_keys (PigeonAccount *self)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;
  GPtrArray *keys = g_ptr_array_new ();

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      if (pspecs[i]->value_type == G_TYPE_STRING && g_strcmp0 (pspecs[i]->name, "id") != 0)
        g_ptr_array_add (keys, (gpointer) pspecs[i]->name);
    }
  return keys;
}

static void
load_settings (PigeonAccount *self, GSettings *settings)
{
  g_autoptr (GPtrArray) keys = string_keys (self);
  guint16 port = 0;

  for (guint i = 0; i < keys->len; i++)
    {
      g_autofree char *value = g_settings_get_string (settings, keys->pdata[i]);

      g_object_set (self, keys->pdata[i], value, NULL);
    }
  g_settings_get (settings, "port", "q", &port);
  g_object_set (self, "port", (guint) port, "security", g_settings_get_enum (settings, "security"),
                "allow-insecure-auth", g_settings_get_boolean (settings, "allow-insecure-auth"),
                "size-limit", g_settings_get_uint64 (settings, "size-limit"), NULL);
}

/* Whether @self now names another server than the one whose size limit is stored. */
static gboolean
server_changed (PigeonAccount *self, GSettings *settings)
{
  g_autofree char *host = g_settings_get_string (settings, "host");
  guint16 port = 0;

  g_settings_get (settings, "port", "q", &port);
  return g_strcmp0 (host, pigeon_account_get_host (self)) != 0 ||
         port != pigeon_account_get_port (self) ||
         g_settings_get_enum (settings, "security") != (int) pigeon_account_get_security (self);
}

static void
store_settings (PigeonAccount *self, GSettings *settings)
{
  g_autoptr (GPtrArray) keys = string_keys (self);
  gboolean forget_size_limit = server_changed (self, settings);

  /* Delayed, so that a reader never sees half an account. */
  g_settings_delay (settings);
  for (guint i = 0; i < keys->len; i++)
    {
      g_autofree char *value = NULL;

      g_object_get (self, keys->pdata[i], &value, NULL);
      g_settings_set_string (settings, keys->pdata[i], value);
    }
  /* pigeon_account_validate() made sure that the port fits. */
  g_settings_set (settings, "port", "q", (guint16) pigeon_account_get_port (self));
  g_settings_set_enum (settings, "security", pigeon_account_get_security (self));
  g_settings_set_boolean (settings, "allow-insecure-auth",
                          pigeon_account_get_allow_insecure_auth (self));
  /* Otherwise only pigeon_account_set_size_limit() writes it: an account loaded before a send
   * learnt the limit must not put the old one back. A new server's limit is not known yet. */
  if (forget_size_limit)
    {
      g_settings_reset (settings, "size-limit");
      g_object_set (self, "size-limit", (guint64) 0, NULL);
    }
  g_settings_apply (settings);
}

PigeonAccount *
pigeon_account_load (const char *id, GError **error)
{
  g_autoptr (GSettings) app_settings = g_settings_new (APP_SCHEMA_ID);
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (PigeonAccount) self = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  if (!pigeon_account_id_is_valid (id) || !id_is_listed (app_settings, id))
    {
      g_autofree char *shown = g_strescape (id, NULL);

      g_set_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NOT_FOUND,
                   _ ("There is no account “%s”."), shown);
      return NULL;
    }
  self = pigeon_account_new (id);
  settings = account_settings_new (id);
  load_settings (self, settings);
  return g_steal_pointer (&self);
}

gboolean
pigeon_account_save (PigeonAccount *self, GError **error)
{
  g_autoptr (GSettings) app_settings = g_settings_new (APP_SCHEMA_ID);
  g_autoptr (GSettings) settings = NULL;
  g_auto (GStrv) ids = NULL;

  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), FALSE);

  if (!pigeon_account_validate (self, error))
    return FALSE;

  settings = account_settings_new (pigeon_account_get_id (self));
  store_settings (self, settings);

  ids = g_settings_get_strv (app_settings, "accounts");
  if (!g_strv_contains ((const char *const *) ids, pigeon_account_get_id (self)))
    {
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

      g_strv_builder_addv (builder, (const char **) ids);
      g_strv_builder_add (builder, pigeon_account_get_id (self));
      g_clear_pointer (&ids, g_strfreev);
      ids = g_strv_builder_end (builder);
      g_settings_set_strv (app_settings, "accounts", (const char *const *) ids);
    }
  if (g_strv_length (ids) == 1)
    g_settings_set_string (app_settings, "default-account", pigeon_account_get_id (self));
  return TRUE;
}

void
pigeon_account_delete (PigeonAccount *self)
{
  g_autoptr (GSettings) app_settings = g_settings_new (APP_SCHEMA_ID);
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) ids = NULL;
  g_auto (GStrv) kept = NULL;
  g_autofree char *default_id = NULL;
  g_autoptr (GPtrArray) keys = NULL;

  g_return_if_fail (PIGEON_IS_ACCOUNT (self));

  ids = g_settings_get_strv (app_settings, "accounts");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (g_strcmp0 (ids[i], pigeon_account_get_id (self)) != 0)
        g_strv_builder_add (builder, ids[i]);
    }
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (app_settings, "accounts", (const char *const *) kept);

  default_id = g_settings_get_string (app_settings, "default-account");
  if (g_strcmp0 (default_id, pigeon_account_get_id (self)) == 0)
    g_settings_reset (app_settings, "default-account");

  settings = account_settings_new (pigeon_account_get_id (self));
  g_settings_delay (settings);
  keys = string_keys (self);
  for (guint i = 0; i < keys->len; i++)
    g_settings_reset (settings, keys->pdata[i]);
  g_settings_reset (settings, "port");
  g_settings_reset (settings, "security");
  g_settings_reset (settings, "allow-insecure-auth");
  g_settings_reset (settings, "size-limit");
  g_settings_apply (settings);
}

void
pigeon_account_set_size_limit (PigeonAccount *self, guint64 limit)
{
  g_autoptr (GSettings) app_settings = g_settings_new (APP_SCHEMA_ID);
  g_autoptr (GSettings) settings = NULL;

  g_return_if_fail (PIGEON_IS_ACCOUNT (self));

  g_object_set (self, "size-limit", limit, NULL);
  /* An account that was never saved has no settings to keep it in. */
  if (!id_is_listed (app_settings, pigeon_account_get_id (self)))
    return;
  settings = account_settings_new (pigeon_account_get_id (self));
  g_settings_set_uint64 (settings, "size-limit", limit);
}

void
pigeon_account_remember_size_limit (PigeonAccount *self, PigeonSmtpClient *client)
{
  const PigeonSmtpCapabilities *caps = NULL;

  g_return_if_fail (PIGEON_IS_ACCOUNT (self));
  g_return_if_fail (PIGEON_IS_SMTP_CLIENT (client));

  caps = pigeon_smtp_client_get_capabilities (client);
  if (caps != NULL)
    pigeon_account_set_size_limit (self, caps->size_limit);
}

GStrv
pigeon_account_list (void)
{
  g_autoptr (GSettings) app_settings = g_settings_new (APP_SCHEMA_ID);

  return g_settings_get_strv (app_settings, "accounts");
}

char *
pigeon_account_get_default_id (void)
{
  g_autoptr (GSettings) app_settings = g_settings_new (APP_SCHEMA_ID);
  g_auto (GStrv) ids = g_settings_get_strv (app_settings, "accounts");
  g_autofree char *id = g_settings_get_string (app_settings, "default-account");

  if (g_strv_contains ((const char *const *) ids, id))
    return g_steal_pointer (&id);
  return ids[0] != NULL ? g_strdup (ids[0]) : NULL;
}

gboolean
pigeon_account_set_default_id (const char *id, GError **error)
{
  g_autoptr (GSettings) app_settings = g_settings_new (APP_SCHEMA_ID);

  g_return_val_if_fail (id != NULL, FALSE);

  if (!id_is_listed (app_settings, id))
    {
      g_autofree char *shown = g_strescape (id, NULL);

      g_set_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NOT_FOUND,
                   _ ("There is no account “%s”."), shown);
      return FALSE;
    }
  g_settings_set_string (app_settings, "default-account", id);
  return TRUE;
}

/* The password. */

static GHashTable *
password_attributes (PigeonAccount *self)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, "account", g_strdup (pigeon_account_get_id (self)));
  g_hash_table_insert (attributes, "host", g_strdup (pigeon_account_get_host (self)));
  g_hash_table_insert (attributes, "user", g_strdup (pigeon_account_get_user (self)));
  return attributes;
}

/* Errors from D-Bus or the bus connection mean there is no Secret Service to talk to; the
 * service's own errors (a locked keyring, …) and cancellation are passed on as they are. */
static void
propagate_keyring_error (GError **error, GError *cause)
{
  if (cause->domain == G_DBUS_ERROR ||
      (cause->domain == G_IO_ERROR && cause->code != G_IO_ERROR_CANCELLED))
    {
      g_set_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_KEYRING,
                   _ ("No keyring (Secret Service) is available to keep the password: %s"),
                   cause->message);
      g_error_free (cause);
    }
  else
    g_propagate_error (error, cause);
}

static char *
lookup_result (PigeonAccount *self, char *password, GError *cause, GError **error)
{
  if (cause != NULL)
    {
      propagate_keyring_error (error, cause);
      return NULL;
    }
  if (password == NULL)
    g_set_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_PASSWORD,
                 _ ("The keyring has no password for %s on %s."), pigeon_account_get_user (self),
                 pigeon_account_get_host (self));
  return password;
}

char *
pigeon_account_lookup_password_sync (PigeonAccount *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) attributes = NULL;
  GError *cause = NULL;
  char *password = NULL;

  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);

  attributes = password_attributes (self);
  password = secret_password_lookupv_sync (password_schema (), attributes, cancellable, &cause);
  return lookup_result (self, password, cause, error);
}

gboolean
pigeon_account_store_password_sync (PigeonAccount *self,
                                    const char *password,
                                    GCancellable *cancellable,
                                    GError **error)
{
  g_autoptr (GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GError *cause = NULL;

  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  attributes = password_attributes (self);
  label = g_strdup_printf (_ ("Pigeon: password for %s on %s"), pigeon_account_get_user (self),
                           pigeon_account_get_host (self));
  if (!secret_password_storev_sync (password_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                    label, password, cancellable, &cause))
    {
      propagate_keyring_error (error, cause);
      return FALSE;
    }
  return TRUE;
}

gboolean
pigeon_account_clear_password_sync (PigeonAccount *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) attributes = NULL;
  GError *cause = NULL;

  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), FALSE);

  attributes = password_attributes (self);
  /* FALSE without an error only means there was nothing to clear. */
  if (!secret_password_clearv_sync (password_schema (), attributes, cancellable, &cause) &&
      cause != NULL)
    {
      propagate_keyring_error (error, cause);
      return FALSE;
    }
  return TRUE;
}

static void
password_looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PigeonAccount *self = g_task_get_source_object (task);
  GError *cause = NULL;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &cause);

  password = lookup_result (self, password, cause, &error);
  if (password == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
pigeon_account_lookup_password (PigeonAccount *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GHashTable) attributes = NULL;

  g_return_if_fail (PIGEON_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pigeon_account_lookup_password);
  g_task_set_name (task, "pigeon_account_lookup_password");
  attributes = password_attributes (self);
  secret_password_lookupv (password_schema (), attributes, cancellable, password_looked_up_cb,
                           g_steal_pointer (&task));
}

char *
pigeon_account_lookup_password_finish (PigeonAccount *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pigeon_account_lookup_password,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pigeon_account_password_free (char *password)
{
  /* libsecret's own free wipes the bytes first; it also takes any g_malloc'd string. */
  secret_password_free (password);
}
