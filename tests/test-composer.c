/* test-composer.c: messages built from what the user wrote, read back with GMime's parser: their
 * structure and headers (sizes, memory and failures to write are in test-composer-size.c)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-mime-words.h"
#include "pigeon-test-mime.h"

static GMimeObject *
child (GMimeObject *multipart, int index, const char *mime_type)
{
  GMimeObject *part = NULL;

  g_assert_true (GMIME_IS_MULTIPART (multipart));
  part = g_mime_multipart_get_part (GMIME_MULTIPART (multipart), index);
  pigeon_test_mime_assert_type (part, mime_type);
  return part;
}

static char *
decoded_text (GMimeObject *part)
{
  g_autoptr (GBytes) bytes = pigeon_test_mime_decoded (part);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto (GStrv) lines = g_strsplit (text, "\r\n", -1);

  return g_strjoinv ("\n", lines);
}

static void
test_text_only (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;
  const char *const *rcpt = NULL;
  GMimeObject *body = NULL;

  g_assert_true (pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_CC,
                                                 "Dan <dan@example.com>, BOB@EXAMPLE.NET", &error));
  g_assert_true (pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_BCC,
                                                 "eve@example.org, carol@example.com", &error));
  g_assert_no_error (error);
  bytes = pigeon_test_mime_build_and_write (composer, &message);
  parsed = pigeon_test_mime_parse (bytes);

  body = g_mime_message_get_mime_part (parsed);
  pigeon_test_mime_assert_type (body, "text/plain");
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (body, "charset"), ==, "utf-8");
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (body)), ==,
                   GMIME_CONTENT_ENCODING_7BIT);
  text = decoded_text (body);
  g_assert_cmpstr (text, ==, "Hi Bob,\n\nsee below.\n");
  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, "Hello");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "MIME-Version"), ==, "1.0");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "User-Agent"), ==,
                   "Pigeon/" PACKAGE_VERSION);
  g_assert_true (pigeon_test_mime_contains (bytes, "Date: Sun, 01 Mar 2026 12:30:00 +0000\r\n"));
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_cc (parsed)), ==, 2);

  g_assert_cmpstr (pigeon_composed_message_get_sender (message), ==, "ana@example.org");
  rcpt = pigeon_composed_message_get_recipients (message);
  g_assert_cmpuint (g_strv_length ((GStrv) rcpt), ==, 5);
  g_assert_cmpstr (rcpt[0], ==, "bob@example.net");
  g_assert_cmpstr (rcpt[1], ==, "carol@example.com");
  g_assert_cmpstr (rcpt[2], ==, "dan@example.com");
  g_assert_cmpstr (rcpt[3], ==, "BOB@EXAMPLE.NET"); /* another local part: not the same */
  g_assert_cmpstr (rcpt[4], ==, "eve@example.org");
  g_assert_false (pigeon_composed_message_is_8bit (message));
}

/* Bcc recipients are in the envelope only. */
static void
test_no_bcc (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GError *error = NULL;

  g_assert_true (pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_BCC,
                                                 "Secret Person <hidden@example.org>", &error));
  g_assert_no_error (error);
  bytes = pigeon_test_mime_build_and_write (composer, NULL);
  parsed = pigeon_test_mime_parse (bytes);
  g_assert_null (g_mime_object_get_header (GMIME_OBJECT (parsed), "Bcc"));
  g_assert_false (pigeon_test_mime_contains (bytes, "hidden"));
  g_assert_false (pigeon_test_mime_contains (bytes, "Secret"));
  g_assert_false (pigeon_test_mime_contains (bytes, "Bcc") ||
                  pigeon_test_mime_contains (bytes, "BCC") ||
                  pigeon_test_mime_contains (bytes, "bcc"));
}

/* The body read back is the body given (with its last line break), in @encoding. */
static void
assert_body_round_trip (const char *body, GMimeContentEncoding encoding)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected =
    g_str_has_suffix (body, "\n") ? g_strdup (body) : g_strconcat (body, "\n", NULL);
  GError *error = NULL;
  GMimeObject *part = NULL;

  g_assert_true (pigeon_composer_set_body (composer, body, &error));
  g_assert_no_error (error);
  bytes = pigeon_test_mime_build_and_write (composer, &message);
  parsed = pigeon_test_mime_parse (bytes);
  part = g_mime_message_get_mime_part (parsed);
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==, encoding);
  text = decoded_text (part);
  g_assert_cmpstr (text, ==, expected);
  g_assert_false (pigeon_composed_message_is_8bit (message));
}

static void
test_text_encoding (void)
{
  g_autoptr (GString) body = g_string_new ("Grüße, 你好 😀\n\n");
  g_autofree char *long_line = g_strnfill (5000, 'x');
  g_autofree char *longest_7bit = g_strnfill (MAX_LINE, 'y');

  for (int i = 0; i < 5000; i++)
    g_string_append_c (body, "abcdefghij klmnopqrst"[i % 21]);
  g_string_append (body, "\n.\nFrom here\n");
  assert_body_round_trip (body->str, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  /* ASCII, but a line too long for 7bit. */
  assert_body_round_trip (long_line, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  assert_body_round_trip (longest_7bit, GMIME_CONTENT_ENCODING_7BIT);
}

static void
test_subject_cjk_emoji (void)
{
  const char *subject = "季度报告 😀🎉 — résumé of a rather long subject that GMime has to fold "
                        "because it goes on and on, 日本語のテキストも";
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GError *error = NULL;

  g_assert_true (pigeon_composer_set_subject (composer, subject, &error));
  g_assert_no_error (error);
  bytes = pigeon_test_mime_build_and_write (composer, &message);
  parsed = pigeon_test_mime_parse (bytes);
  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, subject);
  g_assert_true (pigeon_test_mime_contains (bytes, "=?"));
  g_assert_false (pigeon_composed_message_is_8bit (message));

  g_assert_false (pigeon_composer_set_subject (composer, "Hi\r\nBcc: x@example.org", &error));
  g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "Subject"));
  g_clear_error (&error);
  g_assert_false (pigeon_composer_set_subject (composer, "bad \xff", &error));
  g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_clear_error (&error);
}

/* Collects the Content-IDs and checks each inline image against @images (bytes by name). */
static void
check_related (GMimeObject *related, GBytes **images, const char **names, int n_images)
{
  GMimeObject *alternative = child (related, 0, "multipart/alternative");
  g_autofree char *html = decoded_text (child (alternative, 1, "text/html"));
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpstr (g_mime_object_get_content_type_parameter (related, "type"), ==,
                   "multipart/alternative");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (related)), ==, 1 + n_images);
  child (alternative, 0, "text/plain");
  g_assert_nonnull (strstr (html, "<p>Hi Bob,</p>\n<p>see below.</p>"));
  for (int i = 0; i < n_images; i++)
    {
      GMimeObject *image = g_mime_multipart_get_part (GMIME_MULTIPART (related), 1 + i);
      const char *id = g_mime_object_get_content_id (image);
      g_autofree char *img = NULL;

      pigeon_test_mime_assert_file_part (image, "inline", names[i], images[i]);
      g_assert_true (g_str_has_suffix (id, "@example.org"));
      g_assert_cmpuint (strlen (id), ==, 32 + strlen ("@example.org"));
      g_assert_true (g_hash_table_add (ids, (gpointer) id));
      img = g_strdup_printf ("<img src=\"cid:%s\" alt=\"%s\">", id, names[i]);
      g_assert_nonnull (strstr (html, img));
    }
}

static void
test_inline_images (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (GBytes) png = pigeon_test_mime_make_content (PNG_MAGIC, 5000, 1);
  g_autoptr (GBytes) gif = pigeon_test_mime_make_content (GIF_MAGIC, 77, 2);
  g_autoptr (GFile) png_file = pigeon_test_mime_write_file ("photo.png", png);
  g_autoptr (GFile) gif_file = pigeon_test_mime_write_file ("anim.bin", gif);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GBytes *images[] = { png, gif };
  const char *names[] = { "photo.png", "Ünïcode 图.gif" };
  GMimeObject *related = NULL;

  pigeon_test_mime_add_file (composer, png_file, NULL, PIGEON_ATTACHMENT_INLINE);
  pigeon_test_mime_add_file (composer, gif_file, names[1], PIGEON_ATTACHMENT_INLINE);
  bytes = pigeon_test_mime_build_and_write (composer, NULL);
  parsed = pigeon_test_mime_parse (bytes);
  related = g_mime_message_get_mime_part (parsed);
  pigeon_test_mime_assert_type (related, "multipart/related");
  check_related (related, images, names, 2);
  pigeon_test_mime_assert_type (g_mime_multipart_get_part (GMIME_MULTIPART (related), 1),
                                "image/png");
  pigeon_test_mime_assert_type (g_mime_multipart_get_part (GMIME_MULTIPART (related), 2),
                                "image/gif");
}

static void
test_attachments (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (GString) long_name = g_string_new (NULL);
  g_autoptr (GBytes) pdf = pigeon_test_mime_make_content (PDF_MAGIC, 3000, 3);
  g_autoptr (GBytes) data = pigeon_test_mime_make_content ("", 10, 4);
  g_autoptr (GBytes) empty = pigeon_test_mime_make_content ("", 0, 5);
  g_autoptr (GFile) pdf_file = pigeon_test_mime_write_file ("报告 1.pdf", pdf);
  g_autoptr (GFile) data_file = pigeon_test_mime_write_file ("data", data);
  g_autoptr (GFile) empty_file = pigeon_test_mime_write_file ("empty.txt", empty);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GMimeObject *mixed = NULL;

  for (int i = 0; i < 96; i++)
    g_string_append_c (long_name, 'a' + i % 26);
  g_string_append (long_name, ".bin");
  pigeon_test_mime_add_file (composer, pdf_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
  pigeon_test_mime_add_file (composer, data_file, long_name->str, PIGEON_ATTACHMENT_ATTACHED);
  pigeon_test_mime_add_file (composer, empty_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
  bytes = pigeon_test_mime_build_and_write (composer, NULL);
  parsed = pigeon_test_mime_parse (bytes);
  mixed = g_mime_message_get_mime_part (parsed);
  pigeon_test_mime_assert_type (mixed, "multipart/mixed");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (mixed)), ==, 4);
  child (mixed, 0, "text/plain");
  pigeon_test_mime_assert_file_part (child (mixed, 1, "application/pdf"), "attachment",
                                     "报告 1.pdf", pdf);
  pigeon_test_mime_assert_file_part (g_mime_multipart_get_part (GMIME_MULTIPART (mixed), 2),
                                     "attachment", long_name->str, data);
  pigeon_test_mime_assert_file_part (g_mime_multipart_get_part (GMIME_MULTIPART (mixed), 3),
                                     "attachment", "empty.txt", empty);
  g_assert_true (pigeon_test_mime_contains (bytes, "filename*=UTF-8''%E6%8A%A5%E5%91%8A%201.pdf"));
}

/* A forwarded .eml sniffs as message/rfc822, a type RFC 2046 forbids to base64-encode: it must
 * go as plain bytes, still intact. */
static void
test_attached_message (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (GBytes) eml = g_bytes_new_static ("From: a@example.org\nTo: b@example.org\n"
                                               "Subject: forwarded\n\nhello\n",
                                               64);
  g_autoptr (GFile) eml_file = pigeon_test_mime_write_file ("forwarded.eml", eml);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GMimeObject *mixed = NULL;

  pigeon_test_mime_add_file (composer, eml_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
  bytes = pigeon_test_mime_build_and_write (composer, NULL);
  parsed = pigeon_test_mime_parse (bytes);
  mixed = g_mime_message_get_mime_part (parsed);
  pigeon_test_mime_assert_file_part (child (mixed, 1, "application/octet-stream"), "attachment",
                                     "forwarded.eml", eml);
  g_assert_false (pigeon_test_mime_contains (bytes, "message/rfc822"));
}

/* The message built from @subject and @from, as GMime's parser reads it; what was written in
 * @out_bytes. */
static GMimeMessage *
compose_and_parse (const char *subject, const char *from, GBytes **out_bytes)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (pigeon_composer_set_subject (composer, subject, &error));
  g_assert_true (pigeon_composer_set_from (composer, from, &error));
  g_assert_no_error (error);
  *out_bytes = pigeon_test_mime_build_and_write (composer, NULL);
  return pigeon_test_mime_parse (*out_bytes);
}

static const char *
sender_name (GMimeMessage *message)
{
  return internet_address_get_name (
    internet_address_list_get_address (g_mime_message_get_from (message), 0));
}

/* GMime leaves text that looks like encoded words unencoded, so readers would show it decoded;
 * and it mis-encodes long runs of "=" in names. Both must read back exactly as typed. */
static void
test_encoded_word_lookalikes (void)
{
  const char *subject = "=?utf-8?q?Bcc=3A_evil=40x.org?= Re: hi, and long enough to be folded "
                        "over several lines of the header";
  g_autofree char *equals = g_strnfill (80, '=');
  g_autofree char *from = g_strdup_printf ("\"a%s\" <ana@example.org>", equals);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = compose_and_parse (subject, from, &bytes);

  g_assert_false (pigeon_test_mime_contains (bytes, "=?utf-8?q?Bcc"));
  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, subject);
  g_assert_cmpstr (sender_name (parsed) + 1, ==, equals);
}

/* GMime's own encoder padded a base64 word before another one, and GMime's reader, taking
 * them together, then lost the rest (gmime#133): a name fuzz-compose found, and a Subject of
 * characters that never end a word on a 3-byte boundary, read back whole. */
static void
test_words_read_back_whole (void)
{
  const char *name = "Useer 38, Jrada(Subj@e田山田 <yamada(@e田 <(@e田山田 <yamada(@e田 "
                     "<yamada(@exxxxxxample17.orr";
  const char *subject = "é日本語のテキスト、日本語のテキスト、日本語のテキスト、日本語のテキスト";
  g_autofree char *from = g_strdup_printf ("\"%s\" <ana@example.org>", name);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = compose_and_parse (subject, from, &bytes);

  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, subject);
  g_assert_cmpstr (sender_name (parsed), ==, name);
  g_assert_false (pigeon_test_mime_contains (bytes, "=?=\r\n =?UTF-8?B?"));
}

/* The 8-bit scan reads eight bytes at a time: a high byte anywhere, aligned or not, is seen. */
static void
test_8bit_scan (void)
{
  guint8 buffer[40] = { 0 };

  memset (buffer, 'a', sizeof buffer);
  for (gsize offset = 0; offset < 8; offset++)
    for (gsize length = 0; length + offset <= sizeof buffer; length++)
      {
        g_assert_false (pigeon_mime_has_8bit (buffer + offset, length));
        for (gsize at = 0; at < length; at++)
          {
            buffer[offset + at] = 0xC3;
            g_assert_true (pigeon_mime_has_8bit (buffer + offset, length));
            buffer[offset + at] = 'a';
          }
      }
}

static void
test_both (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (GBytes) png = pigeon_test_mime_make_content (PNG_MAGIC, 200, 6);
  g_autoptr (GBytes) pdf = pigeon_test_mime_make_content (PDF_MAGIC, 300, 7);
  g_autoptr (GFile) png_file = pigeon_test_mime_write_file ("both.png", png);
  g_autoptr (GFile) pdf_file = pigeon_test_mime_write_file ("both.pdf", pdf);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GBytes *images[] = { png };
  const char *names[] = { "both.png" };
  GMimeObject *mixed = NULL;

  pigeon_test_mime_add_file (composer, pdf_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
  pigeon_test_mime_add_file (composer, png_file, NULL, PIGEON_ATTACHMENT_INLINE);
  bytes = pigeon_test_mime_build_and_write (composer, NULL);
  parsed = pigeon_test_mime_parse (bytes);
  mixed = g_mime_message_get_mime_part (parsed);
  pigeon_test_mime_assert_type (mixed, "multipart/mixed");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (mixed)), ==, 2);
  check_related (child (mixed, 0, "multipart/related"), images, names, 1);
  pigeon_test_mime_assert_file_part (child (mixed, 1, "application/pdf"), "attachment", "both.pdf",
                                     pdf);
}

/* A refused file leaves the composer as it was: the message built after is the same. */
static void
test_inline_not_image (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (GBytes) pdf = pigeon_test_mime_make_content (PDF_MAGIC, 500, 10);
  g_autoptr (GFile) pdf_file = pigeon_test_mime_write_file ("not-an-image.png", pdf);
  g_autoptr (PigeonComposedMessage) before = pigeon_composer_build (composer, NULL);
  g_autoptr (PigeonComposedMessage) after = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GError *error = NULL;

  g_assert_false (
    pigeon_composer_add_file (composer, pdf_file, NULL, PIGEON_ATTACHMENT_INLINE, NULL, &error));
  g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "not-an-image.png"));
  g_clear_error (&error);
  bytes = pigeon_test_mime_build_and_write (composer, &after);
  g_assert_cmpint (pigeon_composed_message_get_size (after), ==,
                   pigeon_composed_message_get_size (before));
  parsed = pigeon_test_mime_parse (bytes);
  pigeon_test_mime_assert_type (g_mime_message_get_mime_part (parsed), "text/plain");
}

static void
test_message_id (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (PigeonComposedMessage) other = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  g_autofree char *header_id = NULL;
  GError *error = NULL;
  const char *id = NULL;

  bytes = pigeon_test_mime_build_and_write (composer, &message);
  id = pigeon_composed_message_get_message_id (message);
  g_assert_true (g_regex_match_simple ("^<[0-9a-f]{32}@example\\.org>$", id, 0, 0));
  parsed = pigeon_test_mime_parse (bytes);
  header_id = g_strdup_printf ("<%s>", g_mime_message_get_message_id (parsed));
  g_assert_cmpstr (header_id, ==, id);
  other = pigeon_composer_build (composer, NULL);
  g_assert_cmpstr (pigeon_composed_message_get_message_id (other), !=, id);

  g_clear_object (&message);
  g_assert_true (pigeon_composer_set_from (composer, "Büro <info@bücher.example>", &error));
  g_assert_no_error (error);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = pigeon_test_mime_build_and_write (composer, &message);
  g_assert_true (
    g_str_has_suffix (pigeon_composed_message_get_message_id (message), "@xn--bcher-kva.example>"));
  g_assert_cmpstr (pigeon_composed_message_get_sender (message), ==, "info@bücher.example");
  g_assert_true (pigeon_test_mime_contains (bytes, "<info@xn--bcher-kva.example>"));
  g_assert_false (pigeon_composed_message_is_8bit (message));
}

/* Only a non-ASCII local part needs raw UTF-8 in the header. */
static void
test_8bit (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GBytes) bytes = NULL;
  GError *error = NULL;

  g_assert_true (
    pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_CC, "josé@example.org", &error));
  g_assert_no_error (error);
  bytes = pigeon_test_mime_build_and_write (composer, &message);
  g_assert_true (pigeon_composed_message_is_8bit (message));
  g_assert_true (pigeon_test_mime_contains (bytes, "josé@example.org"));
}

static void
test_not_ready (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_composer_new ();
  GError *error = NULL;

  g_assert_null (pigeon_composer_build (composer, &error));
  g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "From"));
  g_clear_error (&error);
  g_assert_true (pigeon_composer_set_from (composer, "ana@example.org", &error));
  g_assert_null (pigeon_composer_build (composer, &error));
  g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_true (
    pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_BCC, "b@example.org", &error));
  g_assert_no_error (error);
  g_clear_object (&composer); /* only Bcc: enough to send */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mime/composer/text-only", test_text_only);
  g_test_add_func ("/mime/composer/no-bcc", test_no_bcc);
  g_test_add_func ("/mime/composer/text-encoding", test_text_encoding);
  g_test_add_func ("/mime/composer/subject-cjk-emoji", test_subject_cjk_emoji);
  g_test_add_func ("/mime/composer/inline-images", test_inline_images);
  g_test_add_func ("/mime/composer/attachments", test_attachments);
  g_test_add_func ("/mime/composer/attached-message", test_attached_message);
  g_test_add_func ("/mime/composer/8bit-scan", test_8bit_scan);
  g_test_add_func ("/mime/composer/encoded-word-lookalikes", test_encoded_word_lookalikes);
  g_test_add_func ("/mime/composer/words-read-back-whole", test_words_read_back_whole);
  g_test_add_func ("/mime/composer/inline-and-attachments", test_both);
  g_test_add_func ("/mime/composer/inline-not-image", test_inline_not_image);
  g_test_add_func ("/mime/composer/message-id", test_message_id);
  g_test_add_func ("/mime/composer/8bit", test_8bit);
  g_test_add_func ("/mime/composer/not-ready", test_not_ready);

  return pigeon_test_mime_run ();
}
