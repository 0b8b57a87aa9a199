/* pigeon-file-part.c: a MIME part whose content is a file, written in base64 as it is read
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-file-part.h"

#include <string.h>

/* Lines per read: 57 KiB of file in, 78 KiB of base64 out, whole lines only. */
#define LINES_PER_CHUNK 1024
#define CHUNK_BYTES     (LINES_PER_CHUNK * PIGEON_BASE64_BYTES_PER_LINE)

struct _PigeonFilePart
{
  GMimePart parent_instance;

  GMimeStream *source; /* NULL: headers only */
};

G_DEFINE_TYPE (PigeonFilePart, pigeon_file_part, GMIME_TYPE_PART)

static const char base64_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Two output characters for each 12 bits of input: half the lookups of one per 6 bits. */
static guint16 pair_table[4096];

static void
build_pair_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (pair_table); i++)
    {
      char pair[2] = { base64_alphabet[i >> 6], base64_alphabet[i & 0x3f] };

      memcpy (&pair_table[i], pair, 2);
    }
}

static char *
encode_whole_groups (const guint8 *in, gsize groups, char *out)
{
  for (gsize g = 0; g < groups; g++, in += 3, out += 4)
    {
      guint32 bits = ((guint32) in[0] << 16) | ((guint32) in[1] << 8) | in[2];

      memcpy (out, &pair_table[bits >> 12], 2);
      memcpy (out + 2, &pair_table[bits & 0xfff], 2);
    }
  return out;
}

static char *
encode_tail (const guint8 *in, gsize length, char *out)
{
  guint32 bits = (guint32) in[0] << 16;

  if (length == 2)
    bits |= (guint32) in[1] << 8;
  *out++ = base64_alphabet[bits >> 18];
  *out++ = base64_alphabet[(bits >> 12) & 0x3f];
  *out++ = length == 2 ? base64_alphabet[(bits >> 6) & 0x3f] : '=';
  *out++ = '=';
  return out;
}

gsize
pigeon_base64_encode_lines (const guint8 *in, gsize length, char *out, const char *newline)
{
  static gsize table_built = 0;
  gsize newline_length = strlen (newline);
  char *start = out;

  if (g_once_init_enter (&table_built))
    {
      build_pair_table ();
      g_once_init_leave (&table_built, 1);
    }

  while (length > 0)
    {
      gsize line = MIN (length, PIGEON_BASE64_BYTES_PER_LINE);

      out = encode_whole_groups (in, line / 3, out);
      if (line % 3 != 0)
        out = encode_tail (in + line - line % 3, line % 3, out);
      memcpy (out, newline, newline_length);
      out += newline_length;
      in += line;
      length -= line;
    }
  return (gsize) (out - start);
}

gint64
pigeon_base64_size (gint64 n, gsize newline_length)
{
  gint64 full_lines = n / PIGEON_BASE64_BYTES_PER_LINE;
  gint64 rest = n % PIGEON_BASE64_BYTES_PER_LINE;
  gint64 size = full_lines * (PIGEON_BASE64_CHARS_PER_LINE + (gint64) newline_length);

  if (rest > 0)
    size += (rest + 2) / 3 * 4 + (gint64) newline_length;
  return size;
}

/* Fills @buffer as far as it goes: a short read in the middle would break a line. Returns the
 * bytes read, or -1. */
static gssize
read_chunk (GMimeStream *source, guint8 *buffer, gsize size)
{
  gsize filled = 0;

  while (filled < size && !g_mime_stream_eos (source))
    {
      ssize_t n = g_mime_stream_read (source, (char *) buffer + filled, size - filled);

      if (n < 0)
        return -1;
      if (n == 0)
        break;
      filled += (gsize) n;
    }
  return (gssize) filled;
}

static ssize_t
write_content (PigeonFilePart *self, const char *newline, GMimeStream *stream)
{
  g_autofree guint8 *in = g_malloc (CHUNK_BYTES);
  g_autofree char *out = g_malloc (pigeon_base64_size (CHUNK_BYTES, strlen (newline)));
  ssize_t total = 0;

  for (;;)
    {
      gssize n = read_chunk (self->source, in, CHUNK_BYTES);
      gsize encoded;

      if (n < 0)
        return -1;
      if (n == 0)
        return total;
      encoded = pigeon_base64_encode_lines (in, (gsize) n, (char *) out, newline);
      if (g_mime_stream_write (stream, out, encoded) != (ssize_t) encoded)
        return -1;
      total += (ssize_t) encoded;
    }
}

/* What GMimePart writes (its headers, a blank line, the content), with the content encoded
 * here. */
static ssize_t
pigeon_file_part_write_to_stream (GMimeObject *object,
                                  GMimeFormatOptions *options,
                                  gboolean content_only,
                                  GMimeStream *stream)
{
  PigeonFilePart *self = PIGEON_FILE_PART (object);
  const char *newline = g_mime_format_options_get_newline (
    options != NULL ? options : g_mime_format_options_get_default ());
  ssize_t total = 0, n;

  if (!content_only)
    {
      n = g_mime_header_list_write_to_stream (object->headers, options, stream);
      if (n < 0 || g_mime_stream_write_string (stream, newline) < 0)
        return -1;
      total += n + (ssize_t) strlen (newline);
    }
  if (self->source == NULL)
    return total;
  n = write_content (self, newline, stream);
  return n < 0 ? -1 : total + n;
}

static void
pigeon_file_part_finalize (GObject *object)
{
  g_clear_object (&PIGEON_FILE_PART (object)->source);

  G_OBJECT_CLASS (pigeon_file_part_parent_class)->finalize (object);
}

static void
pigeon_file_part_class_init (PigeonFilePartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pigeon_file_part_finalize;
  GMIME_OBJECT_CLASS (klass)->write_to_stream = pigeon_file_part_write_to_stream;
}

static void
pigeon_file_part_init (PigeonFilePart *self)
{
}

PigeonFilePart *
pigeon_file_part_new (const char *type, const char *subtype)
{
  PigeonFilePart *self = g_object_new (PIGEON_TYPE_FILE_PART, NULL);
  GMimeContentType *content_type = g_mime_content_type_new (type, subtype);

  g_mime_object_set_content_type (GMIME_OBJECT (self), content_type);
  g_object_unref (content_type);
  g_mime_part_set_content_encoding (GMIME_PART (self), GMIME_CONTENT_ENCODING_BASE64);
  return self;
}

void
pigeon_file_part_set_source (PigeonFilePart *self, GMimeStream *source)
{
  g_return_if_fail (PIGEON_IS_FILE_PART (self));
  g_return_if_fail (source == NULL || GMIME_IS_STREAM (source));

  g_set_object (&self->source, source);
}
