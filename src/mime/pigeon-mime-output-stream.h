/* pigeon-mime-output-stream.h: a GMimeStream that writes into a GOutputStream
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* GMime 3.2 declares no g_autoptr() cleanup for its types, so G_DECLARE_FINAL_TYPE cannot chain
 * up to GMimeStream: the type macros are written out instead. */
#define PIGEON_TYPE_MIME_OUTPUT_STREAM (pigeon_mime_output_stream_get_type ())
#define PIGEON_MIME_OUTPUT_STREAM(obj) \
  (G_TYPE_CHECK_INSTANCE_CAST ((obj), PIGEON_TYPE_MIME_OUTPUT_STREAM, PigeonMimeOutputStream))
#define PIGEON_IS_MIME_OUTPUT_STREAM(obj) \
  (G_TYPE_CHECK_INSTANCE_TYPE ((obj), PIGEON_TYPE_MIME_OUTPUT_STREAM))

typedef struct _PigeonMimeOutputStream PigeonMimeOutputStream;
typedef struct
{
  GMimeStreamClass parent_class;
} PigeonMimeOutputStreamClass;

GType pigeon_mime_output_stream_get_type (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonMimeOutputStream, g_object_unref)

/**
 * pigeon_mime_output_stream_new:
 * @base: (nullable): where the bytes go; %NULL to only count them
 * @cancellable: (nullable): checked on every write
 *
 * A write-only GMimeStream for g_mime_object_write_to_stream(). GMime's API reports a failed
 * write only as -1, so the stream keeps the first GError itself (and fails every later write
 * at once): take it with pigeon_mime_output_stream_take_error(). Closing this stream leaves
 * @base open: it belongs to the caller.
 */
PigeonMimeOutputStream *pigeon_mime_output_stream_new (GOutputStream *base,
                                                       GCancellable *cancellable);

/* Bytes accepted so far. */
guint64 pigeon_mime_output_stream_get_bytes_written (PigeonMimeOutputStream *self);

/* Whether any byte written so far was above 127. */
gboolean pigeon_mime_output_stream_saw_8bit (PigeonMimeOutputStream *self);

/* Whether a write or flush failed (or was cancelled). */
gboolean pigeon_mime_output_stream_has_error (PigeonMimeOutputStream *self);

/* Moves the first error into @error and returns FALSE; returns TRUE when there was none. */
gboolean pigeon_mime_output_stream_take_error (PigeonMimeOutputStream *self, GError **error);

G_END_DECLS
