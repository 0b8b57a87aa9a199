/* pigeon-mime-output-stream.c: a GMimeStream that writes into a GOutputStream
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-mime-output-stream.h"
#include "pigeon-mime-words.h"

struct _PigeonMimeOutputStream
{
  GMimeStream parent_instance;

  GOutputStream *base; /* NULL: count only */
  GCancellable *cancellable;
  GError *error;   /* the first failure, until taken */
  gboolean failed; /* stays set after the error is taken: every later write fails at once */
  guint64 bytes_written;
  gboolean saw_8bit;
};

G_DEFINE_TYPE (PigeonMimeOutputStream, pigeon_mime_output_stream, GMIME_TYPE_STREAM)

static ssize_t
pigeon_mime_output_stream_write (GMimeStream *stream, const char *buf, size_t len)
{
  PigeonMimeOutputStream *self = PIGEON_MIME_OUTPUT_STREAM (stream);
  gsize written = 0;

  if (self->failed)
    return -1;
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &self->error) ||
      (self->base != NULL && !g_output_stream_write_all (self->base, buf, len, &written,
                                                         self->cancellable, &self->error)))
    {
      self->failed = TRUE;
      return -1;
    }

  if (!self->saw_8bit)
    self->saw_8bit = pigeon_mime_has_8bit (buf, len);
  self->bytes_written += len;
  stream->position += len;
  return (ssize_t) len;
}

static int
pigeon_mime_output_stream_flush (GMimeStream *stream)
{
  PigeonMimeOutputStream *self = PIGEON_MIME_OUTPUT_STREAM (stream);

  if (self->failed)
    return -1;
  if (self->base != NULL && !g_output_stream_flush (self->base, self->cancellable, &self->error))
    {
      self->failed = TRUE;
      return -1;
    }
  return 0;
}

/* The base stream belongs to the caller, who may write more after the message. */
static int
pigeon_mime_output_stream_close (GMimeStream *stream)
{
  return 0;
}

static ssize_t
pigeon_mime_output_stream_read (GMimeStream *stream, char *buf, size_t len)
{
  return -1;
}

static gboolean
pigeon_mime_output_stream_eos (GMimeStream *stream)
{
  return TRUE;
}

static int
pigeon_mime_output_stream_reset (GMimeStream *stream)
{
  return -1;
}

static gint64
pigeon_mime_output_stream_seek (GMimeStream *stream, gint64 offset, GMimeSeekWhence whence)
{
  return -1;
}

static gint64
pigeon_mime_output_stream_tell (GMimeStream *stream)
{
  return stream->position;
}

static gint64
pigeon_mime_output_stream_length (GMimeStream *stream)
{
  return -1;
}

static GMimeStream *
pigeon_mime_output_stream_substream (GMimeStream *stream, gint64 start, gint64 end)
{
  return NULL;
}

static void
pigeon_mime_output_stream_finalize (GObject *object)
{
  PigeonMimeOutputStream *self = PIGEON_MIME_OUTPUT_STREAM (object);

  g_clear_object (&self->base);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (pigeon_mime_output_stream_parent_class)->finalize (object);
}

static void
pigeon_mime_output_stream_class_init (PigeonMimeOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GMimeStreamClass *stream_class = GMIME_STREAM_CLASS (klass);

  object_class->finalize = pigeon_mime_output_stream_finalize;

  stream_class->read = pigeon_mime_output_stream_read;
  stream_class->write = pigeon_mime_output_stream_write;
  stream_class->flush = pigeon_mime_output_stream_flush;
  stream_class->close = pigeon_mime_output_stream_close;
  stream_class->eos = pigeon_mime_output_stream_eos;
  stream_class->reset = pigeon_mime_output_stream_reset;
  stream_class->seek = pigeon_mime_output_stream_seek;
  stream_class->tell = pigeon_mime_output_stream_tell;
  stream_class->length = pigeon_mime_output_stream_length;
  stream_class->substream = pigeon_mime_output_stream_substream;
}

static void
pigeon_mime_output_stream_init (PigeonMimeOutputStream *self)
{
}

PigeonMimeOutputStream *
pigeon_mime_output_stream_new (GOutputStream *base, GCancellable *cancellable)
{
  PigeonMimeOutputStream *self = NULL;

  g_return_val_if_fail (base == NULL || G_IS_OUTPUT_STREAM (base), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (PIGEON_TYPE_MIME_OUTPUT_STREAM, NULL);
  g_mime_stream_construct (GMIME_STREAM (self), 0, -1);
  self->base = base != NULL ? g_object_ref (base) : NULL;
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return self;
}

guint64
pigeon_mime_output_stream_get_bytes_written (PigeonMimeOutputStream *self)
{
  g_return_val_if_fail (PIGEON_IS_MIME_OUTPUT_STREAM (self), 0);

  return self->bytes_written;
}

gboolean
pigeon_mime_output_stream_saw_8bit (PigeonMimeOutputStream *self)
{
  g_return_val_if_fail (PIGEON_IS_MIME_OUTPUT_STREAM (self), FALSE);

  return self->saw_8bit;
}

gboolean
pigeon_mime_output_stream_has_error (PigeonMimeOutputStream *self)
{
  g_return_val_if_fail (PIGEON_IS_MIME_OUTPUT_STREAM (self), FALSE);

  return self->failed;
}

gboolean
pigeon_mime_output_stream_take_error (PigeonMimeOutputStream *self, GError **error)
{
  g_return_val_if_fail (PIGEON_IS_MIME_OUTPUT_STREAM (self), FALSE);

  if (self->error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&self->error));
  return FALSE;
}
