/* pigeon-test-mime.c: what the tests of the composer share
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-mime.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;

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
pigeon_test_mime_run (void)
{
  int status = g_test_run ();

  if (tmp_dir != NULL)
    remove_tmp_dir ();
  g_clear_pointer (&tmp_dir, g_free);
  return status;
}

const char *
pigeon_test_mime_get_tmp_dir (void)
{
  if (tmp_dir == NULL)
    tmp_dir = g_dir_make_tmp ("pigeon-composer-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  return tmp_dir;
}

GBytes *
pigeon_test_mime_make_content (const char *magic, gsize size, guint seed)
{
  guint8 *data = g_malloc (size + 1);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + seed + i / 251);
  memcpy (data, magic, MIN (strlen (magic), size));
  return g_bytes_new_take (data, size);
}

GFile *
pigeon_test_mime_write_file (const char *name, GBytes *content)
{
  g_autofree char *path = g_build_filename (pigeon_test_mime_get_tmp_dir (), name, NULL);
  GError *error = NULL;

  g_file_set_contents (path, g_bytes_get_data (content, NULL), (gssize) g_bytes_get_size (content),
                       &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

PigeonComposer *
pigeon_test_mime_composer_new (void)
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

void
pigeon_test_mime_add_file (PigeonComposer *composer,
                           GFile *file,
                           const char *name,
                           PigeonAttachmentDisposition disposition)
{
  GError *error = NULL;

  g_assert_true (pigeon_composer_add_file (composer, file, name, disposition, NULL, &error));
  g_assert_no_error (error);
}

GBytes *
pigeon_test_mime_write_message (PigeonComposedMessage *message)
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

GBytes *
pigeon_test_mime_build_and_write (PigeonComposer *composer, PigeonComposedMessage **out_message)
{
  GError *error = NULL;
  g_autoptr (PigeonComposedMessage) message = pigeon_composer_build (composer, &error);
  GBytes *bytes = NULL;

  g_assert_no_error (error);
  bytes = pigeon_test_mime_write_message (message);
  if (out_message != NULL)
    *out_message = g_steal_pointer (&message);
  return bytes;
}

GMimeMessage *
pigeon_test_mime_parse (GBytes *bytes)
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

void
pigeon_test_mime_assert_type (GMimeObject *object, const char *mime_type)
{
  g_autofree char *type =
    g_mime_content_type_get_mime_type (g_mime_object_get_content_type (object));

  g_assert_cmpstr (type, ==, mime_type);
}

GBytes *
pigeon_test_mime_decoded (GMimeObject *part)
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

void
pigeon_test_mime_assert_file_part (GMimeObject *part,
                                   const char *disposition,
                                   const char *name,
                                   GBytes *content)
{
  g_autoptr (GBytes) bytes = pigeon_test_mime_decoded (part);

  g_assert_cmpstr (g_mime_object_get_disposition (part), ==, disposition);
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (part)), ==, name);
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==,
                   GMIME_CONTENT_ENCODING_BASE64);
  g_assert_true (g_bytes_equal (bytes, content));
}

gboolean
pigeon_test_mime_contains (GBytes *bytes, const char *needle)
{
  /* The output is text: no NUL stops the search early. */
  return g_strstr_len (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), needle) !=
         NULL;
}
