/* test-servers.c: pigeon-send against real SMTP servers (Postfix + Dovecot SASL, aiosmtpd)
 * on loopback, started beforehand by tests/servers/start, which writes the servers.ini that
 * PIGEON_TEST_SERVERS names.
 *
 * Test messages are written with CRLF line endings, so what aiosmtpd saved must equal them
 * byte for byte. Postfix stores mail with LF endings and prepends Return-Path, X-Original-To,
 * Delivered-To and Received: there the delivered file must be exactly those headers followed
 * by the sent bytes with every CRLF turned into LF.
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#define SEND_DEADLINE_S     60
#define DELIVERY_DEADLINE_S 15
#define POLL_INTERVAL_US    20000
#define BOUNDARY            "=-pigeon-test-boundary"
#define SENDER              "alice@example.org"
#define TO_ADDR             "bob@example.org"
#define CC_ADDR             "carol@example.net"
#define BCC_ADDR            "dave@example.com"

typedef struct
{
  gchar *id;    /* Message-ID, without angle brackets */
  gchar *path;  /* the .eml given to pigeon-send */
  GBytes *wire; /* what the server must receive: the file without its Bcc header */
  GBytes *blob; /* the random bytes in the base64 attachment */
} TestMessage;

typedef struct
{
  gint status;
  gchar *out;
  gchar *err;
} SendResult;

/* Set once in main (), read by every test. */
static GKeyFile *servers;
static gchar *servers_error;
static const gchar *pigeon_send;
static gchar *tmp_dir; /* made when a test writes a file, removed after each pigeon-send run */

/* ------------------------------------------------------------------ helpers: set-up */

static void
test_message_free (TestMessage *msg)
{
  g_free (msg->id);
  g_free (msg->path);
  g_bytes_unref (msg->wire);
  g_bytes_unref (msg->blob);
  g_free (msg);
}

static void
send_result_free (SendResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestMessage, test_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendResult, send_result_free)

static gboolean
require_servers (void)
{
  if (servers != NULL && pigeon_send != NULL)
    return TRUE;
  g_test_fail_printf ("%s", servers_error);
  return FALSE;
}

static gchar *
ini_get (const gchar *group, const gchar *key)
{
  g_autoptr (GError) error = NULL;
  gchar *value = g_key_file_get_string (servers, group, key, &error);

  g_assert_no_error (error);
  return value;
}

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

static gchar *
write_tmp_file (const gchar *name, const gchar *data, gsize len)
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

/* ------------------------------------------------------------------ helpers: messages */

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

/* Writes TAG.eml with To, Cc and a Bcc header; msg->wire is the file minus its Bcc line. */
static TestMessage *
make_message (const gchar *tag, const gchar *to)
{
  TestMessage *msg = g_new0 (TestMessage, 1);
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
  msg->path = write_tmp_file (name, file, strlen (file));
  g_string_append (head, body->str);
  msg->wire = g_bytes_new (head->str, head->len);
  return msg;
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

/* The attachment as received decodes to the random bytes that were sent. */
static void
assert_attachment_intact (const gchar *received, const TestMessage *msg)
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

/* ------------------------------------------------------------------ helpers: pigeon-send */

static GPtrArray *
send_args (const gchar *group, gboolean with_ca)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *host = ini_get (group, "host");
  g_autofree gchar *port = ini_get (group, "port");

  g_ptr_array_add (args, g_strdup (pigeon_send));
  g_ptr_array_add (args, g_strdup ("--server"));
  g_ptr_array_add (args, g_strdup_printf ("%s:%s", host, port));
  g_ptr_array_add (args, g_strdup ("--security"));
  g_ptr_array_add (args, ini_get (group, "security"));
  g_ptr_array_add (args, g_strdup ("--timeout"));
  g_ptr_array_add (args, g_strdup ("20"));
  if (g_key_file_has_key (servers, group, "user", NULL))
    {
      g_ptr_array_add (args, g_strdup ("--user"));
      g_ptr_array_add (args, ini_get (group, "user"));
      g_ptr_array_add (args, g_strdup ("--password-file"));
      g_ptr_array_add (args, ini_get (group, "password-file"));
    }
  if (with_ca)
    {
      g_ptr_array_add (args, g_strdup ("--ca-file"));
      g_ptr_array_add (args, ini_get (group, "ca-file"));
    }
  return args;
}

static void
add_args (GPtrArray *args, ...)
{
  va_list ap;
  const gchar *arg;

  va_start (ap, args);
  while ((arg = va_arg (ap, const gchar *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
}

/* Replaces the value that follows OPTION (e.g. a different --password-file). */
static void
replace_arg (GPtrArray *args, const gchar *option, const gchar *value)
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

/* Runs pigeon-send, bounded by SEND_DEADLINE_S, and collects its exit status and output. */
static SendResult *
run_send (GPtrArray *args)
{
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cmdline = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id = 0;
  SendResult *result = g_new0 (SendResult, 1);

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

static void
assert_exit (const SendResult *result, gint expected)
{
  if (result->status != expected)
    g_test_message ("unexpected exit status; stdout:\n%s\nstderr:\n%s", result->out, result->err);
  g_assert_cmpint (result->status, ==, expected);
}

static gboolean
contains_nocase (const gchar *haystack, const gchar *needle)
{
  g_autofree gchar *h = g_ascii_strdown (haystack, -1);
  g_autofree gchar *n = g_ascii_strdown (needle, -1);

  return strstr (h, n) != NULL;
}

/* ------------------------------------------------------------------ helpers: Postfix */

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

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

static void
assert_same_set (GPtrArray *got, const gchar *const *want)
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

/* One copy per recipient lands in the Maildir; each is the sent message, unchanged. */
static void
assert_postfix_delivered (const gchar *group, const TestMessage *msg, const gchar *const *rcpts)
{
  g_autofree gchar *maildir = ini_get (group, "maildir");
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
      assert_attachment_intact (text, msg);
    }
  assert_same_set (delivered_to, rcpts);
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

/* ------------------------------------------------------------------ helpers: aiosmtpd */

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
  assert_same_set (got, rcpts);
}

/* ------------------------------------------------------------------ tests */

static const gchar *const all_rcpts[] = { TO_ADDR, CC_ADDR, BCC_ADDR, NULL };

static void
test_postfix_send (gconstpointer data)
{
  const gchar *group = data;
  g_autoptr (TestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (SendResult) result = NULL;

  if (!require_servers ())
    return;
  msg = make_message (group, TO_ADDR);
  args = send_args (group, TRUE);
  /* The envelope from the options (the same addresses as the headers). */
  add_args (args, "--from", SENDER, "--to", TO_ADDR, "--cc", CC_ADDR, "--bcc", BCC_ADDR, "--eml",
            msg->path, NULL);
  result = run_send (args);
  assert_exit (result, 0);
  assert_postfix_delivered (group, msg, all_rcpts);
}

static void
test_aiosmtpd_send (gconstpointer data)
{
  const gchar *group = data;
  g_autoptr (TestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (SendResult) result = NULL;
  g_autofree gchar *spool = NULL;
  g_autofree gchar *stem = NULL;
  g_autofree gchar *eml = NULL;
  g_autofree gchar *json = NULL;
  g_autofree gchar *received = NULL;
  gsize received_len = 0;

  if (!require_servers ())
    return;
  msg = make_message (group, TO_ADDR);
  args = send_args (group, TRUE);
  /* No address options: the envelope comes from the From/To/Cc/Bcc headers. */
  add_args (args, "--eml", msg->path, NULL);
  result = run_send (args);
  assert_exit (result, 0);

  spool = ini_get (group, "spool-dir");
  stem = spool_wait (spool, msg->id);
  eml = g_strconcat (stem, ".eml", NULL);
  json = g_strconcat (stem, ".json", NULL);
  g_assert_true (g_file_get_contents (eml, &received, &received_len, NULL));
  g_assert_cmpmem (received, received_len, g_bytes_get_data (msg->wire, NULL),
                   g_bytes_get_size (msg->wire));
  g_assert_false (g_str_has_prefix (received, "Bcc:"));
  g_assert_false (contains_nocase (received, "\nBcc:"));
  assert_attachment_intact (received, msg);
  assert_envelope (json, all_rcpts);
}

static void
test_wrong_password (gconstpointer data)
{
  const gchar *group = data;
  g_autoptr (TestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (SendResult) result = NULL;
  const gchar *wrong = "pä55 w:rd?";
  g_autofree gchar *wrong_line = NULL;
  g_autofree gchar *wrong_file = NULL;

  if (!require_servers ())
    return;
  msg = make_message ("wrong-password", TO_ADDR);
  wrong_line = g_strconcat (wrong, "\n", NULL);
  wrong_file = write_tmp_file ("wrong.password", wrong_line, strlen (wrong_line));
  args = send_args (group, TRUE);
  replace_arg (args, "--password-file", wrong_file);
  add_args (args, "--from", SENDER, "--to", TO_ADDR, "--eml", msg->path, NULL);
  result = run_send (args);
  assert_exit (result, 77);
  g_assert_true (g_str_has_prefix (result->err, "pigeon-send: "));
  g_assert_true (contains_nocase (result->err, "password"));
  g_assert_true (contains_nocase (result->err, "reject"));
  g_assert_null (strstr (result->err, wrong));
}

static void
test_untrusted_certificate (gconstpointer data)
{
  gboolean other_ca = GPOINTER_TO_INT (data);
  g_autoptr (TestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (SendResult) result = NULL;

  if (!require_servers ())
    return;
  msg = make_message (other_ca ? "other-ca" : "no-ca", TO_ADDR);
  args = send_args ("postfix-submission", other_ca);
  if (other_ca)
    {
      g_autofree gchar *untrusted = ini_get ("servers", "untrusted-ca-file");
      replace_arg (args, "--ca-file", untrusted);
    }
  add_args (args, "--from", SENDER, "--to", TO_ADDR, "--eml", msg->path, NULL);
  result = run_send (args);
  assert_exit (result, 78);
  g_assert_true (g_str_has_prefix (result->err, "pigeon-send: "));
  g_assert_true (contains_nocase (result->err, "certificate"));
}

/* The client must give up before MAIL FROM when the server offers no STARTTLS. Postfix's
 * plain listener logs every command it receives (debug_peer_list), so the log shows it. */
static void
test_starttls_required (void)
{
  g_autoptr (TestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (SendResult) result = NULL;
  g_autofree gchar *log = NULL;
  g_autofree gchar *tail = NULL;
  g_auto (GStrv) lines = NULL;
  goffset offset = 0;

  if (!require_servers ())
    return;
  msg = make_message ("starttls-required", TO_ADDR);
  log = ini_get ("postfix-plain", "log-file");
  offset = file_size (log);
  args = send_args ("postfix-plain", TRUE);
  replace_arg (args, "--security", "starttls");
  add_args (args, "--from", SENDER, "--to", TO_ADDR, "--eml", msg->path, NULL);
  result = run_send (args);
  assert_exit (result, 78);
  g_assert_true (g_str_has_prefix (result->err, "pigeon-send: "));

  tail = log_wait (log, offset, "postfix/plain/smtpd[", "disconnect from");
  g_assert_true (contains_nocase (tail, "]: ehlo "));
  lines = g_strsplit (tail, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "postfix/plain/") == NULL)
        continue;
      g_assert_false (contains_nocase (lines[i], "MAIL FROM"));
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
  g_autoptr (TestMessage) msg = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (SendResult) result = NULL;
  g_autofree gchar *user = NULL;
  g_autofree gchar *password_file = NULL;
  g_autofree gchar *password = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean auth_redacted = FALSE;

  if (!require_servers ())
    return;
  msg = make_message ("transcript", TO_ADDR);
  args = send_args ("postfix-submission", TRUE);
  add_args (args, "--transcript", "--from", SENDER, "--to", TO_ADDR, "--eml", msg->path, NULL);
  result = run_send (args);
  assert_exit (result, 0);

  g_assert_nonnull (strstr (result->err, "C: EHLO"));
  g_assert_nonnull (strstr (result->err, "S: 250"));
  lines = g_strsplit (result->err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "C: AUTH") && strstr (lines[i], "********") != NULL)
      auth_redacted = TRUE;
  g_assert_true (auth_redacted);

  user = ini_get ("postfix-submission", "user");
  password_file = ini_get ("postfix-submission", "password-file");
  password = read_first_line (password_file);
  assert_password_hidden (result->err, user, password);
  assert_password_hidden (result->out, user, password);
  assert_postfix_delivered ("postfix-submission", msg, (const gchar *const[]){ TO_ADDR, NULL });
}

/* A refused recipient fails the whole send, and Postfix queued nothing: a message sent
 * afterwards is logged and delivered, while the refused one never reached the cleanup
 * daemon (which logs the Message-ID of everything it queues, before the server says 250). */
static void
test_rejected_recipient (void)
{
  g_autoptr (TestMessage) msg = NULL;
  g_autoptr (TestMessage) marker = NULL;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (GPtrArray) marker_args = NULL;
  g_autoptr (SendResult) result = NULL;
  g_autoptr (SendResult) marker_result = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autofree gchar *rejected = NULL;
  g_autofree gchar *log = NULL;
  g_autofree gchar *tail = NULL;
  g_autofree gchar *logged_id = NULL;
  g_autofree gchar *maildir = NULL;

  if (!require_servers ())
    return;
  rejected = ini_get ("servers", "rejected-recipient");
  log = ini_get ("postfix-submission", "log-file");
  maildir = ini_get ("postfix-submission", "maildir");
  msg = make_message ("rejected-recipient", TO_ADDR);
  args = send_args ("postfix-submission", TRUE);
  add_args (args, "--from", SENDER, "--to", TO_ADDR, "--to", rejected, "--eml", msg->path, NULL);
  result = run_send (args);
  assert_exit (result, 67);
  g_assert_true (g_str_has_prefix (result->err, "pigeon-send: "));
  g_assert_nonnull (strstr (result->err, rejected));

  marker = make_message ("after-rejected", TO_ADDR);
  marker_args = send_args ("postfix-submission", TRUE);
  add_args (marker_args, "--from", SENDER, "--to", TO_ADDR, "--eml", marker->path, NULL);
  marker_result = run_send (marker_args);
  assert_exit (marker_result, 0);
  assert_postfix_delivered ("postfix-submission", marker, (const gchar *const[]){ TO_ADDR, NULL });

  logged_id = g_strdup_printf ("message-id=<%s>", marker->id);
  tail = log_wait (log, 0, "postfix/cleanup[", logged_id);
  g_free (logged_id);
  logged_id = g_strdup_printf ("message-id=<%s>", msg->id);
  g_assert_null (strstr (tail, logged_id));
  files = maildir_find (maildir, msg->id);
  g_assert_cmpuint (files->len, ==, 0);
}

/* ------------------------------------------------------------------ main */

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

int
main (int argc, char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  load_servers ();

  g_test_add_data_func ("/servers/postfix/submission-starttls-auth", "postfix-submission",
                        test_postfix_send);
  g_test_add_data_func ("/servers/postfix/implicit-tls", "postfix-tls", test_postfix_send);
  g_test_add_data_func ("/servers/aiosmtpd/starttls-auth", "aiosmtpd-starttls", test_aiosmtpd_send);
  g_test_add_data_func ("/servers/aiosmtpd/implicit-tls", "aiosmtpd-tls", test_aiosmtpd_send);
  g_test_add_data_func ("/servers/aiosmtpd/plain", "aiosmtpd-plain", test_aiosmtpd_send);
  g_test_add_data_func ("/servers/postfix/wrong-password", "postfix-submission",
                        test_wrong_password);
  g_test_add_data_func ("/servers/aiosmtpd/wrong-password", "aiosmtpd-starttls",
                        test_wrong_password);
  g_test_add_data_func ("/servers/postfix/untrusted-ca", GINT_TO_POINTER (TRUE),
                        test_untrusted_certificate);
  g_test_add_data_func ("/servers/postfix/no-ca-file", GINT_TO_POINTER (FALSE),
                        test_untrusted_certificate);
  g_test_add_func ("/servers/postfix/starttls-required-plain-port", test_starttls_required);
  g_test_add_func ("/servers/postfix/transcript", test_transcript);
  g_test_add_func ("/servers/postfix/rejected-recipient", test_rejected_recipient);

  rc = g_test_run ();
  remove_tmp_dir ();
  g_clear_pointer (&servers, g_key_file_unref);
  g_free (servers_error);
  return rc;
}
