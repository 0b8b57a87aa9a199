/* pigeon-thumbnailer.h: small pictures of image files, made off the main thread and kept
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * PigeonThumbnailer:
 *
 * Makes thumbnails in a worker thread with gdk_pixbuf_new_from_file_at_scale(), so a JPEG is
 * scaled while it is decoded and a 40-megapixel photo costs about what a small one does. The
 * picture is turned as its EXIF orientation says. Thumbnails are kept per file and size for
 * the thumbnailer's lifetime (a bounded number of them), so an item that is shown again does
 * not decode its file again.
 */
#define PIGEON_TYPE_THUMBNAILER (pigeon_thumbnailer_get_type ())
G_DECLARE_FINAL_TYPE (PigeonThumbnailer, pigeon_thumbnailer, PIGEON, THUMBNAILER, GObject)

PigeonThumbnailer *pigeon_thumbnailer_new (void);

/* (transfer full) (nullable): the thumbnail of @file made earlier at @size, or NULL. */
GdkPixbuf *pigeon_thumbnailer_lookup (PigeonThumbnailer *self, GFile *file, int size);

/* Makes a thumbnail that fits in @size × @size pixels (never larger than the image). Errors are
 * the loader's (GDK_PIXBUF_ERROR, G_FILE_ERROR): the caller shows a generic icon instead. */
void pigeon_thumbnailer_load_async (PigeonThumbnailer *self,
                                    GFile *file,
                                    int size,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
GdkPixbuf *
pigeon_thumbnailer_load_finish (PigeonThumbnailer *self, GAsyncResult *result, GError **error);

/* Shows the thumbnail of @file in @image, at once when it was made before, else when it is
 * ready; until then, and when @file is not an image that can be read, @image keeps what it
 * shows (the type's icon). @size is in application pixels: the picture is made for the
 * image's scale factor. Destroying @image stops the work. */
void pigeon_thumbnailer_show (PigeonThumbnailer *self, GtkImage *image, GFile *file, int size);

G_END_DECLS
