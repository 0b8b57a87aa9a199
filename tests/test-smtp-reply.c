/* test-smtp-reply.c: the SMTP reply parser
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-smtp-error.h"
#include "pigeon-smtp-reply.h"

/* Feeds NUL-terminated @lines (a NULL-terminated array) and expects each but the last to ask
 * for more and the last to finish the reply. */
static PigeonSmtpReply *
parse_lines (PigeonSmtpReplyParser *parser, const char *const *lines)
{
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      PigeonSmtpReplyParseStatus status;

      status = pigeon_smtp_reply_parser_feed (parser, lines[i], strlen (lines[i]), &error);
      g_assert_no_error (error);
      if (lines[i + 1] != NULL)
        g_assert_cmpint (status, ==, PIGEON_SMTP_REPLY_PARSE_MORE);
      else
        g_assert_cmpint (status, ==, PIGEON_SMTP_REPLY_PARSE_DONE);
    }
  return pigeon_smtp_reply_parser_take_reply (parser);
}

static PigeonSmtpReply *
parse_one (const char *line)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  const char *lines[] = { line, NULL };

  return parse_lines (parser, lines);
}

/* Feeds @line of @length bytes and expects a protocol error, which is returned. */
static GError *
feed_expecting_error (PigeonSmtpReplyParser *parser, const char *line, gsize length)
{
  GError *error = NULL;
  PigeonSmtpReplyParseStatus status;

  status = pigeon_smtp_reply_parser_feed (parser, line, length, &error);
  g_assert_cmpint (status, ==, PIGEON_SMTP_REPLY_PARSE_ERROR);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
  return error;
}

static void
assert_parses_to (const char *line, guint code, const char *enhanced, const char *text)
{
  g_autoptr (PigeonSmtpReply) reply = parse_one (line);

  g_assert_nonnull (reply);
  g_assert_cmpuint (reply->code, ==, code);
  g_assert_cmpstr (reply->enhanced, ==, enhanced);
  g_assert_cmpuint (g_strv_length (reply->lines), ==, 1);
  g_assert_cmpstr (reply->lines[0], ==, text);
}

static void
test_single (void)
{
  g_autoptr (PigeonSmtpReply) reply = parse_one ("220 mail.example.org ESMTP Postfix");
  g_autofree char *text = NULL;

  g_assert_cmpuint (reply->code, ==, 220);
  g_assert_cmpstr (reply->enhanced, ==, "");
  g_assert_cmpuint (g_strv_length (reply->lines), ==, 1);
  g_assert_cmpstr (reply->lines[0], ==, "mail.example.org ESMTP Postfix");
  g_assert_true (pigeon_smtp_reply_is_positive (reply));
  g_assert_false (pigeon_smtp_reply_is_transient (reply));

  text = pigeon_smtp_reply_to_string (reply);
  g_assert_cmpstr (text, ==, "220 mail.example.org ESMTP Postfix");
}

static void
test_multiline (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  const char *lines[] = { "250-mail.example.org", "250-PIPELINING", "250-SIZE 10240000",
                          "250 8BITMIME", NULL };
  g_autoptr (PigeonSmtpReply) reply = parse_lines (parser, lines);
  g_autofree char *text = pigeon_smtp_reply_to_string (reply);
  const char *expected[] = { "mail.example.org", "PIPELINING", "SIZE 10240000", "8BITMIME", NULL };

  g_assert_cmpuint (reply->code, ==, 250);
  g_assert_cmpstrv (reply->lines, expected);
  g_assert_cmpstr (text, ==, "250 mail.example.org PIPELINING SIZE 10240000 8BITMIME");
}

static void
test_code_only (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  const char *lines[] = { "250-first", "250", NULL };
  g_autoptr (PigeonSmtpReply) alone = parse_one ("250");
  g_autoptr (PigeonSmtpReply) last = parse_lines (parser, lines);
  g_autofree char *text = pigeon_smtp_reply_to_string (alone);
  const char *expected[] = { "first", "", NULL };

  g_assert_cmpuint (alone->code, ==, 250);
  g_assert_cmpuint (g_strv_length (alone->lines), ==, 1);
  g_assert_cmpstr (alone->lines[0], ==, "");
  g_assert_cmpstr (text, ==, "250");

  g_assert_cmpstrv (last->lines, expected);
}

static void
test_length_respected (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonSmtpReply) reply = NULL;

  /* The line reader hands over a buffer that may go on past the line. */
  g_assert_cmpint (pigeon_smtp_reply_parser_feed (parser, "250 OK\r\n354 more", 6, &error), ==,
                   PIGEON_SMTP_REPLY_PARSE_DONE);
  g_assert_no_error (error);
  reply = pigeon_smtp_reply_parser_take_reply (parser);
  g_assert_cmpstr (reply->lines[0], ==, "OK");
}

static void
test_enhanced_present (void)
{
  g_autoptr (PigeonSmtpReply) reply = parse_one ("535 5.7.8 Authentication credentials invalid");
  g_autofree char *text = pigeon_smtp_reply_to_string (reply);

  g_assert_cmpuint (reply->code, ==, 535);
  g_assert_cmpstr (reply->enhanced, ==, "5.7.8");
  g_assert_cmpstr (reply->lines[0], ==, "Authentication credentials invalid");
  g_assert_cmpstr (text, ==, "535 5.7.8 Authentication credentials invalid");

  assert_parses_to ("250 2.0.0", 250, "2.0.0", "");
  assert_parses_to ("250 2.0.0 Ok: queued as 4Xyz", 250, "2.0.0", "Ok: queued as 4Xyz");
  assert_parses_to ("452 4.3.1 Insufficient system storage", 452, "4.3.1",
                    "Insufficient system storage");
  assert_parses_to ("550 5.999.999 Widest allowed", 550, "5.999.999", "Widest allowed");
}

static void
test_enhanced_absent (void)
{
  g_autoptr (PigeonSmtpReply) reply = parse_one ("554 Transaction failed");
  g_autofree char *text = pigeon_smtp_reply_to_string (reply);

  g_assert_cmpstr (reply->enhanced, ==, "");
  g_assert_cmpstr (text, ==, "554 Transaction failed");
}

static void
test_enhanced_malformed (void)
{
  /* Near misses stay in the text, untouched, and the reply is still accepted. */
  const char *texts[] = { "5.1 Two parts",       "5.1.1x Glued",   "5.1234.1 Long subject",
                          "5..1 Empty subject",  "5.1.1234 Long",  "5.1. Empty detail",
                          "X.1.1 Not a digit",   "5-1-1 Dashes",   "55.1.1 Two digit class",
                          "5.1.1\tTab after it", "1.1.1 Class one" };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *line = g_strconcat ("550 ", texts[i], NULL);

      assert_parses_to (line, 550, "", texts[i]);
    }
}

static void
test_enhanced_class_mismatch (void)
{
  assert_parses_to ("550 2.0.0 Says success, means failure", 550, "",
                    "2.0.0 Says success, means failure");
  assert_parses_to ("250 5.7.1 Odd", 250, "", "5.7.1 Odd");
  assert_parses_to ("421 5.0.0 Closing", 421, "", "5.0.0 Closing");
  /* RFC 3463 has no class 3, so an intermediate reply never has an enhanced code. */
  assert_parses_to ("354 3.0.0 End data with <CR><LF>.<CR><LF>", 354, "",
                    "3.0.0 End data with <CR><LF>.<CR><LF>");
}

static void
test_enhanced_multiline (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  const char *lines[] = { "550-5.1.1 The email account that you tried to reach does not exist.",
                          "550-5.1.1 Please try double-checking the recipient's address.",
                          "550 5.7.1 A different code stays as text", NULL };
  g_autoptr (PigeonSmtpReply) reply = parse_lines (parser, lines);
  const char *expected[] = { "The email account that you tried to reach does not exist.",
                             "Please try double-checking the recipient's address.",
                             "5.7.1 A different code stays as text", NULL };

  g_assert_cmpstr (reply->enhanced, ==, "5.1.1");
  g_assert_cmpstrv (reply->lines, expected);
}

static void
test_bad_code (void)
{
  const char *lines[] = { "199 Too low",
                          "600 Too high",
                          "25a Not a number",
                          "099 Leading zero",
                          "2500 Four digits",
                          "",
                          "25",
                          "2",
                          "OK",
                          " 250 Leading space",
                          "-250 Sign" };
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr (GError) error = feed_expecting_error (parser, lines[i], strlen (lines[i]));

      g_test_message ("%s -> %s", lines[i], error->message);
      g_assert_nonnull (strstr (error->message, lines[i]));
    }
}

static void
test_missing_separator (void)
{
  const char *lines[] = { "250OK", "250_OK", "250\tOK", "250=OK", "2500" };
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr (GError) error = feed_expecting_error (parser, lines[i], strlen (lines[i]));

      g_test_message ("%s -> %s", lines[i], error->message);
    }
}

static void
test_mismatched_codes (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (pigeon_smtp_reply_parser_feed (parser, "250-first", 9, &error), ==,
                   PIGEON_SMTP_REPLY_PARSE_MORE);
  g_assert_cmpint (pigeon_smtp_reply_parser_feed (parser, "250-second", 10, &error), ==,
                   PIGEON_SMTP_REPLY_PARSE_MORE);
  g_assert_no_error (error);
  error = feed_expecting_error (parser, "251 third", 9);
  g_assert_nonnull (strstr (error->message, "251 third"));
}

static void
test_nul (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  static const char line[] = "250 a\0b";
  g_autoptr (GError) error = feed_expecting_error (parser, line, sizeof line - 1);

  /* The message must be a whole C string that still shows where the NUL was. */
  g_assert_nonnull (strstr (error->message, "250 a\\x00b"));
}

static void
test_too_many_lines (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonSmtpReply) reply = NULL;
  PigeonSmtpReplyParseStatus status;

  /* Exactly the maximum is fine. */
  for (guint i = 0; i < PIGEON_SMTP_REPLY_MAX_LINES - 1; i++)
    g_assert_cmpint (pigeon_smtp_reply_parser_feed (parser, "250-x", 5, &error), ==,
                     PIGEON_SMTP_REPLY_PARSE_MORE);
  status = pigeon_smtp_reply_parser_feed (parser, "250 x", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, PIGEON_SMTP_REPLY_PARSE_DONE);
  reply = pigeon_smtp_reply_parser_take_reply (parser);
  g_assert_cmpuint (g_strv_length (reply->lines), ==, PIGEON_SMTP_REPLY_MAX_LINES);

  /* One more is refused, whatever the line says. */
  for (guint i = 0; i < PIGEON_SMTP_REPLY_MAX_LINES; i++)
    g_assert_cmpint (pigeon_smtp_reply_parser_feed (parser, "250-x", 5, &error), ==,
                     PIGEON_SMTP_REPLY_PARSE_MORE);
  g_assert_no_error (error);
  error = feed_expecting_error (parser, "250 x", 5);
}

static void
test_reuse_after_error (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  g_autoptr (GError) error = NULL;
  const char *next[] = { "220-ready", "220 really", NULL };
  g_autoptr (PigeonSmtpReply) reply = NULL;
  const char *expected[] = { "ready", "really", NULL };

  g_assert_cmpint (pigeon_smtp_reply_parser_feed (parser, "550-5.1.1 first", 15, &error), ==,
                   PIGEON_SMTP_REPLY_PARSE_MORE);
  error = feed_expecting_error (parser, "250 other code", 14);

  /* Nothing of the broken reply leaks into the next one. */
  reply = parse_lines (parser, next);
  g_assert_cmpuint (reply->code, ==, 220);
  g_assert_cmpstr (reply->enhanced, ==, "");
  g_assert_cmpstrv (reply->lines, expected);
}

static void
test_reuse_after_reply (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  const char *first_lines[] = { "550-5.1.1 No such user", "550 5.1.1 Really", NULL };
  const char *second_lines[] = { "250 Ok", NULL };
  g_autoptr (PigeonSmtpReply) first = parse_lines (parser, first_lines);
  g_autoptr (PigeonSmtpReply) second = parse_lines (parser, second_lines);
  const char *expected[] = { "Ok", NULL };

  g_assert_cmpuint (first->code, ==, 550);
  g_assert_cmpuint (second->code, ==, 250);
  g_assert_cmpstr (second->enhanced, ==, "");
  g_assert_cmpstrv (second->lines, expected);
  g_assert_cmpuint (g_strv_length (first->lines), ==, 2);
}

static void
test_utf8 (void)
{
  g_autoptr (PigeonSmtpReply) good = parse_one ("250 Bienvenue, caf\xc3\xa9 ouvert");
  g_autoptr (PigeonSmtpReply) latin1 = parse_one ("250 caf\xe9 ferm\xe9");
  g_autoptr (PigeonSmtpReply) cut = parse_one ("250 2.0.0 cut \xe2\x82");

  g_assert_cmpstr (good->lines[0], ==, "Bienvenue, caf\xc3\xa9 ouvert");
  g_assert_true (g_utf8_validate (latin1->lines[0], -1, NULL));
  g_assert_cmpstr (latin1->lines[0], ==, "caf\xef\xbf\xbd ferm\xef\xbf\xbd");
  g_assert_cmpstr (cut->enhanced, ==, "2.0.0");
  g_assert_true (g_utf8_validate (cut->lines[0], -1, NULL));
  g_assert_true (g_str_has_prefix (cut->lines[0], "cut "));
}

static void
test_error_quote_printable (void)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  g_autoptr (GString) line = g_string_new ("25x\r\x1b[31mred\t\xff");
  g_autoptr (GError) error = NULL;
  g_autofree char *hundred_as = g_strnfill (100, 'A');

  for (guint i = 0; i < 500; i++)
    g_string_append_c (line, 'A');
  error = feed_expecting_error (parser, line->str, line->len);

  g_test_message ("%s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
  g_assert_nonnull (strstr (error->message, "25x\\r\\x1b[31mred\\t\\xff"));
  /* Cut to about 80 characters: far shorter than the 500-character line. */
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 200);
  g_assert_null (
    strstr (error->message,
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/smtp/reply/single", test_single);
  g_test_add_func ("/smtp/reply/multiline", test_multiline);
  g_test_add_func ("/smtp/reply/code-only", test_code_only);
  g_test_add_func ("/smtp/reply/length-respected", test_length_respected);
  g_test_add_func ("/smtp/reply/enhanced/present", test_enhanced_present);
  g_test_add_func ("/smtp/reply/enhanced/absent", test_enhanced_absent);
  g_test_add_func ("/smtp/reply/enhanced/malformed", test_enhanced_malformed);
  g_test_add_func ("/smtp/reply/enhanced/class-mismatch", test_enhanced_class_mismatch);
  g_test_add_func ("/smtp/reply/enhanced/multiline", test_enhanced_multiline);
  g_test_add_func ("/smtp/reply/bad-code", test_bad_code);
  g_test_add_func ("/smtp/reply/missing-separator", test_missing_separator);
  g_test_add_func ("/smtp/reply/mismatched-codes", test_mismatched_codes);
  g_test_add_func ("/smtp/reply/nul", test_nul);
  g_test_add_func ("/smtp/reply/too-many-lines", test_too_many_lines);
  g_test_add_func ("/smtp/reply/reuse-after-error", test_reuse_after_error);
  g_test_add_func ("/smtp/reply/reuse-after-reply", test_reuse_after_reply);
  g_test_add_func ("/smtp/reply/utf8", test_utf8);
  g_test_add_func ("/smtp/reply/error-quote-printable", test_error_quote_printable);

  return g_test_run ();
}
