/* pigeon-smtp-auth.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <glib/gi18n.h>
#include <string.h>

#include "pigeon-smtp-auth.h"
#include "pigeon-smtp-sasl.h"

#define HIDDEN "********"

void
pigeon_smtp_set_reply_error (GError **error,
                             const PigeonSmtpReply *reply,
                             PigeonSmtpErrorCode permanent_code,
                             const char *what)
{
  g_autofree char *text = pigeon_smtp_reply_to_string (reply);
  PigeonSmtpErrorCode code = PIGEON_SMTP_ERROR_PROTOCOL;

  if (pigeon_smtp_reply_is_transient (reply))
    code = PIGEON_SMTP_ERROR_TEMPORARY;
  else if (reply->code >= 500)
    code = permanent_code;

  /* Translators: what went wrong, then the server's reply, e.g. "The server rejected the user
   * name or password (535 5.7.8 Authentication failed)" */
  g_set_error (error, PIGEON_SMTP_ERROR, code, _ ("%s (%s)"), what, text);
}

/* Overwrites a secret before freeing it, so it does not linger in freed memory. */
static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

typedef char *WipedString;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (WipedString, wipe_free, NULL)

/* The verdict on the last reply of an AUTH exchange. */
static gboolean
check_auth_result (const PigeonSmtpReply *reply, GError **error)
{
  if (reply->code == 235)
    return TRUE;

  if (reply->code == 538 || reply->code == 523)
    pigeon_smtp_set_reply_error (error, reply, PIGEON_SMTP_ERROR_SECURITY,
                                 _ ("The server wants an encrypted connection before logging in"));
  else if (reply->code == 534)
    pigeon_smtp_set_reply_error (error, reply, PIGEON_SMTP_ERROR_AUTH_FAILED,
                                 _ ("The server does not accept this way of logging in; it may "
                                    "need an app password or another sign-in method"));
  else
    pigeon_smtp_set_reply_error (error, reply, PIGEON_SMTP_ERROR_AUTH_FAILED,
                                 _ ("The server rejected the user name or password"));
  return FALSE;
}

/* A 334 challenge with an initial-response mechanism means the server did not like what we
 * sent but wants to say why; "*" cancels the exchange (RFC 4954 §4). */
static gboolean
cancel_exchange (PigeonSmtpConnection *connection,
                 const char *response,
                 GCancellable *cancellable,
                 GError **error)
{
  g_autoptr (PigeonSmtpReply) reply =
    pigeon_smtp_connection_command (connection, response, NULL, cancellable, error);

  if (reply == NULL)
    return FALSE;
  return check_auth_result (reply, error);
}

static gboolean
auth_with_initial_response (PigeonSmtpConnection *connection,
                            const char *command,
                            const char *initial_response,
                            const char *after_challenge,
                            GCancellable *cancellable,
                            GError **error)
{
  g_auto (WipedString) line = g_strdup_printf ("%s %s", command, initial_response);
  g_autofree char *shown = g_strdup_printf ("%s " HIDDEN, command);
  g_autoptr (PigeonSmtpReply) reply =
    pigeon_smtp_connection_command (connection, line, shown, cancellable, error);

  if (reply == NULL)
    return FALSE;
  if (reply->code == 334)
    return cancel_exchange (connection, after_challenge, cancellable, error);
  return check_auth_result (reply, error);
}

/* Sends one step of a challenge-response mechanism, after checking the server asked for it. */
static PigeonSmtpReply *
answer_challenge (PigeonSmtpConnection *connection,
                  const PigeonSmtpReply *challenge,
                  const char *response,
                  GCancellable *cancellable,
                  GError **error)
{
  if (challenge->code != 334)
    {
      check_auth_result (challenge, error);
      return NULL;
    }
  return pigeon_smtp_connection_command (connection, response, HIDDEN, cancellable, error);
}

static gboolean
auth_login (PigeonSmtpConnection *connection,
            const char *user,
            const char *password,
            GCancellable *cancellable,
            GError **error)
{
  g_autofree char *user_step = pigeon_smtp_sasl_login_response (user);
  g_auto (WipedString) password_step = pigeon_smtp_sasl_login_response (password);
  g_autoptr (PigeonSmtpReply) first = NULL;
  g_autoptr (PigeonSmtpReply) second = NULL;
  g_autoptr (PigeonSmtpReply) last = NULL;

  first = pigeon_smtp_connection_command (connection, "AUTH LOGIN", NULL, cancellable, error);
  if (first == NULL)
    return FALSE;
  second = answer_challenge (connection, first, user_step, cancellable, error);
  if (second == NULL)
    return FALSE;
  last = answer_challenge (connection, second, password_step, cancellable, error);
  if (last == NULL)
    return FALSE;
  return check_auth_result (last, error);
}

static gboolean
auth_cram_md5 (PigeonSmtpConnection *connection,
               const char *user,
               const char *password,
               GCancellable *cancellable,
               GError **error)
{
  g_autoptr (PigeonSmtpReply) challenge = NULL;
  g_autoptr (PigeonSmtpReply) last = NULL;
  g_autofree char *response = NULL;

  challenge =
    pigeon_smtp_connection_command (connection, "AUTH CRAM-MD5", NULL, cancellable, error);
  if (challenge == NULL)
    return FALSE;
  if (challenge->code != 334)
    return check_auth_result (challenge, error);

  response = pigeon_smtp_sasl_cram_md5_response (challenge->lines[0], user, password, error);
  if (response == NULL)
    {
      /* Leave the exchange cleanly so that QUIT still works. */
      g_autoptr (PigeonSmtpReply) ignored =
        pigeon_smtp_connection_command (connection, "*", NULL, cancellable, NULL);
      return FALSE;
    }
  last = pigeon_smtp_connection_command (connection, response, HIDDEN, cancellable, error);
  if (last == NULL)
    return FALSE;
  return check_auth_result (last, error);
}

gboolean
pigeon_smtp_auth_run (PigeonSmtpConnection *connection,
                      PigeonSmtpAuthMechanism mechanism,
                      const char *user,
                      const char *secret,
                      GCancellable *cancellable,
                      GError **error)
{
  g_auto (WipedString) initial = NULL;

  switch (mechanism)
    {
      case PIGEON_SMTP_AUTH_PLAIN:
        initial = pigeon_smtp_sasl_plain_response (user, secret);
        return auth_with_initial_response (connection, "AUTH PLAIN", initial, "*", cancellable,
                                           error);
      case PIGEON_SMTP_AUTH_XOAUTH2:
        /* The 334 carries the server's reason as JSON; an empty response ends the exchange. */
        initial = pigeon_smtp_sasl_xoauth2_response (user, secret);
        return auth_with_initial_response (connection, "AUTH XOAUTH2", initial, "", cancellable,
                                           error);
      case PIGEON_SMTP_AUTH_LOGIN:
        return auth_login (connection, user, secret, cancellable, error);
      case PIGEON_SMTP_AUTH_CRAM_MD5:
        return auth_cram_md5 (connection, user, secret, cancellable, error);
      case PIGEON_SMTP_AUTH_NONE:
      default:
        g_set_error_literal (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_INTERNAL,
                             "no authentication mechanism chosen");
        return FALSE;
    }
}
