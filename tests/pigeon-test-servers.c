/* pigeon-test-servers.c: what the tests against real servers share: servers.ini, test
 * messages, running pigeon-send
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-servers.h"

#include <glib/gstdio.h>
#include <string.h>

#define SEND_DEADLINE_S 60
#define BOUNDARY        "=-pigeon-test-boundary"

/* Set once by pigeon_test_servers_init (), read by every test. */
static GKeyFile *servers;
static gchar *servers_error;
static const gchar *pigeon_send;
static gchar *tmp_dir; /* made when a test writes a file, removed after each pigeon-send run */

/* ------------------------------------------------------------------ helpers */

/* The files exist only while pigeon-send reads them, so a failing (aborting) test leaves
 * nothing behind in the temporary folder. */
static void
remove_tmp_dir (void)
{
  g_autoptr (GDir) dir = NULL;
  const gchar *name;

  if (tmp_dir == NULL)
    return;
  dir = g_dir_open (tmp_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (tmp_dir, name, NULL);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (tmp_dir), ==, 0);
  g_clear_pointer (&tmp_dir, g_free);
}

static GBytes *
random_bytes (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = g_random_int_range (0, 256);
  return g_bytes_new_take (data, len);
}

static void
append_base64_lines (GString *s, GBytes *blob)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (blob, &len);
  g_autofree gchar *b64 = g_base64_encode (data, len);
  gsize b64_len = strlen (b64);

  for (gsize i = 0; i < b64_len; i += 76)
    {
      g_string_append_len (s, b64 + i, MIN (76, b64_len - i));
      g_string_append (s, "\r\n");
    }
}

/* A text part whose lines test dot-stuffing and the 998-octet line limit (RFC 5322 2.1.1). */
static void
append_text_part (GString *s, const gchar *tag)
{
  g_string_append (s, "--" BOUNDARY "\r\n"
                      "Content-Type: text/plain; charset=us-ascii\r\n"
                      "Content-Transfer-Encoding: 7bit\r\n\r\n");
  g_string_append_printf (s, "Test %s.\r\n", tag);
  g_string_append (s, ".\r\n..\r\n.leading dot\r\n. \r\n");
  for (guint i = 0; i < 998; i++)
    g_string_append_c (s, "0123456789abcdefghijklmnopqrstuvwxyz"[i % 36]);
  g_string_append (s, "\r\nLast line.\r\n");
}

static void
append_binary_part (GString *s, GBytes *blob)
{
  g_string_append (s, "--" BOUNDARY "\r\n"
                      "Content-Type: application/octet-stream\r\n"
                      "Content-Transfer-Encoding: base64\r\n"
                      "Content-Disposition: attachment; filename=\"random.bin\"\r\n\r\n");
  append_base64_lines (s, blob);
  g_string_append (s, "--" BOUNDARY "--\r\n");
}

static void
communicate_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gchar *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const gchar *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  return g_strndup (data ? data : "", len);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

static void
load_servers (void)
{
  const gchar *path = g_getenv ("PIGEON_TEST_SERVERS");
  g_autoptr (GKeyFile) ini = g_key_file_new ();
  g_autoptr (GError) error = NULL;

  pigeon_send = g_getenv ("PIGEON_SEND");
  if (path == NULL || *path == '\0')
    servers_error = g_strdup ("PIGEON_TEST_SERVERS is not set: start the servers with "
                              "`tests/servers/start DIR`, then `export "
                              "PIGEON_TEST_SERVERS=DIR/servers.ini` (stop them afterwards "
                              "with `tests/servers/stop DIR`)");
  else if (!g_key_file_load_from_file (ini, path, G_KEY_FILE_NONE, &error))
    servers_error = g_strdup_printf ("cannot read PIGEON_TEST_SERVERS=%s: %s (run "
                                     "`tests/servers/start DIR` first)",
                                     path, error->message);
  else if (pigeon_send == NULL)
    servers_error = g_strdup ("PIGEON_SEND is not set (run the tests with `meson test`)");
  else
    servers = g_steal_pointer (&ini);
}

/* ------------------------------------------------------------------ set-up */

void
pigeon_test_servers_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  load_servers ();
}

int
pigeon_test_servers_run (void)
{
  int rc = g_test_run ();

  remove_tmp_dir ();
  g_clear_pointer (&servers, g_key_file_unref);
  g_free (servers_error);
  return rc;
}

void
pigeon_test_message_free (PigeonTestMessage *msg)
{
  g_free (msg->id);
  g_free (msg->path);
  g_bytes_unref (msg->wire);
  g_bytes_unref (msg->blob);
  g_free (msg);
}

void
pigeon_test_send_result_free (PigeonTestSendResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

gboolean
pigeon_test_servers_require (void)
{
  if (servers != NULL && pigeon_send != NULL)
    return TRUE;
  g_test_fail_printf ("%s", servers_error);
  return FALSE;
}

gchar *
pigeon_test_servers_ini_get (const gchar *group, const gchar *key)
{
  g_autoptr (GError) error = NULL;
  gchar *value = g_key_file_get_string (servers, group, key, &error);

  g_assert_no_error (error);
  return value;
}

gchar *
pigeon_test_servers_write_tmp_file (const gchar *name, const gchar *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  gchar *path = NULL;

  if (tmp_dir == NULL)
    tmp_dir = g_dir_make_tmp ("pigeon-servers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmp_dir, name, NULL);

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

/* ------------------------------------------------------------------ messages */

/* Writes TAG.eml with To, Cc and a Bcc header; msg->wire is the file minus its Bcc line. */
PigeonTestMessage *
pigeon_test_servers_make_message (const gchar *tag, const gchar *to)
{
  PigeonTestMessage *msg = g_new0 (PigeonTestMessage, 1);
  g_autoptr (GString) head = g_string_new (NULL);
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree gchar *name = g_strconcat (tag, ".eml", NULL);
  g_autofree gchar *uuid = g_uuid_string_random ();
  g_autofree gchar *file = NULL;
  const gchar *bcc = "Bcc: " BCC_ADDR "\r\n";

  msg->id = g_strdup_printf ("%s.%s@pigeon.test", tag, uuid);
  msg->blob = random_bytes (3000);
  g_string_append_printf (head, "From: Alice <" SENDER ">\r\nTo: %s\r\nCc: " CC_ADDR "\r\n", to);
  g_string_append_printf (body,
                          "Subject: Pigeon server test %s\r\n"
                          "Date: Mon, 01 Jan 2024 12:00:00 +0000\r\n"
                          "Message-ID: <%s>\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: multipart/mixed; boundary=\"" BOUNDARY "\"\r\n\r\n",
                          tag, msg->id);
  append_text_part (body, tag);
  append_binary_part (body, msg->blob);

  file = g_strconcat (head->str, bcc, body->str, NULL);
  msg->path = pigeon_test_servers_write_tmp_file (name, file, strlen (file));
  g_string_append (head, body->str);
  msg->wire = g_bytes_new (head->str, head->len);
  return msg;
}

/* The attachment as received decodes to the random bytes that were sent. */
void
pigeon_test_servers_assert_attachment_intact (const gchar *received, const PigeonTestMessage *msg)
{
  const gchar *start = strstr (received, "filename=\"random.bin\"");
  const gchar *end = NULL;
  g_autofree gchar *b64 = NULL;
  g_autofree guchar *decoded = NULL;
  gsize len = 0, blob_len = 0;
  const guint8 *blob = g_bytes_get_data (msg->blob, &blob_len);

  g_assert_nonnull (start);
  end = strstr (start, "--" BOUNDARY "--");
  g_assert_nonnull (end);
  start = strchr (start, '\n') + 1; /* the blank line after the part's headers follows */
  b64 = g_strndup (start, end - start);
  decoded = g_base64_decode (b64, &len); /* skips the CR/LF between lines */
  g_assert_cmpmem (decoded, len, blob, blob_len);
}

void
pigeon_test_servers_assert_same_set (GPtrArray *got, const gchar *const *want)
{
  g_autoptr (GPtrArray) expected = g_ptr_array_new ();

  for (guint i = 0; want[i] != NULL; i++)
    g_ptr_array_add (expected, (gpointer) want[i]);
  g_ptr_array_sort (got, compare_strings);
  g_ptr_array_sort (expected, compare_strings);
  g_ptr_array_add (got, NULL);
  g_ptr_array_add (expected, NULL);
  g_assert_cmpstrv ((const gchar *const *) got->pdata, (const gchar *const *) expected->pdata);
  g_ptr_array_remove_index (got, got->len - 1);
}

/* ------------------------------------------------------------------ pigeon-send */

GPtrArray *
pigeon_test_servers_send_args (const gchar *group, gboolean with_ca)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *host = pigeon_test_servers_ini_get (group, "host");
  g_autofree gchar *port = pigeon_test_servers_ini_get (group, "port");

  g_ptr_array_add (args, g_strdup (pigeon_send));
  g_ptr_array_add (args, g_strdup ("--server"));
  g_ptr_array_add (args, g_strdup_printf ("%s:%s", host, port));
  g_ptr_array_add (args, g_strdup ("--security"));
  g_ptr_array_add (args, pigeon_test_servers_ini_get (group, "security"));
  g_ptr_array_add (args, g_strdup ("--timeout"));
  g_ptr_array_add (args, g_strdup ("20"));
  if (g_key_file_has_key (servers, group, "user", NULL))
    {
      g_ptr_array_add (args, g_strdup ("--user"));
      g_ptr_array_add (args, pigeon_test_servers_ini_get (group, "user"));
      g_ptr_array_add (args, g_strdup ("--password-file"));
      g_ptr_array_add (args, pigeon_test_servers_ini_get (group, "password-file"));
    }
  if (with_ca)
    {
      g_ptr_array_add (args, g_strdup ("--ca-file"));
      g_ptr_array_add (args, pigeon_test_servers_ini_get (group, "ca-file"));
    }
  return args;
}

void
pigeon_test_servers_add_args (GPtrArray *args, ...)
{
  va_list ap;
  const gchar *arg;

  va_start (ap, args);
  while ((arg = va_arg (ap, const gchar *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
}

/* Replaces the value that follows OPTION (e.g. a different --password-file). */
void
pigeon_test_servers_replace_arg (GPtrArray *args, const gchar *option, const gchar *value)
{
  for (guint i = 0; i + 1 < args->len; i++)
    if (g_str_equal (g_ptr_array_index (args, i), option))
      {
        g_free (g_ptr_array_index (args, i + 1));
        g_ptr_array_index (args, i + 1) = g_strdup (value);
        return;
      }
  g_assert_not_reached ();
}

/* Runs pigeon-send, bounded by SEND_DEADLINE_S, and collects its exit status and output. */
PigeonTestSendResult *
pigeon_test_servers_run_send (GPtrArray *args)
{
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cmdline = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id = 0;
  PigeonTestSendResult *result = g_new0 (PigeonTestSendResult, 1);

  g_ptr_array_add (args, NULL);
  cmdline = g_strjoinv (" ", (gchar **) args->pdata);
  g_test_message ("running: %s", cmdline);
  proc =
    g_subprocess_newv ((const gchar *const *) args->pdata,
                       G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (proc, NULL, NULL, communicate_cb, &res);
  timeout_id = g_timeout_add_seconds (SEND_DEADLINE_S, deadline_cb, &timed_out);
  while (res == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (res == NULL)
    {
      g_subprocess_force_exit (proc);
      g_error ("pigeon-send did not finish within %d s", SEND_DEADLINE_S);
    }
  g_source_remove (timeout_id);
  g_subprocess_communicate_finish (proc, res, &out, &err, &error);
  g_assert_no_error (error);
  remove_tmp_dir ();
  g_assert_true (g_subprocess_get_if_exited (proc));
  result->status = g_subprocess_get_exit_status (proc);
  result->out = bytes_to_string (out);
  result->err = bytes_to_string (err);
  g_test_message ("exit %d, stderr:\n%s", result->status, result->err);
  return result;
}

void
pigeon_test_servers_assert_exit (const PigeonTestSendResult *result, gint expected)
{
  if (result->status != expected)
    g_test_message ("unexpected exit status; stdout:\n%s\nstderr:\n%s", result->out, result->err);
  g_assert_cmpint (result->status, ==, expected);
}

gboolean
pigeon_test_servers_contains_nocase (const gchar *haystack, const gchar *needle)
{
  g_autofree gchar *h = g_ascii_strdown (haystack, -1);
  g_autofree gchar *n = g_ascii_strdown (needle, -1);

  return strstr (h, n) != NULL;
}

/* ------------------------------------------------------------------ tests */

void
pigeon_test_servers_test_wrong_password (gconstpointer data)
{
  const gchar *group = data;
  g_autoptr (PigeonTestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (PigeonTestSendResult) result = NULL;
  const gchar *wrong = "pä55 w:rd?";
  g_autofree gchar *wrong_line = NULL;
  g_autofree gchar *wrong_file = NULL;

  if (!pigeon_test_servers_require ())
    return;
  msg = pigeon_test_servers_make_message ("wrong-password", TO_ADDR);
  wrong_line = g_strconcat (wrong, "\n", NULL);
  wrong_file =
    pigeon_test_servers_write_tmp_file ("wrong.password", wrong_line, strlen (wrong_line));
  args = pigeon_test_servers_send_args (group, TRUE);
  pigeon_test_servers_replace_arg (args, "--password-file", wrong_file);
  pigeon_test_servers_add_args (args, "--from", SENDER, "--to", TO_ADDR, "--eml", msg->path, NULL);
  result = pigeon_test_servers_run_send (args);
  pigeon_test_servers_assert_exit (result, 77);
  g_assert_true (g_str_has_prefix (result->err, "pigeon-send: "));
  g_assert_true (pigeon_test_servers_contains_nocase (result->err, "password"));
  g_assert_true (pigeon_test_servers_contains_nocase (result->err, "reject"));
  g_assert_null (strstr (result->err, wrong));
}
