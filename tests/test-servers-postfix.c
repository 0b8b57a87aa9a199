/* test-servers-postfix.c: pigeon-send against Postfix + Dovecot SASL on loopback, started
 * beforehand by tests/servers/start.
 *
 * Postfix stores mail with LF endings and prepends Return-Path, X-Original-To, Delivered-To
 * and Received: the delivered file must be exactly those headers followed by the sent bytes
 * with every CRLF turned into LF.
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-servers.h"

#include <string.h>

/* ------------------------------------------------------------------ helpers */

static gchar *
read_first_line (const gchar *path)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  text[strcspn (text, "\r\n")] = '\0';
  return g_steal_pointer (&text);
}

static GBytes *
crlf_to_lf (GBytes *bytes)
{
  gsize len = 0;
  const gchar *data = g_bytes_get_data (bytes, &len);
  GString *s = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
      g_string_append_c (s, data[i]);
  return g_string_free_to_bytes (s);
}

/* ------------------------------------------------------------------ helpers: Maildir and log */

/* Paths of the delivered files in MAILDIR/new that contain ID. */
static GPtrArray *
maildir_find (const gchar *maildir, const gchar *id)
{
  g_autofree gchar *new_dir = g_build_filename (maildir, "new", NULL);
  g_autoptr (GDir) dir = g_dir_open (new_dir, 0, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (new_dir, name, NULL);
      g_autofree gchar *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL) && strstr (text, id) != NULL)
        g_ptr_array_add (found, g_steal_pointer (&path));
    }
  return found;
}

static GPtrArray *
maildir_wait (const gchar *maildir, const gchar *id, guint count)
{
  gint64 deadline = g_get_monotonic_time () + DELIVERY_DEADLINE_S * G_USEC_PER_SEC;
  GPtrArray *found = maildir_find (maildir, id);

  while (found->len < count && g_get_monotonic_time () < deadline)
    {
      g_usleep (POLL_INTERVAL_US);
      g_ptr_array_unref (found);
      found = maildir_find (maildir, id);
    }
  return found;
}

static gboolean
is_prepended_header (const gchar *line)
{
  static const gchar *const names[] = { "Return-Path:", "X-Original-To:", "Delivered-To:",
                                        "Received:" };

  if (line[0] == ' ' || line[0] == '\t')
    return TRUE; /* continuation of the Received header */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_has_prefix (line, names[i]))
      return TRUE;
  return FALSE;
}

/* Checks that TEXT is Postfix's headers followed by EXPECTED; returns the Delivered-To. */
static gchar *
split_postfix_delivery (const gchar *text, gsize len, GBytes *expected)
{
  gsize exp_len = 0;
  const gchar *exp = g_bytes_get_data (expected, &exp_len);
  g_autofree gchar *prefix = NULL;
  g_auto (GStrv) lines = NULL;
  gchar *delivered_to = NULL;

  g_assert_cmpuint (len, >, exp_len);
  g_assert_cmpmem (text + len - exp_len, exp_len, exp, exp_len);
  prefix = g_strndup (text, len - exp_len);
  g_assert_true (g_str_has_suffix (prefix, "\n"));
  lines = g_strsplit (prefix, "\n", -1);
  for (guint i = 0; lines[i + 1] != NULL; i++)
    {
      if (!is_prepended_header (lines[i]))
        g_error ("Postfix changed the message: unexpected line \"%s\" before it", lines[i]);
      if (g_str_has_prefix (lines[i], "Delivered-To: "))
        delivered_to = g_strdup (lines[i] + strlen ("Delivered-To: "));
    }
  g_assert_nonnull (delivered_to);
  return delivered_to;
}

/* One copy per recipient lands in the Maildir; each is the sent message, unchanged. */
static void
assert_postfix_delivered (const gchar *group,
                          const PigeonTestMessage *msg,
                          const gchar *const *rcpts)
{
  g_autofree gchar *maildir = pigeon_test_servers_ini_get (group, "maildir");
  g_autoptr (GBytes) expected = crlf_to_lf (msg->wire);
  g_autoptr (GPtrArray) files = maildir_wait (maildir, msg->id, g_strv_length ((GStrv) rcpts));
  g_autoptr (GPtrArray) delivered_to = g_ptr_array_new_with_free_func (g_free);

  if (files->len != g_strv_length ((GStrv) rcpts))
    g_error ("%u of %u copies of <%s> in %s after %d s", files->len, g_strv_length ((GStrv) rcpts),
             msg->id, maildir, DELIVERY_DEADLINE_S);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree gchar *text = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (files->pdata[i], &text, &len, NULL));
      g_assert_true (g_str_has_prefix (text, "Return-Path: <" SENDER ">\n"));
      g_ptr_array_add (delivered_to, split_postfix_delivery (text, len, expected));
      pigeon_test_servers_assert_attachment_intact (text, msg);
    }
  pigeon_test_servers_assert_same_set (delivered_to, rcpts);
}

static goffset
file_size (const gchar *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info =
    g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);

  return info ? g_file_info_get_size (info) : 0;
}

static gchar *
read_from (const gchar *path, goffset offset)
{
  g_autofree gchar *text = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_cmpint (offset, <=, (goffset) len);
  return g_strdup (text + offset);
}

/* Waits until the log, past OFFSET, has a line containing both A and B; returns that part. */
static gchar *
log_wait (const gchar *log, goffset offset, const gchar *a, const gchar *b)
{
  gint64 deadline = g_get_monotonic_time () + DELIVERY_DEADLINE_S * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree gchar *tail = read_from (log, offset);
      g_auto (GStrv) lines = g_strsplit (tail, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (strstr (lines[i], a) != NULL && strstr (lines[i], b) != NULL)
          return g_steal_pointer (&tail);
      if (g_get_monotonic_time () >= deadline)
        g_error ("no line with \"%s\" and \"%s\" in %s after %d s", a, b, log, DELIVERY_DEADLINE_S);
      g_usleep (POLL_INTERVAL_US);
    }
}

/* ------------------------------------------------------------------ tests */

static void
test_postfix_send (gconstpointer data)
{
  const gchar *group = data;
  g_autoptr (PigeonTestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (PigeonTestSendResult) result = NULL;

  if (!pigeon_test_servers_require ())
    return;
  msg = pigeon_test_servers_make_message (group, TO_ADDR);
  args = pigeon_test_servers_send_args (group, TRUE);
  /* The envelope from the options (the same addresses as the headers). */
  pigeon_test_servers_add_args (args, "--from", SENDER, "--to", TO_ADDR, "--cc", CC_ADDR, "--bcc",
                                BCC_ADDR, "--eml", msg->path, NULL);
  result = pigeon_test_servers_run_send (args);
  pigeon_test_servers_assert_exit (result, 0);
  assert_postfix_delivered (group, msg, ALL_RCPTS);
}

static void
test_untrusted_certificate (gconstpointer data)
{
  gboolean other_ca = GPOINTER_TO_INT (data);
  g_autoptr (PigeonTestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (PigeonTestSendResult) result = NULL;

  if (!pigeon_test_servers_require ())
    return;
  msg = pigeon_test_servers_make_message (other_ca ? "other-ca" : "no-ca", TO_ADDR);
  args = pigeon_test_servers_send_args ("postfix-submission", other_ca);
  if (other_ca)
    {
      g_autofree gchar *untrusted = pigeon_test_servers_ini_get ("servers", "untrusted-ca-file");
      pigeon_test_servers_replace_arg (args, "--ca-file", untrusted);
    }
  pigeon_test_servers_add_args (args, "--from", SENDER, "--to", TO_ADDR, "--eml", msg->path, NULL);
  result = pigeon_test_servers_run_send (args);
  pigeon_test_servers_assert_exit (result, 78);
  g_assert_true (g_str_has_prefix (result->err, "pigeon-send: "));
  g_assert_true (pigeon_test_servers_contains_nocase (result->err, "certificate"));
}

/* The client must give up before MAIL FROM when the server offers no STARTTLS. Postfix's
 * plain listener logs every command it receives (debug_peer_list), so the log shows it. */
static void
test_starttls_required (void)
{
  g_autoptr (PigeonTestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (PigeonTestSendResult) result = NULL;
  g_autofree gchar *log = NULL;
  g_autofree gchar *tail = NULL;
  g_auto (GStrv) lines = NULL;
  goffset offset = 0;

  if (!pigeon_test_servers_require ())
    return;
  msg = pigeon_test_servers_make_message ("starttls-required", TO_ADDR);
  log = pigeon_test_servers_ini_get ("postfix-plain", "log-file");
  offset = file_size (log);
  args = pigeon_test_servers_send_args ("postfix-plain", TRUE);
  pigeon_test_servers_replace_arg (args, "--security", "starttls");
  pigeon_test_servers_add_args (args, "--from", SENDER, "--to", TO_ADDR, "--eml", msg->path, NULL);
  result = pigeon_test_servers_run_send (args);
  pigeon_test_servers_assert_exit (result, 78);
  g_assert_true (g_str_has_prefix (result->err, "pigeon-send: "));

  tail = log_wait (log, offset, "postfix/plain/smtpd[", "disconnect from");
  g_assert_true (pigeon_test_servers_contains_nocase (tail, "]: ehlo "));
  lines = g_strsplit (tail, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "postfix/plain/") == NULL)
        continue;
      g_assert_false (pigeon_test_servers_contains_nocase (lines[i], "MAIL FROM"));
      g_assert_null (strstr (lines[i], "from=<"));
      if (strstr (lines[i], "disconnect from") != NULL)
        g_assert_null (strstr (lines[i], " mail="));
    }
}

static void
assert_no_secret (const gchar *text, const gchar *secret)
{
  if (strstr (text, secret) != NULL)
    g_error ("a form of the password (\"%s\") appears in pigeon-send's output", secret);
}

/* Every form the password could leak in: clear, and base64 as PLAIN or LOGIN send it. */
static void
assert_password_hidden (const gchar *text, const gchar *user, const gchar *password)
{
  g_autoptr (GString) plain = g_string_new (NULL);
  g_autoptr (GString) plain_authzid = g_string_new (NULL);
  g_autofree gchar *b64_plain = NULL;
  g_autofree gchar *b64_plain_authzid = NULL;
  g_autofree gchar *b64_password = g_base64_encode ((const guchar *) password, strlen (password));

  g_string_append_c (plain, '\0');
  g_string_append (plain, user);
  g_string_append_c (plain, '\0');
  g_string_append (plain, password);
  g_string_append (plain_authzid, user);
  g_string_append_len (plain_authzid, plain->str, plain->len);
  b64_plain = g_base64_encode ((const guchar *) plain->str, plain->len);
  b64_plain_authzid = g_base64_encode ((const guchar *) plain_authzid->str, plain_authzid->len);
  assert_no_secret (text, password);
  assert_no_secret (text, b64_password);
  assert_no_secret (text, b64_plain);
  assert_no_secret (text, b64_plain_authzid);
}

static void
test_transcript (void)
{
  g_autoptr (PigeonTestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (PigeonTestSendResult) result = NULL;
  g_autofree gchar *user = NULL;
  g_autofree gchar *password_file = NULL;
  g_autofree gchar *password = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean auth_redacted = FALSE;

  if (!pigeon_test_servers_require ())
    return;
  msg = pigeon_test_servers_make_message ("transcript", TO_ADDR);
  args = pigeon_test_servers_send_args ("postfix-submission", TRUE);
  pigeon_test_servers_add_args (args, "--transcript", "--from", SENDER, "--to", TO_ADDR, "--eml",
                                msg->path, NULL);
  result = pigeon_test_servers_run_send (args);
  pigeon_test_servers_assert_exit (result, 0);

  g_assert_nonnull (strstr (result->err, "C: EHLO"));
  g_assert_nonnull (strstr (result->err, "S: 250"));
  /* Postfix offers CHUNKING: one recipient goes in one burst (delivery checked below). */
  g_assert_nonnull (strstr (result->err, "\nC: BDAT "));
  g_assert_null (strstr (result->err, "\nC: DATA"));
  lines = g_strsplit (result->err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "C: AUTH") && strstr (lines[i], "********") != NULL)
      auth_redacted = TRUE;
  g_assert_true (auth_redacted);

  user = pigeon_test_servers_ini_get ("postfix-submission", "user");
  password_file = pigeon_test_servers_ini_get ("postfix-submission", "password-file");
  password = read_first_line (password_file);
  assert_password_hidden (result->err, user, password);
  assert_password_hidden (result->out, user, password);
  assert_postfix_delivered ("postfix-submission", msg, (const gchar *const[]){ TO_ADDR, NULL });
}

/* A refused recipient fails the whole send, and Postfix queued nothing: a message sent
 * afterwards is logged and delivered, while the refused one never reached the cleanup
 * daemon (which logs the Message-ID of everything it queues, before the server says 250).
 * @data: TRUE for the refused recipient alone — sent in one burst with BDAT LAST, which
 * Postfix must then refuse for want of a valid recipient. */
static void
test_rejected_recipient (gconstpointer data)
{
  gboolean alone = GPOINTER_TO_INT (data);
  g_autoptr (PigeonTestMessage) msg = NULL;
  g_autoptr (PigeonTestMessage) marker = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (GPtrArray) marker_args = NULL;
  g_autoptr (PigeonTestSendResult) result = NULL;
  g_autoptr (PigeonTestSendResult) marker_result = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autofree gchar *rejected = NULL;
  g_autofree gchar *log = NULL;
  g_autofree gchar *tail = NULL;
  g_autofree gchar *logged_id = NULL;
  g_autofree gchar *maildir = NULL;

  if (!pigeon_test_servers_require ())
    return;
  rejected = pigeon_test_servers_ini_get ("servers", "rejected-recipient");
  log = pigeon_test_servers_ini_get ("postfix-submission", "log-file");
  maildir = pigeon_test_servers_ini_get ("postfix-submission", "maildir");
  msg = pigeon_test_servers_make_message ("rejected-recipient", TO_ADDR);
  args = pigeon_test_servers_send_args ("postfix-submission", TRUE);
  pigeon_test_servers_add_args (args, "--from", SENDER, "--to", rejected, "--eml", msg->path, NULL);
  if (!alone)
    pigeon_test_servers_add_args (args, "--to", TO_ADDR, NULL);
  result = pigeon_test_servers_run_send (args);
  pigeon_test_servers_assert_exit (result, 67);
  g_assert_true (g_str_has_prefix (result->err, "pigeon-send: "));
  g_assert_nonnull (strstr (result->err, rejected));

  marker = pigeon_test_servers_make_message ("after-rejected", TO_ADDR);
  marker_args = pigeon_test_servers_send_args ("postfix-submission", TRUE);
  pigeon_test_servers_add_args (marker_args, "--from", SENDER, "--to", TO_ADDR, "--eml",
                                marker->path, NULL);
  marker_result = pigeon_test_servers_run_send (marker_args);
  pigeon_test_servers_assert_exit (marker_result, 0);
  assert_postfix_delivered ("postfix-submission", marker, (const gchar *const[]){ TO_ADDR, NULL });

  logged_id = g_strdup_printf ("message-id=<%s>", marker->id);
  tail = log_wait (log, 0, "postfix/cleanup[", logged_id);
  g_free (logged_id);
  logged_id = g_strdup_printf ("message-id=<%s>", msg->id);
  g_assert_null (strstr (tail, logged_id));
  files = maildir_find (maildir, msg->id);
  g_assert_cmpuint (files->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  pigeon_test_servers_init (&argc, &argv);

  g_test_add_data_func ("/servers/postfix/submission-starttls-auth", "postfix-submission",
                        test_postfix_send);
  g_test_add_data_func ("/servers/postfix/implicit-tls", "postfix-tls", test_postfix_send);
  g_test_add_data_func ("/servers/postfix/wrong-password", "postfix-submission",
                        pigeon_test_servers_test_wrong_password);
  g_test_add_data_func ("/servers/postfix/untrusted-ca", GINT_TO_POINTER (TRUE),
                        test_untrusted_certificate);
  g_test_add_data_func ("/servers/postfix/no-ca-file", GINT_TO_POINTER (FALSE),
                        test_untrusted_certificate);
  g_test_add_func ("/servers/postfix/starttls-required-plain-port", test_starttls_required);
  g_test_add_func ("/servers/postfix/transcript", test_transcript);
  g_test_add_data_func ("/servers/postfix/rejected-recipient", GINT_TO_POINTER (FALSE),
                        test_rejected_recipient);
  g_test_add_data_func ("/servers/postfix/rejected-sole-recipient", GINT_TO_POINTER (TRUE),
                        test_rejected_recipient);

  return pigeon_test_servers_run ();
}
