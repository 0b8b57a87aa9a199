/* test-smtp-capabilities.c: reading the EHLO reply
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-smtp-capabilities.h"

/* Runs the EHLO reply @lines (NULL-terminated, with codes, as on the wire) through the reply
 * parser and then the capabilities parser, as the client does. */
static void
parse_ehlo (PigeonSmtpCapabilities *caps, const char *const *lines)
{
  g_autoptr (PigeonSmtpReplyParser) parser = pigeon_smtp_reply_parser_new ();
  g_autoptr (PigeonSmtpReply) reply = NULL;

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      PigeonSmtpReplyParseStatus status;

      status = pigeon_smtp_reply_parser_feed (parser, lines[i], strlen (lines[i]), &error);
      g_assert_no_error (error);
      g_assert_cmpint (status, !=, PIGEON_SMTP_REPLY_PARSE_ERROR);
    }
  reply = pigeon_smtp_reply_parser_take_reply (parser);
  g_assert_nonnull (reply);

  /* Garbage first, to check that the parser clears what it is given. */
  memset (caps, 0xa5, sizeof *caps);
  pigeon_smtp_capabilities_parse (caps, reply);
}

static void
test_postfix (void)
{
  /* Postfix 3.7 on the submission port, after STARTTLS. */
  const char *lines[] = { "250-mail.example.org",
                          "250-PIPELINING",
                          "250-SIZE 10240000",
                          "250-ETRN",
                          "250-AUTH PLAIN LOGIN",
                          "250-AUTH=PLAIN LOGIN",
                          "250-ENHANCEDSTATUSCODES",
                          "250-8BITMIME",
                          "250-DSN",
                          "250-SMTPUTF8",
                          "250 CHUNKING",
                          NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_false (caps.starttls);
  g_assert_true (caps.pipelining);
  g_assert_true (caps.eightbitmime);
  g_assert_true (caps.smtputf8);
  g_assert_true (caps.enhanced_status_codes);
  g_assert_true (caps.chunking);
  g_assert_true (caps.dsn);
  g_assert_true (caps.size_declared);
  g_assert_cmpuint (caps.size_limit, ==, 10240000);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_PLAIN | PIGEON_SMTP_AUTH_LOGIN);
}

static void
test_postfix_before_starttls (void)
{
  const char *lines[] = { "250-mail.example.org",
                          "250-PIPELINING",
                          "250-SIZE 10240000",
                          "250-VRFY",
                          "250-ETRN",
                          "250-STARTTLS",
                          "250-ENHANCEDSTATUSCODES",
                          "250-8BITMIME",
                          "250-DSN",
                          "250 SMTPUTF8",
                          NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_true (caps.starttls);
  g_assert_false (caps.chunking);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_NONE);
}

static void
test_greeting_line_skipped (void)
{
  /* The first line is the server's name, even if it looks like a keyword. */
  const char *lines[] = { "250-STARTTLS", "250 8BITMIME", NULL };
  const char *alone[] = { "250 AUTH PLAIN", NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_false (caps.starttls);
  g_assert_true (caps.eightbitmime);

  parse_ehlo (&caps, alone);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_NONE);
  g_assert_false (caps.size_declared);
  g_assert_false (caps.eightbitmime);
}

static void
test_lower_case (void)
{
  const char *lines[] = { "250-smtp.example.net Hello",
                          "250-starttls",
                          "250-Pipelining",
                          "250-size 5000",
                          "250-auth cram-md5 Plain xoauth2",
                          "250 smtputf8",
                          NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_true (caps.starttls);
  g_assert_true (caps.pipelining);
  g_assert_true (caps.smtputf8);
  g_assert_true (caps.size_declared);
  g_assert_cmpuint (caps.size_limit, ==, 5000);
  g_assert_cmpint (caps.auth, ==,
                   PIGEON_SMTP_AUTH_CRAM_MD5 | PIGEON_SMTP_AUTH_PLAIN | PIGEON_SMTP_AUTH_XOAUTH2);
}

static void
test_auth_legacy (void)
{
  const char *legacy_only[] = { "250-old.example.com", "250 AUTH=LOGIN CRAM-MD5", NULL };
  const char *both[] = { "250-mixed.example.com", "250-AUTH PLAIN", "250 auth=login", NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, legacy_only);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_LOGIN | PIGEON_SMTP_AUTH_CRAM_MD5);

  /* The two forms may list different mechanisms: the server offers their union. */
  parse_ehlo (&caps, both);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_PLAIN | PIGEON_SMTP_AUTH_LOGIN);
}

static void
test_auth_unknown_ignored (void)
{
  const char *lines[] = { "250-example.com",
                          "250-AUTH GSSAPI SCRAM-SHA-256 NTLM PLAIN DIGEST-MD5 OAUTHBEARER",
                          "250-AUTH", "250 AUTHX LOGIN", NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_PLAIN);
}

static void
test_auth_extra_spaces (void)
{
  const char *lines[] = { "250-example.com", "250 AUTH   LOGIN \t PLAIN  ", NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_PLAIN | PIGEON_SMTP_AUTH_LOGIN);
}

static void
test_size_without_number (void)
{
  const char *bare[] = { "250-example.com", "250 SIZE", NULL };
  const char *zero[] = { "250-example.com", "250 SIZE 0", NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, bare);
  g_assert_true (caps.size_declared);
  g_assert_cmpuint (caps.size_limit, ==, 0);

  parse_ehlo (&caps, zero);
  g_assert_true (caps.size_declared);
  g_assert_cmpuint (caps.size_limit, ==, 0);
}

static void
test_size_large (void)
{
  const char *lines[] = { "250-example.com", "250 SIZE 18446744073709551615", NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_true (caps.size_declared);
  g_assert_cmpuint (caps.size_limit, ==, G_MAXUINT64);
}

static void
test_size_garbage (void)
{
  const char *values[] = {
    "lots", "-1", "+100", "10M", "0x100", "1.5", "18446744073709551616", "99999999999999999999999"
  };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *size_line = g_strdup_printf ("250-SIZE %s", values[i]);
      const char *lines[] = { "250-example.com", size_line, "250 PIPELINING", NULL };
      PigeonSmtpCapabilities caps;

      g_test_message ("SIZE %s", values[i]);
      parse_ehlo (&caps, lines);
      g_assert_false (caps.size_declared);
      g_assert_cmpuint (caps.size_limit, ==, 0);
      /* The bad keyword spoils nothing else. */
      g_assert_true (caps.pipelining);
    }
}

static void
test_duplicate_lines (void)
{
  const char *lines[] = { "250-example.com", "250-PIPELINING", "250-PIPELINING",
                          "250-SIZE 1000",   "250-SIZE junk",  "250-AUTH LOGIN",
                          "250-AUTH LOGIN",  "250 8BITMIME",   NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_true (caps.pipelining);
  g_assert_true (caps.eightbitmime);
  /* A later unreadable SIZE does not undo a readable one. */
  g_assert_true (caps.size_declared);
  g_assert_cmpuint (caps.size_limit, ==, 1000);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_LOGIN);
}

static void
test_keyword_needs_whole_word (void)
{
  const char *lines[] = { "250-example.com", "250-STARTTLSX", "250-XPIPELINING", "250 DSN-LIKE",
                          NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_false (caps.starttls);
  g_assert_false (caps.pipelining);
  g_assert_false (caps.dsn);
}

static void
test_negative_reply (void)
{
  const char *lines[] = { "502 5.5.1 PIPELINING STARTTLS", NULL };
  PigeonSmtpCapabilities caps;

  parse_ehlo (&caps, lines);
  g_assert_false (caps.pipelining);
  g_assert_false (caps.starttls);
  g_assert_false (caps.size_declared);
  g_assert_cmpint (caps.auth, ==, PIGEON_SMTP_AUTH_NONE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/smtp/capabilities/postfix", test_postfix);
  g_test_add_func ("/smtp/capabilities/postfix-before-starttls", test_postfix_before_starttls);
  g_test_add_func ("/smtp/capabilities/greeting-line-skipped", test_greeting_line_skipped);
  g_test_add_func ("/smtp/capabilities/lower-case", test_lower_case);
  g_test_add_func ("/smtp/capabilities/auth/legacy", test_auth_legacy);
  g_test_add_func ("/smtp/capabilities/auth/unknown-ignored", test_auth_unknown_ignored);
  g_test_add_func ("/smtp/capabilities/auth/extra-spaces", test_auth_extra_spaces);
  g_test_add_func ("/smtp/capabilities/size/without-number", test_size_without_number);
  g_test_add_func ("/smtp/capabilities/size/large", test_size_large);
  g_test_add_func ("/smtp/capabilities/size/garbage", test_size_garbage);
  g_test_add_func ("/smtp/capabilities/duplicate-lines", test_duplicate_lines);
  g_test_add_func ("/smtp/capabilities/keyword-needs-whole-word", test_keyword_needs_whole_word);
  g_test_add_func ("/smtp/capabilities/negative-reply", test_negative_reply);

  return g_test_run ();
}
