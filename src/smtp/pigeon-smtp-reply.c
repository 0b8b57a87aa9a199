/* pigeon-smtp-reply.c: SMTP replies and their parser (RFC 5321 §4.2, RFC 3463)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <string.h>

#include <glib/gi18n.h>

#include "pigeon-smtp-error.h"
#include "pigeon-smtp-reply.h"

/* How much of a bad line an error message quotes: enough to recognise it, short enough for a
 * dialog. */
#define QUOTE_MAX_CHARS 80

struct _PigeonSmtpReplyParser
{
  PigeonSmtpReply *reply; /* NULL until the first line of a reply arrives */
  GPtrArray *lines;       /* char *, the texts so far */
  gboolean done;          /* the final line arrived; the reply waits to be taken */
};

/* Helpers */

static void
append_escaped_byte (GString *out, guchar byte)
{
  switch (byte)
    {
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        g_string_append_printf (out, "\\x%02x", byte);
        break;
    }
}

static void
append_char (GString *out, gunichar c)
{
  /* A backslash is doubled so that a server cannot fake one of our escapes. */
  if (c == '\\')
    g_string_append (out, "\\\\");
  else if (c < 0x80 && !g_unichar_isprint (c))
    append_escaped_byte (out, (guchar) c);
  else if (!g_unichar_isprint (c))
    g_string_append_printf (out, "\\u%04x", c);
  else
    g_string_append_unichar (out, c);
}

/* The line as a person can read it in an error message: control and format characters and
 * invalid UTF-8 escaped (a server's stray bytes must not garble or, with bidirectional
 * overrides, disguise what the user sees), and cut short. */
static char *
make_printable (const char *line, gsize length)
{
  GString *out = g_string_new (NULL);
  const char *p = line;
  const char *end = line + length;
  guint chars = 0;

  while (p < end && chars < QUOTE_MAX_CHARS)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          append_escaped_byte (out, (guchar) *p);
          p++;
        }
      else
        {
          append_char (out, c);
          p = g_utf8_next_char (p);
        }
      chars++;
    }
  if (p < end)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

static void
parser_reset (PigeonSmtpReplyParser *parser)
{
  g_clear_pointer (&parser->reply, pigeon_smtp_reply_free);
  g_ptr_array_set_size (parser->lines, 0);
  parser->done = FALSE;
}

/* Sets a protocol error quoting @line and resets the parser, so that the caller can resume
 * with the next reply if it chooses to. */
static PigeonSmtpReplyParseStatus
parser_fail (
  PigeonSmtpReplyParser *parser, const char *line, gsize length, const char *reason, GError **error)
{
  g_autofree char *quoted = make_printable (line, length);

  /* TRANSLATORS: the first %s says what is wrong, the second is the server's line */
  g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL,
               _ ("The server sent a malformed reply (%s): “%s”"), reason, quoted);
  parser_reset (parser);
  return PIGEON_SMTP_REPLY_PARSE_ERROR;
}

/* Reads the "XYZ" code; FALSE unless three digits forming 200..599. */
static gboolean
parse_code (const char *line, gsize length, guint *code)
{
  if (length < 3)
    return FALSE;
  if (!g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]))
    return FALSE;
  if (line[0] < '2' || line[0] > '5')
    return FALSE;

  *code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  return TRUE;
}

/* Counts 1 to 3 digits at @p; 0 if there are none or too many. */
static gsize
count_digits (const char *p, const char *end)
{
  gsize n = 0;

  while (p + n < end && g_ascii_isdigit (p[n]))
    n++;
  return n <= 3 ? n : 0;
}

/* If @text starts with a well-formed "class.subject.detail" (RFC 3463) whose class agrees with
 * @code, copies it into @enhanced and returns its length including the following space, else 0.
 * Servers put anything in reply text, so a near miss is left as text rather than refused. */
static gsize
parse_enhanced (const char *text, gsize length, guint code, char enhanced[16])
{
  const char *end = text + length;
  const char *p = text;
  gsize n;

  /* RFC 3463 has no class 3: an intermediate reply carries no enhanced code. */
  if (code / 100 == 3 || length < 5 || p[0] != '0' + (char) (code / 100) || p[1] != '.')
    return 0;
  p += 2;
  if ((n = count_digits (p, end)) == 0 || p + n >= end || p[n] != '.')
    return 0;
  p += n + 1;
  if ((n = count_digits (p, end)) == 0)
    return 0;
  p += n;
  if (p < end && *p != ' ')
    return 0;

  memcpy (enhanced, text, p - text);
  enhanced[p - text] = '\0';
  return p < end ? (gsize) (p - text) + 1 : (gsize) (p - text);
}

/* Stores the text after "XYZ" and the separator. The first line's enhanced code becomes the
 * reply's; later lines usually repeat it (RFC 2034 §4), and it is stripped from them too. */
static void
parser_add_text (PigeonSmtpReplyParser *parser, const char *text, gsize length)
{
  PigeonSmtpReply *reply = parser->reply;
  char enhanced[16] = "";
  gsize skip = parse_enhanced (text, length, reply->code, enhanced);

  if (parser->lines->len == 0)
    memcpy (reply->enhanced, enhanced, sizeof enhanced);
  else if (skip > 0 && strcmp (enhanced, reply->enhanced) != 0)
    skip = 0;

  g_ptr_array_add (parser->lines, g_utf8_make_valid (text + skip, length - skip));
}

static PigeonSmtpReplyParseStatus
parser_finish (PigeonSmtpReplyParser *parser)
{
  g_ptr_array_add (parser->lines, NULL);
  parser->reply->lines = (GStrv) g_ptr_array_steal (parser->lines, NULL);
  parser->done = TRUE;
  return PIGEON_SMTP_REPLY_PARSE_DONE;
}

/* Public API */

void
pigeon_smtp_reply_free (PigeonSmtpReply *reply)
{
  if (reply == NULL)
    return;
  g_strfreev (reply->lines);
  g_free (reply);
}

char *
pigeon_smtp_reply_to_string (const PigeonSmtpReply *reply)
{
  GString *out;

  g_return_val_if_fail (reply != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%03u", reply->code);
  if (reply->enhanced[0] != '\0')
    g_string_append_printf (out, " %s", reply->enhanced);
  for (guint i = 0; reply->lines != NULL && reply->lines[i] != NULL; i++)
    {
      if (reply->lines[i][0] != '\0')
        g_string_append_printf (out, " %s", reply->lines[i]);
    }
  return g_string_free (out, FALSE);
}

PigeonSmtpReplyParser *
pigeon_smtp_reply_parser_new (void)
{
  PigeonSmtpReplyParser *parser = g_new0 (PigeonSmtpReplyParser, 1);

  parser->lines = g_ptr_array_new_with_free_func (g_free);
  return parser;
}

void
pigeon_smtp_reply_parser_free (PigeonSmtpReplyParser *parser)
{
  if (parser == NULL)
    return;
  g_clear_pointer (&parser->reply, pigeon_smtp_reply_free);
  g_ptr_array_unref (parser->lines);
  g_free (parser);
}

PigeonSmtpReplyParseStatus
pigeon_smtp_reply_parser_feed (PigeonSmtpReplyParser *parser,
                               const char *line,
                               gsize length,
                               GError **error)
{
  guint code = 0;
  gboolean last;

  g_return_val_if_fail (parser != NULL, PIGEON_SMTP_REPLY_PARSE_ERROR);
  g_return_val_if_fail (line != NULL || length == 0, PIGEON_SMTP_REPLY_PARSE_ERROR);

  /* A finished reply nobody took is stale: the new line starts the next reply. */
  if (parser->done)
    parser_reset (parser);

  if (length > 0 && memchr (line, '\0', length) != NULL)
    return parser_fail (parser, line, length, _ ("a NUL byte"), error);
  if (!parse_code (line, length, &code))
    return parser_fail (parser, line, length, _ ("no valid status code"), error);
  if (length > 3 && line[3] != ' ' && line[3] != '-')
    return parser_fail (parser, line, length, _ ("no space or hyphen after the code"), error);
  if (parser->reply != NULL && code != parser->reply->code)
    return parser_fail (parser, line, length, _ ("the status code changed within the reply"),
                        error);
  if (parser->lines->len >= PIGEON_SMTP_REPLY_MAX_LINES)
    return parser_fail (parser, line, length, _ ("too many lines"), error);

  if (parser->reply == NULL)
    {
      parser->reply = g_new0 (PigeonSmtpReply, 1);
      parser->reply->code = code;
    }

  /* "250" alone is a complete final line with no text. */
  last = length == 3 || line[3] == ' ';
  parser_add_text (parser, length > 3 ? line + 4 : "", length > 3 ? length - 4 : 0);

  return last ? parser_finish (parser) : PIGEON_SMTP_REPLY_PARSE_MORE;
}

PigeonSmtpReply *
pigeon_smtp_reply_parser_take_reply (PigeonSmtpReplyParser *parser)
{
  g_return_val_if_fail (parser != NULL, NULL);
  g_return_val_if_fail (parser->done, NULL);

  parser->done = FALSE;
  return g_steal_pointer (&parser->reply);
}
