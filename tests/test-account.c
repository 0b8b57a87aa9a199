/* test-account.c: accounts: settings round trip, the list and the default, validation, the
 * password in a real gnome-keyring on a private D-Bus
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "pigeon-account.h"
#include "pigeon-address.h"

#define FINGERPRINT \
  "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF"
#define KEYRING_WAIT_S 10
#define NOWHERE_BUS    "unix:path=/nonexistent/pigeon-test/bus"

/* Each test starts with no accounts: the memory backend lives as long as the process. */
static void
forget_accounts (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.pigeonmail.Pigeon");

  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "default-account");
}

static PigeonAccount *
account_new_valid (const char *id)
{
  PigeonAccount *account = pigeon_account_new (id);

  g_object_set (account, "address", "ana@example.org", "host", "smtp.example.org", NULL);
  return account;
}

/* Settings */

static void
test_round_trip (void)
{
  g_autoptr (PigeonAccount) account = pigeon_account_new ("work");
  g_autoptr (PigeonAccount) loaded = NULL;
  g_autoptr (GSettings) stored = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security = NULL;

  forget_accounts ();
  g_object_set (account, "display-name", "Ana Núñez", "address", "ana@example.org", "host",
                "smtp.example.org", "port", 2525, "security", PIGEON_SMTP_SECURITY_TLS, "user",
                "ana", "auth-mechanism", "CRAM-MD5", "ca-file", "/etc/pigeon/ca.pem",
                "pinned-fingerprint", FINGERPRINT, "allow-insecure-auth", TRUE, NULL);
  g_assert_true (pigeon_account_save (account, &error));
  g_assert_no_error (error);

  loaded = pigeon_account_load ("work", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pigeon_account_get_id (loaded), ==, "work");
  g_assert_cmpstr (pigeon_account_get_display_name (loaded), ==, "Ana Núñez");
  g_assert_cmpstr (pigeon_account_get_address (loaded), ==, "ana@example.org");
  g_assert_cmpstr (pigeon_account_get_host (loaded), ==, "smtp.example.org");
  g_assert_cmpuint (pigeon_account_get_port (loaded), ==, 2525);
  g_assert_cmpint (pigeon_account_get_security (loaded), ==, PIGEON_SMTP_SECURITY_TLS);
  g_assert_cmpstr (pigeon_account_get_user (loaded), ==, "ana");
  g_assert_cmpstr (pigeon_account_get_auth_mechanism (loaded), ==, "CRAM-MD5");
  g_assert_cmpstr (pigeon_account_get_ca_file (loaded), ==, "/etc/pigeon/ca.pem");
  g_assert_cmpstr (pigeon_account_get_pinned_fingerprint (loaded), ==, FINGERPRINT);
  g_assert_true (pigeon_account_get_allow_insecure_auth (loaded));

  /* Where the schema says, under the names it says: what dconf-editor shows. */
  stored = g_settings_new_with_path ("io.github.pigeonmail.Pigeon.Account",
                                     "/io/github/pigeonmail/Pigeon/accounts/work/");
  host = g_settings_get_string (stored, "host");
  g_assert_cmpstr (host, ==, "smtp.example.org");
  security = g_settings_get_string (stored, "security");
  g_assert_cmpstr (security, ==, "tls");
}

static void
test_defaults (void)
{
  g_autoptr (PigeonAccount) account = account_new_valid ("plain");
  g_autoptr (PigeonAccount) loaded = NULL;
  g_autoptr (GError) error = NULL;

  forget_accounts ();
  g_assert_true (pigeon_account_save (account, &error));
  loaded = pigeon_account_load ("plain", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pigeon_account_get_port (loaded), ==, 587);
  g_assert_cmpint (pigeon_account_get_security (loaded), ==, PIGEON_SMTP_SECURITY_STARTTLS);
  g_assert_cmpstr (pigeon_account_get_auth_mechanism (loaded), ==, "");
  g_assert_false (pigeon_account_get_allow_insecure_auth (loaded));
}

/* As the next start reads it. */
static guint64
stored_size_limit (const char *id)
{
  g_autofree char *path = g_strdup_printf ("/io/github/pigeonmail/Pigeon/accounts/%s/", id);
  g_autoptr (GSettings) stored =
    g_settings_new_with_path ("io.github.pigeonmail.Pigeon.Account", path);

  return g_settings_get_uint64 (stored, "size-limit");
}

/* Learnt from the server, the size limit is kept at once; an edit made with an account loaded
 * before does not put the old one back, but another server forgets it. */
static void
test_size_limit (void)
{
  g_autoptr (PigeonAccount) account = account_new_valid ("mail");
  g_autoptr (PigeonAccount) unsaved = account_new_valid ("draft");
  g_autoptr (PigeonAccount) stale = NULL;

  forget_accounts ();
  g_assert_true (pigeon_account_save (account, NULL));
  g_assert_cmpuint (stored_size_limit ("mail"), ==, 0);
  stale = pigeon_account_load ("mail", NULL);
  pigeon_account_set_size_limit (account, 2048);
  g_assert_cmpuint (stored_size_limit ("mail"), ==, 2048);
  g_object_set (stale, "display-name", "Ana", NULL);
  g_assert_true (pigeon_account_save (stale, NULL));
  g_assert_cmpuint (stored_size_limit ("mail"), ==, 2048);

  g_object_set (account, "port", 2525, NULL);
  g_assert_true (pigeon_account_save (account, NULL));
  g_assert_cmpuint (pigeon_account_get_size_limit (account), ==, 0);
  g_assert_cmpuint (stored_size_limit ("mail"), ==, 0);

  pigeon_account_set_size_limit (account, 4096);
  g_clear_object (&stale);
  stale = pigeon_account_load ("mail", NULL);
  g_assert_cmpuint (pigeon_account_get_size_limit (stale), ==, 4096);
  pigeon_account_delete (account);
  g_assert_cmpuint (stored_size_limit ("mail"), ==, 0);

  /* Not saved: kept in memory only. */
  pigeon_account_set_size_limit (unsaved, 100);
  g_assert_cmpuint (pigeon_account_get_size_limit (unsaved), ==, 100);
  g_assert_cmpuint (stored_size_limit ("draft"), ==, 0);
}

static void
test_list_and_default (void)
{
  g_autoptr (PigeonAccount) first = account_new_valid ("first");
  g_autoptr (PigeonAccount) second = account_new_valid ("second");
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) none = NULL;
  g_auto (GStrv) both = NULL;
  g_auto (GStrv) left = NULL;
  g_autofree char *no_default = NULL;
  g_autofree char *default_id = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *after_delete = NULL;

  forget_accounts ();
  none = pigeon_account_list ();
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  no_default = pigeon_account_get_default_id ();
  g_assert_null (no_default);

  g_assert_true (pigeon_account_save (first, NULL));
  g_assert_true (pigeon_account_save (second, NULL));
  g_assert_true (pigeon_account_save (first, NULL)); /* saving again adds nothing */
  both = pigeon_account_list ();
  g_assert_cmpstrv (both, ((const char *[]){ "first", "second", NULL }));
  default_id = pigeon_account_get_default_id ();
  g_assert_cmpstr (default_id, ==, "first");

  g_assert_true (pigeon_account_set_default_id ("second", &error));
  chosen = pigeon_account_get_default_id ();
  g_assert_cmpstr (chosen, ==, "second");
  g_assert_false (pigeon_account_set_default_id ("third", &error));
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NOT_FOUND);

  pigeon_account_delete (second);
  left = pigeon_account_list ();
  g_assert_cmpstrv (left, ((const char *[]){ "first", NULL }));
  after_delete = pigeon_account_get_default_id ();
  g_assert_cmpstr (after_delete, ==, "first");
}

static void
test_not_found (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonAccount) missing = NULL;
  g_autoptr (PigeonAccount) bad_id = NULL;

  forget_accounts ();
  missing = pigeon_account_load ("holiday", &error);
  g_assert_null (missing);
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "holiday"));
  g_clear_error (&error);

  /* Not a settings path of someone else's choosing. */
  bad_id = pigeon_account_load ("../../evil", &error);
  g_assert_null (bad_id);
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NOT_FOUND);
  g_assert_false (pigeon_account_id_is_valid ("a/b"));
  g_assert_true (pigeon_account_id_is_valid ("Work-2_x"));
}

typedef struct
{
  const char *property;
  const char *value;
  const char *in_message; /* NULL: just INVALID */
} BadSetting;

static const BadSetting bad_settings[] = {
  { "host", "", NULL },
  { "host", "smtp example.org", "smtp example.org" },
  { "host", "smtp.example.org\r\nRCPT TO:<x@y>", "smtp.example.org\\x0d\\x0aRCPT" },
  { "address", "", NULL },
  { "address", "not an address", NULL },
  { "address", "Ana <ana@example.org>", "Ana <ana@example.org>" },
  { "display-name", "Ana\r\nBcc: everyone@example.org", NULL },
  { "user", "ana\nQUIT", NULL },
  { "auth-mechanism", "GSSAPI", "GSSAPI" },
  { "pinned-fingerprint", "AB:CD", "AB:CD" },
};

static void
test_invalid (gconstpointer data)
{
  const BadSetting *bad = data;
  g_autoptr (PigeonAccount) account = account_new_valid ("bad");
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_auto (GStrv) ids = NULL;

  forget_accounts ();
  g_object_set (account, bad->property, bad->value, NULL);
  g_assert_false (pigeon_account_save (account, &error));
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID);
  g_test_message ("%s: %s", bad->property, error->message);
  if (bad->in_message != NULL)
    g_assert_nonnull (strstr (error->message, bad->in_message));
  g_assert_null (strchr (error->message, '\n'));
  ids = pigeon_account_list ();
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_error (&error);

  client = pigeon_account_create_client (account, "pw", &error);
  g_assert_null (client);
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID);
}

static void
test_invalid_port (void)
{
  g_autoptr (PigeonAccount) account = account_new_valid ("port");
  g_autoptr (GError) error = NULL;

  g_object_set (account, "port", 70000, NULL);
  g_assert_false (pigeon_account_save (account, &error));
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "70000"));
}

static void
assert_from (const char *name, const char *expected, const char *parsed_name)
{
  g_autoptr (PigeonAccount) account = account_new_valid (NULL);
  g_autoptr (PigeonAddress) address = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *from = NULL;

  g_object_set (account, "display-name", name, NULL);
  from = pigeon_account_get_from_mailbox (account);
  g_assert_cmpstr (from, ==, expected);
  /* What the composer will do with it. */
  address = pigeon_address_parse_mailbox (from, "From", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (address->display_name, ==, parsed_name);
  g_assert_cmpstr (address->address, ==, "ana@example.org");
}

static void
test_from_mailbox (void)
{
  assert_from ("", "ana@example.org", NULL);
  assert_from ("Ana Núñez", "Ana Núñez <ana@example.org>", "Ana Núñez");
  assert_from ("Doe, Ana", "\"Doe, Ana\" <ana@example.org>", "Doe, Ana");
  assert_from ("Ana \"the pen\" Doe", "\"Ana \\\"the pen\\\" Doe\" <ana@example.org>",
               "Ana \"the pen\" Doe");
}

/* The keyring */

typedef struct
{
  char *dir;
  GSubprocess *bus;
  GSubprocess *keyring;
  char *address;
} PrivateKeyring;

static const char bus_config[] =
  "<busconfig><type>session</type><listen>unix:tmpdir=%s</listen><auth>EXTERNAL</auth>"
  "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
  "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>";

/* No <servicedir>: the bus must not start a second, untracked keyring daemon by activation. */
static void
start_bus (PrivateKeyring *keyring)
{
  g_autofree char *config = g_strdup_printf (bus_config, keyring->dir);
  g_autofree char *config_path = g_build_filename (keyring->dir, "bus.conf", NULL);
  g_autofree char *config_arg = g_strconcat ("--config-file=", config_path, NULL);
  g_autoptr (GDataInputStream) output = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (config_path, config, -1, &error));
  keyring->bus =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "dbus-daemon", config_arg, "--nofork",
                      "--nopidfile", "--print-address=1", NULL);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (keyring->bus));
  keyring->address = g_data_input_stream_read_line (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (keyring->address);
}

static void
start_keyring_daemon (PrivateKeyring *keyring)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autofree char *runtime = g_build_filename (keyring->dir, "run", NULL);
  g_autoptr (GError) error = NULL;
  GOutputStream *stdin_pipe = NULL;

  g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  /* Its own home: the user's real keyring is never touched. */
  g_subprocess_launcher_set_environ (launcher, (char *[]){ NULL });
  g_subprocess_launcher_setenv (launcher, "PATH", g_getenv ("PATH"), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", keyring->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", keyring->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", keyring->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", keyring->address, TRUE);
  keyring->keyring =
    g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                 "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  /* --unlock reads the login keyring's password on stdin, up to its end. */
  stdin_pipe = g_subprocess_get_stdin_pipe (keyring->keyring);
  g_output_stream_write_all (stdin_pipe, "keyring-password", 16, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stdin_pipe, NULL, &error);
  g_assert_no_error (error);
}

static void
secret_service_appeared_cb (GDBusConnection *connection,
                            const char *name,
                            const char *owner,
                            gpointer user_data)
{
  g_main_loop_quit (user_data);
}

static gboolean
keyring_wait_timed_out_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for_secret_service (PrivateKeyring *keyring)
{
  g_autoptr (GDBusConnection) connection = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GError) error = NULL;
  guint watch, timeout;
  gboolean appeared;

  connection = g_dbus_connection_new_for_address_sync (
    keyring->address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  watch = g_bus_watch_name_on_connection (connection, "org.freedesktop.secrets",
                                          G_BUS_NAME_WATCHER_FLAGS_NONE, secret_service_appeared_cb,
                                          NULL, loop, NULL);
  timeout = g_timeout_add_seconds (KEYRING_WAIT_S, keyring_wait_timed_out_cb, loop);
  g_main_loop_run (loop);
  appeared = g_main_context_find_source_by_id (NULL, timeout) != NULL;
  if (appeared)
    g_source_remove (timeout);
  g_bus_unwatch_name (watch);
  return appeared;
}

static void
stop_process (GSubprocess *process)
{
  if (process == NULL)
    return;
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

static void
remove_tree (GFile *dir)
{
  g_autoptr (GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, NULL, NULL) &&
         info != NULL)
    {
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_file_delete (child, NULL, NULL);
    }
  g_file_delete (dir, NULL, NULL);
}

static void
stop_private_keyring (PrivateKeyring *keyring)
{
  g_autoptr (GFile) dir = g_file_new_for_path (keyring->dir);

  stop_process (keyring->keyring);
  stop_process (keyring->bus);
  g_clear_object (&keyring->keyring);
  g_clear_object (&keyring->bus);
  remove_tree (dir);
  g_clear_pointer (&keyring->dir, g_free);
  g_clear_pointer (&keyring->address, g_free);
}

static void
assert_no_password (PigeonAccount *account)
{
  g_autoptr (GError) error = NULL;
  char *password = pigeon_account_lookup_password_sync (account, NULL, &error);

  g_assert_null (password);
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_PASSWORD);
}

static void
lookup_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* The async lookup, run to its end. */
static char *
lookup_async (PigeonAccount *account, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  pigeon_account_lookup_password (account, NULL, lookup_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return pigeon_account_lookup_password_finish (account, result, error);
}

/* Runs in a subprocess on the private bus, so that a failed assertion still lets the parent
 * stop the daemons. */
static void
keyring_round_trip (void)
{
  g_autoptr (PigeonAccount) account = account_new_valid ("keyring");
  g_autoptr (PigeonAccount) other_user = account_new_valid ("keyring");
  g_autoptr (GError) error = NULL;
  char *password = NULL;

  g_object_set (account, "user", "ana", NULL);
  g_object_set (other_user, "user", "bob", NULL);
  assert_no_password (account);

  g_assert_true (pigeon_account_store_password_sync (account, "correct horse", NULL, &error));
  g_assert_no_error (error);
  password = pigeon_account_lookup_password_sync (account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "correct horse");
  pigeon_account_password_free (password);
  password = lookup_async (account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "correct horse");
  pigeon_account_password_free (password);
  assert_no_password (other_user); /* keyed by the user too */

  g_assert_true (pigeon_account_clear_password_sync (account, NULL, &error));
  g_assert_no_error (error);
  assert_no_password (account);
  g_assert_true (pigeon_account_clear_password_sync (account, NULL, &error));
  g_assert_no_error (error);
}

static void
test_keyring_round_trip (void)
{
  PrivateKeyring keyring = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean appeared;

  if (g_test_subprocess ())
    {
      keyring_round_trip ();
      return;
    }
  keyring.dir = g_dir_make_tmp ("pigeon-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  start_bus (&keyring);
  start_keyring_daemon (&keyring);
  appeared = wait_for_secret_service (&keyring);
  if (appeared)
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", keyring.address, TRUE);
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
    }
  stop_private_keyring (&keyring);
  g_assert_true (appeared);
  g_test_trap_assert_passed ();
}

static void
assert_no_keyring (const GError *error)
{
  g_assert_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_KEYRING);
  g_assert_nonnull (strstr (error->message, "keyring"));
}

static void
test_keyring_missing (void)
{
  g_autoptr (PigeonAccount) account = account_new_valid ("nokeyring");
  g_autoptr (GError) store_error = NULL;
  g_autoptr (GError) lookup_error = NULL;
  g_autoptr (GError) async_error = NULL;
  g_autoptr (GError) clear_error = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", NOWHERE_BUS, TRUE);
  g_object_set (account, "user", "ana", NULL);
  g_assert_false (pigeon_account_store_password_sync (account, "pw", NULL, &store_error));
  assert_no_keyring (store_error);
  g_test_message ("%s", store_error->message);
  g_assert_null (pigeon_account_lookup_password_sync (account, NULL, &lookup_error));
  assert_no_keyring (lookup_error);
  g_assert_null (lookup_async (account, &async_error));
  assert_no_keyring (async_error);
  g_assert_false (pigeon_account_clear_password_sync (account, NULL, &clear_error));
  assert_no_keyring (clear_error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account/settings/round-trip", test_round_trip);
  g_test_add_func ("/account/settings/defaults", test_defaults);
  g_test_add_func ("/account/settings/size-limit", test_size_limit);
  g_test_add_func ("/account/settings/list-and-default", test_list_and_default);
  g_test_add_func ("/account/settings/not-found", test_not_found);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_settings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/account/settings/invalid/%s/%" G_GSIZE_FORMAT,
                                               bad_settings[i].property, i);
      g_test_add_data_func (path, &bad_settings[i], test_invalid);
    }
  g_test_add_func ("/account/settings/invalid/port", test_invalid_port);
  g_test_add_func ("/account/from-mailbox", test_from_mailbox);
  g_test_add_func ("/account/keyring/missing", test_keyring_missing);
  g_test_add_func ("/account/keyring/round-trip", test_keyring_round_trip);

  return g_test_run ();
}
