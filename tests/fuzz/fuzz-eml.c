/* fuzz-eml.c: the .eml reader against any file
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is written to a temporary file and opened as a message to send. A file that
 * opens must write exactly the bytes counted, with no Bcc field left in its header section,
 * and its addresses must be ones a server can take.
 */
#define G_LOG_DOMAIN "pigeon-fuzz"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pigeon-eml.h"
#include "pigeon-smtp-data-stream.h"
#include "pigeon-fuzz-common.h"

static char *file_path = NULL; /* one file per process, rewritten for each input */

static void
remove_file (void)
{
  if (file_path != NULL)
    g_unlink (file_path);
}

static GFile *
file_with_contents (const guint8 *data, gsize size)
{
  g_autoptr (GError) error = NULL;

  if (file_path == NULL)
    {
      int fd = g_file_open_tmp ("pigeon-fuzz-XXXXXX.eml", &file_path, &error);

      g_assert_no_error (error);
      close (fd);
      atexit (remove_file);
    }
  /* No fsync and no rename (g_file_set_contents would do both): they were 90 % of the time. */
  g_file_set_contents_full (file_path, (const char *) data, size, G_FILE_SET_CONTENTS_NONE, 0600,
                            &error);
  g_assert_no_error (error);
  return g_file_new_for_path (file_path);
}

static gboolean
is_address (const char *address)
{
  const char *at = strrchr (address, '@');

  return at != NULL && at != address && at[1] != '\0' && strpbrk (address, "\r\n") == NULL &&
         g_utf8_validate (address, -1, NULL);
}

/* The header section as written: up to the first empty line, either line ending. */
static void
check_no_bcc (const char *text, gsize length)
{
  const char *end = NULL;

  if (length == 0)
    return;
  end = text + length;
  for (const char *line = text; line < end;)
    {
      const char *newline = memchr (line, '\n', end - line);

      if (line[0] == '\n' || (line[0] == '\r' && line + 1 < end && line[1] == '\n'))
        return;
      g_assert_false (end - line >= 4 && g_ascii_strncasecmp (line, "bcc:", 4) == 0);
      g_assert_false (end - line >= 11 && g_ascii_strncasecmp (line, "resent-bcc:", 11) == 0);
      if (newline == NULL)
        return;
      line = newline + 1;
    }
}

/* The bytes the DATA stream carries for @text, without its ".\r\n" and the dots it doubled:
 * what SIZE= declares. */
static gint64
carried_size (const char *text, gsize length)
{
  g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) data = pigeon_smtp_data_stream_new (sink);
  const char *wire = NULL;
  gsize size = 0, dots = 0;

  g_assert_true (g_output_stream_write_all (data, text, length, NULL, NULL, NULL));
  g_assert_true (pigeon_smtp_data_stream_finish (PIGEON_SMTP_DATA_STREAM (data), NULL, NULL));
  wire = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink));
  for (gsize i = 0; i + 4 < size; i++)
    dots += wire[i] == '.' && wire[i + 1] == '.' && (i == 0 || wire[i - 1] == '\n');
  return (gint64) (size - 3 - dots);
}

static void
check_eml (const PigeonEml *eml)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const char *const *recipients = pigeon_eml_get_recipients (eml);
  const char *text = NULL;
  gsize length = 0;
  gboolean any_8bit = FALSE;

  g_assert_nonnull (recipients);
  for (guint i = 0; recipients[i] != NULL; i++)
    g_assert_true (is_address (recipients[i]));
  if (pigeon_eml_get_from (eml) != NULL)
    g_assert_true (is_address (pigeon_eml_get_from (eml)));

  g_assert_true (pigeon_eml_write (eml, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  text = g_bytes_get_data (bytes, &length);
  g_assert_cmpint (pigeon_eml_get_size (eml), ==, (gint64) length);
  for (gsize i = 0; i < length && !any_8bit; i++)
    any_8bit = (guchar) text[i] > 127;
  g_assert_cmpint (pigeon_eml_is_8bit (eml), ==, any_8bit);
  g_assert_cmpint (pigeon_eml_get_wire_size (eml), ==, carried_size (text, length));
  check_no_bcc (text, length);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GFile) file = file_with_contents (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonEml) eml = pigeon_eml_open (file, NULL, &error);

  if (eml == NULL)
    {
      g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
      return 0;
    }
  check_eml (eml);
  return 0;
}
