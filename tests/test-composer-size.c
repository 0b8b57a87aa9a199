/* test-composer-size.c: the size a composed message announces is the size it writes, a big file
 * is written without being held in memory, and write() fails, naming the cause, when a file
 * changes or the write is cancelled
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pigeon-file-part.h"
#include "pigeon-test-mime.h"

#define BIG_FILE  (100 * 1024 * 1024)
#define RSS_SLACK (6 * 1024) /* kB of peak memory growth allowed while writing BIG_FILE */

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
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autofree char *path = g_build_filename (pigeon_test_mime_get_tmp_dir (), "big.bin", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (PigeonComposedMessage) message = NULL;
  g_autoptr (GOutputStream) sink = g_object_new (TEST_TYPE_SINK, NULL);
  GError *error = NULL;
  FILE *f = fopen (path, "wb");
  glong before = 0;

  g_assert_nonnull (f);
  g_assert_cmpint (ftruncate (fileno (f), BIG_FILE), ==, 0); /* sparse: no memory, no disk */
  g_assert_cmpint (fclose (f), ==, 0);
  pigeon_test_mime_add_file (composer, file, NULL, PIGEON_ATTACHMENT_ATTACHED);
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

/* The computed size must be right for every remainder of base64's 3-byte groups and 57-byte
 * lines, and for files much bigger than GMime's buffers. */
static void
test_size_every_file_size (void)
{
  static const gsize big[] = { 4095,          4096,           4097,          57 * 1000,
                               57 * 1000 + 1, 57 * 1024,      57 * 1024 + 1, 57 * 2048 - 1,
                               65536 * 3 + 2, 1024 * 1024 + 7 };

  for (gsize size = 0; size < G_N_ELEMENTS (big) + 301; size++)
    {
      gsize file_size = size <= 300 ? size : big[size - 301];
      g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
      g_autoptr (GBytes) content = pigeon_test_mime_make_content ("", file_size, (guint) size);
      g_autoptr (GFile) file = pigeon_test_mime_write_file ("sized", content);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GMimeMessage) parsed = NULL;

      pigeon_test_mime_add_file (composer, file, NULL, PIGEON_ATTACHMENT_ATTACHED);
      bytes = pigeon_test_mime_build_and_write (composer, NULL); /* asserts the size */
      if (file_size % 50 == 0 || size > 300)
        {
          parsed = pigeon_test_mime_parse (bytes);
          pigeon_test_mime_assert_file_part (
            g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (parsed)), 1),
            "attachment", "sized", content);
        }
    }
}

/* Pigeon encodes files itself (pigeon-file-part.c): byte for byte what GMime's encoder gives,
 * with CRLF line ends, for every remainder of the 3-byte groups and 57-byte lines. */
static void
test_base64_like_gmime (void)
{
  for (gsize length = 0; length < 700; length++)
    {
      g_autoptr (GBytes) content = pigeon_test_mime_make_content ("", length, (guint) length);
      const guint8 *in = g_bytes_get_data (content, NULL);
      g_autofree char *by_gmime = g_malloc (GMIME_BASE64_ENCODE_LEN (length) + 1);
      g_autofree char *ours = g_malloc (pigeon_base64_size ((gint64) length, 2) + 1);
      guint32 save = 0;
      int state = 0;
      gsize gmime_length =
        g_mime_encoding_base64_encode_close (in, length, (guchar *) by_gmime, &state, &save);
      gsize our_length = pigeon_base64_encode_lines (in, length, ours, "\r\n");
      g_auto (GStrv) gmime_lines = NULL;
      g_autofree char *gmime_crlf = NULL;

      by_gmime[gmime_length] = '\0';
      gmime_lines = g_strsplit (by_gmime, "\n", -1);
      gmime_crlf = g_strjoinv ("\r\n", gmime_lines);
      ours[our_length] = '\0';
      g_assert_cmpint (our_length, ==, pigeon_base64_size ((gint64) length, 2));
      g_assert_cmpstr (ours, ==, gmime_crlf);
    }
}

/* Many shapes of message, each written twice: the same bytes, of the announced size. */
static void
test_size_shapes (void)
{
  const char *bodies[] = { "", "x", "no newline at end", "Ünïcode\n\n\npara\r\n", "a\rb\r\n" };
  g_autoptr (GBytes) png = pigeon_test_mime_make_content (PNG_MAGIC, 1234, 8);
  g_autoptr (GBytes) pdf = pigeon_test_mime_make_content (PDF_MAGIC, 58, 9);
  g_autoptr (GFile) png_file = pigeon_test_mime_write_file ("shape.png", png);
  g_autoptr (GFile) pdf_file = pigeon_test_mime_write_file ("shape.pdf", pdf);

  for (guint shape = 0; shape < 4 * G_N_ELEMENTS (bodies); shape++)
    {
      g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
      g_autoptr (PigeonComposedMessage) message = NULL;
      g_autoptr (GBytes) first = NULL;
      g_autoptr (GBytes) second = NULL;
      GError *error = NULL;

      g_assert_true (pigeon_composer_set_body (composer, bodies[shape % 5], &error));
      g_assert_no_error (error);
      if (shape / 5 & 1)
        pigeon_test_mime_add_file (composer, png_file,
                                   "画像 — a rather long file name for an image.png",
                                   PIGEON_ATTACHMENT_INLINE);
      if (shape / 5 & 2)
        pigeon_test_mime_add_file (composer, pdf_file, NULL, PIGEON_ATTACHMENT_ATTACHED);
      first = pigeon_test_mime_build_and_write (composer, &message);
      second = pigeon_test_mime_write_message (message);
      g_assert_true (g_bytes_equal (first, second));
    }
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
  const char *tmp_dir = pigeon_test_mime_get_tmp_dir ();
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
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
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
  g_autoptr (GBytes) secret = pigeon_test_mime_make_content (PDF_MAGIC, 10, 11);
  g_autoptr (GFile) locked = pigeon_test_mime_write_file ("locked.pdf", secret);
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
      g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
      g_autoptr (GBytes) content = pigeon_test_mime_make_content (PDF_MAGIC, 1000, 12);
      g_autoptr (GBytes) other =
        pigeon_test_mime_make_content (PDF_MAGIC, change == CHANGE_GROW ? 1001 : 999, 1);
      g_autoptr (GFile) file = pigeon_test_mime_write_file ("changing.pdf", content);
      g_autoptr (PigeonComposedMessage) message = NULL;
      g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
      GError *error = NULL;

      pigeon_test_mime_add_file (composer, file, NULL, PIGEON_ATTACHMENT_ATTACHED);
      message = pigeon_composer_build (composer, &error);
      g_assert_no_error (error);
      if (change == CHANGE_DELETE)
        g_assert_cmpint (g_remove (g_file_peek_path (file)), ==, 0);
      else
        g_object_unref (pigeon_test_mime_write_file ("changing.pdf", other));
      g_assert_false (pigeon_composed_message_write (message, out, NULL, &error));
      assert_file_error (error, "changing.pdf");
      g_clear_error (&error);
    }
}

/* GMime only sees -1: the cause must come back as it was. */
static void
test_write_cancelled (void)
{
  g_autoptr (PigeonComposer) composer = pigeon_test_mime_composer_new ();
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Must stay first: see test_big_file_memory(). */
  g_test_add_func ("/mime/composer/big-file-memory", test_big_file_memory);
  g_test_add_func ("/mime/composer/size/every-file-size", test_size_every_file_size);
  g_test_add_func ("/mime/composer/size/shapes", test_size_shapes);
  g_test_add_func ("/mime/composer/base64-like-gmime", test_base64_like_gmime);
  g_test_add_func ("/mime/composer/unreadable-file", test_unreadable_file);
  g_test_add_func ("/mime/composer/unreadable-file/permission", test_unreadable_file_permission);
  g_test_add_func ("/mime/composer/file-changed", test_file_changed);
  g_test_add_func ("/mime/composer/write-cancelled", test_write_cancelled);

  return pigeon_test_mime_run ();
}
