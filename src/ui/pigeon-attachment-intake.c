/* pigeon-attachment-intake.c: files, dropped or pasted bytes and links, into a draft
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-attachment-intake.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

struct _PigeonAttachmentIntake
{
  GObject parent_instance;

  GCancellable *cancellable; /* ends reading and importing */
  guint n_pending;
  GtkWidget *paced_by; /* not owned: the widget that owns this intake */
};

/* Files to attach, read one after another so that they are added in the order given. */
typedef struct
{
  PigeonAttachmentIntake *self;
  PigeonDraft *draft; /* the draft they were given to, even if the view moves on */
  GQueue files;
  gboolean imported;    /* our own copies in the draft folder: deleted when refused */
  GdkFrameClock *clock; /* while waiting for the frame that shows the last one added */
  gulong after_paint_id;
  guint fallback_id;
} AddBatch;

typedef struct
{
  PigeonDraftStore *store;
  PigeonDraft *draft;
  GBytes *data;
  char *name_hint;
} ImportData;

G_DEFINE_FINAL_TYPE (PigeonAttachmentIntake, pigeon_attachment_intake, G_TYPE_OBJECT)

enum
{
  SIGNAL_ERROR,
  SIGNAL_PENDING_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *const pigeon_attachment_intake_types[PIGEON_ATTACHMENT_INTAKE_N_TYPES] = {
  "image/png",  "image/jpeg",    "image/gif",
  "image/webp", "text/uri-list", "x-special/gnome-copied-files",
};
#define N_IMAGE_TYPES 4

static const char *const image_extensions[N_IMAGE_TYPES] = { "png", "jpg", "gif", "webp" };

/* The longest a file waits for the window to draw the one before it. */
#define NO_FRAME_MSEC 100

static void add_batch_next (AddBatch *batch);
static void add_batch_next_after_paint (AddBatch *batch);

static void G_GNUC_PRINTF (2, 3) emit_error (PigeonAttachmentIntake *self, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, message);
}

static void
change_pending (PigeonAttachmentIntake *self, int delta)
{
  self->n_pending += delta;
  g_signal_emit (self, signals[SIGNAL_PENDING_CHANGED], 0);
}

static char *
file_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  return path ? g_filename_display_basename (path) : g_file_get_uri (file);
}

/* Reading files. */

static void
add_batch_free (AddBatch *batch)
{
  g_queue_clear_full (&batch->files, g_object_unref);
  g_object_unref (batch->draft);
  g_object_unref (batch->self);
  g_free (batch);
}

/* Takes the files (a list of GFile). */
static void
add_batch_start (PigeonAttachmentIntake *self, PigeonDraft *draft, GList *files, gboolean imported)
{
  AddBatch *batch = g_new0 (AddBatch, 1);

  batch->self = g_object_ref (self);
  batch->draft = g_object_ref (draft);
  batch->imported = imported;
  for (GList *l = files; l != NULL; l = l->next)
    g_queue_push_tail (&batch->files, l->data);
  g_list_free (files);
  change_pending (self, g_queue_get_length (&batch->files));
  add_batch_next (batch);
}

static void
report_read_error (PigeonAttachmentIntake *self, GFile *file, GError *error)
{
  g_autofree char *name = file_display_name (file);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    emit_error (self, _ ("“%s” cannot be attached: it does not exist."), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    emit_error (self, _ ("“%s” cannot be attached: you may not read it."), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    emit_error (self, _ ("“%s” cannot be attached: it is a folder, not a file."), name);
  else
    emit_error (self, _ ("“%s” cannot be attached: %s"), name, error->message);
}

/* A name that promises a photo (a kind shown in the message) on bytes that are not an image:
 * attached as it is, the recipient would get a "photo" no program opens. Other image names
 * (.svg, camera raw) are left to the sniffer, which may call them XML or data. */
static gboolean
is_false_image (PigeonAttachment *attachment)
{
  const char *name = pigeon_attachment_get_display_name (attachment);
  g_autofree char *by_name = NULL;
  g_autofree char *mime_type = NULL;

  if (pigeon_attachment_is_image (attachment))
    return FALSE;
  by_name = g_content_type_guess (name, NULL, 0, NULL);
  mime_type = g_content_type_get_mime_type (by_name);
  for (guint i = 0; i < N_IMAGE_TYPES && mime_type != NULL; i++)
    if (g_str_equal (mime_type, pigeon_attachment_intake_types[i]))
      return TRUE;
  return FALSE;
}

static void
report_false_image (AddBatch *batch, PigeonAttachment *attachment)
{
  /* Our copy's name means nothing to the user: say where it came from instead. */
  if (batch->imported)
    emit_error (
      batch->self, "%s",
      _ ("What was dropped or pasted as a picture is not an image; it was not attached."));
  else
    emit_error (batch->self,
                _ ("“%s” cannot be attached: it is named like a picture but is not an image."),
                pigeon_attachment_get_display_name (attachment));
}

static void
attachment_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AddBatch *batch = user_data;
  g_autoptr (GFile) file = g_queue_pop_head (&batch->files);
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonAttachment) attachment = NULL;
  gboolean added = FALSE;

  attachment = pigeon_attachment_new_for_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      add_batch_free (batch);
      return;
    }
  change_pending (batch->self, -1);
  if (attachment == NULL)
    report_read_error (batch->self, file, error);
  else if (is_false_image (attachment))
    report_false_image (batch, attachment);
  else
    added = TRUE;
  if (added)
    pigeon_draft_add_attachment (batch->draft, attachment);
  else if (batch->imported)
    g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (added)
    add_batch_next_after_paint (batch);
  else
    add_batch_next (batch);
}

/* Waiting for a frame ends when it is drawn, or when a tenth of a second went by without one
 * (the window closed or went away, or its frames are held back): a cancelled intake's read then
 * ends at once and frees the batch. */
static void
waited_enough (AddBatch *batch)
{
  /* A window that is destroyed takes its frame clock's handlers with it. */
  if (g_signal_handler_is_connected (batch->clock, batch->after_paint_id))
    g_signal_handler_disconnect (batch->clock, batch->after_paint_id);
  batch->after_paint_id = 0;
  g_clear_object (&batch->clock);
  g_clear_handle_id (&batch->fallback_id, g_source_remove);
  add_batch_next (batch);
}

static void
after_paint_cb (GdkFrameClock *clock, AddBatch *batch)
{
  waited_enough (batch);
}

static gboolean
no_frame_cb (gpointer data)
{
  AddBatch *batch = data;

  batch->fallback_id = 0;
  waited_enough (batch);
  return G_SOURCE_REMOVE;
}

/* Whether @widget draws frames now: mapped, and its window not minimized (a compositor may hold
 * back the frames of a minimized window). */
static gboolean
draws_frames (GtkWidget *widget)
{
  GdkWindow *window = NULL;

  if (widget == NULL || !gtk_widget_get_mapped (widget))
    return FALSE;
  window = gtk_widget_get_window (gtk_widget_get_toplevel (widget));
  return window != NULL && !(gdk_window_get_state (window) & GDK_WINDOW_STATE_ICONIFIED);
}

/* The next file is read once the window has drawn the last one added: each new item is styled,
 * measured and drawn in the frame after it comes, and twenty coming at once (photos opened with
 * Pigeon, a folder dropped) held the main loop for frames of 20–30 ms (bench/ui-responsiveness).
 * One a frame, twenty take a third of a second. A window not on screen does not wait. */
static void
add_batch_next_after_paint (AddBatch *batch)
{
  GtkWidget *widget = batch->self->paced_by; /* NULL once cancelled */

  if (!draws_frames (widget) || g_queue_is_empty (&batch->files))
    {
      add_batch_next (batch);
      return;
    }
  batch->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  batch->after_paint_id =
    g_signal_connect (batch->clock, "after-paint", G_CALLBACK (after_paint_cb), batch);
  batch->fallback_id = g_timeout_add (NO_FRAME_MSEC, no_frame_cb, batch);
  gdk_frame_clock_request_phase (batch->clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static void
add_batch_next (AddBatch *batch)
{
  GFile *file = g_queue_peek_head (&batch->files);

  if (file == NULL)
    {
      add_batch_free (batch);
      return;
    }
  pigeon_attachment_new_for_file_async (file, batch->self->cancellable, attachment_read_cb, batch);
}

/* Importing bytes. */

static void
import_data_free (ImportData *data)
{
  g_object_unref (data->store);
  g_object_unref (data->draft);
  g_bytes_unref (data->data);
  g_free (data->name_hint);
  g_free (data);
}

static void
import_thread_cb (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ImportData *data = task_data;
  GError *error = NULL;
  GFile *file = pigeon_draft_store_import_bytes (data->store, data->data, data->name_hint, &error);

  if (file == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, file, g_object_unref);
}

static void
import_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PigeonAttachmentIntake *self = PIGEON_ATTACHMENT_INTAKE (source);
  ImportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  GFile *file = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  change_pending (self, -1);
  if (file == NULL)
    emit_error (self, _ ("The image could not be kept with the draft: %s"), error->message);
  else
    add_batch_start (self, data->draft, g_list_append (NULL, file), TRUE);
}

/* Data without a file (a browser's picture, a screenshot on the clipboard) is copied into the
 * draft folder first, in a thread: it can be megabytes. */
static gboolean
add_image_data (PigeonAttachmentIntake *self,
                PigeonDraft *draft,
                PigeonDraftStore *store,
                guint type,
                GBytes *bytes)
{
  g_autoptr (GTask) task = NULL;
  ImportData *data = NULL;

  if (g_bytes_get_size (bytes) == 0)
    {
      emit_error (self, "%s", _ ("This image cannot be attached: it came without any data."));
      return FALSE;
    }
  if (store == NULL)
    {
      emit_error (self, "%s",
                  _ ("This image cannot be attached: there is no draft folder to keep it in."));
      return FALSE;
    }
  data = g_new0 (ImportData, 1);
  data->store = g_object_ref (store);
  data->draft = g_object_ref (draft);
  data->data = g_bytes_ref (bytes);
  /* Translators: the name of a dropped or pasted picture, as the recipient sees it. */
  data->name_hint = g_strdup_printf ("%s.%s", C_ ("file name", "image"), image_extensions[type]);
  task = g_task_new (self, self->cancellable, import_done_cb, NULL);
  g_task_set_source_tag (task, add_image_data);
  g_task_set_name (task, "[pigeon] import dropped image");
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  change_pending (self, 1);
  g_task_run_in_thread (task, import_thread_cb);
  return TRUE;
}

/* Links. */

/* A text/uri-list, or a file manager's copied files: "copy" or "cut", then a URI a line. */
static gboolean
add_uris (PigeonAttachmentIntake *self, PigeonDraft *draft, const char *text, gboolean copied_files)
{
  g_auto (GStrv) uris = copied_files ? g_strsplit (text, "\n", -1) : g_uri_list_extract_uris (text);
  g_autofree char *refused = NULL;
  GList *files = NULL;

  for (guint i = copied_files ? 1 : 0; uris[i] != NULL; i++)
    {
      const char *uri = g_strstrip (uris[i]);
      const char *scheme = g_uri_peek_scheme (uri);

      if (*uri == '\0' || *uri == '#')
        continue;
      if (g_strcmp0 (scheme, "file") == 0)
        files = g_list_prepend (files, g_file_new_for_uri (uri));
      else if (refused == NULL)
        refused = g_strdup (uri);
    }
  /* Web pages and remote places would have to be downloaded now and could change before
   * sending; the user can save them and attach the file. */
  if (refused != NULL)
    emit_error (self, _ ("“%s” cannot be attached: only files on this computer can."), refused);
  if (files == NULL)
    return FALSE;
  add_batch_start (self, draft, g_list_reverse (files), FALSE);
  return TRUE;
}

/* Overrides. */

static void
pigeon_attachment_intake_dispose (GObject *object)
{
  PigeonAttachmentIntake *self = PIGEON_ATTACHMENT_INTAKE (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (pigeon_attachment_intake_parent_class)->dispose (object);
}

static void
pigeon_attachment_intake_finalize (GObject *object)
{
  PigeonAttachmentIntake *self = PIGEON_ATTACHMENT_INTAKE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pigeon_attachment_intake_parent_class)->finalize (object);
}

static void
pigeon_attachment_intake_class_init (PigeonAttachmentIntakeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pigeon_attachment_intake_dispose;
  object_class->finalize = pigeon_attachment_intake_finalize;

  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PENDING_CHANGED] =
    g_signal_new ("pending-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
pigeon_attachment_intake_init (PigeonAttachmentIntake *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Public API. */

PigeonAttachmentIntake *
pigeon_attachment_intake_new (GtkWidget *paced_by)
{
  PigeonAttachmentIntake *self = g_object_new (PIGEON_TYPE_ATTACHMENT_INTAKE, NULL);

  self->paced_by = paced_by;
  return self;
}

void
pigeon_attachment_intake_add_files (PigeonAttachmentIntake *self, PigeonDraft *draft, GList *files)
{
  g_return_if_fail (PIGEON_IS_ATTACHMENT_INTAKE (self));
  g_return_if_fail (PIGEON_IS_DRAFT (draft));

  add_batch_start (self, draft, files, FALSE);
}

gboolean
pigeon_attachment_intake_add_data (PigeonAttachmentIntake *self,
                                   PigeonDraft *draft,
                                   PigeonDraftStore *store,
                                   const char *mime_type,
                                   GBytes *data)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (PIGEON_IS_ATTACHMENT_INTAKE (self), FALSE);
  g_return_val_if_fail (PIGEON_IS_DRAFT (draft), FALSE);
  g_return_val_if_fail (store == NULL || PIGEON_IS_DRAFT_STORE (store), FALSE);
  g_return_val_if_fail (mime_type != NULL && data != NULL, FALSE);

  for (guint i = 0; i < N_IMAGE_TYPES; i++)
    if (g_str_equal (mime_type, pigeon_attachment_intake_types[i]))
      return add_image_data (self, draft, store, i, data);
  text = g_strndup (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  if (g_str_equal (mime_type, "text/uri-list"))
    return add_uris (self, draft, text, FALSE);
  if (g_str_equal (mime_type, "x-special/gnome-copied-files"))
    return add_uris (self, draft, text, TRUE);
  emit_error (self, "%s", _ ("This kind of data cannot be attached; try a file or an image."));
  return FALSE;
}

guint
pigeon_attachment_intake_get_n_pending (PigeonAttachmentIntake *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT_INTAKE (self), 0);

  return self->n_pending;
}

void
pigeon_attachment_intake_cancel (PigeonAttachmentIntake *self)
{
  g_return_if_fail (PIGEON_IS_ATTACHMENT_INTAKE (self));

  self->paced_by = NULL;
  g_cancellable_cancel (self->cancellable);
}
