/* pigeon-smtp-sasl.c: SASL mechanisms for SMTP AUTH (RFC 4954, 4616, 2195; XOAUTH2)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <string.h>

#include <glib/gi18n.h>

#include "pigeon-smtp-error.h"
#include "pigeon-smtp-sasl.h"

static const struct
{
  PigeonSmtpAuthMechanism mechanism;
  const char *name;
} mechanism_names[] = {
  { PIGEON_SMTP_AUTH_PLAIN, "PLAIN" },
  { PIGEON_SMTP_AUTH_LOGIN, "LOGIN" },
  { PIGEON_SMTP_AUTH_CRAM_MD5, "CRAM-MD5" },
  { PIGEON_SMTP_AUTH_XOAUTH2, "XOAUTH2" },
};

/* Helpers */

/* Zeroes and frees a buffer that held a secret. The writes go through a volatile pointer so
 * that the compiler cannot drop them as dead stores before free(). */
static void
wipe_free (char *buffer, gsize length)
{
  volatile char *p = buffer;

  if (buffer == NULL)
    return;
  while (length-- > 0)
    *p++ = '\0';
  g_free (buffer);
}

/* The first of @a, @b, @c (single mechanisms, best first) that is in @usable.
 *
 * Written with the candidates as arguments rather than as a loop over a static table: GCC 12.2
 * at -O2 (Debian 12's compiler) miscompiles that loop's last comparison (its if-conversion
 * tests the table's address instead of the loaded value), silently skipping the last entry. */
static inline PigeonSmtpAuthMechanism
first_usable (PigeonSmtpAuthMechanism usable,
              PigeonSmtpAuthMechanism a,
              PigeonSmtpAuthMechanism b,
              PigeonSmtpAuthMechanism c)
{
  if (usable & a)
    return a;
  if (usable & b)
    return b;
  if (usable & c)
    return c;
  return PIGEON_SMTP_AUTH_NONE;
}

/* Base64 of @buffer, which holds a password or a token: the plain copy is wiped and freed. */
static char *
encode_and_wipe (char *buffer, gsize length)
{
  char *encoded = g_base64_encode ((const guchar *) buffer, length);

  wipe_free (buffer, length);
  return encoded;
}

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* g_base64_decode() skips characters it does not know instead of refusing them, so a garbled
 * challenge would silently become a different one. Accept only complete, padded base64. */
static gboolean
is_valid_base64 (const char *text)
{
  gsize length = strlen (text);
  gsize padding = 0;

  if (length == 0 || length % 4 != 0)
    return FALSE;
  if (text[length - 1] == '=')
    padding = text[length - 2] == '=' ? 2 : 1;

  for (gsize i = 0; i < length - padding; i++)
    {
      if (!is_base64_char (text[i]))
        return FALSE;
    }
  return TRUE;
}

/* Public API */

const char *
pigeon_smtp_sasl_mechanism_name (PigeonSmtpAuthMechanism mechanism)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mechanism_names); i++)
    {
      if (mechanism_names[i].mechanism == mechanism)
        return mechanism_names[i].name;
    }
  return NULL;
}

gboolean
pigeon_smtp_sasl_mechanism_from_name (const char *name, PigeonSmtpAuthMechanism *mechanism)
{
  if (name == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (mechanism_names); i++)
    {
      if (g_ascii_strcasecmp (name, mechanism_names[i].name) == 0)
        {
          if (mechanism != NULL)
            *mechanism = mechanism_names[i].mechanism;
          return TRUE;
        }
    }
  return FALSE;
}

PigeonSmtpAuthMechanism
pigeon_smtp_sasl_choose (PigeonSmtpAuthMechanism offered,
                         PigeonSmtpAuthMechanism allowed,
                         gboolean have_oauth2_token,
                         gboolean over_tls)
{
  PigeonSmtpAuthMechanism usable = offered & allowed;

  /* A token is not a password: with one, only XOAUTH2 can use it; without, XOAUTH2 cannot. */
  if (have_oauth2_token)
    return usable & PIGEON_SMTP_AUTH_XOAUTH2;

  /* Over TLS the password is already protected and PLAIN costs one round trip; in clear,
   * CRAM-MD5 at least never sends the password itself. */
  if (over_tls)
    return first_usable (usable, PIGEON_SMTP_AUTH_PLAIN, PIGEON_SMTP_AUTH_LOGIN,
                         PIGEON_SMTP_AUTH_CRAM_MD5);
  return first_usable (usable, PIGEON_SMTP_AUTH_CRAM_MD5, PIGEON_SMTP_AUTH_PLAIN,
                       PIGEON_SMTP_AUTH_LOGIN);
}

char *
pigeon_smtp_sasl_plain_response (const char *user, const char *password)
{
  gsize user_length;
  gsize password_length;
  char *buffer;

  g_return_val_if_fail (user != NULL && password != NULL, NULL);

  /* authzid (empty) NUL authcid NUL passwd: the NULs rule out a printf. */
  user_length = strlen (user);
  password_length = strlen (password);
  buffer = g_malloc0 (user_length + password_length + 2);
  memcpy (buffer + 1, user, user_length);
  memcpy (buffer + 2 + user_length, password, password_length);
  return encode_and_wipe (buffer, user_length + password_length + 2);
}

char *
pigeon_smtp_sasl_login_response (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

char *
pigeon_smtp_sasl_cram_md5_response (const char *challenge,
                                    const char *user,
                                    const char *password,
                                    GError **error)
{
  g_autofree guchar *decoded = NULL;
  gsize decoded_length = 0;
  GHmac *hmac;
  char *digest;
  char *response;

  g_return_val_if_fail (challenge != NULL && user != NULL && password != NULL, NULL);

  if (!is_valid_base64 (challenge))
    {
      g_set_error_literal (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL,
                           _ ("The server sent an invalid CRAM-MD5 challenge"));
      return NULL;
    }
  decoded = g_base64_decode (challenge, &decoded_length);

  hmac = g_hmac_new (G_CHECKSUM_MD5, (const guchar *) password, strlen (password));
  g_hmac_update (hmac, decoded, decoded_length);
  digest = g_strdup (g_hmac_get_string (hmac));
  g_hmac_unref (hmac);

  /* The digest lets whoever finds it test guessed passwords offline: it is wiped like one. */
  response = g_strdup_printf ("%s %s", user, digest);
  wipe_free (digest, strlen (digest));
  return encode_and_wipe (response, strlen (response));
}

char *
pigeon_smtp_sasl_xoauth2_response (const char *user, const char *token)
{
  char *response;

  g_return_val_if_fail (user != NULL && token != NULL, NULL);

  response = g_strdup_printf ("user=%s\001auth=Bearer %s\001\001", user, token);
  return encode_and_wipe (response, strlen (response));
}
