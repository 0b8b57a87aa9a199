/* fuzz-reply.c: the SMTP reply parser against whatever a server might send
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a server's byte stream: each line is fed to the parser as the connection would
 * feed it, every finished reply is taken and turned into text, and the parser's promises are
 * checked on the way.
 */
#define G_LOG_DOMAIN "pigeon-fuzz"

#include <string.h>

#include "pigeon-fuzz-common.h"
#include "pigeon-smtp-error.h"
#include "pigeon-smtp-reply.h"

typedef struct
{
  PigeonSmtpReplyParser *parser;
  guint first_code; /* of the reply being read; 0 before its first line */
  guint n_lines;    /* fed to the reply being read */
} FuzzState;

static void
check_error (const GError *error)
{
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  /* The offending line is quoted made printable: no raw line break may reach a dialog. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strpbrk (error->message, "\r\n"));
}

static void
check_reply (const FuzzState *state, const PigeonSmtpReply *reply)
{
  g_autofree char *text = NULL;
  char code[4];
  guint n = 0;

  g_assert_nonnull (reply);
  g_assert_cmpuint (reply->code, >=, 200);
  g_assert_cmpuint (reply->code, <=, 599);
  g_assert_cmpuint (reply->code, ==, state->first_code);
  g_assert_cmpuint (strnlen (reply->enhanced, sizeof reply->enhanced), <, sizeof reply->enhanced);
  if (reply->enhanced[0] != '\0')
    g_assert_cmpint (reply->enhanced[0], ==, '0' + (int) (reply->code / 100));
  g_assert_nonnull (reply->lines);
  for (; reply->lines[n] != NULL; n++)
    g_assert_true (g_utf8_validate (reply->lines[n], -1, NULL));
  g_assert_cmpuint (n, ==, state->n_lines);
  g_assert_cmpuint (n, <=, PIGEON_SMTP_REPLY_MAX_LINES);

  text = pigeon_smtp_reply_to_string (reply);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_snprintf (code, sizeof code, "%03u", reply->code);
  g_assert_true (g_str_has_prefix (text, code));
}

static void
feed_line_cb (const char *line, gsize length, gpointer user_data)
{
  FuzzState *state = user_data;
  g_autoptr (GError) error = NULL;
  PigeonSmtpReplyParseStatus status;

  if (state->first_code == 0 && length >= 3)
    state->first_code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  state->n_lines++;

  status = pigeon_smtp_reply_parser_feed (state->parser, line, length, &error);
  switch (status)
    {
      case PIGEON_SMTP_REPLY_PARSE_MORE:
        g_assert_no_error (error);
        g_assert_cmpuint (length, >, 3);
        g_assert_cmpint (line[3], ==, '-');
        return;
      case PIGEON_SMTP_REPLY_PARSE_DONE:
        {
          g_autoptr (PigeonSmtpReply) reply = NULL;

          g_assert_no_error (error);
          g_assert_null (memchr (line, '\0', length));
          reply = pigeon_smtp_reply_parser_take_reply (state->parser);
          check_reply (state, reply);
          break;
        }
      case PIGEON_SMTP_REPLY_PARSE_ERROR:
        check_error (error);
        break;
      default:
        g_assert_not_reached ();
    }
  /* Either way the parser starts the next reply afresh. */
  state->first_code = 0;
  state->n_lines = 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  FuzzState state = { parser, 0, 0 };

  pigeon_fuzz_foreach_line (data, size, feed_line_cb, &state);
  return 0;
}
