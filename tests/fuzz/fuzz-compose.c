/* fuzz-compose.c: the header section the composer writes, from any Subject, From and To
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is "SUBJECT\0FROM\0TO" (a missing part is empty). Whatever the user typed, a
 * message that builds must be one a server takes as it was counted: CRLF line endings, no line
 * over 998 octets, exactly the header fields Pigeon writes (a Subject must not start a field
 * of its own), get_size() equal to what is written, and the Subject, From and To reading back
 * as they were given.
 */
#define G_LOG_DOMAIN "pigeon-fuzz"

#include <string.h>

#include <gmime/gmime.h>

#include "pigeon-composer.h"
#include "pigeon-fuzz-common.h"

#define MAX_LINE 998 /* octets without the CRLF, RFC 5322 §2.1.1 */

/* The fields of a text-only message, each exactly once; Subject only when one was given. */
static const char *const expected_fields[] = {
  "Date",         "From",         "To",
  "Subject",      "Message-Id",   "User-Agent",
  "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
};

typedef struct
{
  char *subject, *from, *to;
} Parts;

static void
parts_clear (Parts *parts)
{
  g_clear_pointer (&parts->subject, g_free);
  g_clear_pointer (&parts->from, g_free);
  g_clear_pointer (&parts->to, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parts, parts_clear)

static char *
take_part (const guint8 **data, gsize *size)
{
  const guint8 *nul = memchr (*data, '\0', *size);
  gsize length = nul != NULL ? (gsize) (nul - *data) : *size;
  char *part = g_strndup ((const char *) *data, length);

  *data += nul != NULL ? length + 1 : length;
  *size -= nul != NULL ? length + 1 : length;
  return part;
}

static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)) && *p != '\t')
      return TRUE;
  return FALSE;
}

/* Every line ends in CRLF, with no bare CR or LF, and is at most 998 octets long. */
static void
check_lines (const char *text, gsize length)
{
  gsize line_start = 0;

  g_assert_cmpuint (length, >=, 2);
  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '\r')
        {
          g_assert_cmpuint (i + 1, <, length);
          g_assert_cmpint (text[i + 1], ==, '\n');
          g_assert_cmpuint (i - line_start, <=, MAX_LINE);
          line_start = i + 2;
          i++;
        }
      else
        g_assert_cmpint (text[i], !=, '\n');
    }
  g_assert_cmpuint (line_start, ==, length);
}

static guint
field_index (const char *line, gsize name_length)
{
  for (guint i = 0; i < G_N_ELEMENTS (expected_fields); i++)
    if (strlen (expected_fields[i]) == name_length &&
        g_ascii_strncasecmp (line, expected_fields[i], name_length) == 0)
      return i;
  g_error ("an unexpected header field: “%.*s”", (int) MIN (name_length, 80), line);
  return 0;
}

/* Reads the header section field by field (continuation lines start with a space or tab) and
 * checks each expected field is there once and nothing else is. */
static void
check_fields (const char *text, gboolean has_subject)
{
  const char *end = strstr (text, "\r\n\r\n");
  guint counts[G_N_ELEMENTS (expected_fields)] = { 0 };

  g_assert_nonnull (end);
  for (const char *line = text; line <= end; line = strstr (line, "\r\n") + 2)
    {
      gsize name_length = strcspn (line, ":\r");

      if (line[0] == ' ' || line[0] == '\t')
        {
          /* A continuation line must still hold something, or it would end the section for
           * a reader that trims. */
          g_assert_cmpuint (strspn (line, " \t"), <, strcspn (line, "\r"));
          continue;
        }
      g_assert_cmpint (line[name_length], ==, ':');
      counts[field_index (line, name_length)]++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (expected_fields); i++)
    {
      guint expected = g_str_equal (expected_fields[i], "Subject") && !has_subject ? 0 : 1;

      if (counts[i] != expected)
        g_error ("the field %s is there %u times", expected_fields[i], counts[i]);
    }
}

static char *
squeeze_spaces (const char *text)
{
  g_auto (GStrv) words = g_strsplit_set (text, " \t", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) kept = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_strv_builder_add (builder, words[i]);
  kept = g_strv_builder_end (builder);
  return g_strjoinv (" ", kept);
}

/* Local part as it is, the domain as a reader compares host names: in Unicode, NFKC-normalized
 * and case-folded. The composer writes the domain as GLib's IDNA gives its A-label; GMime reads
 * A-labels back with its own IDN library, which maps a few characters differently (e.g. Greek
 * with ypogegrammeni, "ᾘ" against "ἠι"): the same host to a reader either way. (Where the two
 * libraries encode differently, the address parser refuses the domain.) The case-folded text is
 * lower-cased once more: GLib folds upper-case Cherokee to lower case and lower case back to
 * upper (Unicode folds Cherokee to upper case), so GLib's IDNA mapping of a decoded A-label
 * could otherwise fold to the other case. */
static char *
wire_form (const char *address)
{
  const char *at = strrchr (address, '@');
  g_autofree char *lower = NULL;
  g_autofree char *unicode = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *domain = NULL;

  g_assert_nonnull (at);
  /* GLib takes only a lower-case "xn--" for an A-label; GMime any case. */
  lower = g_ascii_strdown (at + 1, -1);
  unicode = at[1] == '[' ? NULL : g_hostname_to_unicode (lower);
  normal = g_utf8_normalize (unicode != NULL ? unicode : at + 1, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (normal != NULL ? normal : at + 1, -1);
  domain = g_utf8_strdown (folded, -1);
  return g_strdup_printf ("%.*s@%s", (int) (at - address), address, domain);
}

/* A name as a reader shows it: GMime 3.2.13 folds a long name by turning a space into a line
 * break and a tab, and reads the fold back as it is; whitespace is shown alike whatever it is,
 * so names are compared with each run of whitespace as one space. */
static char *
shown_name (const char *name)
{
  g_autoptr (GRegex) whitespace = g_regex_new ("\\s+", 0, 0, NULL);

  return name ? g_regex_replace_literal (whitespace, name, -1, 0, " ", 0, NULL) : NULL;
}

static void
assert_same_name (const char *back, const char *given)
{
  g_autofree char *shown_back = shown_name (back);
  g_autofree char *shown_given = shown_name (given);

  g_assert_cmpstr (shown_back, ==, shown_given);
}

static void
check_mailboxes (InternetAddressList *list, GPtrArray *expected)
{
  g_assert_nonnull (list);
  g_assert_cmpint (internet_address_list_length (list), ==, (int) expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      InternetAddress *read = internet_address_list_get_address (list, i);
      PigeonAddress *given = g_ptr_array_index (expected, i);
      g_autoptr (PigeonAddress) back = NULL;
      g_autofree char *given_wire = NULL;
      g_autofree char *back_wire = NULL;

      g_assert_true (INTERNET_ADDRESS_IS_MAILBOX (read));
      back =
        pigeon_address_new (internet_address_get_name (read),
                            internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (read)));
      assert_same_name (back->display_name, given->display_name);
      given_wire = wire_form (given->address);
      back_wire = wire_form (back->address);
      if (!g_str_equal (given_wire, back_wire))
        g_error ("“%s” was written as “%s”", given->address, back->address);
    }
}

/* GMime, as a receiving client, reads back what was given. */
static void
check_read_back (GBytes *bytes, const char *subject, GPtrArray *from, GPtrArray *to)
{
  GMimeStream *stream =
    g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_assert_nonnull (message);
  /* As a reader built on GMime (Geary, for one) shows it: unfolded and decoded as a whole,
   * adjacent encoded words together (so a B word padded before another would lose text,
   * gmime#133); runs of white space, which folding may move, compared as one space. */
  if (subject[0] != '\0')
    {
      const char *decoded = g_mime_message_get_subject (message);
      g_autofree char *given = squeeze_spaces (subject);
      g_autofree char *read = squeeze_spaces (decoded != NULL ? decoded : "");

      g_assert_cmpstr (read, ==, given);
    }
  check_mailboxes (g_mime_message_get_from (message), from);
  check_mailboxes (g_mime_message_get_to (message), to);
  g_object_unref (message);
  g_object_unref (parser);
  g_object_unref (stream);
}

static void
check_message (PigeonComposedMessage *message, const Parts *parts)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GPtrArray) from =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pigeon_address_free);
  g_autoptr (GPtrArray) to = NULL;
  const char *text = NULL;
  gsize length = 0;
  gboolean any_8bit = FALSE;

  g_assert_true (pigeon_composed_message_write (message, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  text = g_bytes_get_data (bytes, &length);

  g_assert_cmpint (pigeon_composed_message_get_size (message), ==, (gint64) length);
  g_assert_null (memchr (text, '\0', length));
  for (gsize i = 0; i < length && !any_8bit; i++)
    any_8bit = (guchar) text[i] > 127;
  g_assert_cmpint (pigeon_composed_message_is_8bit (message), ==, any_8bit);
  check_lines (text, length);
  {
    g_autofree char *copy = g_strndup (text, length);

    check_fields (copy, parts->subject[0] != '\0');
  }

  g_ptr_array_add (from, pigeon_address_parse_mailbox (parts->from, "From", NULL));
  to = pigeon_address_list_parse (parts->to, "To", NULL);
  check_read_back (bytes, parts->subject, from, to);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_auto (Parts) parts = { NULL };
  g_autoptr (PigeonComposer) composer = pigeon_composer_new ();
  g_autoptr (GDateTime) date = g_date_time_new_utc (2026, 3, 14, 15, 9, 26);
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  parts.subject = take_part (&data, &size);
  parts.from = take_part (&data, &size);
  parts.to = take_part (&data, &size);
  pigeon_composer_set_date (composer, date);
  g_assert_true (pigeon_composer_set_body (composer, "Hello.\n", NULL));

  if (!pigeon_composer_set_subject (composer, parts.subject, &error))
    {
      g_assert_true (!g_utf8_validate (parts.subject, -1, NULL) ||
                     has_control_chars (parts.subject));
      g_clear_error (&error);
      ok = FALSE;
    }
  if (!pigeon_composer_set_from (composer, parts.from, &error))
    {
      g_clear_error (&error);
      ok = FALSE;
    }
  else
    g_assert_null (strpbrk (parts.from, "\r\n"));
  if (!pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_TO, parts.to, &error))
    {
      g_clear_error (&error);
      ok = FALSE;
    }
  else
    g_assert_null (strpbrk (parts.to, "\r\n"));
  if (!ok)
    return 0;

  message = pigeon_composer_build (composer, &error);
  if (message == NULL)
    {
      /* Only an empty To (or a list of empty groups) may stop a message from building. */
      g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
      return 0;
    }
  check_message (message, &parts);
  return 0;
}
