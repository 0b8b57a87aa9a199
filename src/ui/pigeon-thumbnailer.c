/* pigeon-thumbnailer.c: small pictures of image files, made off the main thread and kept
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-thumbnailer.h"

#include <glib/gi18n.h>

/* At 96 px a thumbnail is about 36 KiB: a few hundred of them is still little memory. */
#define MAX_CACHED 256

struct _PigeonThumbnailer
{
  GObject parent_instance;

  /* The cache is filled by the worker threads and read on the main thread. */
  GMutex lock;
  GHashTable *cache; /* "SIZE URI" → GdkPixbuf */
  GQueue order;      /* the keys, oldest first, owned by the table */
};

typedef struct
{
  GFile *file;
  int size;
} LoadData;

G_DEFINE_FINAL_TYPE (PigeonThumbnailer, pigeon_thumbnailer, G_TYPE_OBJECT)

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->file);
  g_free (data);
}

static char *
cache_key (GFile *file, int size)
{
  g_autofree char *uri = g_file_get_uri (file);

  return g_strdup_printf ("%d %s", size, uri);
}

static void
cache_insert (PigeonThumbnailer *self, GFile *file, int size, GdkPixbuf *pixbuf)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  char *key = cache_key (file, size);

  if (g_hash_table_contains (self->cache, key))
    {
      /* Two requests for one file raced: the first thumbnail stays. */
      g_free (key);
      return;
    }
  g_hash_table_insert (self->cache, key, g_object_ref (pixbuf));
  g_queue_push_tail (&self->order, key);
  while (g_queue_get_length (&self->order) > MAX_CACHED)
    g_hash_table_remove (self->cache, g_queue_pop_head (&self->order));
}

/* Small images are kept at their own size: scaled up they would only look blurred. */
static GdkPixbuf *
load_scaled (const char *path, int size, GError **error)
{
  int width = 0;
  int height = 0;

  if (gdk_pixbuf_get_file_info (path, &width, &height) == NULL)
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE,
                   _ ("“%s” is not an image this computer can show."), name);
      return NULL;
    }
  if (width <= size && height <= size)
    return gdk_pixbuf_new_from_file (path, error);
  return gdk_pixbuf_new_from_file_at_scale (path, size, size, TRUE, error);
}

static void
load_thread_cb (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autofree char *path = g_file_get_path (data->file);
  g_autoptr (GdkPixbuf) loaded = NULL;
  GdkPixbuf *pixbuf = NULL;
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _ ("Only files on this computer have thumbnails."));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  loaded = load_scaled (path, data->size, &error);
  if (loaded == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Photos from phones are stored sideways with an EXIF note saying which way is up. */
  pixbuf = gdk_pixbuf_apply_embedded_orientation (loaded);
  cache_insert (source, data->file, data->size, pixbuf);
  g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
set_thumbnail (GtkImage *image, GdkPixbuf *pixbuf)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (image));
  cairo_surface_t *surface = gdk_cairo_surface_create_from_pixbuf (pixbuf, scale, NULL);

  gtk_image_set_from_surface (image, surface);
  cairo_surface_destroy (surface);
}

static void
thumbnail_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkImage) image = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  pixbuf = pigeon_thumbnailer_load_finish (PIGEON_THUMBNAILER (source), result, &error);
  if (pixbuf != NULL)
    set_thumbnail (image, pixbuf);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No thumbnail, the image keeps its icon: %s", error->message);
}

static void
pigeon_thumbnailer_finalize (GObject *object)
{
  PigeonThumbnailer *self = PIGEON_THUMBNAILER (object);

  g_queue_clear (&self->order);
  g_hash_table_unref (self->cache);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pigeon_thumbnailer_parent_class)->finalize (object);
}

static void
pigeon_thumbnailer_class_init (PigeonThumbnailerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pigeon_thumbnailer_finalize;
}

static void
pigeon_thumbnailer_init (PigeonThumbnailer *self)
{
  g_mutex_init (&self->lock);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->order);
}

PigeonThumbnailer *
pigeon_thumbnailer_new (void)
{
  return g_object_new (PIGEON_TYPE_THUMBNAILER, NULL);
}

GdkPixbuf *
pigeon_thumbnailer_lookup (PigeonThumbnailer *self, GFile *file, int size)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autofree char *key = NULL;
  GdkPixbuf *pixbuf = NULL;

  g_return_val_if_fail (PIGEON_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  key = cache_key (file, size);
  locker = g_mutex_locker_new (&self->lock);
  pixbuf = g_hash_table_lookup (self->cache, key);
  return pixbuf ? g_object_ref (pixbuf) : NULL;
}

void
pigeon_thumbnailer_load_async (PigeonThumbnailer *self,
                               GFile *file,
                               int size,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LoadData *data = NULL;

  g_return_if_fail (PIGEON_IS_THUMBNAILER (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (size > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pigeon_thumbnailer_load_async);
  g_task_set_name (task, "[pigeon] thumbnail");
  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  data->size = size;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread_cb);
}

GdkPixbuf *
pigeon_thumbnailer_load_finish (PigeonThumbnailer *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pigeon_thumbnailer_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pigeon_thumbnailer_show (PigeonThumbnailer *self, GtkImage *image, GFile *file, int size)
{
  int pixels = size * gtk_widget_get_scale_factor (GTK_WIDGET (image));
  g_autoptr (GdkPixbuf) cached = NULL;
  GCancellable *cancellable = NULL;

  g_return_if_fail (PIGEON_IS_THUMBNAILER (self));
  g_return_if_fail (GTK_IS_IMAGE (image));
  g_return_if_fail (G_IS_FILE (file));

  cached = pigeon_thumbnailer_lookup (self, file, pixels);
  if (cached != NULL)
    {
      set_thumbnail (image, cached);
      return;
    }
  /* An item removed before its picture is ready stops the work it no longer needs. */
  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (image), "pigeon-thumbnail-cancellable", cancellable,
                          g_object_unref);
  g_signal_connect_swapped (image, "destroy", G_CALLBACK (g_cancellable_cancel), cancellable);
  pigeon_thumbnailer_load_async (self, file, pixels, cancellable, thumbnail_loaded_cb,
                                 g_object_ref (image));
}
