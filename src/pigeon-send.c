/* pigeon-send.c: send a message from the command line
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-send"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <unistd.h>

#include "pigeon-account.h"
#include "pigeon-address.h"
#include "pigeon-composer.h"
#include "pigeon-eml.h"
#include "pigeon-send-job.h"
#include "pigeon-send-options.h"
#include "pigeon-send-output.h"
#include "pigeon-smtp-sasl.h"

/* What will be sent: a composed message, or a ready-made .eml file. */
typedef struct
{
  PigeonSmtpEnvelope *envelope;
  PigeonSmtpMessage *message;
  PigeonComposedMessage *composed;
  PigeonEml *eml;
  GFile *spooled; /* standard input copied to a private file, deleted at the end */
} Outgoing;

static void
outgoing_clear (Outgoing *outgoing)
{
  g_clear_pointer (&outgoing->envelope, pigeon_smtp_envelope_free);
  g_clear_pointer (&outgoing->message, pigeon_smtp_message_free);
  g_clear_object (&outgoing->composed);
  g_clear_pointer (&outgoing->eml, pigeon_eml_free);
  if (outgoing->spooled != NULL)
    g_file_delete (outgoing->spooled, NULL, NULL);
  g_clear_object (&outgoing->spooled);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outgoing, outgoing_clear)

/* Reading input ------------------------------------------------------------------------------ */

/* Standard input is copied to a private temporary file: a message's size must be known before
 * sending (SIZE), and an .eml is read twice (headers, then content). */
static GFile *
spool_standard_input (GError **error)
{
  g_autoptr (GFileIOStream) io = NULL;
  g_autoptr (GFile) file = g_file_new_tmp ("pigeon-send-XXXXXX", &io, error);
  g_autoptr (GInputStream) in = NULL;
  GOutputStream *out;

  if (file == NULL)
    return NULL;
  in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  out = g_io_stream_get_output_stream (G_IO_STREAM (io));
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    {
      g_file_delete (file, NULL, NULL);
      g_prefix_error (error, _ ("Cannot read standard input: "));
      return NULL;
    }
  return g_steal_pointer (&file);
}

static char *
read_body (const PigeonSendOptions *options, GError **error)
{
  g_autoptr (GFile) spooled = NULL;
  g_autofree char *path = NULL;
  char *contents = NULL;

  if (options->body != NULL)
    return g_strdup (options->body);
  if (options->body_file == NULL)
    return g_strdup ("");

  if (g_str_equal (options->body_file, "-"))
    {
      spooled = spool_standard_input (error);
      if (spooled == NULL)
        return NULL;
      path = g_file_get_path (spooled);
    }
  if (!g_file_get_contents (path ? path : options->body_file, &contents, NULL, error))
    g_prefix_error (error, _ ("Cannot read the text of the message: "));
  if (spooled != NULL)
    g_file_delete (spooled, NULL, NULL);
  return contents;
}

/* The message ------------------------------------------------------------------------------- */

static gboolean
add_composer_recipients (PigeonComposer *composer,
                         PigeonRecipientKind kind,
                         char **values,
                         GError **error)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (!pigeon_composer_add_recipients (composer, kind, values[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
add_composer_files (PigeonComposer *composer,
                    PigeonAttachmentDisposition disposition,
                    char **paths,
                    GError **error)
{
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (paths[i]);

      if (!pigeon_composer_add_file (composer, file, NULL, disposition, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
compose (const PigeonSendOptions *options, const char *from, Outgoing *outgoing, GError **error)
{
  g_autoptr (PigeonComposer) composer = pigeon_composer_new ();
  g_autofree char *body = read_body (options, error);

  if (body == NULL)
    return FALSE;
  if (from == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _ ("No sender: give --from (or --account)"));
      return FALSE;
    }
  if (options->to == NULL && options->cc == NULL && options->bcc == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _ ("No recipients: give --to, --cc or --bcc"));
      return FALSE;
    }
  if (!pigeon_composer_set_from (composer, from, error) ||
      !add_composer_recipients (composer, PIGEON_RECIPIENT_TO, options->to, error) ||
      !add_composer_recipients (composer, PIGEON_RECIPIENT_CC, options->cc, error) ||
      !add_composer_recipients (composer, PIGEON_RECIPIENT_BCC, options->bcc, error) ||
      !pigeon_composer_set_subject (composer, options->subject ? options->subject : "", error) ||
      !pigeon_composer_set_body (composer, body, error) ||
      !add_composer_files (composer, PIGEON_ATTACHMENT_INLINE, options->inline_images, error) ||
      !add_composer_files (composer, PIGEON_ATTACHMENT_ATTACHED, options->attach, error))
    return FALSE;

  outgoing->composed = pigeon_composer_build (composer, error);
  return outgoing->composed != NULL;
}

/* Each option value is a list as typed in a mail program (the one address parser). */
static gboolean
add_envelope_recipients (PigeonSmtpEnvelope *envelope,
                         char **values,
                         const char *option,
                         GError **error)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_autoptr (GPtrArray) addresses = pigeon_address_list_parse (values[i], option, error);

      if (addresses == NULL)
        return FALSE;
      for (guint j = 0; j < addresses->len; j++)
        {
          PigeonAddress *address = g_ptr_array_index (addresses, j);

          if (!pigeon_smtp_envelope_add_recipient (envelope, address->address, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The envelope of an .eml: the options if any were given, else its From/To/Cc/Bcc headers. */
static gboolean
build_eml_envelope (const PigeonSendOptions *options,
                    const char *from,
                    Outgoing *outgoing,
                    GError **error)
{
  PigeonSmtpEnvelope *envelope = pigeon_smtp_envelope_new ();
  const char *const *header_recipients = pigeon_eml_get_recipients (outgoing->eml);

  outgoing->envelope = envelope;
  if (from == NULL)
    from = pigeon_eml_get_from (outgoing->eml);
  if (from == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _ ("No sender: give --from, or a From header in the message"));
      return FALSE;
    }
  if (!pigeon_smtp_envelope_set_sender (envelope, from, error))
    return FALSE;

  if (options->to || options->cc || options->bcc)
    return add_envelope_recipients (envelope, options->to, "--to", error) &&
           add_envelope_recipients (envelope, options->cc, "--cc", error) &&
           add_envelope_recipients (envelope, options->bcc, "--bcc", error);

  for (guint i = 0; header_recipients[i] != NULL; i++)
    if (!pigeon_smtp_envelope_add_recipient (envelope, header_recipients[i], error))
      return FALSE;
  if (pigeon_smtp_envelope_get_n_recipients (envelope) > 0)
    return TRUE;
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _ ("No recipients: give --to, --cc or --bcc, or To/Cc/Bcc headers in the "
                          "message"));
  return FALSE;
}

static gboolean
write_eml_cb (GOutputStream *stream, gpointer data, GCancellable *cancellable, GError **error)
{
  return pigeon_eml_write (data, stream, cancellable, error);
}

static gboolean
open_eml (const PigeonSendOptions *options, const char *from, Outgoing *outgoing, GError **error)
{
  g_autoptr (GFile) file = NULL;

  if (g_str_equal (options->eml, "-"))
    {
      outgoing->spooled = spool_standard_input (error);
      if (outgoing->spooled == NULL)
        return FALSE;
      file = g_object_ref (outgoing->spooled);
    }
  else
    file = g_file_new_for_commandline_arg (options->eml);

  outgoing->eml = pigeon_eml_open (file, NULL, error);
  if (outgoing->eml == NULL || !build_eml_envelope (options, from, outgoing, error))
    return FALSE;
  outgoing->message = pigeon_smtp_message_new (write_eml_cb, outgoing->eml, NULL);
  pigeon_smtp_message_set_size (outgoing->message, pigeon_eml_get_size (outgoing->eml));
  pigeon_smtp_message_set_wire_size (outgoing->message, pigeon_eml_get_wire_size (outgoing->eml));
  pigeon_smtp_message_set_8bit (outgoing->message, pigeon_eml_is_8bit (outgoing->eml));
  return TRUE;
}

/* The server ---------------------------------------------------------------------------------- */

static PigeonSmtpClient *
client_from_options (const PigeonSendOptions *options, GError **error)
{
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autofree char *host = NULL;
  guint16 port = 0;
  PigeonSmtpSecurity security;
  PigeonSmtpAuthMechanism mechanism;

  if (!pigeon_send_parse_server (options->server, &host, &port, error) ||
      !pigeon_send_parse_security (options->security, &security, error))
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
  return g_steal_pointer (&client);
}

/* From --password-file, else the keyring (with --account), else the terminal. */
static char *
get_password (const PigeonSendOptions *options, PigeonAccount *account, GError **error)
{
  g_autoptr (GError) keyring_error = NULL;
  char *password;

  if (options->password_file != NULL)
    return pigeon_send_read_password_file (options->password_file, error);
  if (account != NULL)
    {
      password = pigeon_account_lookup_password_sync (account, NULL, &keyring_error);
      if (password != NULL)
        return password;
      if (!g_error_matches (keyring_error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_KEYRING) &&
          !g_error_matches (keyring_error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_PASSWORD))
        {
          g_propagate_error (error, g_steal_pointer (&keyring_error));
          return NULL;
        }
      g_printerr ("%s\n", keyring_error->message);
    }
  return pigeon_send_ask_password (_ ("Password: "), error);
}

/* The client for --account or the server options; the account itself in @out_account (NULL
 * without --account). */
static PigeonSmtpClient *
build_client (const PigeonSendOptions *options,
              char **from,
              PigeonAccount **out_account,
              GError **error)
{
  g_autoptr (PigeonAccount) account = NULL;
  g_autoptr (PigeonSmtpClient) client = NULL;
  const char *user = options->user;
  char *password = NULL;

  if (options->account != NULL)
    {
      account = pigeon_account_load (options->account, error);
      if (account == NULL)
        return NULL;
      user = pigeon_account_get_user (account);
      if (*from == NULL)
        *from = pigeon_account_get_from_mailbox (account);
    }

  if (user != NULL && *user != '\0')
    {
      password = get_password (options, account, error);
      if (password == NULL)
        return NULL;
    }

  client = account ? pigeon_account_create_client (account, password, error)
                   : client_from_options (options, error);
  if (client != NULL && account == NULL && password != NULL)
    {
      if (options->auth != NULL && g_ascii_strcasecmp (options->auth, "XOAUTH2") == 0)
        pigeon_smtp_client_set_oauth2_token (client, user, password);
      else
        pigeon_smtp_client_set_credentials (client, user, password);
    }
  pigeon_send_wipe_free (password);
  if (client == NULL)
    return NULL;

  if (options->insecure_auth)
    pigeon_smtp_client_set_allow_insecure_auth (client, TRUE);
  if (options->timeout > 0)
    pigeon_smtp_client_set_timeout (client, (guint) options->timeout);
  *out_account = g_steal_pointer (&account);
  return g_steal_pointer (&client);
}

/* As the window does: the SIZE limit the server declared, once a send got as far as its EHLO,
 * is kept with the account, so that the window warns of a message too large for it. */
static void
remember_size_limit (PigeonAccount *account, PigeonSmtpClient *client)
{
  if (account == NULL)
    return;
  pigeon_account_remember_size_limit (account, client);
  /* Settings are written in the background; this process is about to end. */
  g_settings_sync ();
}

/* Sending ---------------------------------------------------------------------------------- */

static void
job_progress_cb (PigeonSendJob *job,
                 PigeonSmtpStage stage,
                 guint64 bytes_sent,
                 gint64 bytes_total,
                 gpointer user_data)
{
  pigeon_send_output_progress (user_data, stage, bytes_sent, bytes_total);
}

static void
job_transcript_cb (PigeonSendJob *job,
                   PigeonSmtpTranscriptKind kind,
                   const char *line,
                   gpointer user_data)
{
  pigeon_send_output_transcript (user_data, kind, line);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
send_outgoing (const PigeonSendOptions *options,
               PigeonSmtpClient *client,
               Outgoing *outgoing,
               PigeonSendOutput *output,
               GError **error)
{
  g_autoptr (PigeonSendJob) job = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  guint interrupt_id;
  gboolean ok;

  /* A composed message carries its own envelope (its From, To, Cc and Bcc). */
  job = outgoing->composed != NULL
          ? pigeon_send_job_new (client, outgoing->composed)
          : pigeon_send_job_new_full (client, g_steal_pointer (&outgoing->envelope),
                                      g_steal_pointer (&outgoing->message));
  g_signal_connect (job, "progress", G_CALLBACK (job_progress_cb), output);
  if (options->transcript)
    g_signal_connect (job, "transcript", G_CALLBACK (job_transcript_cb), output);

  /* Ctrl+C cancels cleanly: a half-sent message is never delivered. */
  interrupt_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  ok = pigeon_send_job_run (job, cancellable, error);
  g_source_remove (interrupt_id);
  return ok;
}

static gboolean
write_to_standard_output (Outgoing *outgoing, GError **error)
{
  g_autoptr (GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  gboolean written = outgoing->composed != NULL
                       ? pigeon_composed_message_write (outgoing->composed, out, NULL, error)
                       : pigeon_smtp_message_write (outgoing->message, out, NULL, error);

  return written && g_output_stream_flush (out, NULL, error);
}

static gboolean
prepare (const PigeonSendOptions *options, const char *from, Outgoing *outgoing, GError **error)
{
  if (!pigeon_send_options_composes (options))
    return open_eml (options, from, outgoing, error);
  return compose (options, from, outgoing, error);
}

static int
run (const PigeonSendOptions *options, PigeonSendOutput *output)
{
  g_auto (Outgoing) outgoing = { 0 };
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (PigeonAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *from = g_strdup (options->from);
  gboolean sent = FALSE;

  if (!options->dry_run)
    {
      client = build_client (options, &from, &account, &error);
      if (client == NULL)
        return pigeon_send_fail_with_error (output, error);
    }
  if (!prepare (options, from, &outgoing, &error))
    return pigeon_send_fail_with_error (output, error);

  if (options->dry_run)
    sent = write_to_standard_output (&outgoing, &error);
  else
    {
      sent = send_outgoing (options, client, &outgoing, output, &error);
      remember_size_limit (account, client);
    }
  return sent ? PIGEON_SEND_EXIT_SENT : pigeon_send_fail_with_error (output, error);
}

int
main (int argc, char **argv)
{
  g_auto (PigeonSendOptions) options = { 0 };
  g_autoptr (GError) error = NULL;
  PigeonSendOutput output = { 0 };

  setlocale (LC_ALL, "");
  /* PIGEON_LOCALEDIR: translations from a build folder (build-aux/run), before installing. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("PIGEON_LOCALEDIR") ? g_getenv ("PIGEON_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!pigeon_send_options_parse (&options, &argc, &argv, &error))
    return pigeon_send_fail (&output, PIGEON_SEND_EXIT_USAGE, _ ("%s (see --help)"),
                             error->message);
  if (options.version)
    {
      g_print ("pigeon-send %s\n", PACKAGE_VERSION);
      return PIGEON_SEND_EXIT_SENT;
    }

  output.show_progress = !options.quiet && !options.transcript && isatty (STDERR_FILENO);
  return run (&options, &output);
}
