/* pigeon-smtp-capabilities.c: reading the EHLO reply (RFC 5321 §4.1.1.1)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <string.h>

#include "pigeon-smtp-capabilities.h"
#include "pigeon-smtp-sasl.h"

/* Keywords that are a plain yes/no, and where each one lands in the struct. */
static const struct
{
  const char *keyword;
  gsize offset;
} flag_keywords[] = {
  { "STARTTLS", G_STRUCT_OFFSET (PigeonSmtpCapabilities, starttls) },
  { "PIPELINING", G_STRUCT_OFFSET (PigeonSmtpCapabilities, pipelining) },
  { "8BITMIME", G_STRUCT_OFFSET (PigeonSmtpCapabilities, eightbitmime) },
  { "SMTPUTF8", G_STRUCT_OFFSET (PigeonSmtpCapabilities, smtputf8) },
  { "ENHANCEDSTATUSCODES", G_STRUCT_OFFSET (PigeonSmtpCapabilities, enhanced_status_codes) },
  { "CHUNKING", G_STRUCT_OFFSET (PigeonSmtpCapabilities, chunking) },
  { "DSN", G_STRUCT_OFFSET (PigeonSmtpCapabilities, dsn) },
};

/* The "AUTH=" prefix of the form some servers still send for clients written before RFC 2554
 * was final (e.g. "AUTH=LOGIN PLAIN"). */
#define LEGACY_AUTH_PREFIX     "AUTH="
#define LEGACY_AUTH_PREFIX_LEN (sizeof LEGACY_AUTH_PREFIX - 1)

static void
add_mechanisms (PigeonSmtpCapabilities *caps, const char *const *names)
{
  for (gsize i = 0; names[i] != NULL; i++)
    {
      PigeonSmtpAuthMechanism mechanism = PIGEON_SMTP_AUTH_NONE;

      if (pigeon_smtp_sasl_mechanism_from_name (names[i], &mechanism))
        caps->auth |= mechanism;
    }
}

/* "SIZE" alone declares support without a fixed limit; "SIZE n" gives the limit in octets.
 * A value that is not a plain decimal number, or does not fit, leaves the keyword unused. */
static void
parse_size (PigeonSmtpCapabilities *caps, const char *value)
{
  guint64 limit = 0;

  if (value == NULL)
    {
      caps->size_declared = TRUE;
      caps->size_limit = 0;
      return;
    }

  /* g_ascii_string_to_unsigned() would also take a sign: only digits are a size. */
  for (const char *p = value; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return;
    }
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &limit, NULL))
    return;

  caps->size_declared = TRUE;
  caps->size_limit = limit;
}

static gboolean
parse_flag (PigeonSmtpCapabilities *caps, const char *keyword)
{
  for (gsize i = 0; i < G_N_ELEMENTS (flag_keywords); i++)
    {
      if (g_ascii_strcasecmp (keyword, flag_keywords[i].keyword) == 0)
        {
          G_STRUCT_MEMBER (gboolean, caps, flag_keywords[i].offset) = TRUE;
          return TRUE;
        }
    }
  return FALSE;
}

/* Splits at runs of spaces or tabs, without the empty words g_strsplit_set() would give. */
static GStrv
split_words (const char *line)
{
  g_auto (GStrv) parts = g_strsplit_set (line, " \t", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (gsize i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static void
parse_line (PigeonSmtpCapabilities *caps, const char *line)
{
  g_auto (GStrv) words = split_words (line);
  const char *keyword = words[0];

  if (keyword == NULL || parse_flag (caps, keyword))
    return;

  if (g_ascii_strcasecmp (keyword, "SIZE") == 0)
    {
      parse_size (caps, words[1]);
    }
  else if (g_ascii_strcasecmp (keyword, "AUTH") == 0)
    {
      add_mechanisms (caps, (const char *const *) words + 1);
    }
  else if (g_ascii_strncasecmp (keyword, LEGACY_AUTH_PREFIX, LEGACY_AUTH_PREFIX_LEN) == 0)
    {
      /* The first mechanism is glued to the keyword: "AUTH=LOGIN PLAIN". */
      const char *first[] = { keyword + LEGACY_AUTH_PREFIX_LEN, NULL };

      add_mechanisms (caps, first);
      add_mechanisms (caps, (const char *const *) words + 1);
    }
}

void
pigeon_smtp_capabilities_parse (PigeonSmtpCapabilities *caps, const PigeonSmtpReply *ehlo)
{
  g_return_if_fail (caps != NULL);

  memset (caps, 0, sizeof *caps);

  /* A refused EHLO offers nothing; the caller decides whether to fall back to HELO. */
  if (ehlo == NULL || !pigeon_smtp_reply_is_positive (ehlo))
    return;
  if (ehlo->lines == NULL || ehlo->lines[0] == NULL)
    return;

  /* Line 0 is the server's name and greeting, not a keyword. */
  for (gsize i = 1; ehlo->lines[i] != NULL; i++)
    parse_line (caps, ehlo->lines[i]);
}
