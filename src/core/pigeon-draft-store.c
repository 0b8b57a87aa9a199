/* pigeon-draft-store.c: the open draft, saved as the user types and restored after a crash
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-core"

#include "pigeon-draft-store-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#define DRAFT_FILE_NAME  "draft.ini"
#define CORRUPT_SUFFIX   ".corrupt"
#define IMPORTED_FOLDER  "files" /* data that came without a file of its own */
#define FORMAT_VERSION   1
#define DRAFT_GROUP      "Draft"
#define ATTACHMENT_GROUP "Attachment "
#define SAVE_DELAY_MS    500
/* Typing without a pause still saves this often. */
#define SAVE_MAX_DELAY_US (2 * G_USEC_PER_SEC)

/* The draft's fields, by property name (the keys in the file are the same). */
static const char *const field_keys[] = { "from", "to", "cc", "bcc", "subject", "body" };
#define N_FIELDS G_N_ELEMENTS (field_keys)

/* What one save writes: copies of the strings, taken on the main thread so that the writer
 * shares nothing with the draft; @serial orders snapshots so that an older one never replaces a
 * newer one on disk. */
typedef struct
{
  guint64 serial;
  gboolean empty;     /* nothing the user wrote: no file to keep */
  GPtrArray *entries; /* group, key, value, group, key, value, … */
} Snapshot;

struct _PigeonDraftStore
{
  GObject parent_instance;

  /* Set at construction, read by both threads. */
  GFile *folder;
  GFile *file;
  GFile *imported;

  /* Main thread only. */
  PigeonDraft *draft; /* the watched one */
  guint save_source;
  gint64 first_unsaved_change;
  gboolean saving;  /* a writer thread is running */
  Snapshot *queued; /* the newest snapshot, waiting for that writer */
  guint64 last_serial;

  /* Both threads, under write_lock: one writer at a time, and clear() waits for it. */
  GMutex write_lock;
  guint64 written_serial;
};

G_DEFINE_FINAL_TYPE (PigeonDraftStore, pigeon_draft_store, G_TYPE_OBJECT)

static void schedule_save (PigeonDraftStore *self);

static void
snapshot_free (Snapshot *snapshot)
{
  g_ptr_array_unref (snapshot->entries);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

/* Takes @value: a body can be long, so it is copied only once. */
static void
snapshot_take (Snapshot *snapshot, const char *group, const char *key, char *value)
{
  g_ptr_array_add (snapshot->entries, g_strdup (group));
  g_ptr_array_add (snapshot->entries, g_strdup (key));
  g_ptr_array_add (snapshot->entries, value);
}

static void
snapshot_add_attachment (Snapshot *snapshot, guint index, PigeonAttachment *attachment)
{
  g_autoptr (GEnumClass) dispositions = g_type_class_ref (PIGEON_TYPE_ATTACHMENT_DISPOSITION);
  GFile *file = pigeon_attachment_get_file (attachment);
  g_autofree char *group = g_strdup_printf (ATTACHMENT_GROUP "%u", index);
  g_autofree char *path = g_file_get_path (file);
  GEnumValue *disposition =
    g_enum_get_value (dispositions, pigeon_attachment_get_disposition (attachment));

  if (path == NULL)
    path = g_file_get_uri (file); /* a remote file: read back by g_file_new_for_commandline_arg */
  snapshot_take (snapshot, group, "path", g_steal_pointer (&path));
  snapshot_take (snapshot, group, "display-name",
                 g_strdup (pigeon_attachment_get_display_name (attachment)));
  snapshot_take (snapshot, group, "disposition", g_strdup (disposition->value_nick));
}

static Snapshot *
snapshot_new (PigeonDraftStore *self, PigeonDraft *draft)
{
  GListModel *attachments = pigeon_draft_get_attachments (draft);
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  snapshot->serial = ++self->last_serial;
  snapshot->entries = g_ptr_array_new_with_free_func (g_free);
  snapshot->empty = g_list_model_get_n_items (attachments) == 0;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      char *value = NULL;

      g_object_get (draft, field_keys[i], &value, NULL);
      /* "from" alone is the account the window chose, not the user's writing */
      snapshot->empty = snapshot->empty && (i == 0 || value[0] == '\0');
      snapshot_take (snapshot, DRAFT_GROUP, field_keys[i], value);
    }
  for (guint i = 0; i < g_list_model_get_n_items (attachments); i++)
    {
      g_autoptr (PigeonAttachment) attachment = g_list_model_get_item (attachments, i);

      snapshot_add_attachment (snapshot, i, attachment);
    }
  return snapshot;
}

/* On the writer's thread: escaping a long body takes a while. */
static char *
snapshot_to_data (Snapshot *snapshot, gsize *length)
{
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  char **entries = (char **) snapshot->entries->pdata;

  g_key_file_set_integer (key_file, DRAFT_GROUP, "version", FORMAT_VERSION);
  for (guint i = 0; i + 2 < snapshot->entries->len; i += 3)
    g_key_file_set_string (key_file, entries[i], entries[i + 1], entries[i + 2]);
  return g_key_file_to_data (key_file, length, NULL);
}

/* Drafts are private: nobody else on the machine should read them. */
gboolean
pigeon_draft_store_ensure_folder (GFile *folder, GError **error)
{
  const char *path = g_file_peek_path (folder);
  int saved_errno = 0;

  if (g_mkdir_with_parents (path, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _ ("Cannot make the folder “%s”: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* One rename replaces the file: a reader (or a restart after a crash) sees the old contents or
 * the new, never half. (g_file_replace_contents() writes a new file in place, not atomically.) */
gboolean
pigeon_draft_store_write_atomically (GFile *file, const char *data, gsize length, GError **error)
{
  return g_file_set_contents_full (g_file_peek_path (file), data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static gboolean
delete_if_present (GFile *file, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (g_file_delete (file, NULL, &local_error) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Any thread. */
static gboolean
write_snapshot (PigeonDraftStore *self, Snapshot *snapshot, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->write_lock);
  g_autofree char *data = NULL;
  gsize length = 0;

  if (snapshot->serial <= self->written_serial)
    return TRUE; /* something newer is on disk already, or the draft was cleared since */
  if (!snapshot->empty)
    data = snapshot_to_data (snapshot, &length);
  if (snapshot->empty ? !delete_if_present (self->file, error)
                      : !pigeon_draft_store_ensure_folder (self->folder, error) ||
                          !pigeon_draft_store_write_atomically (self->file, data, length, error))
    return FALSE;
  self->written_serial = snapshot->serial;
  return TRUE;
}

/* Moves the unreadable file out of the way under a name no earlier one has, so that neither
 * it nor the next save is lost; returns where it went. */
static GFile *
set_aside (PigeonDraftStore *self, GError **error)
{
  g_autoptr (GFile) aside =
    pigeon_draft_import_reserve_name (self->folder, DRAFT_FILE_NAME CORRUPT_SUFFIX, error);

  if (aside == NULL ||
      !g_file_move (self->file, aside, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&aside);
}

static void
restore_attachment (PigeonDraft *draft,
                    GKeyFile *key_file,
                    const char *group,
                    GStrvBuilder *missing)
{
  g_autofree char *path = g_key_file_get_string (key_file, group, "path", NULL);
  g_autofree char *display_name = g_key_file_get_string (key_file, group, "display-name", NULL);
  g_autofree char *nick = g_key_file_get_string (key_file, group, "disposition", NULL);
  g_autoptr (GEnumClass) dispositions = g_type_class_ref (PIGEON_TYPE_ATTACHMENT_DISPOSITION);
  GEnumValue *disposition = nick ? g_enum_get_value_by_nick (dispositions, nick) : NULL;
  g_autoptr (GFile) file = path ? g_file_new_for_commandline_arg (path) : NULL;
  g_autoptr (PigeonAttachment) attachment = NULL;

  if (file == NULL)
    return;
  attachment = pigeon_attachment_new_for_file (file, NULL, NULL);
  if (attachment == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_strv_builder_add (missing, name);
      return;
    }
  if (display_name != NULL && display_name[0] != '\0')
    pigeon_attachment_set_display_name (attachment, display_name);
  if (disposition != NULL)
    pigeon_attachment_set_disposition (attachment, disposition->value);
  pigeon_draft_add_attachment (draft, attachment);
}

static PigeonDraft *
parse_draft (const char *data, gsize length, GStrv *missing, GError **error)
{
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (GStrvBuilder) gone = g_strv_builder_new ();
  g_auto (GStrv) groups = NULL;
  int version = 0;

  if (data != NULL && !g_key_file_load_from_data (key_file, data, length, 0, error))
    return NULL;
  /* 0 when there is none: not a draft, or the start of one cut short. */
  version = data ? g_key_file_get_integer (key_file, DRAFT_GROUP, "version", NULL) : 1;
  if (version < 1 || version > FORMAT_VERSION)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           version > 1 ? _ ("it was saved by a newer version of Pigeon")
                                       : _ ("it has no version"));
      return NULL;
    }
  for (guint i = 0; data != NULL && i < N_FIELDS; i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *value =
        g_key_file_get_string (key_file, DRAFT_GROUP, field_keys[i], &local_error);

      /* A field that is not there was empty; one that cannot be read (not UTF-8) is damage. */
      if (local_error != NULL &&
          !g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_object_set (draft, field_keys[i], value, NULL);
    }
  /* The groups come in the order they were written, which is the order of the list. */
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], ATTACHMENT_GROUP))
      restore_attachment (draft, key_file, groups[i], gone);
  if (missing != NULL)
    *missing = g_strv_builder_end (gone);
  return g_steal_pointer (&draft);
}

/* The imported files: one level, named by us. */
static gboolean
delete_folder (GFile *folder, GError **error)
{
  const char *path = g_file_peek_path (folder);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name = NULL;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr (GFile) child = g_file_get_child (folder, name);

      if (!g_file_delete (child, NULL, error))
        return FALSE;
    }
  return delete_if_present (folder, error);
}

static void
write_thread_cb (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_snapshot (source, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void start_save (PigeonDraftStore *self, Snapshot *snapshot);

static void
save_finished_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PigeonDraftStore *self = PIGEON_DRAFT_STORE (source);
  g_autoptr (GError) error = NULL;

  self->saving = FALSE;
  /* The draft is still in the window, and the next change tries again. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not save the draft: %s", error->message);
  if (self->queued != NULL)
    start_save (self, g_steal_pointer (&self->queued));
}

/* Takes @snapshot. */
static void
start_save (PigeonDraftStore *self, Snapshot *snapshot)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, save_finished_cb, NULL);

  g_task_set_source_tag (task, start_save);
  g_task_set_name (task, "pigeon_draft_store_save");
  g_task_set_task_data (task, snapshot, (GDestroyNotify) snapshot_free);
  self->saving = TRUE;
  g_task_run_in_thread (task, write_thread_cb);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  PigeonDraftStore *self = user_data;

  self->save_source = 0;
  g_clear_pointer (&self->queued, snapshot_free); /* out of date: the newest snapshot wins */
  if (self->saving)
    self->queued = snapshot_new (self, self->draft);
  else
    start_save (self, snapshot_new (self, self->draft));
  return G_SOURCE_REMOVE;
}

static void
draft_notify_cb (PigeonDraftStore *self, GParamSpec *pspec, GObject *object)
{
  schedule_save (self);
}

static void
watch_attachments (PigeonDraftStore *self, guint position, guint n)
{
  GListModel *attachments = pigeon_draft_get_attachments (self->draft);

  for (guint i = position; i < position + n; i++)
    {
      g_autoptr (PigeonAttachment) attachment = g_list_model_get_item (attachments, i);

      /* Removed attachments stay connected until they go: a needless save at worst. */
      g_signal_connect_object (attachment, "notify::display-name", G_CALLBACK (draft_notify_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (attachment, "notify::disposition", G_CALLBACK (draft_notify_cb),
                               self, G_CONNECT_SWAPPED);
    }
}

static void
attachments_changed_cb (
  GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  watch_attachments (user_data, position, added);
  schedule_save (user_data);
}

static void
schedule_save (PigeonDraftStore *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->save_source == 0)
    self->first_unsaved_change = now;
  else if (now - self->first_unsaved_change >= SAVE_MAX_DELAY_US)
    return; /* keep the save already due rather than put it off once more */
  else
    g_source_remove (self->save_source);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
  g_source_set_name_by_id (self->save_source, "[pigeon] draft save");
}

static void
unwatch (PigeonDraftStore *self)
{
  GListModel *attachments = self->draft ? pigeon_draft_get_attachments (self->draft) : NULL;

  for (guint i = 0; attachments != NULL && i < g_list_model_get_n_items (attachments); i++)
    {
      g_autoptr (GObject) attachment = g_list_model_get_item (attachments, i);

      g_signal_handlers_disconnect_by_data (attachment, self);
    }
  if (self->draft == NULL)
    return;
  g_signal_handlers_disconnect_by_data (attachments, self);
  g_signal_handlers_disconnect_by_data (self->draft, self);
  g_clear_object (&self->draft);
}

static void
pigeon_draft_store_dispose (GObject *object)
{
  PigeonDraftStore *self = PIGEON_DRAFT_STORE (object);
  g_autoptr (GError) error = NULL;

  /* Quitting within half a second of the last key press must not lose it. */
  if (self->save_source != 0 && !pigeon_draft_store_save (self, self->draft, &error))
    g_warning ("Could not save the draft: %s", error->message);
  g_clear_handle_id (&self->save_source, g_source_remove);
  unwatch (self);

  G_OBJECT_CLASS (pigeon_draft_store_parent_class)->dispose (object);
}

static void
pigeon_draft_store_finalize (GObject *object)
{
  PigeonDraftStore *self = PIGEON_DRAFT_STORE (object);

  g_clear_object (&self->folder);
  g_clear_object (&self->file);
  g_clear_object (&self->imported);
  g_clear_pointer (&self->queued, snapshot_free);
  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (pigeon_draft_store_parent_class)->finalize (object);
}

static void
pigeon_draft_store_class_init (PigeonDraftStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pigeon_draft_store_dispose;
  object_class->finalize = pigeon_draft_store_finalize;
}

static void
pigeon_draft_store_init (PigeonDraftStore *self)
{
  g_mutex_init (&self->write_lock);
}

PigeonDraftStore *
pigeon_draft_store_new (GFile *folder)
{
  PigeonDraftStore *self = NULL;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (g_file_peek_path (folder) != NULL, NULL); /* a local folder */

  self = g_object_new (PIGEON_TYPE_DRAFT_STORE, NULL);
  self->folder = g_object_ref (folder);
  self->file = g_file_get_child (folder, DRAFT_FILE_NAME);
  self->imported = g_file_get_child (folder, IMPORTED_FOLDER);
  return self;
}

GFile *
pigeon_draft_store_get_imported_folder (PigeonDraftStore *self)
{
  return self->imported;
}

GFile *
pigeon_draft_store_get_default_folder (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "pigeon", "draft", NULL);

  return g_file_new_for_path (path);
}

PigeonDraft *
pigeon_draft_store_load (PigeonDraftStore *self, GStrv *missing, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GFile) aside = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = g_file_get_parse_name (self->file);
  PigeonDraft *draft = NULL;
  gsize length = 0;

  g_return_val_if_fail (PIGEON_IS_DRAFT_STORE (self), NULL);

  if (missing != NULL)
    *missing = NULL;
  if (!g_file_load_contents (self->file, NULL, &data, &length, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _ ("Cannot read the saved draft “%s”: "), name);
      return NULL;
    }
  g_clear_error (&local_error);
  draft = parse_draft (data, length, missing, &local_error);
  if (draft != NULL)
    return draft;

  aside = set_aside (self, NULL);
  if (aside != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _ ("The saved draft “%s” cannot be restored (%s). It was kept as “%s”."), name,
                 local_error->message, g_file_peek_path (aside));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _ ("The saved draft “%s” cannot be restored (%s)."), name, local_error->message);
  return NULL;
}

void
pigeon_draft_store_watch (PigeonDraftStore *self, PigeonDraft *draft)
{
  g_return_if_fail (PIGEON_IS_DRAFT_STORE (self));
  g_return_if_fail (draft == NULL || PIGEON_IS_DRAFT (draft));

  if (draft == self->draft)
    return;
  g_clear_handle_id (&self->save_source, g_source_remove);
  unwatch (self);
  if (draft == NULL)
    return;
  self->draft = g_object_ref (draft);
  g_signal_connect_swapped (draft, "notify", G_CALLBACK (draft_notify_cb), self);
  g_signal_connect (pigeon_draft_get_attachments (draft), "items-changed",
                    G_CALLBACK (attachments_changed_cb), self);
  watch_attachments (self, 0, g_list_model_get_n_items (pigeon_draft_get_attachments (draft)));
}

gboolean
pigeon_draft_store_save (PigeonDraftStore *self, PigeonDraft *draft, GError **error)
{
  g_autoptr (Snapshot) snapshot = NULL;

  g_return_val_if_fail (PIGEON_IS_DRAFT_STORE (self), FALSE);
  g_return_val_if_fail (PIGEON_IS_DRAFT (draft), FALSE);

  if (draft == self->draft)
    g_clear_handle_id (&self->save_source, g_source_remove);
  snapshot = snapshot_new (self, draft);
  return write_snapshot (self, snapshot, error);
}

gboolean
pigeon_draft_store_clear (PigeonDraftStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (PIGEON_IS_DRAFT_STORE (self), FALSE);

  /* What was typed before the message went is no longer a draft: drop it wherever it is. */
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_pointer (&self->queued, snapshot_free);
  locker = g_mutex_locker_new (&self->write_lock);
  self->written_serial = self->last_serial;

  return delete_if_present (self->file, error) && delete_folder (self->imported, error);
}
