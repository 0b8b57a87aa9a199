/* pigeon-smtp-data-stream.c: the output stream a message is written into during DATA
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <string.h>

#include <glib/gi18n.h>

#include "pigeon-smtp-data-stream.h"
#include "pigeon-smtp-error.h"

/* One full chunk is handed to the base stream at a time: on a TLS connection that is a few full
 * records instead of one small record (and one syscall) per line. */
#define CHUNK_SIZE (64 * 1024)

struct _PigeonSmtpDataStream
{
  GFilterOutputStream parent_instance;

  /* Converted output not yet handed to the base stream; CHUNK_SIZE bytes. */
  guint8 *buffer;
  gsize buffered;

  guint64 message_bytes;
  guint64 wire_bytes;
  guint64 content_bytes; /* bytes put so far (for BDAT: all content, checked against its size) */
  /* For BDAT (RFC 3030): the exact size announced, or -1 for DATA. Content is then neither
   * dot-stuffed nor terminated, and not one byte more than announced may go out: the server
   * would read it as commands. */
  gint64 chunk_size;

  /* The next input byte starts a line, so a "." there must be doubled. */
  gboolean at_line_start;
  /* The previous input byte was a CR, already sent as CRLF: an LF now completes it. */
  gboolean after_cr;
  gboolean finished;
  /* A write to the base stream failed: part of a chunk may be on the wire, so the content can no
   * longer be completed correctly. */
  gboolean failed;

  PigeonSmtpDataProgressFunc progress_func;
  gpointer progress_data;
};

G_DEFINE_FINAL_TYPE (PigeonSmtpDataStream, pigeon_smtp_data_stream, G_TYPE_FILTER_OUTPUT_STREAM)

static gboolean
send_buffer (PigeonSmtpDataStream *self, GCancellable *cancellable, GError **error)
{
  GOutputStream *base = g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self));
  gsize written = 0;
  gboolean ok;

  if (self->buffered == 0)
    return TRUE;

  ok = g_output_stream_write_all (base, self->buffer, self->buffered, &written, cancellable, error);
  self->wire_bytes += written;
  if (!ok)
    {
      self->failed = TRUE;
      return FALSE;
    }

  self->buffered = 0;
  if (self->progress_func != NULL)
    self->progress_func (self->message_bytes, self->progress_data);
  return TRUE;
}

static void
set_size_mismatch_error (GError **error, gint64 announced, gboolean longer)
{
  g_autofree char *size = g_format_size_full ((guint64) announced, G_FORMAT_SIZE_LONG_FORMAT);

  g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT,
               longer ? _ ("The message came out longer than the %s announced to the server")
                      : _ ("The message came out shorter than the %s announced to the server"),
               size);
}

/* Appends output, handing each full chunk to the base stream. When @is_input, the bytes are
 * message content copied unchanged and are counted as consumed piece by piece, so the progress
 * reported with each chunk matches what has gone out. */
static gboolean
put (PigeonSmtpDataStream *self,
     const guint8 *data,
     gsize len,
     gboolean is_input,
     GCancellable *cancellable,
     GError **error)
{
  if (self->chunk_size >= 0 && self->content_bytes + len > (guint64) self->chunk_size)
    {
      self->failed = TRUE;
      set_size_mismatch_error (error, self->chunk_size, TRUE);
      return FALSE;
    }
  self->content_bytes += len;
  while (len > 0)
    {
      gsize piece = MIN (len, CHUNK_SIZE - self->buffered);

      memcpy (self->buffer + self->buffered, data, piece);
      self->buffered += piece;
      data += piece;
      len -= piece;
      if (is_input)
        self->message_bytes += piece;

      if (self->buffered == CHUNK_SIZE && !send_buffer (self, cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* Returns the first CR or LF at or after @p, or @end. The positions found by memchr are kept
 * across calls within one write, so each byte is scanned at most twice in all. */
static const guint8 *
find_line_end (const guint8 *p, const guint8 *end, const guint8 **next_cr, const guint8 **next_lf)
{
  if (*next_cr == NULL || *next_cr < p)
    {
      *next_cr = memchr (p, '\r', end - p);
      if (*next_cr == NULL)
        *next_cr = end;
    }
  if (*next_lf == NULL || *next_lf < p)
    {
      *next_lf = memchr (p, '\n', end - p);
      if (*next_lf == NULL)
        *next_lf = end;
    }
  return MIN (*next_cr, *next_lf);
}

static gboolean
convert (PigeonSmtpDataStream *self,
         const guint8 *data,
         gsize count,
         GCancellable *cancellable,
         GError **error)
{
  const guint8 *p = data;
  const guint8 *end = data + count;
  const guint8 *next_cr = NULL;
  const guint8 *next_lf = NULL;

  while (p < end)
    {
      const guint8 *eol;

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (*p == '\n')
            {
              self->message_bytes++;
              p++;
              continue;
            }
        }

      if (self->at_line_start)
        {
          self->at_line_start = FALSE;
          if (self->chunk_size < 0 && *p == '.' &&
              !put (self, (const guint8 *) ".", 1, FALSE, cancellable, error))
            return FALSE;
        }

      eol = find_line_end (p, end, &next_cr, &next_lf);
      if (!put (self, p, eol - p, TRUE, cancellable, error))
        return FALSE;
      if (eol == end)
        break;

      /* A bare CR, a bare LF and CRLF all become CRLF. */
      self->message_bytes++;
      self->after_cr = (*eol == '\r');
      self->at_line_start = TRUE;
      if (!put (self, (const guint8 *) "\r\n", 2, FALSE, cancellable, error))
        return FALSE;
      p = eol + 1;
    }
  return TRUE;
}

static void
set_failed_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                       _ ("The message cannot be completed because sending it failed earlier"));
}

static gboolean
check_usable (PigeonSmtpDataStream *self, GError **error)
{
  if (self->finished)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _ ("The message has already been sent completely"));
      return FALSE;
    }
  if (self->failed)
    {
      set_failed_error (error);
      return FALSE;
    }
  return TRUE;
}

static gssize
pigeon_smtp_data_stream_write_fn (
  GOutputStream *stream, const void *buffer, gsize count, GCancellable *cancellable, GError **error)
{
  PigeonSmtpDataStream *self = PIGEON_SMTP_DATA_STREAM (stream);

  if (!check_usable (self, error))
    return -1;
  if (!convert (self, buffer, count, cancellable, error))
    return -1;
  return count;
}

static gboolean
pigeon_smtp_data_stream_flush (GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  PigeonSmtpDataStream *self = PIGEON_SMTP_DATA_STREAM (stream);
  GOutputStream *base = g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self));

  /* GOutputStream flushes before closing. Closing without finish() abandons the message, so
   * what is buffered must not reach the server. */
  if (g_output_stream_is_closing (stream))
    return TRUE;

  if (self->failed)
    {
      set_failed_error (error);
      return FALSE;
    }
  if (!send_buffer (self, cancellable, error))
    return FALSE;
  return g_output_stream_flush (base, cancellable, error);
}

static gboolean
pigeon_smtp_data_stream_close_fn (GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  PigeonSmtpDataStream *self = PIGEON_SMTP_DATA_STREAM (stream);

  /* No terminator and no chaining up: the base stream is the connection, which the client
   * closes (or reuses after RSET) itself. */
  self->buffered = 0;
  return TRUE;
}

static void
pigeon_smtp_data_stream_finalize (GObject *object)
{
  PigeonSmtpDataStream *self = PIGEON_SMTP_DATA_STREAM (object);

  g_free (self->buffer);

  G_OBJECT_CLASS (pigeon_smtp_data_stream_parent_class)->finalize (object);
}

static void
pigeon_smtp_data_stream_class_init (PigeonSmtpDataStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = pigeon_smtp_data_stream_finalize;

  stream_class->write_fn = pigeon_smtp_data_stream_write_fn;
  stream_class->flush = pigeon_smtp_data_stream_flush;
  stream_class->close_fn = pigeon_smtp_data_stream_close_fn;
}

static void
pigeon_smtp_data_stream_init (PigeonSmtpDataStream *self)
{
  self->buffer = g_malloc (CHUNK_SIZE);
  self->at_line_start = TRUE;
  self->chunk_size = -1;
}

GOutputStream *
pigeon_smtp_data_stream_new (GOutputStream *base)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (base), NULL);

  return g_object_new (PIGEON_TYPE_SMTP_DATA_STREAM, "base-stream", base, "close-base-stream",
                       FALSE, NULL);
}

GOutputStream *
pigeon_smtp_data_stream_new_chunk (GOutputStream *base, guint64 size)
{
  PigeonSmtpDataStream *self = NULL;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (base), NULL);
  g_return_val_if_fail (size <= G_MAXINT64, NULL);

  self = PIGEON_SMTP_DATA_STREAM (pigeon_smtp_data_stream_new (base));
  self->chunk_size = (gint64) size;
  return G_OUTPUT_STREAM (self);
}

void
pigeon_smtp_data_stream_set_progress_func (PigeonSmtpDataStream *self,
                                           PigeonSmtpDataProgressFunc func,
                                           gpointer user_data)
{
  g_return_if_fail (PIGEON_IS_SMTP_DATA_STREAM (self));

  self->progress_func = func;
  self->progress_data = user_data;
}

static gboolean
finish_content (PigeonSmtpDataStream *self, GCancellable *cancellable, GError **error)
{
  GOutputStream *base = g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self));

  if (!check_usable (self, error))
    return FALSE;
  self->finished = TRUE;

  /* at_line_start is also TRUE for an empty message, which needs no line break of its own. */
  if (!self->at_line_start && !put (self, (const guint8 *) "\r\n", 2, FALSE, cancellable, error))
    return FALSE;
  if (self->chunk_size >= 0 && self->content_bytes != (guint64) self->chunk_size)
    {
      self->failed = TRUE;
      set_size_mismatch_error (error, self->chunk_size, FALSE);
      return FALSE;
    }
  if (self->chunk_size < 0 && !put (self, (const guint8 *) ".\r\n", 3, FALSE, cancellable, error))
    return FALSE;
  if (!send_buffer (self, cancellable, error))
    return FALSE;
  return g_output_stream_flush (base, cancellable, error);
}

gboolean
pigeon_smtp_data_stream_finish (PigeonSmtpDataStream *self,
                                GCancellable *cancellable,
                                GError **error)
{
  gboolean ok;

  g_return_val_if_fail (PIGEON_IS_SMTP_DATA_STREAM (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Refuses while a write is in progress, and after close. */
  if (!g_output_stream_set_pending (G_OUTPUT_STREAM (self), error))
    return FALSE;
  ok = finish_content (self, cancellable, error);
  g_output_stream_clear_pending (G_OUTPUT_STREAM (self));
  return ok;
}

guint64
pigeon_smtp_data_stream_get_message_bytes (PigeonSmtpDataStream *self)
{
  g_return_val_if_fail (PIGEON_IS_SMTP_DATA_STREAM (self), 0);

  return self->message_bytes;
}

guint64
pigeon_smtp_data_stream_get_wire_bytes (PigeonSmtpDataStream *self)
{
  g_return_val_if_fail (PIGEON_IS_SMTP_DATA_STREAM (self), 0);

  return self->wire_bytes;
}
