/* pigeon-send-options.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-send"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "pigeon-send-options.h"

void
pigeon_send_options_clear (PigeonSendOptions *options)
{
  g_free (options->account);
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
  g_free (options->subject);
  g_free (options->body);
  g_free (options->body_file);
  g_strfreev (options->attach);
  g_strfreev (options->inline_images);
}

static void
add_server_entries (GOptionContext *context, PigeonSendOptions *o)
{
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &o->account,
      N_ ("Use this Pigeon account (server, sender, password in the keyring)"), N_ ("NAME") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &o->server, N_ ("SMTP server"), N_ ("HOST[:PORT]") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &o->security, N_ ("starttls (default), tls or none"),
      N_ ("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_ ("User name for logging in"), N_ ("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &o->password_file,
      N_ ("Read the password from the first line of FILE"), N_ ("FILE") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &o->auth,
      N_ ("Log in only with PLAIN, LOGIN, CRAM-MD5 or XOAUTH2"), N_ ("MECH") },
    { "insecure-auth", 0, 0, G_OPTION_ARG_NONE, &o->insecure_auth,
      N_ ("Allow logging in over a connection without TLS"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file,
      N_ ("Also trust the certificate authorities in FILE"), N_ ("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout,
      N_ ("Seconds to wait for connecting and for each answer (default 60)"), N_ ("SECONDS") },
    { NULL },
  };
  GOptionGroup *group =
    g_option_group_new ("server", _ ("Server options:"), _ ("Show the server options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, group);
}

static void
add_message_entries (GOptionContext *context, PigeonSendOptions *o)
{
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &o->from, N_ ("Sender"), N_ ("ADDR") },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->to, N_ ("Recipients (repeatable)"), N_ ("ADDR") },
    { "cc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->cc, N_ ("Copy recipients (repeatable)"),
      N_ ("ADDR") },
    { "bcc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->bcc, N_ ("Blind copy recipients (repeatable)"),
      N_ ("ADDR") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &o->subject, N_ ("Subject"), N_ ("TEXT") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &o->body, N_ ("Text of the message"), N_ ("TEXT") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &o->body_file,
      N_ ("Read the text of the message from FILE (- for standard input)"), N_ ("FILE") },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->attach, N_ ("Attach a file (repeatable)"),
      N_ ("FILE") },
    { "inline", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->inline_images,
      N_ ("Show an image in the message (repeatable)"), N_ ("FILE") },
    { "eml", 0, 0, G_OPTION_ARG_FILENAME, &o->eml,
      N_ ("Send this RFC 5322 message as it is (- for standard input)"), N_ ("FILE") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o->dry_run,
      N_ ("Write the message to standard output instead of sending it"), NULL },
    { "transcript", 0, 0, G_OPTION_ARG_NONE, &o->transcript,
      N_ ("Show the SMTP dialogue on standard error, secrets hidden"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, N_ ("Show only errors"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o->version, N_ ("Show the version"), NULL },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

gboolean
pigeon_send_options_composes (const PigeonSendOptions *options)
{
  return options->eml == NULL;
}

static gboolean
has_compose_options (const PigeonSendOptions *o)
{
  return o->subject || o->body || o->body_file || o->attach || o->inline_images;
}

/* The combinations that cannot work, each with what to do instead. */
static const char *
find_usage_mistake (const PigeonSendOptions *o)
{
  if (o->eml != NULL && has_compose_options (o))
    return _ ("--eml sends a ready-made message: it cannot be combined with --subject, --body, "
              "--body-file, --attach or --inline");
  if (o->eml == NULL && !has_compose_options (o))
    return _ ("nothing to send: compose with --subject, --body, --attach or --inline, or give "
              "--eml FILE");
  if (o->body != NULL && o->body_file != NULL)
    return _ ("give --body or --body-file, not both");
  if (!o->dry_run && o->server == NULL && o->account == NULL)
    return _ ("--server or --account is required");
  if (o->account != NULL && (o->server || o->security || o->user || o->auth || o->ca_file))
    return _ ("--account already says which server to use and how: it cannot be combined with "
              "--server, --security, --user, --auth or --ca-file");
  if (o->password_file != NULL && o->user == NULL && o->account == NULL)
    return _ ("--password-file needs --user");
  if (o->timeout < 0)
    return _ ("--timeout must be a positive number of seconds");
  return NULL;
}

gboolean
pigeon_send_options_parse (PigeonSendOptions *options, int *argc, char ***argv, GError **error)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  const char *mistake;

  g_option_context_set_summary (context, _ ("Send an email message through an SMTP server."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  add_message_entries (context, options);
  add_server_entries (context, options);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _ ("Unexpected argument “%s”"),
                   (*argv)[1]);
      return FALSE;
    }
  if (options->version)
    return TRUE;

  mistake = find_usage_mistake (options);
  if (mistake != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, mistake);
      return FALSE;
    }
  return TRUE;
}

gboolean
pigeon_send_parse_server (const char *text, char **host, guint16 *port, GError **error)
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

gboolean
pigeon_send_parse_security (const char *text, PigeonSmtpSecurity *security, GError **error)
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

void
pigeon_send_wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

char *
pigeon_send_read_password_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  char *password;

  if (!g_file_get_contents (path, &contents, &length, error))
    {
      g_prefix_error (error, _ ("Cannot read the password file: "));
      return NULL;
    }
  password = g_strndup (contents, strcspn (contents, "\r\n"));
  memset (contents, 0, length);
  return password;
}

char *
pigeon_send_ask_password (const char *prompt, GError **error)
{
  FILE *tty = fopen ("/dev/tty", "r+");
  struct termios saved, quiet;
  char line[1024] = { 0 };
  char *password;
  gboolean ok;

  if (tty == NULL || tcgetattr (fileno (tty), &saved) != 0)
    {
      if (tty != NULL)
        fclose (tty);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _ ("No password: there is no terminal to ask for it on"));
      return NULL;
    }

  fputs (prompt, tty);
  fflush (tty);
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
  ok = fgets (line, sizeof line, tty) != NULL;
  tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  fputc ('\n', tty);
  fclose (tty);

  line[strcspn (line, "\r\n")] = '\0';
  password = ok ? g_strdup (line) : NULL;
  memset (line, 0, sizeof line);
  if (!ok)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("No password was given"));
  return password;
}
