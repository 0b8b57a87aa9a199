/* test-smtp-data-stream.c: line endings, dot-stuffing, chunking and termination of DATA content
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include <gio/gio.h>

#include "pigeon-smtp-data-stream.h"
#include "pigeon-smtp-error.h"

#define CHUNK (64 * 1024)

/* A base stream that keeps what it is given and the size of every single write, so tests can
 * see how the data stream chunks its output. It can also be told to fail after some bytes. */
#define TEST_TYPE_RECORD_STREAM (test_record_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestRecordStream, test_record_stream, TEST, RECORD_STREAM, GOutputStream)

struct _TestRecordStream
{
  GOutputStream parent_instance;
  GByteArray *data;    /* NULL: count only */
  GArray *write_sizes; /* gsize */
  guint64 total;
  guint n_flushes;
  gint64 fail_after; /* -1: never */
};

G_DEFINE_TYPE (TestRecordStream, test_record_stream, G_TYPE_OUTPUT_STREAM)

static gssize
test_record_stream_write_fn (
  GOutputStream *stream, const void *buffer, gsize count, GCancellable *cancellable, GError **error)
{
  TestRecordStream *self = TEST_RECORD_STREAM (stream);

  if (self->fail_after >= 0 && self->total + count > (guint64) self->fail_after)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "test failure");
      return -1;
    }
  if (self->data != NULL)
    g_byte_array_append (self->data, buffer, count);
  g_array_append_val (self->write_sizes, count);
  self->total += count;
  return count;
}

static gboolean
test_record_stream_flush (GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  TEST_RECORD_STREAM (stream)->n_flushes++;
  return TRUE;
}

static void
test_record_stream_finalize (GObject *object)
{
  TestRecordStream *self = TEST_RECORD_STREAM (object);

  g_clear_pointer (&self->data, g_byte_array_unref);
  g_clear_pointer (&self->write_sizes, g_array_unref);
  G_OBJECT_CLASS (test_record_stream_parent_class)->finalize (object);
}

static void
test_record_stream_class_init (TestRecordStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_record_stream_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = test_record_stream_write_fn;
  G_OUTPUT_STREAM_CLASS (klass)->flush = test_record_stream_flush;
}

static void
test_record_stream_init (TestRecordStream *self)
{
  self->write_sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->fail_after = -1;
}

static TestRecordStream *
test_record_stream_new (gboolean keep_data)
{
  TestRecordStream *self = g_object_new (TEST_TYPE_RECORD_STREAM, NULL);

  if (keep_data)
    self->data = g_byte_array_new ();
  return self;
}

/* ---- helpers ---- */

static void
write_ok (GOutputStream *stream, const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  gsize written = 0;

  g_output_stream_write_all (stream, data, len, &written, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, len);
}

static void
finish_ok (GOutputStream *stream)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (pigeon_smtp_data_stream_finish (PIGEON_SMTP_DATA_STREAM (stream), NULL, &error));
  g_assert_no_error (error);
}

static void
assert_base_is (GMemoryOutputStream *base, const char *expected, gsize expected_len)
{
  g_assert_cmpmem (g_memory_output_stream_get_data (base),
                   g_memory_output_stream_get_data_size (base), expected, expected_len);
}

/* Writes @input cut at @split (or in @chunk-byte pieces when @chunk > 0), finishes, and checks
 * the bytes the base stream received and both counters. */
static void
check_conversion (const char *input,
                  gsize input_len,
                  gsize split,
                  gsize chunk,
                  const char *expected,
                  gsize expected_len)
{
  g_autoptr (GOutputStream) base = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) stream = pigeon_smtp_data_stream_new (base);
  PigeonSmtpDataStream *data_stream = PIGEON_SMTP_DATA_STREAM (stream);

  if (chunk > 0)
    {
      for (gsize i = 0; i < input_len; i += chunk)
        write_ok (stream, input + i, MIN (chunk, input_len - i));
    }
  else
    {
      write_ok (stream, input, split);
      write_ok (stream, input + split, input_len - split);
    }
  finish_ok (stream);

  assert_base_is (G_MEMORY_OUTPUT_STREAM (base), expected, expected_len);
  g_assert_cmpuint (pigeon_smtp_data_stream_get_message_bytes (data_stream), ==, input_len);
  g_assert_cmpuint (pigeon_smtp_data_stream_get_wire_bytes (data_stream), ==, expected_len);
  g_assert_false (g_output_stream_is_closed (base));
}

typedef struct
{
  const char *input;
  const char *expected;
} Case;

static void
check_cases_every_split (const Case *cases, gsize n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      gsize in_len = strlen (cases[i].input);
      gsize out_len = strlen (cases[i].expected);

      g_test_message ("input %zu: every split point and 1-byte writes", i);
      for (gsize split = 0; split <= in_len; split++)
        check_conversion (cases[i].input, in_len, split, 0, cases[i].expected, out_len);
      check_conversion (cases[i].input, in_len, 0, 1, cases[i].expected, out_len);
      check_conversion (cases[i].input, in_len, 0, 2, cases[i].expected, out_len);
    }
}

/* ---- tests ---- */

static void
test_line_endings (void)
{
  static const Case cases[] = {
    { "a\nb\n", "a\r\nb\r\n.\r\n" },
    { "a\rb\r", "a\r\nb\r\n.\r\n" },
    { "a\r\nb\r\n", "a\r\nb\r\n.\r\n" },
    { "a\r\rb", "a\r\n\r\nb\r\n.\r\n" },
    { "a\n\rb", "a\r\n\r\nb\r\n.\r\n" },
    { "a\r\n\nb\n\r\n", "a\r\n\r\nb\r\n\r\n.\r\n" },
    { "\n", "\r\n.\r\n" },
    { "\r", "\r\n.\r\n" },
    { "\r\n\r\n", "\r\n\r\n.\r\n" },
    { "a\n\n\nb", "a\r\n\r\n\r\nb\r\n.\r\n" },
    { "x\r\r\n\n\r", "x\r\n\r\n\r\n\r\n.\r\n" },
  };

  check_cases_every_split (cases, G_N_ELEMENTS (cases));
}

static void
test_dot_stuffing (void)
{
  static const Case cases[] = {
    { ".", "..\r\n.\r\n" },
    { ".a\n", "..a\r\n.\r\n" },
    { "..\n", "...\r\n.\r\n" },
    { "a\n.b", "a\r\n..b\r\n.\r\n" },
    { "a\r.b", "a\r\n..b\r\n.\r\n" },
    { "a\r\n.b", "a\r\n..b\r\n.\r\n" },
    { "a.b\n. .\n", "a.b\r\n.. .\r\n.\r\n" },
    /* The end-of-data sequence inside a message must not end it early. */
    { "a\r\n.\r\nRSET\r\n", "a\r\n..\r\nRSET\r\n.\r\n" },
    { "a\n.\n", "a\r\n..\r\n.\r\n" },
    { "\r.\r.\n.", "\r\n..\r\n..\r\n..\r\n.\r\n" },
    { "\r\n.\r\n", "\r\n..\r\n.\r\n" },
  };

  check_cases_every_split (cases, G_N_ELEMENTS (cases));
}

static void
test_final_line_break (void)
{
  static const Case cases[] = {
    { "abc", "abc\r\n.\r\n" },
    { "abc\r\n", "abc\r\n.\r\n" },
    { "abc\n", "abc\r\n.\r\n" },
    /* A CR at the very end is a line break too, not something to complete with another CRLF. */
    { "abc\r", "abc\r\n.\r\n" },
    { "Subject: x\n\nbody", "Subject: x\r\n\r\nbody\r\n.\r\n" },
  };

  check_cases_every_split (cases, G_N_ELEMENTS (cases));
}

static void
test_empty_message (void)
{
  check_conversion ("", 0, 0, 0, ".\r\n", 3);
}

static void
test_binary_bytes (void)
{
  g_autoptr (GByteArray) expected = g_byte_array_new ();
  guint8 input[256];

  for (guint i = 0; i < 256; i++)
    {
      input[i] = i;
      if (i == '\r' || i == '\n')
        g_byte_array_append (expected, (const guint8 *) "\r\n", 2);
      else
        g_byte_array_append (expected, &input[i], 1);
    }
  g_byte_array_append (expected, (const guint8 *) "\r\n.\r\n", 5);

  check_conversion ((const char *) input, sizeof input, 100, 0, (const char *) expected->data,
                    expected->len);
  check_conversion ((const char *) input, sizeof input, 0, 1, (const char *) expected->data,
                    expected->len);
}

static void
test_long_line (void)
{
  gsize len = 1024 * 1024;
  g_autofree char *input = g_malloc (len);
  g_autofree char *expected = g_malloc (len + 1 + 5);

  /* A 1 MiB line starting with a dot, with no line break at all. */
  memset (input, 'x', len);
  input[0] = '.';
  expected[0] = '.';
  memcpy (expected + 1, input, len);
  memcpy (expected + 1 + len, "\r\n.\r\n", 5);

  check_conversion (input, len, len / 2, 0, expected, len + 6);
  check_conversion (input, len, 0, 4093, expected, len + 6);
}

/* An independent byte-at-a-time rendering of the rules, for random inputs. */
static GByteArray *
reference_convert (const guint8 *in, gsize len)
{
  GByteArray *out = g_byte_array_new ();
  gboolean line_start = TRUE;

  for (gsize i = 0; i < len; i++)
    {
      if (in[i] == '\n' && i > 0 && in[i - 1] == '\r')
        continue;
      if (line_start && in[i] == '.')
        g_byte_array_append (out, (const guint8 *) ".", 1);
      line_start = in[i] == '\r' || in[i] == '\n';
      if (line_start)
        g_byte_array_append (out, (const guint8 *) "\r\n", 2);
      else
        g_byte_array_append (out, &in[i], 1);
    }
  if (!line_start)
    g_byte_array_append (out, (const guint8 *) "\r\n", 2);
  g_byte_array_append (out, (const guint8 *) ".\r\n", 3);
  return out;
}

static void
test_random_chunks (void)
{
  static const char alphabet[] = { '\r', '\n', '.', 'a', ' ', '\0' };

  for (guint round = 0; round < 300; round++)
    {
      gsize len = g_test_rand_int_range (0, 200);
      g_autofree guint8 *input = g_malloc (len + 1);
      g_autoptr (GByteArray) expected = NULL;

      for (gsize i = 0; i < len; i++)
        input[i] = alphabet[g_test_rand_int_range (0, G_N_ELEMENTS (alphabet))];
      expected = reference_convert (input, len);

      check_conversion ((const char *) input, len, 0, g_test_rand_int_range (1, 8),
                        (const char *) expected->data, expected->len);
    }
}

static void
progress_cb (guint64 message_bytes, gpointer user_data)
{
  GArray *values = user_data;

  g_array_append_val (values, message_bytes);
}

static void
test_counters_and_progress (void)
{
  g_autoptr (TestRecordStream) base = test_record_stream_new (FALSE);
  g_autoptr (GOutputStream) stream = pigeon_smtp_data_stream_new (G_OUTPUT_STREAM (base));
  PigeonSmtpDataStream *data_stream = PIGEON_SMTP_DATA_STREAM (stream);
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (guint64));
  const char line[] = "0123456789 0123456789 0123456789 0123456789\n";
  guint n_lines = 10000;
  guint64 wire = 0;

  pigeon_smtp_data_stream_set_progress_func (data_stream, progress_cb, values);

  write_ok (stream, line, strlen (line));
  /* Small writes are gathered, not passed on one by one. */
  g_assert_cmpuint (base->total, ==, 0);
  g_assert_cmpuint (pigeon_smtp_data_stream_get_wire_bytes (data_stream), ==, 0);
  g_assert_cmpuint (pigeon_smtp_data_stream_get_message_bytes (data_stream), ==, strlen (line));

  for (guint i = 1; i < n_lines; i++)
    write_ok (stream, line, strlen (line));
  finish_ok (stream);

  g_assert_cmpuint (pigeon_smtp_data_stream_get_message_bytes (data_stream), ==,
                    n_lines * strlen (line));
  g_assert_cmpuint (pigeon_smtp_data_stream_get_wire_bytes (data_stream), ==,
                    n_lines * (strlen (line) + 1) + 3);
  g_assert_cmpuint (base->total, ==, pigeon_smtp_data_stream_get_wire_bytes (data_stream));

  /* One report per full chunk, and one for the rest with the terminator. */
  wire = pigeon_smtp_data_stream_get_wire_bytes (data_stream);
  g_assert_cmpuint (values->len, ==, wire / CHUNK + (wire % CHUNK != 0));
  g_assert_cmpuint (values->len, >=, 4);
  for (guint i = 1; i < values->len; i++)
    g_assert_cmpuint (g_array_index (values, guint64, i), >,
                      g_array_index (values, guint64, i - 1));
  g_assert_cmpuint (g_array_index (values, guint64, values->len - 1), ==, n_lines * strlen (line));
  g_assert_cmpuint (base->n_flushes, ==, 1);
}

static void
test_write_after_finish (void)
{
  g_autoptr (GOutputStream) base = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) stream = pigeon_smtp_data_stream_new (base);
  g_autoptr (GError) error = NULL;
  gssize n;

  write_ok (stream, "hello\n", 6);
  finish_ok (stream);

  n = g_output_stream_write (stream, "more\n", 5, NULL, &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_false (pigeon_smtp_data_stream_finish (PIGEON_SMTP_DATA_STREAM (stream), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);

  /* Neither attempt changed what was sent, and closing afterwards adds nothing. */
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  assert_base_is (G_MEMORY_OUTPUT_STREAM (base), "hello\r\n.\r\n", 10);
  g_assert_false (g_output_stream_is_closed (base));
}

static void
test_close_without_finish (void)
{
  g_autoptr (GOutputStream) base = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) stream = pigeon_smtp_data_stream_new (base);
  g_autoptr (GError) error = NULL;

  write_ok (stream, "an unfinished message\n", 22);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  g_assert_no_error (error);

  /* The buffered line is dropped and no terminator is sent: the server must never receive
   * a message that looks complete. The connection itself stays open. */
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (base)), ==, 0);
  g_assert_false (g_output_stream_is_closed (base));

  g_assert_false (pigeon_smtp_data_stream_finish (PIGEON_SMTP_DATA_STREAM (stream), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (base)), ==, 0);
}

static void
test_unref_without_finish (void)
{
  g_autoptr (TestRecordStream) base = test_record_stream_new (TRUE);
  GOutputStream *stream = pigeon_smtp_data_stream_new (G_OUTPUT_STREAM (base));
  g_autofree char *big = g_malloc (CHUNK + 100);

  /* One full chunk goes out while writing; the rest must be dropped with the stream. */
  memset (big, 'y', CHUNK + 100);
  write_ok (stream, big, CHUNK + 100);
  g_assert_cmpuint (base->total, ==, CHUNK);
  g_object_unref (stream);

  g_assert_cmpuint (base->total, ==, CHUNK);
  g_assert_cmpuint (base->data->data[CHUNK - 1], ==, 'y');
  g_assert_false (g_output_stream_is_closed (G_OUTPUT_STREAM (base)));
}

static void
test_explicit_flush (void)
{
  g_autoptr (GOutputStream) base = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) stream = pigeon_smtp_data_stream_new (base);
  g_autoptr (GError) error = NULL;

  write_ok (stream, ".one\r", 5);
  g_assert_true (g_output_stream_flush (stream, NULL, &error));
  g_assert_no_error (error);
  assert_base_is (G_MEMORY_OUTPUT_STREAM (base), "..one\r\n", 7);

  /* The LF completing the CR written before the flush is still not a second line break. */
  write_ok (stream, "\n.two", 5);
  finish_ok (stream);
  assert_base_is (G_MEMORY_OUTPUT_STREAM (base), "..one\r\n..two\r\n.\r\n", 17);
}

static void
test_base_error (void)
{
  g_autoptr (TestRecordStream) base = test_record_stream_new (FALSE);
  g_autoptr (GOutputStream) stream = pigeon_smtp_data_stream_new (G_OUTPUT_STREAM (base));
  g_autofree char *big = g_malloc (3 * CHUNK);
  g_autoptr (GError) error = NULL;

  base->fail_after = CHUNK + 10;
  memset (big, 'z', 3 * CHUNK);

  g_assert_cmpint (g_output_stream_write (stream, big, 3 * CHUNK, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);

  /* Part of the content may be on the wire: the message cannot be completed any more. */
  g_assert_cmpint (g_output_stream_write (stream, "x", 1, NULL, &error), ==, -1);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (pigeon_smtp_data_stream_finish (PIGEON_SMTP_DATA_STREAM (stream), NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (base->total, ==, CHUNK);
}

/* Lines of varying length, as a composer writes them: one write per line. */
static guint64
write_lines (GOutputStream *stream, guint64 target, guint64 *wire_expected)
{
  guint64 written = 0;
  guint n = 0;

  *wire_expected = 0;
  while (written < target)
    {
      g_autofree char *line =
        g_strdup_printf ("%sline %u of a big message, some text\n", n % 7 == 0 ? "." : "", n);
      gsize len = strlen (line);

      write_ok (stream, line, len);
      written += len;
      *wire_expected += len + 1 + (n % 7 == 0 ? 1 : 0);
      n++;
    }
  return written;
}

static void
test_large_chunks (void)
{
  g_autoptr (TestRecordStream) base = test_record_stream_new (FALSE);
  g_autoptr (GOutputStream) stream = pigeon_smtp_data_stream_new (G_OUTPUT_STREAM (base));
  PigeonSmtpDataStream *data_stream = PIGEON_SMTP_DATA_STREAM (stream);
  guint64 wire_expected = 0;
  guint64 message = write_lines (stream, 6 * 1000 * 1000, &wire_expected);
  gsize largest = 0;

  finish_ok (stream);
  wire_expected += 3;

  g_assert_cmpuint (pigeon_smtp_data_stream_get_message_bytes (data_stream), ==, message);
  g_assert_cmpuint (pigeon_smtp_data_stream_get_wire_bytes (data_stream), ==, wire_expected);
  g_assert_cmpuint (base->total, ==, wire_expected);

  /* Every write the connection sees is a full chunk, except the final one: no per-line
   * writes, so TLS sends full records. */
  for (guint i = 0; i < base->write_sizes->len; i++)
    {
      gsize size = g_array_index (base->write_sizes, gsize, i);

      largest = MAX (largest, size);
      if (i + 1 < base->write_sizes->len)
        g_assert_cmpuint (size, >=, CHUNK);
    }
  g_assert_cmpuint (largest, >=, CHUNK);
  g_assert_cmpuint (base->write_sizes->len, <=, wire_expected / CHUNK + 1);
}

/* Run with -m perf: prints the throughput for a 100 MB message in 78-byte lines, the shape of
 * a base64-encoded attachment. */
static void
test_throughput (void)
{
  g_autoptr (TestRecordStream) base = test_record_stream_new (FALSE);
  g_autoptr (GOutputStream) stream = pigeon_smtp_data_stream_new (G_OUTPUT_STREAM (base));
  gsize total = 100 * 1000 * 1000;
  gsize block_len = 1024 * 1024;
  g_autofree char *block = g_malloc (block_len);
  gint64 start;
  double seconds;

  if (!g_test_perf ())
    {
      g_test_skip ("only with -m perf");
      return;
    }

  for (gsize i = 0; i < block_len; i++)
    block[i] = i % 78 == 77 ? '\n' : (i % 780 == 0 ? '.' : 'q');

  start = g_get_monotonic_time ();
  for (gsize done = 0; done < total; done += block_len)
    write_ok (stream, block, block_len);
  finish_ok (stream);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpuint (pigeon_smtp_data_stream_get_message_bytes (PIGEON_SMTP_DATA_STREAM (stream)),
                    >=, total);
  g_assert_cmpuint (base->total, >, total);

  g_test_minimized_result (seconds, "100 MB in %.3f s, %.0f MB/s", seconds, total / seconds / 1e6);
}

/* BDAT content: line ends made CRLF and a final one added, no dot doubled, no terminator;
 * exactly the announced size, never a byte past it. */
static void
test_chunk_exact (void)
{
  g_autoptr (GOutputStream) base = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) chunk = pigeon_smtp_data_stream_new_chunk (base, 12);

  write_ok (chunk, ".a\n..b\rc", 8);
  finish_ok (chunk);
  assert_base_is (G_MEMORY_OUTPUT_STREAM (base), ".a\r\n..b\r\nc\r\n", 12);
}

static void
test_chunk_longer (void)
{
  g_autoptr (TestRecordStream) base = test_record_stream_new (TRUE);
  g_autoptr (GOutputStream) chunk = pigeon_smtp_data_stream_new_chunk (G_OUTPUT_STREAM (base), 4);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_output_stream_write (chunk, "abc\nRSET\r\n", 10, NULL, &error), <, 0);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_false (pigeon_smtp_data_stream_finish (PIGEON_SMTP_DATA_STREAM (chunk), NULL, &error));
  g_assert_cmpuint (base->total, <=, 4);
}

static void
test_chunk_shorter (void)
{
  g_autoptr (TestRecordStream) base = test_record_stream_new (TRUE);
  g_autoptr (GOutputStream) chunk = pigeon_smtp_data_stream_new_chunk (G_OUTPUT_STREAM (base), 40);
  g_autoptr (GError) error = NULL;

  write_ok (chunk, "short\r\n", 7);
  g_assert_false (pigeon_smtp_data_stream_finish (PIGEON_SMTP_DATA_STREAM (chunk), NULL, &error));
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/smtp/data-stream/line-endings", test_line_endings);
  g_test_add_func ("/smtp/data-stream/dot-stuffing", test_dot_stuffing);
  g_test_add_func ("/smtp/data-stream/final-line-break", test_final_line_break);
  g_test_add_func ("/smtp/data-stream/empty", test_empty_message);
  g_test_add_func ("/smtp/data-stream/binary", test_binary_bytes);
  g_test_add_func ("/smtp/data-stream/long-line", test_long_line);
  g_test_add_func ("/smtp/data-stream/random-chunks", test_random_chunks);
  g_test_add_func ("/smtp/data-stream/counters-progress", test_counters_and_progress);
  g_test_add_func ("/smtp/data-stream/write-after-finish", test_write_after_finish);
  g_test_add_func ("/smtp/data-stream/close-without-finish", test_close_without_finish);
  g_test_add_func ("/smtp/data-stream/unref-without-finish", test_unref_without_finish);
  g_test_add_func ("/smtp/data-stream/flush", test_explicit_flush);
  g_test_add_func ("/smtp/data-stream/base-error", test_base_error);
  g_test_add_func ("/smtp/data-stream/large-chunks", test_large_chunks);
  g_test_add_func ("/smtp/data-stream/throughput", test_throughput);
  g_test_add_func ("/smtp/data-stream/chunk/exact", test_chunk_exact);
  g_test_add_func ("/smtp/data-stream/chunk/longer", test_chunk_longer);
  g_test_add_func ("/smtp/data-stream/chunk/shorter", test_chunk_shorter);

  return g_test_run ();
}
