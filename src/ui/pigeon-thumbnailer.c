/* pigeon-thumbnailer.c: small pictures of image files, made off the main thread and kept
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"
#define _GNU_SOURCE  /* gettid () */

#include "pigeon-thumbnailer.h"

#include <glib/gi18n.h>
#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "pigeon-stall-probe.h"

/* At 96 px a thumbnail is about 36 KiB: a few hundred of them is still little memory. */
#define MAX_CACHED 256

/* Decoding a 24-megapixel JPEG keeps a core busy for about 0.1 s. In GTask's pool (ten threads
 * at once), 20 such photos took both cores of a 2-core laptop for seconds and the main thread
 * waited for one: frames came 50–300 ms late (bench/ui-responsiveness). Thumbnails have their
 * own threads instead, one fewer than the cores, each below the window's priority. */
#define MAX_DECODERS 4
#define DECODER_NICE 10

struct _PigeonThumbnailer
{
  GObject parent_instance;

  /* The cache is filled by the worker threads and read on the main thread. */
  GMutex lock;
  GHashTable *cache; /* "SIZE URI" → GdkPixbuf */
  GQueue order;      /* the keys, oldest first, owned by the table */

  guint n_loading; /* main thread: loads started and not yet completed */
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

/* The benchmark measures the window while thumbnails are made: it needs to know when the
 * last one is in (after its callback showed it). */
static void
load_completed_cb (GTask *task, GParamSpec *pspec, PigeonThumbnailer *self)
{
  g_signal_handlers_disconnect_by_func (task, load_completed_cb, self);
  pigeon_stall_probe_mark ("thumbnail-loaded");
  if (--self->n_loading == 0)
    pigeon_stall_probe_mark ("thumbnails-done");
}

/* Linux gives each thread its own nice value; elsewhere it is the whole process's: left alone. */
static void
lower_thread_priority (void)
{
#ifdef __linux__
  static GPrivate lowered = G_PRIVATE_INIT (NULL);

  if (g_private_get (&lowered) != NULL)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (TRUE));
  /* A failure (say, Pigeon was started at a lower priority already) changes nothing. */
  (void) setpriority (PRIO_PROCESS, gettid (),
                      getpriority (PRIO_PROCESS, gettid ()) + DECODER_NICE);
#endif
}

static void
decoder_cb (gpointer data, gpointer user_data)
{
  g_autoptr (GTask) task = data;

  lower_thread_priority ();
  load_thread_cb (task, g_task_get_source_object (task), g_task_get_task_data (task),
                  g_task_get_cancellable (task));
}

/* Shared by every thumbnailer, for as long as the program runs. Exclusive: its threads are its
 * own, so the lowered priority never reaches a thread that sends mail. */
static GThreadPool *
get_decoders (void)
{
  static GThreadPool *decoders;

  if (g_once_init_enter (&decoders))
    {
      int n = CLAMP ((int) g_get_num_processors () - 1, 1, MAX_DECODERS);

      g_once_init_leave (&decoders, g_thread_pool_new (decoder_cb, NULL, n, TRUE, NULL));
    }
  return decoders;
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
  self->n_loading++;
  g_signal_connect (task, "notify::completed", G_CALLBACK (load_completed_cb), self);
  g_thread_pool_push (get_decoders (), g_steal_pointer (&task), NULL);
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
