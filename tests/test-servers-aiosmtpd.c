/* test-servers-aiosmtpd.c: pigeon-send against aiosmtpd on loopback, started beforehand by
 * tests/servers/start; it saves each message as N.eml and its envelope as N.json.
 *
 * What aiosmtpd saved must equal the sent message byte for byte.
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-servers.h"

#include <string.h>

/* ------------------------------------------------------------------ helpers */

/* Finds the saved N.eml containing ID whose N.json is written too; returns N's path stem. */
static gchar *
spool_find (const gchar *spool, const gchar *id)
{
  g_autoptr (GDir) dir = g_dir_open (spool, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (spool, name, NULL);
      g_autofree gchar *stem = NULL;
      g_autofree gchar *json = NULL;
      g_autofree gchar *text = NULL;

      if (name[0] == '.' || !g_str_has_suffix (name, ".eml"))
        continue;
      stem = g_strndup (path, strlen (path) - strlen (".eml"));
      json = g_strconcat (stem, ".json", NULL);
      if (g_file_test (json, G_FILE_TEST_EXISTS) && g_file_get_contents (path, &text, NULL, NULL) &&
          strstr (text, id) != NULL)
        return g_steal_pointer (&stem);
    }
  return NULL;
}

static gchar *
spool_wait (const gchar *spool, const gchar *id)
{
  gint64 deadline = g_get_monotonic_time () + DELIVERY_DEADLINE_S * G_USEC_PER_SEC;
  gchar *stem = NULL;

  while ((stem = spool_find (spool, id)) == NULL && g_get_monotonic_time () < deadline)
    g_usleep (POLL_INTERVAL_US);
  if (stem == NULL)
    g_error ("message <%s> not in %s after %d s", id, spool, DELIVERY_DEADLINE_S);
  return stem;
}

/* The server writes one '"key": <one-line JSON value>' per line; JSON strings and arrays
 * of strings are also GVariant text, so g_variant_parse reads the values. */
static GVariant *
envelope_get (const gchar *json_text, const gchar *key, const GVariantType *type)
{
  g_auto (GStrv) lines = g_strsplit (json_text, "\n", -1);
  g_autofree gchar *prefix = g_strdup_printf ("\"%s\": ", key);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        g_autoptr (GError) error = NULL;
        gchar *value = lines[i] + strlen (prefix);
        GVariant *v = NULL;

        if (g_str_has_suffix (value, ","))
          value[strlen (value) - 1] = '\0';
        v = g_variant_parse (type, value, NULL, NULL, &error);
        g_assert_no_error (error);
        return v;
      }
  g_error ("no \"%s\" in the saved envelope:\n%s", key, json_text);
}

static void
assert_envelope (const gchar *json_path, const gchar *const *rcpts)
{
  g_autofree gchar *json = NULL;
  g_autoptr (GVariant) from = NULL;
  g_autoptr (GVariant) to = NULL;
  g_autoptr (GVariant) options = NULL;
  g_autofree const gchar **to_strv = NULL;
  g_autofree gchar *options_text = NULL;
  g_autoptr (GPtrArray) got = g_ptr_array_new ();

  g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
  from = envelope_get (json, "mail_from", G_VARIANT_TYPE_STRING);
  to = envelope_get (json, "rcpt_tos", G_VARIANT_TYPE_STRING_ARRAY);
  options = envelope_get (json, "mail_options", G_VARIANT_TYPE_STRING_ARRAY);
  options_text = g_variant_print (options, FALSE);
  g_test_message ("MAIL options: %s", options_text);
  g_assert_cmpstr (g_variant_get_string (from, NULL), ==, SENDER);
  to_strv = g_variant_get_strv (to, NULL);
  for (guint i = 0; to_strv[i] != NULL; i++)
    g_ptr_array_add (got, (gpointer) to_strv[i]);
  pigeon_test_servers_assert_same_set (got, rcpts);
}

/* ------------------------------------------------------------------ tests */

static void
test_aiosmtpd_send (gconstpointer data)
{
  const gchar *group = data;
  g_autoptr (PigeonTestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (PigeonTestSendResult) result = NULL;
  g_autofree gchar *spool = NULL;
  g_autofree gchar *stem = NULL;
  g_autofree gchar *eml = NULL;
  g_autofree gchar *json = NULL;
  g_autofree gchar *received = NULL;
  gsize received_len = 0;

  if (!pigeon_test_servers_require ())
    return;
  msg = pigeon_test_servers_make_message (group, TO_ADDR);
  args = pigeon_test_servers_send_args (group, TRUE);
  /* No address options: the envelope comes from the From/To/Cc/Bcc headers. */
  pigeon_test_servers_add_args (args, "--eml", msg->path, NULL);
  result = pigeon_test_servers_run_send (args);
  pigeon_test_servers_assert_exit (result, 0);

  spool = pigeon_test_servers_ini_get (group, "spool-dir");
  stem = spool_wait (spool, msg->id);
  eml = g_strconcat (stem, ".eml", NULL);
  json = g_strconcat (stem, ".json", NULL);
  g_assert_true (g_file_get_contents (eml, &received, &received_len, NULL));
  g_assert_cmpmem (received, received_len, g_bytes_get_data (msg->wire, NULL),
                   g_bytes_get_size (msg->wire));
  g_assert_false (g_str_has_prefix (received, "Bcc:"));
  g_assert_false (pigeon_test_servers_contains_nocase (received, "\nBcc:"));
  pigeon_test_servers_assert_attachment_intact (received, msg);
  assert_envelope (json, ALL_RCPTS);
}

int
main (int argc, char *argv[])
{
  pigeon_test_servers_init (&argc, &argv);

  g_test_add_data_func ("/servers/aiosmtpd/starttls-auth", "aiosmtpd-starttls", test_aiosmtpd_send);
  g_test_add_data_func ("/servers/aiosmtpd/implicit-tls", "aiosmtpd-tls", test_aiosmtpd_send);
  g_test_add_data_func ("/servers/aiosmtpd/plain", "aiosmtpd-plain", test_aiosmtpd_send);
  g_test_add_data_func ("/servers/aiosmtpd/wrong-password", "aiosmtpd-starttls",
                        pigeon_test_servers_test_wrong_password);

  return pigeon_test_servers_run ();
}
