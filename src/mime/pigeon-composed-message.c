/* pigeon-composed-message.c: a built message, ready to be written (and sent)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-composed-message-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pigeon-file-part.h"
#include "pigeon-mime-error.h"
#include "pigeon-mime-output-stream.h"

#define SNIFF_BYTES 4096 /* read from a file to learn its content type */

struct _PigeonComposedMessage
{
  GObject parent_instance;

  GMimeMessage *message; /* file parts have their source only while writing */
  GMimeFormatOptions *format;
  GPtrArray *files; /* PigeonComposedFile */
  char *sender;
  GStrv recipients;
  char *message_id;
  gint64 size;
  gboolean is_8bit;
};

G_DEFINE_TYPE (PigeonComposedMessage, pigeon_composed_message, G_TYPE_OBJECT)

static PigeonFilePart *
file_part (PigeonComposedFile *file)
{
  return PIGEON_FILE_PART (file->part);
}

static void
set_sources (PigeonComposedMessage *self, GPtrArray *sources)
{
  for (guint i = 0; i < self->files->len; i++)
    pigeon_file_part_set_source (file_part (g_ptr_array_index (self->files, i)),
                                 sources != NULL ? g_ptr_array_index (sources, i) : NULL);
}

/* Written with the files' parts headers alone, then each file's encoded size added: the same
 * headers, boundaries and Content-IDs as the real thing, without reading a file. */
static void
measure (PigeonComposedMessage *self)
{
  g_autoptr (PigeonMimeOutputStream) counter = pigeon_mime_output_stream_new (NULL, NULL);
  ssize_t written = 0;
  gsize newline_length;

  written = g_mime_object_write_to_stream (GMIME_OBJECT (self->message), self->format,
                                           GMIME_STREAM (counter));
  g_assert (written >= 0);

  self->size = (gint64) pigeon_mime_output_stream_get_bytes_written (counter);
  newline_length = strlen (g_mime_format_options_get_newline (self->format));
  for (guint i = 0; i < self->files->len; i++)
    self->size += pigeon_base64_size (
      ((PigeonComposedFile *) g_ptr_array_index (self->files, i))->size, newline_length);
  /* Files go out in base64, so only the headers can carry a byte above 127. */
  self->is_8bit = pigeon_mime_output_stream_saw_8bit (counter);
}

static gboolean
set_file_error (PigeonComposedFile *file, int saved_errno, GError **error)
{
  g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE,
               _ ("Cannot read the file “%s”: %s"), file->name, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
set_size_changed_error (PigeonComposedFile *file, goffset now, GError **error)
{
  g_autofree char *before = g_format_size_full (file->size, G_FORMAT_SIZE_LONG_FORMAT);
  g_autofree char *after = g_format_size_full (now, G_FORMAT_SIZE_LONG_FORMAT);

  g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE,
               _ ("The file “%s” changed after it was added to the message (it had %s, it now "
                  "has %s). Add it again."),
               file->name, before, after);
  return FALSE;
}

/* Checks the open file is still the regular file of the recorded size. */
static gboolean
check_fd (PigeonComposedFile *file, int fd, GError **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return set_file_error (file, errno, error);
  if (!S_ISREG (st.st_mode))
    return set_file_error (file, EINVAL, error);
  if (st.st_size != file->size)
    return set_size_changed_error (file, st.st_size, error);
  return TRUE;
}

static GMimeStream *
open_file (PigeonComposedFile *file, GError **error)
{
  g_autofree char *path = g_file_get_path (file->file);
  int fd = -1;

  if (path == NULL)
    {
      set_file_error (file, ENOENT, error);
      return NULL;
    }
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_file_error (file, errno, error);
      return NULL;
    }
  if (!check_fd (file, fd, error))
    {
      close (fd);
      return NULL;
    }
  /* Bounded: a file that grows meanwhile still gives exactly the bytes counted. */
  return g_mime_stream_fs_new_with_bounds (fd, 0, file->size);
}

/* All files are opened before the first byte is written, so that a missing one fails the
 * message before anything is sent. */
static GPtrArray *
open_files (PigeonComposedMessage *self, GError **error)
{
  g_autoptr (GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->files->len; i++)
    {
      GMimeStream *stream = open_file (g_ptr_array_index (self->files, i), error);

      if (stream == NULL)
        return NULL;
      g_ptr_array_add (streams, stream);
    }
  return g_steal_pointer (&streams);
}

/* After writing: each file still has its size (one shortened while it was read has given
 * fewer bytes than were counted; one grown was read only as far as its old size). */
static gboolean
check_files_unchanged (PigeonComposedMessage *self, GPtrArray *streams, GError **error)
{
  for (guint i = 0; i < self->files->len; i++)
    if (!check_fd (g_ptr_array_index (self->files, i),
                   GMIME_STREAM_FS (g_ptr_array_index (streams, i))->fd, error))
      return FALSE;
  return TRUE;
}

static gboolean
set_gio_error (const PigeonComposedFile *file, GError *cause, GError **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (cause));
      return FALSE;
    }
  g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE,
               _ ("Cannot read the file “%s”: %s"), file->name, cause->message);
  return FALSE;
}

/* Its size now, so that the message's size can be known without reading it. */
static gboolean
query_file (PigeonComposedFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GFileInfo) info =
    g_file_query_info (file->file,
                       G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE
                                                      "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                       G_FILE_QUERY_INFO_NONE, cancellable, &local_error);

  if (info == NULL)
    return set_gio_error (file, local_error, error);
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE,
                   _ ("“%s” is not a file that can be sent (it is a folder or a device)."),
                   file->name);
      return FALSE;
    }
  file->size = g_file_info_get_size (info);
  if (file->display_name == NULL)
    file->display_name = g_strdup (g_file_info_get_display_name (info));
  return TRUE;
}

static gboolean
refuse_non_image (const PigeonComposedFile *file, const char *content_type, GError **error)
{
  g_autofree char *description = g_content_type_get_description (content_type);

  g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT,
               _ ("“%s” cannot be shown in the message because it is not an image (it is %s). "
                  "Attach it instead."),
               file->name, description);
  return FALSE;
}

/* The bytes decide whether a file is an image; the name helps name other types. */
static gboolean
sniff_type (PigeonComposedFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GFileInputStream) input = g_file_read (file->file, cancellable, &local_error);
  g_autofree guint8 *head = g_malloc (SNIFF_BYTES);
  g_autofree char *by_bytes = NULL, *by_both = NULL;
  gsize n = 0;

  if (input == NULL || !g_input_stream_read_all (G_INPUT_STREAM (input), head, SNIFF_BYTES, &n,
                                                 cancellable, &local_error))
    return set_gio_error (file, local_error, error);

  by_bytes = g_content_type_guess (NULL, head, n, NULL);
  if (file->is_inline)
    {
      file->mime_type = g_content_type_get_mime_type (by_bytes);
      if (file->mime_type == NULL || !g_str_has_prefix (file->mime_type, "image/"))
        return refuse_non_image (file, by_bytes, error);
      return TRUE;
    }
  by_both = g_content_type_guess (file->display_name, head, n, NULL);
  file->mime_type = g_content_type_get_mime_type (by_both);
  /* Attachments are always base64, which RFC 2046 forbids for the composite types
   * (message/rfc822, multipart/…): those go as plain bytes. */
  if (file->mime_type == NULL || strchr (file->mime_type, '/') == NULL ||
      g_str_equal (file->mime_type, "application/x-zerosize") ||
      g_str_has_prefix (file->mime_type, "message/") ||
      g_str_has_prefix (file->mime_type, "multipart/"))
    {
      g_free (file->mime_type);
      file->mime_type = g_strdup ("application/octet-stream");
    }
  return TRUE;
}

static gboolean
check_local (const PigeonComposedFile *file, GError **error)
{
  if (g_file_peek_path (file->file) != NULL)
    return TRUE;
  /* Writing reads the file through its path, with the size checked on the open file. */
  g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE,
               _ ("“%s” is not a file on this computer. Save a copy in a folder and add that."),
               file->name);
  return FALSE;
}

static void
pigeon_composed_message_finalize (GObject *object)
{
  PigeonComposedMessage *self = PIGEON_COMPOSED_MESSAGE (object);

  g_clear_object (&self->message);
  g_clear_pointer (&self->format, g_mime_format_options_free);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->sender, g_free);
  g_clear_pointer (&self->recipients, g_strfreev);
  g_clear_pointer (&self->message_id, g_free);

  G_OBJECT_CLASS (pigeon_composed_message_parent_class)->finalize (object);
}

static void
pigeon_composed_message_class_init (PigeonComposedMessageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pigeon_composed_message_finalize;
}

static void
pigeon_composed_message_init (PigeonComposedMessage *self)
{
}

PigeonComposedFile *
pigeon_composed_file_new (GFile *file,
                          const char *display_name,
                          gboolean is_inline,
                          GCancellable *cancellable,
                          GError **error)
{
  g_autoptr (PigeonComposedFile) self = g_new0 (PigeonComposedFile, 1);

  self->file = g_object_ref (file);
  self->name = g_file_get_parse_name (file);
  self->display_name = g_strdup (display_name);
  self->is_inline = is_inline;
  if (!check_local (self, error) || !query_file (self, cancellable, error) ||
      !sniff_type (self, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

PigeonComposedFile *
pigeon_composed_file_copy_with_part (const PigeonComposedFile *file)
{
  PigeonComposedFile *copy = g_new0 (PigeonComposedFile, 1);
  g_auto (GStrv) type = g_strsplit (file->mime_type, "/", 2);

  copy->file = g_object_ref (file->file);
  copy->name = g_strdup (file->name);
  copy->display_name = g_strdup (file->display_name);
  copy->mime_type = g_strdup (file->mime_type);
  copy->size = file->size;
  copy->is_inline = file->is_inline;
  copy->part = GMIME_PART (pigeon_file_part_new (type[0], type[1]));
  g_mime_object_set_disposition (GMIME_OBJECT (copy->part), file->is_inline
                                                              ? GMIME_DISPOSITION_INLINE
                                                              : GMIME_DISPOSITION_ATTACHMENT);
  /* Both the disposition's filename and the type's name, RFC 2231-encoded by GMime. */
  g_mime_part_set_filename (copy->part, file->display_name);
  return copy;
}

void
pigeon_composed_file_free (PigeonComposedFile *file)
{
  if (file == NULL)
    return;
  g_clear_object (&file->file);
  g_free (file->name);
  g_free (file->display_name);
  g_free (file->mime_type);
  g_clear_object (&file->part);
  g_free (file);
}

PigeonComposedMessage *
pigeon_composed_message_new (GMimeMessage *message,
                             GPtrArray *files,
                             const char *sender,
                             GStrv recipients,
                             const char *message_id)
{
  PigeonComposedMessage *self = g_object_new (PIGEON_TYPE_COMPOSED_MESSAGE, NULL);

  self->message = message;
  self->files = files;
  self->sender = g_strdup (sender);
  self->recipients = recipients;
  self->message_id = g_strdup (message_id);
  self->format = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (self->format, GMIME_NEWLINE_FORMAT_DOS);

  measure (self);
  return self;
}

const char *
pigeon_composed_message_get_sender (PigeonComposedMessage *self)
{
  g_return_val_if_fail (PIGEON_IS_COMPOSED_MESSAGE (self), NULL);

  return self->sender;
}

const char *const *
pigeon_composed_message_get_recipients (PigeonComposedMessage *self)
{
  g_return_val_if_fail (PIGEON_IS_COMPOSED_MESSAGE (self), NULL);

  return (const char *const *) self->recipients;
}

const char *
pigeon_composed_message_get_message_id (PigeonComposedMessage *self)
{
  g_return_val_if_fail (PIGEON_IS_COMPOSED_MESSAGE (self), NULL);

  return self->message_id;
}

gint64
pigeon_composed_message_get_size (PigeonComposedMessage *self)
{
  g_return_val_if_fail (PIGEON_IS_COMPOSED_MESSAGE (self), -1);

  return self->size;
}

gboolean
pigeon_composed_message_is_8bit (PigeonComposedMessage *self)
{
  g_return_val_if_fail (PIGEON_IS_COMPOSED_MESSAGE (self), FALSE);

  return self->is_8bit;
}

gboolean
pigeon_composed_message_write (PigeonComposedMessage *self,
                               GOutputStream *stream,
                               GCancellable *cancellable,
                               GError **error)
{
  g_autoptr (GPtrArray) contents = NULL; /* GMimeStream, one per file */
  g_autoptr (PigeonMimeOutputStream) out = NULL;
  ssize_t written = 0;

  g_return_val_if_fail (PIGEON_IS_COMPOSED_MESSAGE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  contents = open_files (self, error);
  if (contents == NULL)
    return FALSE;

  set_sources (self, contents);
  out = pigeon_mime_output_stream_new (stream, cancellable);
  written =
    g_mime_object_write_to_stream (GMIME_OBJECT (self->message), self->format, GMIME_STREAM (out));
  set_sources (self, NULL);

  if (!pigeon_mime_output_stream_take_error (out, error) ||
      !check_files_unchanged (self, contents, error))
    return FALSE;
  /* A read error, or a file changed and changed back while it was read: it cannot be told
   * which file it was, but the message is not what was counted. */
  if (written < 0 || pigeon_mime_output_stream_get_bytes_written (out) != (guint64) self->size)
    {
      g_set_error (
        error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE,
        _ ("A file attached to the message could not be read to its end, or changed while it "
           "was read."));
      return FALSE;
    }
  return TRUE;
}
