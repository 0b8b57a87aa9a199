/* pigeon-attachments-view.c: the area where images and files are dropped, shown as thumbnails
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-attachments-view.h"

#include <glib/gi18n.h>

#include "pigeon-attachment-intake.h"
#include "pigeon-attachment-item.h"
#include "pigeon-rows-scroller.h"
#include "pigeon-thumbnailer.h"

/* What a message adds around its files: headers, the text (plain and HTML), part headers. */
#define MESSAGE_OVERHEAD 2048
#define PART_OVERHEAD    256

struct _PigeonAttachmentsView
{
  GtkBin parent_instance;

  GtkStack *stack;
  GtkWidget *empty_button;
  GtkFlowBox *flow_box;
  GtkWidget *footer;
  GtkSpinner *pending_spinner;
  GtkWidget *warning_icon;
  GtkLabel *total_label;

  PigeonDraft *draft;
  PigeonDraftStore *store;
  PigeonThumbnailer *thumbnailer;
  PigeonAttachmentIntake *intake; /* reads and imports what is given to the draft */
  GtkFileChooserNative *chooser;
  GtkClipboard *clipboard;
  char *clipboard_type; /* the best type the clipboard offers, NULL when none we take */
  guint64 size_limit;
  gboolean locked; /* the draft is being sent: nothing is added, removed or changed */
};

G_DEFINE_FINAL_TYPE (PigeonAttachmentsView, pigeon_attachments_view, GTK_TYPE_BIN)

enum
{
  PROP_0,
  PROP_N_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Base64 as GMime writes it: 76 characters (57 bytes) a line, each line ended with CRLF. */
static guint64
encoded_size (guint64 size)
{
  return (size + 2) / 3 * 4 + (size + 56) / 57 * 2;
}

static guint64
estimate_message_size (PigeonDraft *draft)
{
  GListModel *attachments = pigeon_draft_get_attachments (draft);
  guint64 total = MESSAGE_OVERHEAD + 2 * strlen (pigeon_draft_get_body (draft));
  guint n = g_list_model_get_n_items (attachments);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (PigeonAttachment) attachment = g_list_model_get_item (attachments, i);

      total += PART_OVERHEAD + encoded_size (pigeon_attachment_get_size (attachment));
    }
  return total;
}

static void
update_footer (PigeonAttachmentsView *self)
{
  guint n = self->draft ? g_list_model_get_n_items (pigeon_draft_get_attachments (self->draft)) : 0;
  guint64 size = self->draft ? estimate_message_size (self->draft) : 0;
  guint n_pending = pigeon_attachment_intake_get_n_pending (self->intake);
  gboolean over = self->size_limit > 0 && size > self->size_limit;
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self->total_label));
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *limit_text = g_format_size (self->size_limit);
  g_autofree char *text = NULL;

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "items" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->pending_spinner), n_pending > 0);
  if (n_pending > 0)
    gtk_spinner_start (self->pending_spinner);
  else
    gtk_spinner_stop (self->pending_spinner);
  gtk_widget_set_visible (self->footer, n > 0 || n_pending > 0);
  gtk_widget_set_visible (self->warning_icon, over);
  if (over)
    text = g_strdup_printf (_ ("The message is about %s, more than the %s the server accepts"),
                            size_text, limit_text);
  else if (n > 0)
    text = g_strdup_printf (_ ("The message is about %s"), size_text);
  else
    text = g_strdup (_ ("Reading files…"));
  gtk_label_set_text (self->total_label, text);
  if (over)
    gtk_style_context_remove_class (context, "dim-label");
  else
    gtk_style_context_add_class (context, "dim-label");
  if (over)
    gtk_style_context_add_class (context, "pigeon-size-warning");
  else
    gtk_style_context_remove_class (context, "pigeon-size-warning");
}

static GtkWidget *
create_item_cb (gpointer item, gpointer user_data)
{
  PigeonAttachmentsView *self = user_data;
  GtkWidget *widget = pigeon_attachment_item_new (item, self->draft, self->thumbnailer);

  if (self->locked)
    pigeon_attachment_item_set_locked (PIGEON_ATTACHMENT_ITEM (widget), TRUE);
  return widget;
}

/* Files dropped on the view: everywhere on it, copy only (a "move" would let a file manager
 * delete the user's file after the drop); nowhere while locked. */
static void
update_drop_target (PigeonAttachmentsView *self)
{
  GtkTargetList *targets = NULL;

  if (self->locked)
    {
      gtk_drag_dest_unset (GTK_WIDGET (self));
      return;
    }
  targets = gtk_target_list_new (NULL, 0);
  for (guint i = 0; i < PIGEON_ATTACHMENT_INTAKE_N_DROP_TYPES; i++)
    gtk_target_list_add (targets, gdk_atom_intern_static_string (pigeon_attachment_intake_types[i]),
                         0, i);
  gtk_drag_dest_set (GTK_WIDGET (self), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
  gtk_drag_dest_set_target_list (GTK_WIDGET (self), targets);
  gtk_target_list_unref (targets);
}

/* Signal callbacks. */

static void
drag_data_received_cb (GtkWidget *widget,
                       GdkDragContext *context,
                       int x,
                       int y,
                       GtkSelectionData *selection,
                       guint info,
                       guint time)
{
  g_autofree char *type = gdk_atom_name (gtk_selection_data_get_target (selection));
  int length = gtk_selection_data_get_length (selection);
  g_autoptr (GBytes) bytes = NULL;

  if (length < 0)
    return;
  bytes = g_bytes_new (gtk_selection_data_get_data (selection), length);
  pigeon_attachments_view_add_data (PIGEON_ATTACHMENTS_VIEW (widget), type, bytes);
}

static void
clipboard_contents_received_cb (GtkClipboard *clipboard,
                                GtkSelectionData *selection,
                                gpointer user_data)
{
  g_autoptr (PigeonAttachmentsView) self = user_data;
  g_autofree char *type = gdk_atom_name (gtk_selection_data_get_target (selection));
  int length = gtk_selection_data_get_length (selection);
  g_autoptr (GBytes) bytes = NULL;

  if (length < 0)
    {
      g_signal_emit (self, signals[SIGNAL_ERROR], 0,
                     _ ("What was copied is no longer on the clipboard."));
      return;
    }
  bytes = g_bytes_new (gtk_selection_data_get_data (selection), length);
  pigeon_attachments_view_add_data (self, type, bytes);
}

static void
clipboard_targets_received_cb (GtkClipboard *clipboard,
                               GdkAtom *atoms,
                               int n_atoms,
                               gpointer user_data)
{
  g_autoptr (PigeonAttachmentsView) self = user_data;

  g_clear_pointer (&self->clipboard_type, g_free);
  for (guint i = 0; i < PIGEON_ATTACHMENT_INTAKE_N_TYPES && self->clipboard_type == NULL; i++)
    for (int j = 0; j < n_atoms; j++)
      if (atoms[j] == gdk_atom_intern_static_string (pigeon_attachment_intake_types[i]))
        self->clipboard_type = g_strdup (pigeon_attachment_intake_types[i]);
}

/* Asking the clipboard what it holds takes a round trip to its owner: it is asked whenever the
 * owner changes, so that Ctrl+V can answer at once whether it pastes an attachment. */
static void
clipboard_owner_change_cb (PigeonAttachmentsView *self)
{
  gtk_clipboard_request_targets (self->clipboard, clipboard_targets_received_cb,
                                 g_object_ref (self));
}

static void
attachments_changed_cb (PigeonAttachmentsView *self)
{
  update_footer (self);
}

static void
intake_error_cb (PigeonAttachmentsView *self, const char *message)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, message);
}

static void
intake_pending_cb (PigeonAttachmentsView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
  update_footer (self);
}

static void
empty_button_clicked_cb (PigeonAttachmentsView *self)
{
  pigeon_attachments_view_choose_files (self);
}

static void
chooser_response_cb (PigeonAttachmentsView *self, int response)
{
  GSList *files = NULL;
  GList *list = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->draft != NULL)
    files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (self->chooser));
  for (GSList *l = files; l != NULL; l = l->next)
    list = g_list_prepend (list, l->data);
  g_slist_free (files);
  if (list != NULL)
    pigeon_attachment_intake_add_files (self->intake, self->draft, g_list_reverse (list));
  g_clear_object (&self->chooser);
}

/* Overrides. */

static void
pigeon_attachments_view_dispose (GObject *object)
{
  PigeonAttachmentsView *self = PIGEON_ATTACHMENTS_VIEW (object);

  if (self->intake != NULL)
    pigeon_attachment_intake_cancel (self->intake);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->draft != NULL)
    pigeon_attachments_view_set_draft (self, NULL, NULL);
  if (self->intake != NULL)
    g_signal_handlers_disconnect_by_data (self->intake, self);
  g_clear_object (&self->intake);
  g_clear_object (&self->thumbnailer);

  G_OBJECT_CLASS (pigeon_attachments_view_parent_class)->dispose (object);
}

static void
pigeon_attachments_view_finalize (GObject *object)
{
  PigeonAttachmentsView *self = PIGEON_ATTACHMENTS_VIEW (object);

  g_clear_pointer (&self->clipboard_type, g_free);

  G_OBJECT_CLASS (pigeon_attachments_view_parent_class)->finalize (object);
}

static void
pigeon_attachments_view_get_property (GObject *object,
                                      guint prop_id,
                                      GValue *value,
                                      GParamSpec *pspec)
{
  PigeonAttachmentsView *self = PIGEON_ATTACHMENTS_VIEW (object);

  switch (prop_id)
    {
      case PROP_N_PENDING:
        g_value_set_uint (value, pigeon_attachment_intake_get_n_pending (self->intake));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pigeon_attachments_view_class_init (PigeonAttachmentsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pigeon_attachments_view_dispose;
  object_class->finalize = pigeon_attachments_view_finalize;
  object_class->get_property = pigeon_attachments_view_get_property;
  widget_class->drag_data_received = drag_data_received_cb;

  /* How many files are still being read; the window waits for 0 before sending. */
  properties[PROP_N_PENDING] = g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (PIGEON_TYPE_ROWS_SCROLLER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pigeonmail/Pigeon/"
                                                             "pigeon-attachments-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PigeonAttachmentsView, stack);
  gtk_widget_class_bind_template_child (widget_class, PigeonAttachmentsView, empty_button);
  gtk_widget_class_bind_template_child (widget_class, PigeonAttachmentsView, flow_box);
  gtk_widget_class_bind_template_child (widget_class, PigeonAttachmentsView, footer);
  gtk_widget_class_bind_template_child (widget_class, PigeonAttachmentsView, pending_spinner);
  gtk_widget_class_bind_template_child (widget_class, PigeonAttachmentsView, warning_icon);
  gtk_widget_class_bind_template_child (widget_class, PigeonAttachmentsView, total_label);
  gtk_widget_class_bind_template_callback (widget_class, empty_button_clicked_cb);
}

static void
pigeon_attachments_view_init (PigeonAttachmentsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _ ("Attachments"));
  self->thumbnailer = pigeon_thumbnailer_new ();
  self->intake = pigeon_attachment_intake_new (GTK_WIDGET (self));
  g_signal_connect_swapped (self->intake, "error", G_CALLBACK (intake_error_cb), self);
  g_signal_connect_swapped (self->intake, "pending-changed", G_CALLBACK (intake_pending_cb), self);
  update_drop_target (self);

  /* Not yet in a window, so the default display's clipboard: the one Ctrl+V pastes from. */
  self->clipboard = gtk_clipboard_get (GDK_SELECTION_CLIPBOARD);
  g_signal_connect_object (self->clipboard, "owner-change", G_CALLBACK (clipboard_owner_change_cb),
                           self, G_CONNECT_SWAPPED);
  clipboard_owner_change_cb (self);
  update_footer (self);
}

/* Public API. */

GtkWidget *
pigeon_attachments_view_new (void)
{
  return g_object_new (PIGEON_TYPE_ATTACHMENTS_VIEW, NULL);
}

void
pigeon_attachments_view_set_draft (PigeonAttachmentsView *self,
                                   PigeonDraft *draft,
                                   PigeonDraftStore *store)
{
  g_return_if_fail (PIGEON_IS_ATTACHMENTS_VIEW (self));
  g_return_if_fail (draft == NULL || PIGEON_IS_DRAFT (draft));
  g_return_if_fail (store == NULL || PIGEON_IS_DRAFT_STORE (store));

  if (self->draft != NULL)
    {
      g_signal_handlers_disconnect_by_data (pigeon_draft_get_attachments (self->draft), self);
      g_signal_handlers_disconnect_by_data (self->draft, self);
    }
  g_set_object (&self->draft, draft);
  g_set_object (&self->store, store);
  gtk_flow_box_bind_model (self->flow_box, draft ? pigeon_draft_get_attachments (draft) : NULL,
                           create_item_cb, self, NULL);
  if (draft != NULL)
    {
      g_signal_connect_swapped (pigeon_draft_get_attachments (draft), "items-changed",
                                G_CALLBACK (attachments_changed_cb), self);
      g_signal_connect_swapped (draft, "notify::body", G_CALLBACK (attachments_changed_cb), self);
    }
  update_footer (self);
}

void
pigeon_attachments_view_set_size_limit (PigeonAttachmentsView *self, guint64 limit)
{
  g_return_if_fail (PIGEON_IS_ATTACHMENTS_VIEW (self));

  self->size_limit = limit;
  update_footer (self);
}

void
pigeon_attachments_view_choose_files (PigeonAttachmentsView *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkFileFilter *images = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  g_return_if_fail (PIGEON_IS_ATTACHMENTS_VIEW (self));

  if (self->chooser != NULL || self->locked)
    return;
  self->chooser = gtk_file_chooser_native_new (
    _ ("Attach Files"), GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
    GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Attach"), _ ("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (images, _ ("Images"));
  gtk_file_filter_add_mime_type (images, "image/*");
  gtk_file_filter_set_name (all, _ ("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), images);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

gboolean
pigeon_attachments_view_paste (PigeonAttachmentsView *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENTS_VIEW (self), FALSE);

  if (self->clipboard_type == NULL || self->draft == NULL || self->locked)
    return FALSE;
  gtk_clipboard_request_contents (self->clipboard, gdk_atom_intern (self->clipboard_type, FALSE),
                                  clipboard_contents_received_cb, g_object_ref (self));
  return TRUE;
}

gboolean
pigeon_attachments_view_add_data (PigeonAttachmentsView *self, const char *mime_type, GBytes *data)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENTS_VIEW (self), FALSE);
  g_return_val_if_fail (mime_type != NULL && data != NULL, FALSE);

  if (self->draft == NULL || self->locked)
    return FALSE;
  return pigeon_attachment_intake_add_data (self->intake, self->draft, self->store, mime_type,
                                            data);
}

void
pigeon_attachments_view_set_locked (PigeonAttachmentsView *self, gboolean locked)
{
  g_return_if_fail (PIGEON_IS_ATTACHMENTS_VIEW (self));

  if (self->locked == !!locked)
    return;
  self->locked = !!locked;
  update_drop_target (self);
  /* One widget: insensitive is cheap here, and says "not now" as the header's Attach does. */
  gtk_widget_set_sensitive (self->empty_button, !locked);
  for (int i = 0;; i++)
    {
      GtkFlowBoxChild *item = gtk_flow_box_get_child_at_index (self->flow_box, i);

      if (item == NULL)
        break;
      pigeon_attachment_item_set_locked (PIGEON_ATTACHMENT_ITEM (item), locked);
    }
}

guint
pigeon_attachments_view_get_n_pending (PigeonAttachmentsView *self)
{
  g_return_val_if_fail (PIGEON_IS_ATTACHMENTS_VIEW (self), 0);

  return pigeon_attachment_intake_get_n_pending (self->intake);
}
