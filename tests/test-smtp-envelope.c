/* test-smtp-envelope.c: mailbox checks, normalization and the envelope
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-smtp-envelope.h"
#include "pigeon-smtp-error.h"

typedef struct
{
  const char *address;
  const char *wire;
  gboolean needs_smtputf8;
} GoodCase;

typedef struct
{
  const char *address;
  const char *reason; /* a part of what the message must say */
} BadCase;

static char *
repeat (char c, gsize n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';
  return s;
}

static char *
normalize_ok (const char *address, gboolean *needs_smtputf8)
{
  g_autoptr (GError) error = NULL;
  char *wire = pigeon_smtp_address_normalize (address, needs_smtputf8, &error);

  g_assert_no_error (error);
  g_assert_nonnull (wire);
  return wire;
}

static GError *
normalize_fails (const char *address)
{
  GError *error = NULL;
  gboolean needs_smtputf8 = FALSE;
  g_autofree char *wire = pigeon_smtp_address_normalize (address, &needs_smtputf8, &error);

  g_assert_null (wire);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);
  /* Whatever was typed, the message stays one printable line. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
  g_assert_true (g_str_has_prefix (error->message, "“"));
  g_assert_nonnull (strstr (error->message, "” is not a valid email address: "));
  return error;
}

static void
test_good_addresses (void)
{
  static const GoodCase cases[] = {
    { "alice@example.org", "alice@example.org", FALSE },
    { "alice+newsletters@example.org", "alice+newsletters@example.org", FALSE },
    { "Alice.Smith@Example.ORG", "Alice.Smith@Example.ORG", FALSE },
    { "root@localhost", "root@localhost", FALSE },
    { "!#$%&'*+-/=?^_`{|}~@example.org", "!#$%&'*+-/=?^_`{|}~@example.org", FALSE },
    { "x@a-b.c0.example", "x@a-b.c0.example", FALSE },
    { "\"john doe\"@example.org", "\"john doe\"@example.org", FALSE },
    { "\"a@b\"@example.org", "\"a@b\"@example.org", FALSE },
    { "\"say \\\"hi\\\"\"@example.org", "\"say \\\"hi\\\"\"@example.org", FALSE },
    { "\"a..b.\"@example.org", "\"a..b.\"@example.org", FALSE },
    { "bob@bücher.example", "bob@xn--bcher-kva.example", FALSE },
    { "bob@例え.テスト", "bob@xn--r8jz45g.xn--zckzah", FALSE },
    { "postmaster@[192.0.2.1]", "postmaster@[192.0.2.1]", FALSE },
    { "postmaster@[IPv6:2001:db8::1]", "postmaster@[IPv6:2001:db8::1]", FALSE },
    { "postmaster@[IPv6:::ffff:192.0.2.1]", "postmaster@[IPv6:::ffff:192.0.2.1]", FALSE },
    { "jösé@example.org", "jösé@example.org", TRUE },
    { "用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v", TRUE },
    { "\"ü x\"@example.org", "\"ü x\"@example.org", TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean needs_smtputf8 = !cases[i].needs_smtputf8;
      g_autofree char *wire = normalize_ok (cases[i].address, &needs_smtputf8);

      g_assert_cmpstr (wire, ==, cases[i].wire);
      g_assert_cmpint (needs_smtputf8, ==, cases[i].needs_smtputf8);
    }

  /* The flag is optional. */
  g_free (normalize_ok ("jösé@example.org", NULL));
}

static void
test_length_limits (void)
{
  g_autofree char *local_64 = repeat ('l', 64);
  g_autofree char *local_65 = repeat ('l', 65);
  g_autofree char *label_63 = repeat ('d', 63);
  g_autofree char *label_64 = repeat ('d', 64);
  g_autofree char *ok_local = g_strconcat (local_64, "@example.org", NULL);
  g_autofree char *long_local = g_strconcat (local_65, "@example.org", NULL);
  g_autofree char *ok_label = g_strconcat ("a@", label_63, ".org", NULL);
  g_autofree char *long_label = g_strconcat ("a@", label_64, ".org", NULL);
  /* 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254 */
  g_autofree char *tail_61 = repeat ('t', 61);
  g_autofree char *ok_path =
    g_strconcat (local_64, "@", label_63, ".", label_63, ".", tail_61, NULL);
  g_autofree char *long_path =
    g_strconcat (local_64, "@", label_63, ".", label_63, ".", tail_61, "t", NULL);
  g_autofree char *wire = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (strlen (ok_path), ==, PIGEON_SMTP_MAX_PATH_LENGTH);
  g_free (normalize_ok (ok_local, NULL));
  g_free (normalize_ok (ok_label, NULL));
  wire = normalize_ok (ok_path, NULL);
  g_assert_cmpstr (wire, ==, ok_path);

  error = normalize_fails (long_local);
  g_assert_nonnull (strstr (error->message, "longer than 64 bytes"));
  g_clear_error (&error);
  error = normalize_fails (long_label);
  g_assert_nonnull (strstr (error->message, "longer than 63 characters"));
  g_clear_error (&error);
  error = normalize_fails (long_path);
  g_assert_nonnull (strstr (error->message, "longer than 254 bytes"));
}

static void
test_bad_addresses (void)
{
  static const BadCase cases[] = {
    { "a@b.org\r\nRCPT TO:<evil@x>", "line break" },
    { "a@b.org\n", "line break" },
    { "a\rb@c.org", "line break" },
    { "a\tb@c.org", "control character" },
    { "a\001@b.org", "control character" },
    { "a\177@b.org", "control character" },
    { "a\302\205@b.org", "control character" }, /* U+0085, a C1 control */
    { "a\377@b.org", "UTF-8" },
    { "a@b\300\257.org", "UTF-8" }, /* an overlong "/" */
    { "<a@b.org>", "without “<” and “>”" },
    { "a@b.org>", "“<” or “>”" },
    { "\"<a>\"@b.org", "“<” or “>”" },
    { "a b@c.org", "space" },
    { "a\302\240b@c.org", "space" }, /* a no-break space */
    { "a@exa mple.org", "space" },
    { "", "empty" },
    { "alice", "no “@”" },
    { "\"a@b\"", "no “@”" },
    { "a@", "after “@” is empty" },
    { "@b.org", "before “@” is empty" },
    { "\"\"@b.org", "before “@” is empty" },
    { "bob@@x.org", "more than one “@”" },
    { "a@b@c.org", "more than one “@”" },
    { ".a@b.org", "starts with a dot" },
    { "a.@b.org", "ends with a dot" },
    { "a..b@c.org", "two dots in a row" },
    { "a\"b@c.org", "only allowed in quotes" },
    { "a(b)@c.org", "only allowed in quotes" },
    { "a,b@c.org", "only allowed in quotes" },
    { "\"open@b.org", "without a closing one" },
    { "\"a\"b@c.org", "followed by “@”" },
    { "\"a\\\"@c.org", "without a closing one" },
    { "\"a\\ü\"@c.org", "not followed by an ASCII character" },
    { "a@b..org", "two dots in a row" },
    { "a@.b.org", "starts with a dot" },
    { "a@b.org.", "ends with a dot" },
    { "a@-b.org", "hyphen" },
    { "a@b-.org", "hyphen" },
    { "a@ü-.org", "hyphen" },
    { "a@b_c.org", "“_”" },
    { "a@b!.org", "“!”" },
    { "a@ü..org", "two dots in a row" }, /* checked again after IDNA */
    { "a@a_ü.org", "“_”" },              /* IDNA keeps it: checked again */
    { "a@[192.0.2.1", "not closed" },
    { "a@[192.0.2.1]x", "not closed" },
    { "a@[300.0.2.1]", "IPv4" },
    { "a@[1.2.3]", "IPv4" },
    { "a@[example.org]", "IPv4" },
    { "a@[]", "IPv4" },
    { "a@[::1]", "must start with “IPv6:”" },
    { "a@[IPv6:zz::1]", "IPv6" },
    { "a@[IPv6:fe80::1%eth0]", "IPv6" },
    { "a@[IPv6:192.0.2.1]", "IPv6" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = normalize_fails (cases[i].address);

      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].reason));
    }
}

static void
test_error_message (void)
{
  g_autoptr (GError) error = normalize_fails ("bob@@x.org");
  g_autofree char *long_address = NULL;
  g_autofree char *local = repeat ('q', 500);

  g_assert_cmpstr (error->message, ==,
                   "“bob@@x.org” is not a valid email address: it has more than one “@”");
  g_clear_error (&error);

  /* A header injection attempt is shown with its line break visible, not performed. */
  error = normalize_fails ("a@b.org\r\nRCPT TO:<evil@x>");
  g_assert_cmpstr (error->message, ==,
                   "“a@b.org\\r\\nRCPT TO:<evil@x>” is not a valid email address: it contains a "
                   "line break");
  g_clear_error (&error);

  error = normalize_fails ("a\377@b.org");
  g_assert_true (g_str_has_prefix (error->message, "“a\\xFF@b.org”"));
  g_clear_error (&error);

  /* A pasted paragraph is cut short in the message. */
  long_address = g_strconcat (local, "@example.org", NULL);
  error = normalize_fails (long_address);
  g_assert_true (g_str_has_prefix (error->message, "“qqqq"));
  g_assert_nonnull (strstr (error->message, "…”"));
  g_assert_null (strstr (error->message, "example.org"));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 200);
}

static void
assert_recipients (const PigeonSmtpEnvelope *envelope, const char *const *expected)
{
  const char *const *recipients = pigeon_smtp_envelope_get_recipients (envelope);

  g_assert_cmpuint (pigeon_smtp_envelope_get_n_recipients (envelope), ==,
                    g_strv_length ((char **) expected));
  g_assert_true (g_strv_equal ((const char *const *) recipients, expected));
}

static void
add_recipient_ok (PigeonSmtpEnvelope *envelope, const char *address)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pigeon_smtp_envelope_add_recipient (envelope, address, &error));
  g_assert_no_error (error);
}

static void
test_recipients (void)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_smtp_envelope_new ();
  g_autoptr (GError) error = NULL;
  const char *const none[] = { NULL };
  const char *const expected[] = {
    "carol@example.org",         "alice@example.org",     "Alice@example.org",
    "bob@xn--bcher-kva.example", "\"carol\"@example.org", NULL,
  };

  assert_recipients (envelope, none);

  add_recipient_ok (envelope, "carol@example.org");
  add_recipient_ok (envelope, "alice@example.org");
  add_recipient_ok (envelope, "alice@EXAMPLE.org"); /* same mailbox: domains ignore case */
  add_recipient_ok (envelope, "Alice@example.org"); /* another: local parts may not */
  add_recipient_ok (envelope, "bob@bücher.example");
  add_recipient_ok (envelope, "bob@xn--bcher-kva.example"); /* the same domain, as A-labels */
  add_recipient_ok (envelope, "bob@BÜCHER.example");
  add_recipient_ok (envelope, "carol@example.org");
  add_recipient_ok (envelope, "\"carol\"@example.org");

  g_assert_false (pigeon_smtp_envelope_add_recipient (envelope, "dave@@example.org", &error));
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);

  assert_recipients (envelope, expected);
  g_assert_false (pigeon_smtp_envelope_needs_smtputf8 (envelope));
}

static void
test_sender (void)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_smtp_envelope_new ();
  g_autoptr (GError) error = NULL;

  g_assert_null (pigeon_smtp_envelope_get_sender (envelope));

  g_assert_true (pigeon_smtp_envelope_set_sender (envelope, "", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pigeon_smtp_envelope_get_sender (envelope), ==, "");

  g_assert_true (pigeon_smtp_envelope_set_sender (envelope, "me@bücher.example", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pigeon_smtp_envelope_get_sender (envelope), ==, "me@xn--bcher-kva.example");

  /* A refused sender leaves the one set before. */
  g_assert_false (pigeon_smtp_envelope_set_sender (envelope, "me@x.org\r\nDATA", &error));
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);
  g_assert_cmpstr (pigeon_smtp_envelope_get_sender (envelope), ==, "me@xn--bcher-kva.example");
}

static void
test_needs_smtputf8 (void)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_smtp_envelope_new ();

  /* An international domain alone goes out as A-labels, which any server takes. */
  g_assert_true (pigeon_smtp_envelope_set_sender (envelope, "me@bücher.example", NULL));
  add_recipient_ok (envelope, "you@例え.テスト");
  g_assert_false (pigeon_smtp_envelope_needs_smtputf8 (envelope));

  g_assert_true (pigeon_smtp_envelope_set_sender (envelope, "jösé@example.org", NULL));
  g_assert_true (pigeon_smtp_envelope_needs_smtputf8 (envelope));

  /* Replacing the sender forgets what the old one needed. */
  g_assert_true (pigeon_smtp_envelope_set_sender (envelope, "", NULL));
  g_assert_false (pigeon_smtp_envelope_needs_smtputf8 (envelope));

  add_recipient_ok (envelope, "用户@例子.广告");
  g_assert_true (pigeon_smtp_envelope_needs_smtputf8 (envelope));

  /* A refused recipient changes nothing. */
  {
    g_autoptr (PigeonSmtpEnvelope) other = pigeon_smtp_envelope_new ();

    g_assert_false (pigeon_smtp_envelope_add_recipient (other, "ü ber@x.org", NULL));
    g_assert_false (pigeon_smtp_envelope_needs_smtputf8 (other));
    g_assert_cmpuint (pigeon_smtp_envelope_get_n_recipients (other), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/smtp/envelope/address/good", test_good_addresses);
  g_test_add_func ("/smtp/envelope/address/length-limits", test_length_limits);
  g_test_add_func ("/smtp/envelope/address/bad", test_bad_addresses);
  g_test_add_func ("/smtp/envelope/address/error-message", test_error_message);
  g_test_add_func ("/smtp/envelope/recipients", test_recipients);
  g_test_add_func ("/smtp/envelope/sender", test_sender);
  g_test_add_func ("/smtp/envelope/needs-smtputf8", test_needs_smtputf8);

  return g_test_run ();
}
