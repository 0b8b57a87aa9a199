/* fuzz-capabilities.c: the EHLO capability parser against any reply text
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each line of the input is one line of a 250 reply, as the reply parser would hand it on
 * (valid UTF-8, no line ending).
 */
#define G_LOG_DOMAIN "pigeon-fuzz"

#include <string.h>

#include "pigeon-fuzz-common.h"
#include "pigeon-smtp-capabilities.h"

static void
add_line_cb (const char *line, gsize length, gpointer user_data)
{
  GPtrArray *lines = user_data;

  if (lines->len < PIGEON_SMTP_REPLY_MAX_LINES)
    g_ptr_array_add (lines, g_utf8_make_valid (line, length));
}

/* Whether some line of @reply, after the greeting, is @keyword followed by space, tab or its
 * end, ignoring case: the only way a flag may become TRUE. */
static gboolean
has_keyword (const PigeonSmtpReply *reply, const char *keyword)
{
  gsize n = strlen (keyword);

  for (guint i = 1; reply->lines[i] != NULL; i++)
    {
      const char *line = reply->lines[i] + strspn (reply->lines[i], " \t");

      if (g_ascii_strncasecmp (line, keyword, n) == 0 &&
          (line[n] == '\0' || line[n] == ' ' || line[n] == '\t'))
        return TRUE;
    }
  return FALSE;
}

static void
check_capabilities (const PigeonSmtpCapabilities *caps, const PigeonSmtpReply *reply)
{
  g_assert_true (!caps->starttls || has_keyword (reply, "STARTTLS"));
  g_assert_true (!caps->pipelining || has_keyword (reply, "PIPELINING"));
  g_assert_true (!caps->eightbitmime || has_keyword (reply, "8BITMIME"));
  g_assert_true (!caps->smtputf8 || has_keyword (reply, "SMTPUTF8"));
  g_assert_true (!caps->chunking || has_keyword (reply, "CHUNKING"));
  g_assert_true (!caps->dsn || has_keyword (reply, "DSN"));
  g_assert_true (!caps->size_declared || has_keyword (reply, "SIZE"));
  g_assert_true (caps->size_declared || caps->size_limit == 0);
  g_assert_cmpuint (caps->auth & ~PIGEON_SMTP_AUTH_ALL, ==, 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  PigeonSmtpReply reply = { 250, "", NULL };
  PigeonSmtpCapabilities caps;

  pigeon_fuzz_foreach_line (data, size, add_line_cb, lines);
  reply.lines = (GStrv) lines->pdata;
  if (reply.lines == NULL)
    {
      /* No line at all: the parser never hands on such a reply, but it must not matter. */
      static char *no_lines[] = { NULL };

      reply.lines = no_lines;
    }
  pigeon_smtp_capabilities_parse (&caps, &reply);
  if (reply.lines[0] != NULL)
    check_capabilities (&caps, &reply);

  /* A refusal offers nothing, whatever its text. */
  reply.code = 550;
  pigeon_smtp_capabilities_parse (&caps, &reply);
  g_assert_true (!caps.starttls && !caps.size_declared && caps.auth == PIGEON_SMTP_AUTH_NONE);
  return 0;
}
