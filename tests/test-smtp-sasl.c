/* test-smtp-sasl.c: SASL mechanisms for SMTP AUTH
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected base64 strings were worked out independently of the code under test (from the
 * RFCs' examples, Google's XOAUTH2 documentation, and coreutils' base64 on the bytes the RFCs
 * define), so that a mistake in the code cannot also be in the expectation.
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-smtp-error.h"
#include "pigeon-smtp-sasl.h"

static void
test_mechanism_names (void)
{
  const PigeonSmtpAuthMechanism all[] = { PIGEON_SMTP_AUTH_PLAIN, PIGEON_SMTP_AUTH_LOGIN,
                                          PIGEON_SMTP_AUTH_CRAM_MD5, PIGEON_SMTP_AUTH_XOAUTH2 };
  PigeonSmtpAuthMechanism mechanism = PIGEON_SMTP_AUTH_NONE;

  g_assert_cmpstr (pigeon_smtp_sasl_mechanism_name (PIGEON_SMTP_AUTH_PLAIN), ==, "PLAIN");
  g_assert_cmpstr (pigeon_smtp_sasl_mechanism_name (PIGEON_SMTP_AUTH_LOGIN), ==, "LOGIN");
  g_assert_cmpstr (pigeon_smtp_sasl_mechanism_name (PIGEON_SMTP_AUTH_CRAM_MD5), ==, "CRAM-MD5");
  g_assert_cmpstr (pigeon_smtp_sasl_mechanism_name (PIGEON_SMTP_AUTH_XOAUTH2), ==, "XOAUTH2");
  g_assert_null (pigeon_smtp_sasl_mechanism_name (PIGEON_SMTP_AUTH_NONE));
  g_assert_null (pigeon_smtp_sasl_mechanism_name (PIGEON_SMTP_AUTH_ALL));

  for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
    {
      const char *name = pigeon_smtp_sasl_mechanism_name (all[i]);

      g_assert_true (pigeon_smtp_sasl_mechanism_from_name (name, &mechanism));
      g_assert_cmpint (mechanism, ==, all[i]);
    }

  g_assert_true (pigeon_smtp_sasl_mechanism_from_name ("cram-md5", &mechanism));
  g_assert_cmpint (mechanism, ==, PIGEON_SMTP_AUTH_CRAM_MD5);
  g_assert_true (pigeon_smtp_sasl_mechanism_from_name ("Plain", &mechanism));
  g_assert_cmpint (mechanism, ==, PIGEON_SMTP_AUTH_PLAIN);
  g_assert_true (pigeon_smtp_sasl_mechanism_from_name ("xoauth2", &mechanism));
  g_assert_cmpint (mechanism, ==, PIGEON_SMTP_AUTH_XOAUTH2);
}

static void
test_mechanism_unknown (void)
{
  const char *names[] = { "SCRAM-SHA-256", "GSSAPI", "DIGEST-MD5", "",
                          "PLAIN ",        "CRAM",   "XOAUTH",     "LOGINX" };
  PigeonSmtpAuthMechanism mechanism = PIGEON_SMTP_AUTH_LOGIN;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_false (pigeon_smtp_sasl_mechanism_from_name (names[i], &mechanism));
  g_assert_false (pigeon_smtp_sasl_mechanism_from_name (NULL, &mechanism));
  /* A failed lookup leaves the caller's value alone. */
  g_assert_cmpint (mechanism, ==, PIGEON_SMTP_AUTH_LOGIN);
}

static void
test_plain (void)
{
  g_autofree char *tim = pigeon_smtp_sasl_plain_response ("tim", "tanstaaftanstaaf");
  g_autofree char *utf8 = pigeon_smtp_sasl_plain_response ("user@example.com", "p\xc3\xa4ss w0rd");
  g_autofree char *empty = pigeon_smtp_sasl_plain_response ("", "");

  /* "\0tim\0tanstaaftanstaaf" */
  g_assert_cmpstr (tim, ==, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
  /* "\0user@example.com\0päss w0rd" */
  g_assert_cmpstr (utf8, ==, "AHVzZXJAZXhhbXBsZS5jb20AcMOkc3MgdzByZA==");
  /* "\0\0": still two separators, never an empty string the server would take as a cancel. */
  g_assert_cmpstr (empty, ==, "AAA=");
}

static void
test_login (void)
{
  g_autofree char *user = pigeon_smtp_sasl_login_response ("tim");
  g_autofree char *password = pigeon_smtp_sasl_login_response ("p\xc3\xa4ss w0rd");
  g_autofree char *prompt = pigeon_smtp_sasl_login_response ("Username:");

  g_assert_cmpstr (user, ==, "dGlt");
  g_assert_cmpstr (password, ==, "cMOkc3MgdzByZA==");
  g_assert_cmpstr (prompt, ==, "VXNlcm5hbWU6");
}

static void
test_xoauth2 (void)
{
  /* The example in Google's "OAuth 2.0 Mechanism" documentation. */
  g_autofree char *google = pigeon_smtp_sasl_xoauth2_response (
    "someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
  g_autofree char *short_one = pigeon_smtp_sasl_xoauth2_response ("a@b.c", "t");

  g_assert_cmpstr (google, ==,
                   "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52"
                   "YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
  /* "user=a@b.c\1auth=Bearer t\1\1" */
  g_assert_cmpstr (short_one, ==, "dXNlcj1hQGIuYwFhdXRoPUJlYXJlciB0AQE=");
}

static void
test_cram_md5_rfc2195 (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *response = NULL;

  /* RFC 2195 §2: base64 of "<1896.697170952@postoffice.reston.mci.net>". */
  response = pigeon_smtp_sasl_cram_md5_response (
    "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", "tim", "tanstaaftanstaaf", &error);
  g_assert_no_error (error);
  /* "tim b913a602c7eda7a495b4e6e7334d3890" */
  g_assert_cmpstr (response, ==, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
}

static void
test_cram_md5_rfc2104 (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *response = NULL;

  /* RFC 2104's second HMAC-MD5 test vector, as a challenge with padding: key "Jefe", data
   * "what do ya want for nothing?", digest 750c783e6ab0b503eaa86e310a5db738. */
  response = pigeon_smtp_sasl_cram_md5_response ("d2hhdCBkbyB5YSB3YW50IGZvciBub3RoaW5nPw==", "user",
                                                 "Jefe", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response, ==, "dXNlciA3NTBjNzgzZTZhYjBiNTAzZWFhODZlMzEwYTVkYjczOA==");
}

static void
test_cram_md5_bad_challenge (void)
{
  const char *challenges[] = { "",      "PDE",      "PDE4*TYu",    "ab!d",      "====",
                               "A===",  "ab=c",     "=abc",        "YWJj\n",    " YWJj",
                               "YW Jj", "YWJj====", "YWJ\xc3\xa9", "PDE4OTYu-_" };

  for (gsize i = 0; i < G_N_ELEMENTS (challenges); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *response = NULL;

      response = pigeon_smtp_sasl_cram_md5_response (challenges[i], "tim", "secret", &error);
      g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_PROTOCOL);
      g_assert_null (response);
    }
}

static void
test_choose_over_tls (void)
{
  const PigeonSmtpAuthMechanism all = PIGEON_SMTP_AUTH_ALL;
  const PigeonSmtpAuthMechanism login_cram = PIGEON_SMTP_AUTH_LOGIN | PIGEON_SMTP_AUTH_CRAM_MD5;

  g_assert_cmpint (pigeon_smtp_sasl_choose (all, all, FALSE, TRUE), ==, PIGEON_SMTP_AUTH_PLAIN);
  g_assert_cmpint (pigeon_smtp_sasl_choose (login_cram, all, FALSE, TRUE), ==,
                   PIGEON_SMTP_AUTH_LOGIN);
  g_assert_cmpint (pigeon_smtp_sasl_choose (PIGEON_SMTP_AUTH_CRAM_MD5, all, FALSE, TRUE), ==,
                   PIGEON_SMTP_AUTH_CRAM_MD5);
  g_assert_cmpint (pigeon_smtp_sasl_choose (PIGEON_SMTP_AUTH_NONE, all, FALSE, TRUE), ==,
                   PIGEON_SMTP_AUTH_NONE);
}

static void
test_choose_in_clear (void)
{
  const PigeonSmtpAuthMechanism all = PIGEON_SMTP_AUTH_ALL;
  const PigeonSmtpAuthMechanism plain_login = PIGEON_SMTP_AUTH_PLAIN | PIGEON_SMTP_AUTH_LOGIN;

  g_assert_cmpint (pigeon_smtp_sasl_choose (all, all, FALSE, FALSE), ==, PIGEON_SMTP_AUTH_CRAM_MD5);
  g_assert_cmpint (pigeon_smtp_sasl_choose (plain_login, all, FALSE, FALSE), ==,
                   PIGEON_SMTP_AUTH_PLAIN);
  g_assert_cmpint (pigeon_smtp_sasl_choose (PIGEON_SMTP_AUTH_LOGIN, all, FALSE, FALSE), ==,
                   PIGEON_SMTP_AUTH_LOGIN);
}

static void
test_choose_xoauth2 (void)
{
  const PigeonSmtpAuthMechanism all = PIGEON_SMTP_AUTH_ALL;
  const PigeonSmtpAuthMechanism passwords = all & ~PIGEON_SMTP_AUTH_XOAUTH2;

  /* With a token, XOAUTH2 wins over everything, with or without TLS. */
  g_assert_cmpint (pigeon_smtp_sasl_choose (all, all, TRUE, TRUE), ==, PIGEON_SMTP_AUTH_XOAUTH2);
  g_assert_cmpint (pigeon_smtp_sasl_choose (all, all, TRUE, FALSE), ==, PIGEON_SMTP_AUTH_XOAUTH2);
  /* A token is no password: no fallback to the password mechanisms. */
  g_assert_cmpint (pigeon_smtp_sasl_choose (passwords, all, TRUE, TRUE), ==, PIGEON_SMTP_AUTH_NONE);
  /* Without a token, XOAUTH2 alone cannot be used. */
  g_assert_cmpint (pigeon_smtp_sasl_choose (PIGEON_SMTP_AUTH_XOAUTH2, all, FALSE, TRUE), ==,
                   PIGEON_SMTP_AUTH_NONE);
}

static void
test_choose_allowed (void)
{
  const PigeonSmtpAuthMechanism all = PIGEON_SMTP_AUTH_ALL;

  g_assert_cmpint (pigeon_smtp_sasl_choose (all, PIGEON_SMTP_AUTH_LOGIN, FALSE, TRUE), ==,
                   PIGEON_SMTP_AUTH_LOGIN);
  g_assert_cmpint (pigeon_smtp_sasl_choose (all, PIGEON_SMTP_AUTH_PLAIN, FALSE, FALSE), ==,
                   PIGEON_SMTP_AUTH_PLAIN);
  g_assert_cmpint (pigeon_smtp_sasl_choose (all, PIGEON_SMTP_AUTH_NONE, FALSE, TRUE), ==,
                   PIGEON_SMTP_AUTH_NONE);
  g_assert_cmpint (
    pigeon_smtp_sasl_choose (PIGEON_SMTP_AUTH_PLAIN, PIGEON_SMTP_AUTH_CRAM_MD5, FALSE, FALSE), ==,
    PIGEON_SMTP_AUTH_NONE);
  g_assert_cmpint (pigeon_smtp_sasl_choose (all, all & ~PIGEON_SMTP_AUTH_XOAUTH2, TRUE, TRUE), ==,
                   PIGEON_SMTP_AUTH_NONE);
  /* The result is always a single mechanism from both sets. */
  for (guint offered = 0; offered <= PIGEON_SMTP_AUTH_ALL; offered++)
    for (guint allowed = 0; allowed <= PIGEON_SMTP_AUTH_ALL; allowed++)
      for (guint flags = 0; flags < 4; flags++)
        {
          PigeonSmtpAuthMechanism chosen =
            pigeon_smtp_sasl_choose (offered, allowed, flags & 1, (flags & 2) != 0);

          g_assert_cmpuint (chosen & ~(offered & allowed), ==, 0);
          g_assert_true (chosen == PIGEON_SMTP_AUTH_NONE ||
                         pigeon_smtp_sasl_mechanism_name (chosen) != NULL);
          g_assert_cmpint (chosen == PIGEON_SMTP_AUTH_NONE, ==,
                           (offered & allowed &
                            ((flags & 1) ? PIGEON_SMTP_AUTH_XOAUTH2 : ~PIGEON_SMTP_AUTH_XOAUTH2)) ==
                             0);
        }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/smtp/sasl/mechanism/names", test_mechanism_names);
  g_test_add_func ("/smtp/sasl/mechanism/unknown", test_mechanism_unknown);
  g_test_add_func ("/smtp/sasl/plain", test_plain);
  g_test_add_func ("/smtp/sasl/login", test_login);
  g_test_add_func ("/smtp/sasl/xoauth2", test_xoauth2);
  g_test_add_func ("/smtp/sasl/cram-md5/rfc2195", test_cram_md5_rfc2195);
  g_test_add_func ("/smtp/sasl/cram-md5/rfc2104", test_cram_md5_rfc2104);
  g_test_add_func ("/smtp/sasl/cram-md5/bad-challenge", test_cram_md5_bad_challenge);
  g_test_add_func ("/smtp/sasl/choose/over-tls", test_choose_over_tls);
  g_test_add_func ("/smtp/sasl/choose/in-clear", test_choose_in_clear);
  g_test_add_func ("/smtp/sasl/choose/xoauth2", test_choose_xoauth2);
  g_test_add_func ("/smtp/sasl/choose/allowed", test_choose_allowed);

  return g_test_run ();
}
