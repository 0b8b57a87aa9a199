/* test-composer.c: messages built from what the user wrote, read back with GMime's parser
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pigeon-composer.h"

#define MAX_LINE  998 /* octets, without CRLF */
#define BIG_FILE  (100 * 1024 * 1024)
#define RSS_SLACK (6 * 1024) /* kB of peak memory growth allowed while writing BIG_FILE */

/* GMime 3.2 declares none; a test may, being the only one to. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

static char *tmp_dir;

/* An output stream that only counts what it is given, so a big message needs no memory. */
#define TEST_TYPE_SINK (test_sink_get_type ())
G_DECLARE_FINAL_TYPE (TestSink, test_sink, TEST, SINK, GOutputStream)

struct _TestSink
{
  GOutputStream parent_instance;
  guint64 count;
};

G_DEFINE_TYPE (TestSink, test_sink, G_TYPE_OUTPUT_STREAM)

static gssize
test_sink_write (GOutputStream *stream, const void *buf, gsize n, GCancellable *c, GError **e)
{
  TEST_SINK (stream)->count += n;
  return (gssize) n;
}

static void
test_sink_class_init (TestSinkClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = test_sink_write;
}

static void
test_sink_init (TestSink *self)
{
}

/* Some bytes that start as a PNG, GIF or PDF does, so that sniffing knows them. */
static GBytes *
make_content (const char *magic, gsize size, guint seed)
{
  guint8 *data = g_malloc (size + 1);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + seed + i / 251);
  memcpy (data, magic, MIN (strlen (magic), size));
  return g_bytes_new_take (data, size);
}

#define PNG_MAGIC "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
#define GIF_MAGIC "GIF89a"
#define PDF_MAGIC "%PDF-1.4\n"

static GFile *
write_file (const char *name, GBytes *content)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  GError *error = NULL;

  g_file_set_contents (path, g_bytes_get_data (content, NULL), (gssize) g_bytes_get_size (content),
                       &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static PigeonComposer *
composer_new (void)
{
  PigeonComposer *composer = pigeon_composer_new ();
  g_autoptr (GDateTime) date = g_date_time_new_utc (2026, 3, 1, 12, 30, 0);
  GError *error = NULL;

  g_assert_true (pigeon_composer_set_from (composer, "Ana Núñez <ana@example.org>", &error));
  g_assert_true (pigeon_composer_add_recipients (
    composer, PIGEON_RECIPIENT_TO, "Bob <bob@example.net>, carol@example.com", &error));
  g_assert_true (pigeon_composer_set_subject (composer, "Hello", &error));
  g_assert_true (pigeon_composer_set_body (composer, "Hi Bob,\r\n\r\nsee below.\r\n", &error));
  g_assert_no_error (error);
  pigeon_composer_set_date (composer, date);
  return composer;
}

static void
add_file (PigeonComposer *composer,
          GFile *file,
          const char *name,
          PigeonAttachmentDisposition disposition)
{
  GError *error = NULL;

  g_assert_true (pigeon_composer_add_file (composer, file, name, disposition, NULL, &error));
  g_assert_no_error (error);
}

/* Every line ends in CRLF, none is longer than RFC 5322 allows. */
static void
assert_lines_ok (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize start = 0;

  g_assert_cmpuint (size, >, 2);
  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\r')
        g_assert_true (i + 1 < size && data[i + 1] == '\n');
      if (data[i] == '\n')
        {
          g_assert_true (i > 0 && data[i - 1] == '\r');
          g_assert_cmpuint (i - 1 - start, <=, MAX_LINE);
          start = i + 1;
        }
    }
  g_assert_cmpuint (start, ==, size);
}

/* Writes @message, checks it is exactly the announced size and well formed. */
static GBytes *
write_message (PigeonComposedMessage *message)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  GError *error = NULL;
  GBytes *bytes = NULL;

  g_assert_true (pigeon_composed_message_write (message, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpint (pigeon_composed_message_get_size (message), ==, g_bytes_get_size (bytes));
  assert_lines_ok (bytes);
  return bytes;
}

static GBytes *
build_and_write (PigeonComposer *composer, PigeonComposedMessage **out_message)
{
  GError *error = NULL;
  g_autoptr (PigeonComposedMessage) message = pigeon_composer_build (composer, &error);
  GBytes *bytes = NULL;

  g_assert_no_error (error);
  bytes = write_message (message);
  if (out_message != NULL)
    *out_message = g_steal_pointer (&message);
  return bytes;
}

static GMimeMessage *
parse (GBytes *bytes)
{
  GMimeStream *stream =
    g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_assert_nonnull (message);
  g_object_unref (parser);
  g_object_unref (stream);
  return message;
}

static void
assert_type (GMimeObject *object, const char *mime_type)
{
  g_autofree char *type =
    g_mime_content_type_get_mime_type (g_mime_object_get_content_type (object));

  g_assert_cmpstr (type, ==, mime_type);
}

static GMimeObject *
child (GMimeObject *multipart, int index, const char *mime_type)
{
  GMimeObject *part = NULL;

  g_assert_true (GMIME_IS_MULTIPART (multipart));
  part = g_mime_multipart_get_part (GMIME_MULTIPART (multipart), index);
  assert_type (part, mime_type);
  return part;
}

/* The part's content, transfer encoding undone. */
static GBytes *
decoded (GMimeObject *part)
{
  GMimeStream *stream = g_mime_stream_mem_new ();
  GByteArray *array = NULL;
  GBytes *bytes = NULL;

  g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (GMIME_PART (part)), stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  bytes = g_bytes_new (array->data, array->len);
  g_object_unref (stream);
  return bytes;
}

static char *
decoded_text (GMimeObject *part)
{
  g_autoptr (GBytes) bytes = decoded (part);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto (GStrv) lines = g_strsplit (text, "\r\n", -1);

  return g_strjoinv ("\n", lines);
}

static void
assert_file_part (GMimeObject *part, const char *disposition, const char *name, GBytes *content)
{
  g_autoptr (GBytes) bytes = decoded (part);

  g_assert_cmpstr (g_mime_object_get_disposition (part), ==, disposition);
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, name);
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==,
                   GMIME_CONTENT_ENCODING_BASE64);
  g_assert_true (g_bytes_equal (bytes, content));
}

static gboolean
contains (GBytes *bytes, const char *needle)
{
  /* The output is text: no NUL stops the search early. */
  return g_strstr_len (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), needle) !=
         NULL;
}

static void
test_text_only (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
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
  bytes = build_and_write (composer, &message);
  parsed = parse (bytes);

  body = g_mime_message_get_mime_part (parsed);
  assert_type (body, "text/plain");
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (body, "charset"), ==, "utf-8");
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (body)), ==,
                   GMIME_CONTENT_ENCODING_7BIT);
  text = decoded_text (body);
  g_assert_cmpstr (text, ==, "Hi Bob,\n\nsee below.\n");
  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, "Hello");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "MIME-Version"), ==, "1.0");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "User-Agent"), ==,
                   "Pigeon/" PACKAGE_VERSION);
  g_assert_true (contains (bytes, "Date: Sun, 01 Mar 2026 12:30:00 +0000\r\n"));
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
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GError *error = NULL;

  g_assert_true (pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_BCC,
                                                 "Secret Person <hidden@example.org>", &error));
  g_assert_no_error (error);
  bytes = build_and_write (composer, NULL);
  parsed = parse (bytes);
  g_assert_null (g_mime_object_get_header (GMIME_OBJECT (parsed), "Bcc"));
  g_assert_false (contains (bytes, "hidden"));
  g_assert_false (contains (bytes, "Secret"));
  g_assert_false (contains (bytes, "Bcc") || contains (bytes, "BCC") || contains (bytes, "bcc"));
}

/* The body read back is the body given (with its last line break), in @encoding. */
static void
assert_body_round_trip (const char *body, GMimeContentEncoding encoding)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
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
  bytes = build_and_write (composer, &message);
  parsed = parse (bytes);
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
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GError *error = NULL;

  g_assert_true (pigeon_composer_set_subject (composer, subject, &error));
  g_assert_no_error (error);
  bytes = build_and_write (composer, &message);
  parsed = parse (bytes);
  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, subject);
  g_assert_true (contains (bytes, "=?"));
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

      assert_file_part (image, "inline", names[i], images[i]);
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
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (GBytes) png = make_content (PNG_MAGIC, 5000, 1);
  g_autoptr (GBytes) gif = make_content (GIF_MAGIC, 77, 2);
  g_autoptr (GFile) png_file = write_file ("photo.png", png);
  g_autoptr (GFile) gif_file = write_file ("anim.bin", gif);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GBytes *images[] = { png, gif };
  const char *names[] = { "photo.png", "Ünïcode 图.gif" };
  GMimeObject *related = NULL;

  add_file (composer, png_file, NULL, PIGEON_ATTACHMENT_INLINE);
  add_file (composer, gif_file, names[1], PIGEON_ATTACHMENT_INLINE);
  bytes = build_and_write (composer, NULL);
  parsed = parse (bytes);
  related = g_mime_message_get_mime_part (parsed);
  assert_type (related, "multipart/related");
  check_related (related, images, names, 2);
  assert_type (g_mime_multipart_get_part (GMIME_MULTIPART (related), 1), "image/png");
  assert_type (g_mime_multipart_get_part (GMIME_MULTIPART (related), 2), "image/gif");
}

static void
test_attachments (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (GString) long_name = g_string_new (NULL);
  g_autoptr (GBytes) pdf = make_content (PDF_MAGIC, 3000, 3);
  g_autoptr (GBytes) data = make_content ("", 10, 4);
  g_autoptr (GBytes) empty = make_content ("", 0, 5);
  g_autoptr (GFile) pdf_file = write_file ("报告 1.pdf", pdf);
  g_autoptr (GFile) data_file = write_file ("data", data);
  g_autoptr (GFile) empty_file = write_file ("empty.txt", empty);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GMimeObject *mixed = NULL;

  for (int i = 0; i < 96; i++)
    g_string_append_c (long_name, 'a' + i % 26);
  g_string_append (long_name, ".bin");
  add_file (composer, pdf_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
  add_file (composer, data_file, long_name->str, PIGEON_ATTACHMENT_ATTACHED);
  add_file (composer, empty_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
  bytes = build_and_write (composer, NULL);
  parsed = parse (bytes);
  mixed = g_mime_message_get_mime_part (parsed);
  assert_type (mixed, "multipart/mixed");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (mixed)), ==, 4);
  child (mixed, 0, "text/plain");
  assert_file_part (child (mixed, 1, "application/pdf"), "attachment", "报告 1.pdf", pdf);
  assert_file_part (g_mime_multipart_get_part (GMIME_MULTIPART (mixed), 2), "attachment",
                    long_name->str, data);
  assert_file_part (g_mime_multipart_get_part (GMIME_MULTIPART (mixed), 3), "attachment",
                    "empty.txt", empty);
  g_assert_true (contains (bytes, "filename*=UTF-8''%E6%8A%A5%E5%91%8A%201.pdf"));
}

static void
test_both (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (GBytes) png = make_content (PNG_MAGIC, 200, 6);
  g_autoptr (GBytes) pdf = make_content (PDF_MAGIC, 300, 7);
  g_autoptr (GFile) png_file = write_file ("both.png", png);
  g_autoptr (GFile) pdf_file = write_file ("both.pdf", pdf);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  GBytes *images[] = { png };
  const char *names[] = { "both.png" };
  GMimeObject *mixed = NULL;

  add_file (composer, pdf_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
  add_file (composer, png_file, NULL, PIGEON_ATTACHMENT_INLINE);
  bytes = build_and_write (composer, NULL);
  parsed = parse (bytes);
  mixed = g_mime_message_get_mime_part (parsed);
  assert_type (mixed, "multipart/mixed");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (mixed)), ==, 2);
  check_related (child (mixed, 0, "multipart/related"), images, names, 1);
  assert_file_part (child (mixed, 1, "application/pdf"), "attachment", "both.pdf", pdf);
}

/* The computed size must be right for every remainder of base64's 3-byte groups and 57-byte
 * lines, and for files much bigger than GMime's buffers. */
static void
test_size_every_file_size (void)
{
  static const gsize big[] = { 4095,          4096,          4097,           57 * 1000,
                               57 * 1000 + 1, 65536 * 3 + 2, 1024 * 1024 + 7 };

  for (gsize size = 0; size < G_N_ELEMENTS (big) + 301; size++)
    {
      gsize file_size = size <= 300 ? size : big[size - 301];
      g_autoptr (PigeonComposer) composer = composer_new ();
      g_autoptr (GBytes) content = make_content ("", file_size, (guint) size);
      g_autoptr (GFile) file = write_file ("sized", content);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GMimeMessage) parsed = NULL;

      add_file (composer, file, NULL, PIGEON_ATTACHMENT_ATTACHED);
      bytes = build_and_write (composer, NULL); /* asserts the size */
      if (file_size % 50 == 0 || size > 300)
        {
          parsed = parse (bytes);
          assert_file_part (
            g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (parsed)), 1),
            "attachment", "sized", content);
        }
    }
}

/* Many shapes of message, each written twice: the same bytes, of the announced size. */
static void
test_size_shapes (void)
{
  const char *bodies[] = { "", "x", "no newline at end", "Ünïcode\n\n\npara\r\n", "a\rb\r\n" };
  g_autoptr (GBytes) png = make_content (PNG_MAGIC, 1234, 8);
  g_autoptr (GBytes) pdf = make_content (PDF_MAGIC, 58, 9);
  g_autoptr (GFile) png_file = write_file ("shape.png", png);
  g_autoptr (GFile) pdf_file = write_file ("shape.pdf", pdf);

  for (guint shape = 0; shape < 4 * G_N_ELEMENTS (bodies); shape++)
    {
      g_autoptr (PigeonComposer) composer = composer_new ();
      g_autoptr (PigeonComposedMessage) message = NULL;
      g_autoptr (GBytes) first = NULL;
      g_autoptr (GBytes) second = NULL;
      GError *error = NULL;

      g_assert_true (pigeon_composer_set_body (composer, bodies[shape % 5], &error));
      g_assert_no_error (error);
      if (shape / 5 & 1)
        add_file (composer, png_file, "画像 — a rather long file name for an image.png",
                  PIGEON_ATTACHMENT_INLINE);
      if (shape / 5 & 2)
        add_file (composer, pdf_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
      first = build_and_write (composer, &message);
      second = write_message (message);
      g_assert_true (g_bytes_equal (first, second));
    }
}

/* A refused file leaves the composer as it was: the message built after is the same. */
static void
test_inline_not_image (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (GBytes) pdf = make_content (PDF_MAGIC, 500, 10);
  g_autoptr (GFile) pdf_file = write_file ("not-an-image.png", pdf);
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
  bytes = build_and_write (composer, &after);
  g_assert_cmpint (pigeon_composed_message_get_size (after), ==,
                   pigeon_composed_message_get_size (before));
  parsed = parse (bytes);
  assert_type (g_mime_message_get_mime_part (parsed), "text/plain");
}

static void
assert_file_error (GError *error, const char *name)
{
  g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, name));
}

static void
test_unreadable_file (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autofree char *missing_path = g_build_filename (tmp_dir, "missing.pdf", NULL);
  g_autoptr (GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr (GFile) folder = g_file_new_for_path (tmp_dir);
  GError *error = NULL;

  g_assert_false (
    pigeon_composer_add_file (composer, missing, NULL, PIGEON_ATTACHMENT_ATTACHED, NULL, &error));
  assert_file_error (error, "missing.pdf");
  g_clear_error (&error);
  g_assert_false (
    pigeon_composer_add_file (composer, folder, NULL, PIGEON_ATTACHMENT_ATTACHED, NULL, &error));
  assert_file_error (error, tmp_dir);
  g_clear_error (&error);
}

static void
test_unreadable_file_permission (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (GBytes) secret = make_content (PDF_MAGIC, 10, 11);
  g_autoptr (GFile) locked = write_file ("locked.pdf", secret);
  GError *error = NULL;

  g_assert_cmpint (g_chmod (g_file_peek_path (locked), 0), ==, 0);
  if (access (g_file_peek_path (locked), R_OK) == 0)
    {
      g_test_skip ("running as root: a file without read permission is still readable");
      return;
    }
  g_assert_false (
    pigeon_composer_add_file (composer, locked, NULL, PIGEON_ATTACHMENT_ATTACHED, NULL, &error));
  assert_file_error (error, "locked.pdf");
  g_clear_error (&error);
}

enum
{
  CHANGE_GROW,
  CHANGE_SHRINK,
  CHANGE_DELETE,
  N_CHANGES
};

/* A file changed between build() and write() makes write() fail, naming it. */
static void
test_file_changed (void)
{
  for (int change = 0; change < N_CHANGES; change++)
    {
      g_autoptr (PigeonComposer) composer = composer_new ();
      g_autoptr (GBytes) content = make_content (PDF_MAGIC, 1000, 12);
      g_autoptr (GBytes) other = make_content (PDF_MAGIC, change == CHANGE_GROW ? 1001 : 999, 1);
      g_autoptr (GFile) file = write_file ("changing.pdf", content);
      g_autoptr (PigeonComposedMessage) message = NULL;
      g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
      GError *error = NULL;

      add_file (composer, file, NULL, PIGEON_ATTACHMENT_ATTACHED);
      message = pigeon_composer_build (composer, &error);
      g_assert_no_error (error);
      if (change == CHANGE_DELETE)
        g_assert_cmpint (g_remove (g_file_peek_path (file)), ==, 0);
      else
        g_object_unref (write_file ("changing.pdf", other));
      g_assert_false (pigeon_composed_message_write (message, out, NULL, &error));
      assert_file_error (error, "changing.pdf");
      g_clear_error (&error);
    }
}

/* GMime only sees -1: the cause must come back as it was. */
static void
test_write_cancelled (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (PigeonComposedMessage) message = pigeon_composer_build (composer, NULL);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (pigeon_composed_message_write (message, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
}

static void
test_message_id (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (PigeonComposedMessage) other = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GMimeMessage) parsed = NULL;
  g_autofree char *header_id = NULL;
  GError *error = NULL;
  const char *id = NULL;

  bytes = build_and_write (composer, &message);
  id = pigeon_composed_message_get_message_id (message);
  g_assert_true (g_regex_match_simple ("^<[0-9a-f]{32}@example\\.org>$", id, 0, 0));
  parsed = parse (bytes);
  header_id = g_strdup_printf ("<%s>", g_mime_message_get_message_id (parsed));
  g_assert_cmpstr (header_id, ==, id);
  other = pigeon_composer_build (composer, NULL);
  g_assert_cmpstr (pigeon_composed_message_get_message_id (other), !=, id);

  g_clear_object (&message);
  g_assert_true (pigeon_composer_set_from (composer, "Büro <info@bücher.example>", &error));
  g_assert_no_error (error);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = build_and_write (composer, &message);
  g_assert_true (
    g_str_has_suffix (pigeon_composed_message_get_message_id (message), "@xn--bcher-kva.example>"));
  g_assert_cmpstr (pigeon_composed_message_get_sender (message), ==, "info@bücher.example");
  g_assert_true (contains (bytes, "<info@xn--bcher-kva.example>"));
  g_assert_false (pigeon_composed_message_is_8bit (message));
}

/* Only a non-ASCII local part needs raw UTF-8 in the header. */
static void
test_8bit (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GBytes) bytes = NULL;
  GError *error = NULL;

  g_assert_true (
    pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_CC, "josé@example.org", &error));
  g_assert_no_error (error);
  bytes = build_and_write (composer, &message);
  g_assert_true (pigeon_composed_message_is_8bit (message));
  g_assert_true (contains (bytes, "josé@example.org"));
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

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

/* Run first, so that the peak before is not some other test's. */
static void
test_big_file_memory (void)
{
  g_autoptr (PigeonComposer) composer = composer_new ();
  g_autofree char *path = g_build_filename (tmp_dir, "big.bin", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GOutputStream) sink = g_object_new (TEST_TYPE_SINK, NULL);
  GError *error = NULL;
  FILE *f = fopen (path, "wb");
  glong before = 0;

  g_assert_nonnull (f);
  g_assert_cmpint (ftruncate (fileno (f), BIG_FILE), ==, 0); /* sparse: no memory, no disk */
  g_assert_cmpint (fclose (f), ==, 0);
  add_file (composer, file, NULL, PIGEON_ATTACHMENT_ATTACHED);
  message = pigeon_composer_build (composer, &error);
  g_assert_no_error (error);

  before = peak_rss_kb ();
  g_assert_true (pigeon_composed_message_write (message, sink, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("peak RSS %ld kB before writing, %ld kB after", before, peak_rss_kb ());
  g_assert_cmpint (peak_rss_kb () - before, <, RSS_SLACK);
  g_assert_cmpint (TEST_SINK (sink)->count, ==, pigeon_composed_message_get_size (message));
  g_assert_cmpint (TEST_SINK (sink)->count, >, BIG_FILE / 3 * 4);
  g_assert_cmpint (g_remove (path), ==, 0);
}

static void
remove_tmp_dir (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name = NULL;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      g_chmod (path, 0600);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (tmp_dir), ==, 0);
}

int
main (int argc, char **argv)
{
  int status = 0;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("pigeon-composer-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/mime/composer/big-file-memory", test_big_file_memory);
  g_test_add_func ("/mime/composer/text-only", test_text_only);
  g_test_add_func ("/mime/composer/no-bcc", test_no_bcc);
  g_test_add_func ("/mime/composer/text-encoding", test_text_encoding);
  g_test_add_func ("/mime/composer/subject-cjk-emoji", test_subject_cjk_emoji);
  g_test_add_func ("/mime/composer/inline-images", test_inline_images);
  g_test_add_func ("/mime/composer/attachments", test_attachments);
  g_test_add_func ("/mime/composer/inline-and-attachments", test_both);
  g_test_add_func ("/mime/composer/size/every-file-size", test_size_every_file_size);
  g_test_add_func ("/mime/composer/size/shapes", test_size_shapes);
  g_test_add_func ("/mime/composer/inline-not-image", test_inline_not_image);
  g_test_add_func ("/mime/composer/unreadable-file", test_unreadable_file);
  g_test_add_func ("/mime/composer/unreadable-file/permission", test_unreadable_file_permission);
  g_test_add_func ("/mime/composer/file-changed", test_file_changed);
  g_test_add_func ("/mime/composer/write-cancelled", test_write_cancelled);
  g_test_add_func ("/mime/composer/message-id", test_message_id);
  g_test_add_func ("/mime/composer/8bit", test_8bit);
  g_test_add_func ("/mime/composer/not-ready", test_not_ready);

  status = g_test_run ();
  remove_tmp_dir ();
  g_free (tmp_dir);
  return status;
}
