/* pigeon-open-queue.c: links and files opened with Pigeon from outside, kept until the window
 * has a draft that may take them
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-open-queue.h"

#include "pigeon-mailto.h"

struct _PigeonOpenQueue
{
  GPtrArray *links; /* char *, in the order they came */
  GPtrArray *files; /* GFile, in the order they came */
};

/* As a file manager's drop: read in order, anything not on this computer refused. */
static void
attach_files (PigeonAttachmentsView *view, GFile **files, guint n_files)
{
  g_autoptr (GString) uris = g_string_new (NULL);
  g_autoptr (GBytes) bytes = NULL;

  if (n_files == 0)
    return;
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      g_string_append_printf (uris, "%s\r\n", uri);
    }
  bytes = g_bytes_new (uris->str, uris->len);
  pigeon_attachments_view_add_data (view, "text/uri-list", bytes);
}

PigeonOpenQueue *
pigeon_open_queue_new (void)
{
  PigeonOpenQueue *self = g_new0 (PigeonOpenQueue, 1);

  self->links = g_ptr_array_new_with_free_func (g_free);
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  return self;
}

void
pigeon_open_queue_free (PigeonOpenQueue *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->links);
  g_ptr_array_unref (self->files);
  g_free (self);
}

void
pigeon_open_queue_add_link (PigeonOpenQueue *self, const char *uri)
{
  g_return_if_fail (self != NULL && uri != NULL);

  g_ptr_array_add (self->links, g_strdup (uri));
}

void
pigeon_open_queue_add_files (PigeonOpenQueue *self, GFile **files, guint n_files)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (self->files, g_object_ref (files[i]));
}

gboolean
pigeon_open_queue_is_empty (PigeonOpenQueue *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->links->len == 0 && self->files->len == 0;
}

gboolean
pigeon_open_queue_apply (PigeonOpenQueue *self,
                         PigeonDraft *draft,
                         PigeonAttachmentsView *view,
                         GError **error)
{
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GPtrArray) links = NULL;
  g_autoptr (GError) last_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (PIGEON_IS_DRAFT (draft), FALSE);

  /* Taken out first: what the draft does with them cannot add to the lists being read. */
  files = g_steal_pointer (&self->files);
  links = g_steal_pointer (&self->links);
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->links = g_ptr_array_new_with_free_func (g_free);
  attach_files (view, (GFile **) files->pdata, files->len);
  for (guint i = 0; i < links->len; i++)
    {
      g_autoptr (GError) link_error = NULL;

      if (pigeon_mailto_apply (draft, g_ptr_array_index (links, i), &link_error))
        continue;
      g_clear_error (&last_error);
      last_error = g_steal_pointer (&link_error);
    }
  if (last_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&last_error));
      return FALSE;
    }
  return TRUE;
}
