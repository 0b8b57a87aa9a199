/* pigeon-draft.c: the message being written: what the window shows and edits
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-core"

#include "pigeon-draft.h"

#include <glib/gi18n.h>

/* Enough of the start of a file for every content type sniffer GIO has. */
#define SNIFF_SIZE 4096

#define FILE_ATTRIBUTES "standard::type,standard::size,standard::display-name"

struct _PigeonAttachment
{
  GObject parent_instance;

  GFile *file;
  char *display_name;
  char *content_type; /* a MIME type */
  guint64 size;
  PigeonAttachmentDisposition disposition;
};

typedef enum
{
  FIELD_FROM,
  FIELD_TO,
  FIELD_CC,
  FIELD_BCC,
  FIELD_SUBJECT,
  FIELD_BODY,
  N_FIELDS
} DraftField;

struct _PigeonDraft
{
  GObject parent_instance;

  char *fields[N_FIELDS]; /* never NULL */
  GListStore *attachments;
};

G_DEFINE_FINAL_TYPE (PigeonAttachment, pigeon_attachment, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (PigeonDraft, pigeon_draft, G_TYPE_OBJECT)

enum
{
  ATTACHMENT_PROP_0,
  ATTACHMENT_PROP_FILE,
  ATTACHMENT_PROP_DISPLAY_NAME,
  ATTACHMENT_PROP_CONTENT_TYPE,
  ATTACHMENT_PROP_SIZE,
  ATTACHMENT_PROP_DISPOSITION,
  N_ATTACHMENT_PROPS
};

static GParamSpec *attachment_properties[N_ATTACHMENT_PROPS];

enum
{
  DRAFT_PROP_0,
  DRAFT_PROP_FIRST_FIELD,
  N_DRAFT_PROPS = DRAFT_PROP_FIRST_FIELD + N_FIELDS
};

static GParamSpec *draft_properties[N_DRAFT_PROPS];

/* The property names; "from" holds an account id. */
static const char *const field_names[N_FIELDS] = {
  "from", "to", "cc", "bcc", "subject", "body",
};

static const GEnumValue disposition_values[] = {
  { PIGEON_ATTACHMENT_INLINE, "PIGEON_ATTACHMENT_INLINE", "inline" },
  { PIGEON_ATTACHMENT_ATTACHED, "PIGEON_ATTACHMENT_ATTACHED", "attached" },
  { 0, NULL, NULL },
};

GType
pigeon_attachment_disposition_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_enum_register_static ("PigeonAttachmentDisposition", disposition_values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

/* The type the bytes say, refined by the name (a .csv is text/csv rather than text/plain), but
 * the name alone never makes an image of something that is not one. */
static char *
sniff_mime_type (const char *name, const guchar *data, gsize length)
{
  g_autofree char *by_bytes = g_content_type_guess (NULL, data, length, NULL);
  g_autofree char *by_both = g_content_type_guess (name, data, length, NULL);
  g_autofree char *bytes_mime = g_content_type_get_mime_type (by_bytes);
  g_autofree char *both_mime = g_content_type_get_mime_type (by_both);

  if (both_mime == NULL)
    return g_strdup (bytes_mime ? bytes_mime : "application/octet-stream");
  if (g_str_has_prefix (both_mime, "image/") &&
      (bytes_mime == NULL || !g_str_has_prefix (bytes_mime, "image/")))
    return g_strdup (bytes_mime ? bytes_mime : "application/octet-stream");
  return g_steal_pointer (&both_mime);
}

/* The images mail programs show in the text; other images are better attached. */
static gboolean
shows_inline (const char *mime_type)
{
  return g_str_equal (mime_type, "image/png") || g_str_equal (mime_type, "image/jpeg") ||
         g_str_equal (mime_type, "image/gif") || g_str_equal (mime_type, "image/webp");
}

static GFileInfo *
query_regular_file (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInfo) info = NULL;

  info = g_file_query_info (file, FILE_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, _ ("“%s” is not a file."),
                   g_file_info_get_display_name (info));
      return NULL;
    }
  return g_steal_pointer (&info);
}

static gboolean
read_start (GFile *file, guchar *buffer, gsize *length, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInputStream) stream = g_file_read (file, cancellable, error);

  if (stream == NULL)
    return FALSE;
  return g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, SNIFF_SIZE, length, cancellable,
                                  error);
}

static void
attachment_task_cb (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  PigeonAttachment *attachment = pigeon_attachment_new_for_file (task_data, cancellable, &error);

  if (attachment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, attachment, g_object_unref);
}

static void
pigeon_attachment_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PigeonAttachment *self = PIGEON_ATTACHMENT (object);

  switch (prop_id)
    {
      case ATTACHMENT_PROP_FILE:
        g_value_set_object (value, self->file);
        break;
      case ATTACHMENT_PROP_DISPLAY_NAME:
        g_value_set_string (value, self->display_name);
        break;
      case ATTACHMENT_PROP_CONTENT_TYPE:
        g_value_set_string (value, self->content_type);
        break;
      case ATTACHMENT_PROP_SIZE:
        g_value_set_uint64 (value, self->size);
        break;
      case ATTACHMENT_PROP_DISPOSITION:
        g_value_set_enum (value, self->disposition);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pigeon_attachment_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  PigeonAttachment *self = PIGEON_ATTACHMENT (object);

  switch (prop_id)
    {
      case ATTACHMENT_PROP_FILE:
        self->file = g_value_dup_object (value);
        break;
      case ATTACHMENT_PROP_DISPLAY_NAME:
        pigeon_attachment_set_display_name (self, g_value_get_string (value));
        break;
      case ATTACHMENT_PROP_CONTENT_TYPE:
        self->content_type = g_value_dup_string (value);
        break;
      case ATTACHMENT_PROP_SIZE:
        self->size = g_value_get_uint64 (value);
        break;
      case ATTACHMENT_PROP_DISPOSITION:
        pigeon_attachment_set_disposition (self, g_value_get_enum (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pigeon_attachment_finalize (GObject *object)
{
  PigeonAttachment *self = PIGEON_ATTACHMENT (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->content_type, g_free);

  G_OBJECT_CLASS (pigeon_attachment_parent_class)->finalize (object);
}

static void
pigeon_attachment_class_init (PigeonAttachmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags fixed = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags changing = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = pigeon_attachment_get_property;
  object_class->set_property = pigeon_attachment_set_property;
  object_class->finalize = pigeon_attachment_finalize;

  attachment_properties[ATTACHMENT_PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, fixed);
  attachment_properties[ATTACHMENT_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, "", changing);
  attachment_properties[ATTACHMENT_PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, "application/octet-stream", fixed);
  attachment_properties[ATTACHMENT_PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, fixed);
  /* Not construct-only: g_object_new() sets it after the content type it is checked against. */
  attachment_properties[ATTACHMENT_PROP_DISPOSITION] =
    g_param_spec_enum ("disposition", NULL, NULL, PIGEON_TYPE_ATTACHMENT_DISPOSITION,
                       PIGEON_ATTACHMENT_ATTACHED, changing);

  g_object_class_install_properties (object_class, N_ATTACHMENT_PROPS, attachment_properties);
}

static void
pigeon_attachment_init (PigeonAttachment *self)
{
  self->display_name = g_strdup ("");
  self->disposition = PIGEON_ATTACHMENT_ATTACHED;
}

static void
set_field (PigeonDraft *self, DraftField field, const char *value)
{
  if (g_strcmp0 (self->fields[field], value ? value : "") == 0)
    return;
  g_free (self->fields[field]);
  self->fields[field] = g_strdup (value ? value : "");
  g_object_notify_by_pspec (G_OBJECT (self), draft_properties[DRAFT_PROP_FIRST_FIELD + field]);
}

static gboolean
add_attachments (PigeonDraft *self, PigeonComposer *composer, GError **error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (PigeonAttachment) attachment =
        g_list_model_get_item (G_LIST_MODEL (self->attachments), i);

      if (!pigeon_composer_add_file (composer, attachment->file, attachment->display_name,
                                     attachment->disposition, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static void
pigeon_draft_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PigeonDraft *self = PIGEON_DRAFT (object);

  if (prop_id >= DRAFT_PROP_FIRST_FIELD && prop_id < N_DRAFT_PROPS)
    g_value_set_string (value, self->fields[prop_id - DRAFT_PROP_FIRST_FIELD]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pigeon_draft_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PigeonDraft *self = PIGEON_DRAFT (object);

  if (prop_id >= DRAFT_PROP_FIRST_FIELD && prop_id < N_DRAFT_PROPS)
    set_field (self, prop_id - DRAFT_PROP_FIRST_FIELD, g_value_get_string (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pigeon_draft_finalize (GObject *object)
{
  PigeonDraft *self = PIGEON_DRAFT (object);

  for (guint i = 0; i < N_FIELDS; i++)
    g_free (self->fields[i]);
  g_clear_object (&self->attachments);

  G_OBJECT_CLASS (pigeon_draft_parent_class)->finalize (object);
}

static void
pigeon_draft_class_init (PigeonDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pigeon_draft_get_property;
  object_class->set_property = pigeon_draft_set_property;
  object_class->finalize = pigeon_draft_finalize;

  for (guint i = 0; i < N_FIELDS; i++)
    draft_properties[DRAFT_PROP_FIRST_FIELD + i] =
      g_param_spec_string (field_names[i], NULL, NULL, "",
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_DRAFT_PROPS, draft_properties);
}

static void
pigeon_draft_init (PigeonDraft *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    self->fields[i] = g_strdup ("");
  self->attachments = g_list_store_new (PIGEON_TYPE_ATTACHMENT);
}

PigeonAttachment *
pigeon_attachment_new_for_file (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *mime_type = NULL;
  guchar buffer[SNIFF_SIZE];
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  info = query_regular_file (file, cancellable, &local_error);
  if (info == NULL || !read_start (file, buffer, &length, cancellable, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      /* GIO's messages do not always say which file: the user may have chosen several. */
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _ ("Cannot attach “%s”: "),
                                  name);
      return NULL;
    }
  mime_type = sniff_mime_type (g_file_info_get_display_name (info), buffer, length);
  return g_object_new (
    PIGEON_TYPE_ATTACHMENT, "file", file, "display-name", g_file_info_get_display_name (info),
    "content-type", mime_type, "size", (guint64) g_file_info_get_size (info), "disposition",
    shows_inline (mime_type) ? PIGEON_ATTACHMENT_INLINE : PIGEON_ATTACHMENT_ATTACHED, NULL);
}

void
pigeon_attachment_new_for_file_async (GFile *file,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pigeon_attachment_new_for_file_async);
  g_task_set_name (task, "pigeon_attachment_new_for_file_async");
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, attachment_task_cb);
}

PigeonAttachment *
pigeon_attachment_new_for_file_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == pigeon_attachment_new_for_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
pigeon_attachment_get_file (PigeonAttachment *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (self), NULL);
  return self->file;
}

const char *
pigeon_attachment_get_display_name (PigeonAttachment *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (self), NULL);
  return self->display_name;
}

void
pigeon_attachment_set_display_name (PigeonAttachment *self, const char *display_name)
{
  g_return_if_fail (PIGEON_IS_ATTACHMENT (self));

  if (g_strcmp0 (self->display_name, display_name ? display_name : "") == 0)
    return;
  g_free (self->display_name);
  self->display_name = g_strdup (display_name ? display_name : "");
  g_object_notify_by_pspec (G_OBJECT (self), attachment_properties[ATTACHMENT_PROP_DISPLAY_NAME]);
}

const char *
pigeon_attachment_get_content_type (PigeonAttachment *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (self), NULL);
  return self->content_type;
}

guint64
pigeon_attachment_get_size (PigeonAttachment *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (self), 0);
  return self->size;
}

gboolean
pigeon_attachment_is_image (PigeonAttachment *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (self), FALSE);
  return self->content_type != NULL && g_str_has_prefix (self->content_type, "image/");
}

PigeonAttachmentDisposition
pigeon_attachment_get_disposition (PigeonAttachment *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (self), PIGEON_ATTACHMENT_ATTACHED);
  return self->disposition;
}

gboolean
pigeon_attachment_set_disposition (PigeonAttachment *self, PigeonAttachmentDisposition disposition)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (self), FALSE);

  if (disposition == PIGEON_ATTACHMENT_INLINE && !pigeon_attachment_is_image (self))
    return FALSE;
  if (self->disposition != disposition)
    {
      self->disposition = disposition;
      g_object_notify_by_pspec (G_OBJECT (self),
                                attachment_properties[ATTACHMENT_PROP_DISPOSITION]);
    }
  return TRUE;
}

PigeonDraft *
pigeon_draft_new (void)
{
  return g_object_new (PIGEON_TYPE_DRAFT, NULL);
}

const char *
pigeon_draft_get_from (PigeonDraft *self)
{
  g_return_val_if_fail (PIGEON_IS_DRAFT (self), NULL);
  return self->fields[FIELD_FROM];
}

const char *
pigeon_draft_get_to (PigeonDraft *self)
{
  g_return_val_if_fail (PIGEON_IS_DRAFT (self), NULL);
  return self->fields[FIELD_TO];
}

const char *
pigeon_draft_get_cc (PigeonDraft *self)
{
  g_return_val_if_fail (PIGEON_IS_DRAFT (self), NULL);
  return self->fields[FIELD_CC];
}

const char *
pigeon_draft_get_bcc (PigeonDraft *self)
{
  g_return_val_if_fail (PIGEON_IS_DRAFT (self), NULL);
  return self->fields[FIELD_BCC];
}

const char *
pigeon_draft_get_subject (PigeonDraft *self)
{
  g_return_val_if_fail (PIGEON_IS_DRAFT (self), NULL);
  return self->fields[FIELD_SUBJECT];
}

const char *
pigeon_draft_get_body (PigeonDraft *self)
{
  g_return_val_if_fail (PIGEON_IS_DRAFT (self), NULL);
  return self->fields[FIELD_BODY];
}

GListModel *
pigeon_draft_get_attachments (PigeonDraft *self)
{
  g_return_val_if_fail (PIGEON_IS_DRAFT (self), NULL);
  return G_LIST_MODEL (self->attachments);
}

gboolean
pigeon_draft_add_file (PigeonDraft *self, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (PigeonAttachment) attachment = NULL;

  g_return_val_if_fail (PIGEON_IS_DRAFT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  attachment = pigeon_attachment_new_for_file (file, cancellable, error);
  if (attachment == NULL)
    return FALSE;
  pigeon_draft_add_attachment (self, attachment);
  return TRUE;
}

void
pigeon_draft_add_attachment (PigeonDraft *self, PigeonAttachment *attachment)
{
  g_return_if_fail (PIGEON_IS_DRAFT (self));
  g_return_if_fail (PIGEON_IS_ATTACHMENT (attachment));

  g_list_store_append (self->attachments, attachment);
}

gboolean
pigeon_draft_remove_attachment (PigeonDraft *self, PigeonAttachment *attachment)
{
  guint position = 0;

  g_return_val_if_fail (PIGEON_IS_DRAFT (self), FALSE);
  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (attachment), FALSE);

  if (!g_list_store_find (self->attachments, attachment, &position))
    return FALSE;
  g_list_store_remove (self->attachments, position);
  return TRUE;
}

PigeonComposedMessage *
pigeon_draft_compose (PigeonDraft *self, const char *from_mailbox, GError **error)
{
  g_autoptr (PigeonComposer) composer = NULL;

  g_return_val_if_fail (PIGEON_IS_DRAFT (self), NULL);
  g_return_val_if_fail (from_mailbox != NULL, NULL);

  composer = pigeon_composer_new ();
  if (!pigeon_composer_set_from (composer, from_mailbox, error) ||
      !pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_TO, self->fields[FIELD_TO],
                                       error) ||
      !pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_CC, self->fields[FIELD_CC],
                                       error) ||
      !pigeon_composer_add_recipients (composer, PIGEON_RECIPIENT_BCC, self->fields[FIELD_BCC],
                                       error) ||
      !pigeon_composer_set_subject (composer, self->fields[FIELD_SUBJECT], error) ||
      !pigeon_composer_set_body (composer, self->fields[FIELD_BODY], error) ||
      !add_attachments (self, composer, error))
    return NULL;
  return pigeon_composer_build (composer, error);
}
