/* test-send-cli.c: the pigeon-send command against a scripted server: exit codes, and no
 * secret in its output
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <string.h>

#include "pigeon-fake-server.h"

#define USER       "alice@example.org"
#define PASSWORD   "s3cret-Pa55word"
#define RUN_MAX_MS 20000

#define EX_OK          0
#define EX_USAGE       64
#define EX_DATAERR     65
#define EX_NOUSER      67
#define EX_UNAVAILABLE 69
#define EX_TEMPFAIL    75
#define EX_PROTOCOL    76
#define EX_NOPERM      77
#define EX_CONFIG      78

typedef struct
{
  int status; /* -1 when it did not exit normally */
  char *out;
  char *err;
  double seconds;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

typedef struct
{
  gboolean finished;
  GBytes *out;
  GBytes *err;
  GError *error;
} Communication;

static void
communicate_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Communication *c = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &c->out, &c->err, &c->error);
  c->finished = TRUE;
}

static gboolean
too_long_cb (gpointer user_data)
{
  g_subprocess_force_exit (user_data);
  g_error ("pigeon-send ran for more than %d ms", RUN_MAX_MS);
  return G_SOURCE_REMOVE;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return data != NULL ? g_strndup (data, size) : g_strdup ("");
}

/* Runs pigeon-send with @args (NULL-terminated), waiting at most RUN_MAX_MS; through the
 * command @prefix, when not NULL. */
static void
run_pigeon_send_through (Run *run, const char *const *prefix, const char *const *args)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GSource) timeout = g_timeout_source_new (RUN_MAX_MS);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) empty_input = g_bytes_new_static ("", 0); /* and stdin is closed */
  Communication c = { FALSE, NULL, NULL, NULL };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; prefix != NULL && prefix[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) prefix[i]);
  g_ptr_array_add (argv, (gpointer) g_getenv ("PIGEON_SEND"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_main_context_push_thread_default (context);
  g_source_set_callback (timeout, too_long_cb, process, NULL);
  g_source_attach (timeout, context);
  g_subprocess_communicate_async (process, empty_input, NULL, communicate_cb, &c);
  while (!c.finished)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  g_assert_no_error (c.error);
  g_subprocess_wait (process, NULL, NULL);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  run->out = bytes_to_string (c.out);
  run->err = bytes_to_string (c.err);
  run->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_clear_pointer (&c.out, g_bytes_unref);
  g_clear_pointer (&c.err, g_bytes_unref);
  g_test_message ("exit %d after %.2f s; stderr:\n%s", run->status, run->seconds, run->err);
}

static void
run_pigeon_send (Run *run, const char *const *args)
{
  run_pigeon_send_through (run, NULL, args);
}

/* The contract for failures: exactly one line on stderr, "pigeon-send: …". */
static void
assert_failed_with (const Run *run, int status)
{
  g_auto (GStrv) lines = g_strsplit (run->err, "\n", -1);
  guint n_lines = g_strv_length (lines);

  g_assert_cmpint (run->status, ==, status);
  if (n_lines > 0 && lines[n_lines - 1][0] == '\0')
    n_lines--;
  g_assert_cmpuint (n_lines, ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], "pigeon-send: "));
}

static char *
write_file (const char *name, const char *contents)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pigeon-send-test-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

typedef char TempFile;

static void
remove_file (TempFile *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_remove (path);
  g_rmdir (dir);
  g_free (path);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TempFile, remove_file)

#define SIMPLE_EML                                                                             \
  "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nBcc: carol@example.org\r\n" \
  "Subject: hello\r\n\r\nHello, Bob.\r\n"

static char *
server_arg (guint16 port)
{
  return g_strdup_printf ("127.0.0.1:%u", port);
}

/* Bad input and usage: refused before any connection. The server is a port nobody listens
 * on, so trying to connect would give 69 instead. */

typedef struct
{
  const char *path;
  int status;
  const char *option;
  const char *value; /* "@EML" for the path of a valid message file */
  const char *option2;
  const char *value2;
} BadInput;

static const BadInput bad_inputs[] = {
  { "usage/unknown-option", EX_USAGE, "--eml", "@EML", "--no-such-option", NULL },
  { "usage/bad-security", EX_USAGE, "--eml", "@EML", "--security", "sometimes" },
  { "usage/no-recipient", EX_USAGE, "--eml", "@NO-TO", "--from", "alice@example.org" },
  { "input/double-at", EX_DATAERR, "--eml", "@EML", "--to", "bob@@x" },
  { "input/crlf-in-address", EX_DATAERR, "--eml", "@EML", "--to",
    "bob@example.org\r\nRCPT TO:<eve@example.org>" },
  { "input/lf-in-sender", EX_DATAERR, "--eml", "@EML", "--from", "alice@example.org\nDATA" },
  { "input/missing-eml", EX_DATAERR, "--eml", "/nonexistent/pigeon/message.eml", NULL, NULL },
  { "input/eml-is-a-directory", EX_DATAERR, "--eml", "/", NULL, NULL },
};

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  g_autoptr (TempFile) eml = write_file ("message.eml", SIMPLE_EML);
  g_autoptr (TempFile) no_to = write_file ("no-to.eml", "From: alice@example.org\r\n\r\nHi.\r\n");
  g_autofree char *server = server_arg (pigeon_fake_server_closed_port ());
  const char *value = g_strcmp0 (bad->value, "@EML") == 0     ? eml
                      : g_strcmp0 (bad->value, "@NO-TO") == 0 ? no_to
                                                              : bad->value;
  const char *args[] = { "--server", server,       "--security", "none", bad->option,
                         value,      bad->option2, bad->value2,  NULL };
  g_auto (Run) run = { 0 };

  run_pigeon_send (&run, args);
  assert_failed_with (&run, bad->status);
}

/* Against the scripted server */

typedef struct
{
  PigeonFakeServer *server;
  char *eml;
  char *password_file;
  char *server_arg;
  char *ca_file; /* given with --ca-file, unless NULL */
  const char *const *prefix;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const char *cert_name = data;

  f->server = pigeon_fake_server_new (cert_name);
  pigeon_fake_server_set_credentials (f->server, USER, PASSWORD);
  f->eml = write_file ("message.eml", SIMPLE_EML);
  /* The first line only, line ending stripped: what follows must be ignored. */
  f->password_file = write_file ("password", PASSWORD "\r\nnot the password\n");
  f->ca_file = g_test_build_filename (G_TEST_BUILT, "ca.pem", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->server);
  remove_file (f->eml);
  remove_file (f->password_file);
  g_free (f->server_arg);
  g_free (f->ca_file);
}

/* Starts the server and runs pigeon-send at it with the usual options and @extra ones. */
static void
run_against_server (Fixture *f, Run *run, const char *security, const char *const *extra)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();

  f->server_arg = server_arg (pigeon_fake_server_start (f->server));
  for (const char *const *a =
         (const char *const[]){ "--server", f->server_arg, "--security", security, "--timeout", "2",
                                "--eml", f->eml, NULL };
       *a != NULL; a++)
    g_ptr_array_add (args, (gpointer) *a);
  if (f->ca_file != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--ca-file");
      g_ptr_array_add (args, f->ca_file);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);
  run_pigeon_send_through (run, f->prefix, (const char *const *) args->pdata);
  /* Once pigeon-send has exited, its connection (if it made one) ends at once; not fatal
   * here, so that a test fails on the exit status rather than on this. */
  if (!pigeon_fake_server_wait_done (f->server, 5000))
    g_test_message ("pigeon-send did not connect to the server");
}

static void
run_with_login (Fixture *f, Run *run, const char *security, const char *more)
{
  const char *extra[] = { "--user", USER, "--password-file", f->password_file, more, NULL };

  run_against_server (f, run, security, extra);
}

static void
test_sent (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };
  g_autoptr (GBytes) message = NULL;
  const char *content;

  pigeon_fake_server_greet_and_serve (f->server);
  run_with_login (f, &run, "starttls", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
  g_assert_cmpuint (pigeon_fake_server_count (f->server, "RCPT TO:<bob@example.org>*"), ==, 1);
  g_assert_cmpuint (pigeon_fake_server_count (f->server, "RCPT TO:<carol@example.org>*"), ==, 1);
  message = pigeon_fake_server_get_data (f->server);
  content = g_bytes_get_data (message, NULL);
  g_assert_nonnull (g_strstr_len (content, g_bytes_get_size (message), "Subject: hello\r\n"));
  g_assert_null (g_strstr_len (content, g_bytes_get_size (message), "carol"));
}

static void
assert_nowhere (const Run *run, const char *secret)
{
  g_assert_null (strstr (run->out, secret));
  g_assert_null (strstr (run->err, secret));
}

static void
check_transcript (Fixture *f, const char *mechanism)
{
  g_autofree char *auth = g_strconcat ("AUTH ", mechanism, "*", NULL);
  const char plain[] = "\0" USER "\0" PASSWORD;
  g_autofree char *plain_b64 = g_base64_encode ((const guchar *) plain, sizeof plain - 1);
  g_autofree char *password_b64 = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));
  const char *extra[] = { "--user",       USER,     "--password-file", f->password_file,
                          "--transcript", "--auth", mechanism,         NULL };
  g_auto (Run) run = { 0 };

  pigeon_fake_server_set_capabilities (f->server, "STARTTLS", "AUTH PLAIN LOGIN");
  pigeon_fake_server_greet_and_serve (f->server);
  run_against_server (f, &run, "starttls", extra);
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_cmpuint (pigeon_fake_server_count (f->server, auth), ==, 1);
  g_assert_nonnull (strstr (run.err, "C: EHLO "));
  g_assert_nonnull (strstr (run.err, "S: 250 "));
  if (g_str_equal (mechanism, "PLAIN"))
    g_assert_nonnull (strstr (run.err, "C: AUTH PLAIN ********\n"));
  else
    g_assert_nonnull (strstr (run.err, "C: ********\n"));
  assert_nowhere (&run, PASSWORD);
  assert_nowhere (&run, plain_b64);
  assert_nowhere (&run, password_b64);
}

static void
test_transcript_plain (Fixture *f, gconstpointer data)
{
  check_transcript (f, "PLAIN");
}

static void
test_transcript_login (Fixture *f, gconstpointer data)
{
  check_transcript (f, "LOGIN");
}

/* The contract's form for IPv6 addresses: "[::1]:PORT". */
static void
test_ipv6 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *server = NULL;
  guint16 port;
  g_auto (Run) run = { 0 };

  pigeon_fake_server_greet_and_serve (f->server);
  port = pigeon_fake_server_start_on (f->server, "::1", &error);
  if (port == 0)
    {
      g_test_skip_printf ("cannot listen on ::1: %s", error->message);
      return;
    }
  server = g_strdup_printf ("[::1]:%u", port);
  run_pigeon_send (&run, (const char *const[]){ "--server", server, "--security", "none", "--eml",
                                                f->eml, "--timeout", "2", NULL });
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_true (pigeon_fake_server_wait_done (f->server, 5000));
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
}

/* Failures, each with its exit status */

static void
test_recipient_rejected (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  pigeon_fake_server_override (f->server, "RCPT TO:<bob@*", "550 5.1.1 No such user");
  pigeon_fake_server_greet_and_serve (f->server);
  run_against_server (f, &run, "none", NULL);
  assert_failed_with (&run, EX_NOUSER);
  g_assert_nonnull (strstr (run.err, "bob@example.org"));
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 0);
}

static void
test_connection_refused (void)
{
  g_autoptr (TempFile) eml = write_file ("message.eml", SIMPLE_EML);
  g_autofree char *server = server_arg (pigeon_fake_server_closed_port ());
  const char *args[] = { "--server", server, "--security", "none", "--eml", eml, NULL };
  g_auto (Run) run = { 0 };

  run_pigeon_send (&run, args);
  assert_failed_with (&run, EX_UNAVAILABLE);
}

static void
test_greeting (Fixture *f, const char *greeting, int status)
{
  g_auto (Run) run = { 0 };

  pigeon_fake_server_send (f->server, greeting);
  run_against_server (f, &run, "none", NULL);
  assert_failed_with (&run, status);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "MAIL *"), ==, -1);
}

static void
test_permanent_failure (Fixture *f, gconstpointer data)
{
  test_greeting (f, "554 5.7.1 No service for you", EX_UNAVAILABLE);
}

static void
test_temporary_failure (Fixture *f, gconstpointer data)
{
  test_greeting (f, "421 4.3.2 Too busy, try later", EX_TEMPFAIL);
}

static void
test_protocol_error (Fixture *f, gconstpointer data)
{
  test_greeting (f, "SSH-2.0-OpenSSH_9.2p1", EX_PROTOCOL);
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  const char *extra[] = { "--timeout", "1", NULL };
  g_auto (Run) run = { 0 };

  pigeon_fake_server_silence (f->server, 20000);
  run_against_server (f, &run, "none", extra);
  assert_failed_with (&run, EX_TEMPFAIL);
  g_assert_cmpfloat (run.seconds, <, 5.0);
}

static void
test_wrong_password (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  pigeon_fake_server_set_credentials (f->server, USER, "something else");
  pigeon_fake_server_greet_and_serve (f->server);
  run_with_login (f, &run, "starttls", NULL);
  assert_failed_with (&run, EX_NOPERM);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "MAIL *"), ==, -1);
}

/* With @cert_name NULL the server offers no STARTTLS; otherwise it presents that certificate. */
static void
test_not_secure (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  pigeon_fake_server_greet_and_serve (f->server);
  run_with_login (f, &run, "starttls", NULL);
  assert_failed_with (&run, EX_CONFIG);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "AUTH *"), ==, -1);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "MAIL *"), ==, -1);
}

static void
check_auth_in_clear (Fixture *f, gboolean allowed)
{
  g_auto (Run) run = { 0 };

  pigeon_fake_server_set_capabilities (f->server, "AUTH PLAIN LOGIN", "");
  pigeon_fake_server_greet_and_serve (f->server);
  run_with_login (f, &run, "none", allowed ? "--insecure-auth" : NULL);
  if (allowed)
    {
      g_assert_cmpint (run.status, ==, EX_OK);
      g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
      return;
    }
  assert_failed_with (&run, EX_CONFIG);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "AUTH *"), ==, -1);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "MAIL *"), ==, -1);
}

static void
test_auth_in_clear_refused (Fixture *f, gconstpointer data)
{
  check_auth_in_clear (f, FALSE);
}

static void
test_auth_in_clear_allowed (Fixture *f, gconstpointer data)
{
  check_auth_in_clear (f, TRUE);
}

static void
test_too_large (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  pigeon_fake_server_set_capabilities (f->server, "PIPELINING\nSIZE 50", "");
  pigeon_fake_server_greet_and_serve (f->server);
  run_against_server (f, &run, "none", NULL);
  assert_failed_with (&run, EX_DATAERR);
  g_assert_cmpint (pigeon_fake_server_find (f->server, "MAIL *"), ==, -1);
}

/* A file with LF line ends: SIZE= declares what the server receives, CRs included (RFC 1870),
 * not the file's size. */
static void
test_lf_line_ends_size (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };
  g_autoptr (GBytes) received = NULL;
  g_autofree char *declared = NULL;
  g_auto (GStrv) lines = NULL;
  int mail = -1;

  remove_file (f->eml);
  f->eml = write_file ("lf.eml", "From: alice@example.org\nTo: bob@example.org\nSubject: LF\n\n"
                                 "One.\nTwo.\nThree, with no line break at the end.");
  pigeon_fake_server_set_capabilities (f->server, "PIPELINING\nSIZE 100000", "");
  pigeon_fake_server_greet_and_serve (f->server);
  run_against_server (f, &run, "none", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  received = pigeon_fake_server_get_data (f->server);
  /* The data as it came: no dot to unstuff here; less the closing ".\r\n". */
  declared = g_strdup_printf (" SIZE=%" G_GSIZE_FORMAT, g_bytes_get_size (received) - 3);
  mail = pigeon_fake_server_find (f->server, "MAIL FROM:*");
  g_assert_cmpint (mail, >=, 0);
  lines = pigeon_fake_server_get_lines (f->server);
  g_assert_nonnull (strstr (lines[mail], declared));
}

/* The system's trust store, consulted only when neither a pinned fingerprint nor the CA file
 * settles it (see accept_certificate_cb): without --ca-file, the test CA is unknown to this
 * machine, so the send must fail; in a private mount namespace whose system bundle is the
 * test CA, the same send must go through. */
#define SYSTEM_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt" /* GnuTLS's, on Debian */

static gboolean
can_replace_system_bundle (void)
{
  const char *argv[] = { "unshare", "--map-root-user", "--mount", "true", NULL };
  int status = -1;

  return g_file_test (SYSTEM_CA_BUNDLE, G_FILE_TEST_EXISTS) &&
         g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                         G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

static void
test_system_trust_unknown_ca (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  g_clear_pointer (&f->ca_file, g_free);
  pigeon_fake_server_greet_and_serve (f->server);
  run_with_login (f, &run, "starttls", NULL);
  assert_failed_with (&run, EX_CONFIG);
  g_assert_nonnull (strstr (run.err, "not signed by an authority you trust"));
  g_assert_cmpint (pigeon_fake_server_find (f->server, "AUTH *"), ==, -1);
}

static void
test_system_trust_known_ca (Fixture *f, gconstpointer data)
{
  g_autofree char *test_ca = g_steal_pointer (&f->ca_file);
  const char *const prefix[] = {
    "unshare", "--map-root-user",
    "--mount", "sh",
    "-c",      "mount --bind \"$1\" " SYSTEM_CA_BUNDLE " && shift && exec \"$@\"",
    "sh",      test_ca,
    NULL
  };
  g_auto (Run) run = { 0 };

  if (!can_replace_system_bundle ())
    {
      g_test_skip ("needs unprivileged user namespaces (unshare) and " SYSTEM_CA_BUNDLE);
      return;
    }
  f->prefix = prefix;
  pigeon_fake_server_greet_and_serve (f->server);
  run_with_login (f, &run, "starttls", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("PIGEON_SEND") == NULL)
    g_error ("PIGEON_SEND must name the pigeon-send program (meson test sets it)");
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *path = g_strconcat ("/send-cli/", bad_inputs[i].path, NULL);
      g_test_add_data_func (path, &bad_inputs[i], test_bad_input);
    }
#define ADD(path, cert, func) \
  g_test_add ("/send-cli/" path, Fixture, cert, fixture_set_up, func, fixture_tear_down)
  ADD ("sent", "server", test_sent);
  ADD ("ipv6", NULL, test_ipv6);
  ADD ("transcript/plain", "server", test_transcript_plain);
  ADD ("transcript/login", "server", test_transcript_login);
  ADD ("input/over-size", NULL, test_too_large);
  ADD ("input/lf-line-ends-size", NULL, test_lf_line_ends_size);
  ADD ("recipient-rejected", NULL, test_recipient_rejected);
  g_test_add_func ("/send-cli/unavailable/refused", test_connection_refused);
  ADD ("unavailable/5xx", NULL, test_permanent_failure);
  ADD ("temporary/4xx", NULL, test_temporary_failure);
  ADD ("temporary/timeout", NULL, test_timeout);
  ADD ("protocol/garbage", NULL, test_protocol_error);
  ADD ("auth/wrong-password", "server", test_wrong_password);
  ADD ("security/no-starttls", NULL, test_not_secure);
  ADD ("security/untrusted", "untrusted", test_not_secure);
  ADD ("security/system-trust/unknown-ca", "server", test_system_trust_unknown_ca);
  ADD ("security/system-trust/known-ca", "server", test_system_trust_known_ca);
  ADD ("security/auth-in-clear", NULL, test_auth_in_clear_refused);
  ADD ("security/auth-in-clear-allowed", NULL, test_auth_in_clear_allowed);
#undef ADD

  return g_test_run ();
}
