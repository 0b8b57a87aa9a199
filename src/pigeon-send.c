/* pigeon-send.c: send a message from the command line
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-send"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "pigeon-eml.h"
#include "pigeon-smtp-client.h"
#include "pigeon-smtp-sasl.h"

/* Exit statuses from sysexits.h: scripts can tell "fix your input" from "try again later". */
enum
{
  EXIT_SENT = 0,
  EXIT_USAGE = 64,
  EXIT_BAD_INPUT = 65,
  EXIT_RECIPIENT = 67,
  EXIT_NO_HOST = 68,
  EXIT_UNAVAILABLE = 69,
  EXIT_INTERNAL = 70,
  EXIT_TEMPORARY = 75,
  EXIT_PROTOCOL = 76,
  EXIT_AUTH = 77,
  EXIT_SECURITY = 78,
};

typedef struct
{
  char *server;
  char *security;
  char *user;
  char *password_file;
  char *auth;
  gboolean insecure_auth;
  char *ca_file;
  int timeout;
  char *from;
  char **to;
  char **cc;
  char **bcc;
  char *eml;
  gboolean transcript;
  gboolean quiet;
  gboolean version;
} Options;

typedef struct
{
  gboolean show_progress;
  gboolean progress_shown;
} Output;

static void
options_clear (Options *options)
{
  g_free (options->server);
  g_free (options->security);
  g_free (options->user);
  g_free (options->password_file);
  g_free (options->auth);
  g_free (options->ca_file);
  g_free (options->from);
  g_strfreev (options->to);
  g_strfreev (options->cc);
  g_strfreev (options->bcc);
  g_free (options->eml);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
exit_status_for_error (const GError *error)
{
  static const int smtp_statuses[] = {
    [PIGEON_SMTP_ERROR_BAD_INPUT] = EXIT_BAD_INPUT,
    [PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE] = EXIT_BAD_INPUT,
    [PIGEON_SMTP_ERROR_RECIPIENT_REJECTED] = EXIT_RECIPIENT,
    [PIGEON_SMTP_ERROR_HOST_NOT_FOUND] = EXIT_NO_HOST,
    [PIGEON_SMTP_ERROR_UNAVAILABLE] = EXIT_UNAVAILABLE,
    [PIGEON_SMTP_ERROR_TEMPORARY] = EXIT_TEMPORARY,
    [PIGEON_SMTP_ERROR_TIMED_OUT] = EXIT_TEMPORARY,
    [PIGEON_SMTP_ERROR_PROTOCOL] = EXIT_PROTOCOL,
    [PIGEON_SMTP_ERROR_AUTH_FAILED] = EXIT_AUTH,
    [PIGEON_SMTP_ERROR_SECURITY] = EXIT_SECURITY,
    [PIGEON_SMTP_ERROR_CERTIFICATE] = EXIT_SECURITY,
    [PIGEON_SMTP_ERROR_INTERNAL] = EXIT_INTERNAL,
  };

  if (error->domain == PIGEON_SMTP_ERROR && error->code >= 0 &&
      (gsize) error->code < G_N_ELEMENTS (smtp_statuses))
    return smtp_statuses[error->code];
  if (error->domain == PIGEON_MIME_ERROR)
    return EXIT_BAD_INPUT;
  if (error->domain == G_OPTION_ERROR)
    return EXIT_USAGE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_TEMPORARY;
  return EXIT_INTERNAL;
}

static int fail (int status, const char *format, ...) G_GNUC_PRINTF (2, 3);

static int
fail (int status, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("pigeon-send: %s\n", message);
  return status;
}

static int
fail_with_error (const GError *error)
{
  return fail (exit_status_for_error (error), "%s", error->message);
}

/* Command-line values -------------------------------------------------------------------- */

/* "host", "host:port", "[v6]:port" or "[v6]". */
static gboolean
parse_server (const char *text, char **host, guint16 *port, GError **error)
{
  const char *colon = NULL;
  guint64 number = 0;

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');
      if (end == NULL || end == text + 1 || (end[1] != '\0' && end[1] != ':'))
        goto bad;
      *host = g_strndup (text + 1, (gsize) (end - text - 1));
      colon = end[1] == ':' ? end + 1 : NULL;
    }
  else
    {
      colon = strrchr (text, ':');
      if (colon != NULL && strchr (text, ':') != colon)
        colon = NULL; /* a bare IPv6 address */
      *host = colon ? g_strndup (text, (gsize) (colon - text)) : g_strdup (text);
    }

  if (**host == '\0' || strpbrk (*host, " \t\r\n/") != NULL)
    goto bad;
  if (colon != NULL && !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &number, NULL))
    goto bad;
  *port = (guint16) number;
  return TRUE;

bad:
  g_clear_pointer (host, g_free);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _ ("“%s” is not a server: use HOST or HOST:PORT"), text);
  return FALSE;
}

static gboolean
parse_security (const char *text, PigeonSmtpSecurity *security, GError **error)
{
  if (text == NULL || g_ascii_strcasecmp (text, "starttls") == 0)
    *security = PIGEON_SMTP_SECURITY_STARTTLS;
  else if (g_ascii_strcasecmp (text, "tls") == 0 || g_ascii_strcasecmp (text, "ssl") == 0)
    *security = PIGEON_SMTP_SECURITY_TLS;
  else if (g_ascii_strcasecmp (text, "none") == 0)
    *security = PIGEON_SMTP_SECURITY_NONE;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Unknown security “%s”: use starttls, tls or none"), text);
      return FALSE;
    }
  return TRUE;
}

/* The password is the file's first line. The file's contents are wiped from memory once read. */
static char *
read_password_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  char *password;

  if (!g_file_get_contents (path, &contents, &length, error))
    {
      g_prefix_error (error, _ ("Cannot read the password file: "));
      (*error)->domain = PIGEON_MIME_ERROR;
      (*error)->code = PIGEON_MIME_ERROR_FILE;
      return NULL;
    }
  password = g_strndup (contents, strcspn (contents, "\r\n"));
  memset (contents, 0, length);
  return password;
}

/* The envelope ------------------------------------------------------------------------------ */

/* Each option value may be a comma-separated list. */
static gboolean
add_recipients (PigeonSmtpEnvelope *envelope, char **values, GError **error)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (values[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          const char *address = g_strstrip (parts[j]);

          if (*address != '\0' && !pigeon_smtp_envelope_add_recipient (envelope, address, error))
            return FALSE;
        }
    }
  return TRUE;
}

static PigeonSmtpEnvelope *
build_envelope (const Options *options, const PigeonEml *eml, GError **error)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_smtp_envelope_new ();
  const char *sender = options->from ? options->from : pigeon_eml_get_from (eml);
  gboolean recipients_given = options->to || options->cc || options->bcc;

  if (sender == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _ ("No sender: give --from, or a From header in the message"));
      return NULL;
    }
  if (!pigeon_smtp_envelope_set_sender (envelope, sender, error))
    return NULL;

  if (recipients_given)
    {
      if (!add_recipients (envelope, options->to, error) ||
          !add_recipients (envelope, options->cc, error) ||
          !add_recipients (envelope, options->bcc, error))
        return NULL;
    }
  else
    {
      const char *const *from_headers = pigeon_eml_get_recipients (eml);

      for (guint i = 0; from_headers[i] != NULL; i++)
        if (!pigeon_smtp_envelope_add_recipient (envelope, from_headers[i], error))
          return NULL;
    }

  if (pigeon_smtp_envelope_get_n_recipients (envelope) == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _ ("No recipients: give --to, --cc or --bcc, or To/Cc/Bcc headers in "
                              "the message"));
      return NULL;
    }
  return g_steal_pointer (&envelope);
}

/* The message ------------------------------------------------------------------------------- */

/* A message on standard input is copied to a private temporary file first: its size must be
 * known before sending (SIZE) and it is read twice (headers, then content). */
static GFile *
spool_standard_input (GError **error)
{
  g_autoptr (GFileIOStream) io = NULL;
  g_autoptr (GFile) file = g_file_new_tmp ("pigeon-send-XXXXXX.eml", &io, error);
  g_autoptr (GInputStream) in = NULL;
  GOutputStream *out;

  if (file == NULL)
    return NULL;
  in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  out = g_io_stream_get_output_stream (G_IO_STREAM (io));
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    {
      g_file_delete (file, NULL, NULL);
      g_prefix_error (error, _ ("Cannot read the message from standard input: "));
      return NULL;
    }
  return g_steal_pointer (&file);
}

static gboolean
write_eml_cb (GOutputStream *stream, gpointer user_data, GCancellable *cancellable, GError **error)
{
  return pigeon_eml_write (user_data, stream, cancellable, error);
}

/* Progress and transcript ----------------------------------------------------------------- */

static const char *
stage_text (PigeonSmtpStage stage)
{
  static const char *const texts[] = {
    [PIGEON_SMTP_STAGE_RESOLVING] = N_ ("Looking up the server"),
    [PIGEON_SMTP_STAGE_CONNECTING] = N_ ("Connecting"),
    [PIGEON_SMTP_STAGE_SECURING] = N_ ("Securing the connection"),
    [PIGEON_SMTP_STAGE_AUTHENTICATING] = N_ ("Logging in"),
    [PIGEON_SMTP_STAGE_SENDING] = N_ ("Sending"),
    [PIGEON_SMTP_STAGE_FINISHING] = N_ ("Waiting for the server to accept the message"),
    [PIGEON_SMTP_STAGE_DONE] = N_ ("Sent"),
  };
  return _ (texts[stage]);
}

static void
progress_cb (PigeonSmtpStage stage, guint64 bytes_sent, gint64 bytes_total, gpointer user_data)
{
  Output *output = user_data;
  g_autofree char *sent = NULL;
  g_autofree char *total = NULL;

  if (!output->show_progress)
    return;
  if (stage == PIGEON_SMTP_STAGE_SENDING && bytes_total > 0)
    {
      sent = g_format_size (bytes_sent);
      total = g_format_size ((guint64) bytes_total);
      /* TRANSLATORS: "Sending: 3.2 MB of 12 MB" */
      g_printerr ("\r\033[K%s: %s of %s", stage_text (stage), sent, total);
    }
  else
    g_printerr ("\r\033[K%s…", stage_text (stage));
  if (stage == PIGEON_SMTP_STAGE_DONE)
    g_printerr ("\n");
  output->progress_shown = stage != PIGEON_SMTP_STAGE_DONE;
}

static void
transcript_cb (PigeonSmtpTranscriptKind kind, const char *line, gpointer user_data)
{
  Output *output = user_data;
  static const char *const prefixes[] = { "C: ", "S: ", "* " };

  if (output->progress_shown)
    g_printerr ("\r\033[K");
  output->progress_shown = FALSE;
  g_printerr ("%s%s\n", prefixes[kind], line);
}

/* Main ------------------------------------------------------------------------------------- */

static gboolean
parse_options (int *argc, char ***argv, Options *options, GError **error)
{
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &options->server, N_ ("SMTP server"),
      N_ ("HOST[:PORT]") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &options->security,
      N_ ("starttls (default), tls or none"), N_ ("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &options->user, N_ ("User name for logging in"),
      N_ ("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &options->password_file,
      N_ ("Read the password from the first line of FILE"), N_ ("FILE") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &options->auth,
      N_ ("Log in only with PLAIN, LOGIN, CRAM-MD5 or XOAUTH2"), N_ ("MECH") },
    { "insecure-auth", 0, 0, G_OPTION_ARG_NONE, &options->insecure_auth,
      N_ ("Allow logging in over a connection without TLS"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options->ca_file,
      N_ ("Also trust the certificate authorities in FILE"), N_ ("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout,
      N_ ("Seconds to wait for connecting and for each answer (default 60)"), N_ ("SECONDS") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &options->from, N_ ("Sender address"), N_ ("ADDR") },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->to, N_ ("Recipient (repeatable)"),
      N_ ("ADDR") },
    { "cc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->cc, N_ ("Copy recipient (repeatable)"),
      N_ ("ADDR") },
    { "bcc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->bcc,
      N_ ("Blind copy recipient (repeatable)"), N_ ("ADDR") },
    { "eml", 0, 0, G_OPTION_ARG_FILENAME, &options->eml,
      N_ ("Send this RFC 5322 message as it is (- for standard input)"), N_ ("FILE") },
    { "transcript", 0, 0, G_OPTION_ARG_NONE, &options->transcript,
      N_ ("Show the SMTP dialogue on standard error, secrets hidden"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet, N_ ("Show only errors"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version, N_ ("Show the version"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context, _ ("Send an email message through an SMTP server."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _ ("Unexpected argument “%s”"),
                   (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_required_options (const Options *options, GError **error)
{
  const char *missing = NULL;

  if (options->server == NULL)
    missing = _ ("--server is required");
  else if (options->eml == NULL)
    missing = _ ("nothing to send: give --eml FILE, or --eml - to read the message from standard "
                 "input");
  else if (options->user != NULL && options->password_file == NULL)
    missing = _ ("--user needs --password-file");
  else if (options->user == NULL && options->password_file != NULL)
    missing = _ ("--password-file needs --user");
  else if (options->timeout < 0)
    missing = _ ("--timeout must be a positive number of seconds");

  if (missing == NULL)
    return TRUE;
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, missing);
  return FALSE;
}

static PigeonSmtpClient *
build_client (const Options *options, Output *output, GError **error)
{
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autofree char *host = NULL;
  guint16 port = 0;
  PigeonSmtpSecurity security;
  PigeonSmtpAuthMechanism mechanism;

  if (!parse_server (options->server, &host, &port, error) ||
      !parse_security (options->security, &security, error))
    return NULL;

  client = pigeon_smtp_client_new (host, port, security);
  if (options->auth != NULL)
    {
      if (!pigeon_smtp_sasl_mechanism_from_name (options->auth, &mechanism))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _ ("Unknown authentication mechanism “%s”"), options->auth);
          return NULL;
        }
      pigeon_smtp_client_set_allowed_mechanisms (client, mechanism);
    }
  if (options->ca_file != NULL && !pigeon_smtp_client_set_ca_file (client, options->ca_file, error))
    return NULL;
  pigeon_smtp_client_set_allow_insecure_auth (client, options->insecure_auth);
  if (options->timeout > 0)
    pigeon_smtp_client_set_timeout (client, (guint) options->timeout);
  pigeon_smtp_client_set_progress_func (client, progress_cb, output);
  if (options->transcript)
    pigeon_smtp_client_set_transcript_func (client, transcript_cb, output);
  return g_steal_pointer (&client);
}

static gboolean
set_credentials (PigeonSmtpClient *client, const Options *options, GError **error)
{
  char *secret;

  if (options->user == NULL)
    return TRUE;
  secret = read_password_file (options->password_file, error);
  if (secret == NULL)
    return FALSE;
  if (options->auth != NULL && g_ascii_strcasecmp (options->auth, "XOAUTH2") == 0)
    pigeon_smtp_client_set_oauth2_token (client, options->user, secret);
  else
    pigeon_smtp_client_set_credentials (client, options->user, secret);
  memset (secret, 0, strlen (secret));
  g_free (secret);
  return TRUE;
}

static int
send_eml (const Options *options, GFile *file, Output *output)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonEml) eml = NULL;
  g_autoptr (PigeonSmtpEnvelope) envelope = NULL;
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (PigeonSmtpMessage) message = NULL;

  client = build_client (options, output, &error);
  if (client == NULL || !set_credentials (client, options, &error))
    return fail_with_error (error);

  eml = pigeon_eml_open (file, NULL, &error);
  if (eml == NULL)
    return fail_with_error (error);
  envelope = build_envelope (options, eml, &error);
  if (envelope == NULL)
    return fail_with_error (error);

  message = pigeon_smtp_message_new (write_eml_cb, eml, NULL);
  pigeon_smtp_message_set_size (message, pigeon_eml_get_size (eml));
  pigeon_smtp_message_set_8bit (message, pigeon_eml_is_8bit (eml));

  if (!pigeon_smtp_client_send_sync (client, envelope, message, NULL, &error))
    {
      if (output->progress_shown)
        g_printerr ("\n");
      return fail_with_error (error);
    }
  return EXIT_SENT;
}

int
main (int argc, char **argv)
{
  g_auto (Options) options = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  gboolean from_stdin;
  Output output = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!parse_options (&argc, &argv, &options, &error))
    return fail_with_error (error);
  if (options.version)
    {
      g_print ("pigeon-send %s\n", PACKAGE_VERSION);
      return EXIT_SENT;
    }
  if (!check_required_options (&options, &error))
    return fail (EXIT_USAGE, "%s (see --help)", error->message);

  from_stdin = g_str_equal (options.eml, "-");
  file = from_stdin ? spool_standard_input (&error) : g_file_new_for_commandline_arg (options.eml);
  if (file == NULL)
    return fail (EXIT_BAD_INPUT, "%s", error->message);

  output.show_progress = !options.quiet && !options.transcript && isatty (STDERR_FILENO);
  status = send_eml (&options, file, &output);
  if (from_stdin)
    g_file_delete (file, NULL, NULL);
  return status;
}
