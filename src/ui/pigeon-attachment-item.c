/* pigeon-attachment-item.c: one attachment in the attachments area
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-attachment-item.h"

#include <glib/gi18n.h>

#define THUMBNAIL_SIZE 96

struct _PigeonAttachmentItem
{
  GtkFlowBoxChild parent_instance;

  PigeonAttachment *attachment;
  PigeonDraft *draft; /* the one @attachment is in */

  GtkWidget *remove_button;
  GtkStack *inline_stack; /* images only: "Show in message", or how it goes while locked */
};

G_DEFINE_FINAL_TYPE (PigeonAttachmentItem, pigeon_attachment_item, GTK_TYPE_FLOW_BOX_CHILD)

/* The type's icon first; for an image, its picture when the thumbnailer has made it. */
static GtkWidget *
make_thumbnail (PigeonAttachment *attachment, PigeonThumbnailer *thumbnailer)
{
  g_autoptr (GIcon) icon =
    g_content_type_get_icon (pigeon_attachment_get_content_type (attachment));
  GtkWidget *image = gtk_image_new_from_gicon (icon, GTK_ICON_SIZE_DIALOG);

  gtk_image_set_pixel_size (GTK_IMAGE (image), 48);
  gtk_widget_set_size_request (image, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_style_context_add_class (gtk_widget_get_style_context (image), "pigeon-thumbnail");
  if (pigeon_attachment_is_image (attachment))
    pigeon_thumbnailer_show (thumbnailer, GTK_IMAGE (image),
                             pigeon_attachment_get_file (attachment), THUMBNAIL_SIZE);
  return image;
}

static void
remove_button_clicked_cb (GtkButton *button, PigeonAttachmentItem *self)
{
  GtkWidget *flow_box = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_FLOW_BOX);
  int index = gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (self));
  gboolean had_focus = gtk_widget_has_focus (GTK_WIDGET (button));
  /* Removing the attachment destroys this item: what comes after must not need it. */
  g_autoptr (PigeonDraft) draft = g_object_ref (self->draft);
  g_autoptr (PigeonAttachment) attachment = g_object_ref (self->attachment);
  GtkFlowBoxChild *next = NULL;

  pigeon_draft_remove_attachment (draft, attachment);
  /* Keyboard users stay in the list rather than being sent back to the window's start. */
  next = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (flow_box), index);
  if (next == NULL && index > 0)
    next = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (flow_box), index - 1);
  if (had_focus && next != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (next));
}

static GtkWidget *
make_remove_button (PigeonAttachmentItem *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("window-close-symbolic", GTK_ICON_SIZE_MENU);
  g_autofree char *name =
    g_strdup_printf (_ ("Remove %s"), pigeon_attachment_get_display_name (self->attachment));
  GtkStyleContext *context = gtk_widget_get_style_context (button);

  gtk_style_context_add_class (context, "circular");
  gtk_style_context_add_class (context, "osd");
  gtk_style_context_add_class (context, "pigeon-remove");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (button, 4);
  gtk_widget_set_margin_end (button, 4);
  gtk_widget_set_tooltip_text (button, name);
  atk_object_set_name (gtk_widget_get_accessible (button), name);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_button_clicked_cb), self);
  return button;
}

static gboolean
disposition_to_active_cb (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  g_value_set_boolean (to, g_value_get_enum (from) == PIGEON_ATTACHMENT_INLINE);
  return TRUE;
}

static gboolean
active_to_disposition_cb (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  g_value_set_enum (to, g_value_get_boolean (from) ? PIGEON_ATTACHMENT_INLINE
                                                   : PIGEON_ATTACHMENT_ATTACHED);
  return TRUE;
}

static gboolean
disposition_to_words_cb (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  g_value_set_string (to, g_value_get_enum (from) == PIGEON_ATTACHMENT_INLINE
                            ? _ ("Shown in message")
                            : _ ("Attached as file"));
  return TRUE;
}

/* "Show in message", and in the same place, for while the item is locked, a label saying how
 * the image goes. Making 20 check boxes insensitive costs GTK 3 a new style for each, 30–40 ms
 * in all; switching a stack's page costs little, and the label is read the same way. */
static GtkStack *
make_inline_stack (PigeonAttachment *attachment)
{
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *check = gtk_check_button_new_with_label (_ ("Show in message"));
  GtkWidget *locked = gtk_label_new (NULL);

  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, _ ("Shown in the text of the message when ticked, "
                                         "attached as a file when not"));
  gtk_style_context_add_class (gtk_widget_get_style_context (check), "pigeon-inline-toggle");
  g_object_bind_property_full (attachment, "disposition", check, "active",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               disposition_to_active_cb, active_to_disposition_cb, NULL, NULL);
  gtk_label_set_line_wrap (GTK_LABEL (locked), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (locked), 16);
  gtk_label_set_justify (GTK_LABEL (locked), GTK_JUSTIFY_CENTER);
  gtk_style_context_add_class (gtk_widget_get_style_context (locked), "dim-label");
  g_object_bind_property_full (attachment, "disposition", locked, "label", G_BINDING_SYNC_CREATE,
                               disposition_to_words_cb, NULL, NULL, NULL);
  gtk_stack_add_named (GTK_STACK (stack), check, "edit");
  gtk_stack_add_named (GTK_STACK (stack), locked, "locked");
  return GTK_STACK (stack);
}

static GtkWidget *
make_label (const char *text, const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
  gtk_label_set_width_chars (GTK_LABEL (label), 14);
  if (style_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style_class);
  return label;
}

/* Overrides. */

static void
pigeon_attachment_item_dispose (GObject *object)
{
  PigeonAttachmentItem *self = PIGEON_ATTACHMENT_ITEM (object);

  g_clear_object (&self->attachment);
  g_clear_object (&self->draft);

  G_OBJECT_CLASS (pigeon_attachment_item_parent_class)->dispose (object);
}

static void
pigeon_attachment_item_class_init (PigeonAttachmentItemClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pigeon_attachment_item_dispose;
}

static void
pigeon_attachment_item_init (PigeonAttachmentItem *self)
{
}

/* Public API. */

GtkWidget *
pigeon_attachment_item_new (PigeonAttachment *attachment,
                            PigeonDraft *draft,
                            PigeonThumbnailer *thumbnailer)
{
  PigeonAttachmentItem *self = NULL;
  const char *name = NULL;
  g_autofree char *size = NULL;
  g_autofree char *description = NULL;
  GtkWidget *box = NULL;
  GtkWidget *overlay = NULL;
  GtkWidget *name_label = NULL;

  g_return_val_if_fail (PIGEON_IS_ATTACHMENT (attachment), NULL);
  g_return_val_if_fail (PIGEON_IS_DRAFT (draft), NULL);
  g_return_val_if_fail (PIGEON_IS_THUMBNAILER (thumbnailer), NULL);

  self = g_object_new (PIGEON_TYPE_ATTACHMENT_ITEM, NULL);
  self->attachment = g_object_ref (attachment);
  self->draft = g_object_ref (draft);
  name = pigeon_attachment_get_display_name (attachment);
  size = g_format_size (pigeon_attachment_get_size (attachment));
  description = g_strdup_printf ("%s, %s", name, size);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  overlay = gtk_overlay_new ();
  name_label = make_label (name, NULL);

  gtk_container_add (GTK_CONTAINER (overlay), make_thumbnail (attachment, thumbnailer));
  self->remove_button = make_remove_button (self);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->remove_button);
  gtk_widget_set_halign (overlay, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (name_label, name);
  gtk_container_add (GTK_CONTAINER (box), overlay);
  gtk_container_add (GTK_CONTAINER (box), name_label);
  gtk_container_add (GTK_CONTAINER (box), make_label (size, "dim-label"));
  if (pigeon_attachment_is_image (attachment))
    {
      self->inline_stack = make_inline_stack (attachment);
      gtk_container_add (GTK_CONTAINER (box), GTK_WIDGET (self->inline_stack));
    }
  gtk_container_add (GTK_CONTAINER (self), box);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), description);
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

void
pigeon_attachment_item_set_locked (PigeonAttachmentItem *self, gboolean locked)
{
  g_return_if_fail (PIGEON_IS_ATTACHMENT_ITEM (self));

  /* Hidden rather than insensitive: nothing to press, for the pointer, the keyboard and
   * assistive technologies alike, and no new style for GTK to compute (see above). */
  gtk_widget_set_visible (self->remove_button, !locked);
  if (self->inline_stack != NULL)
    gtk_stack_set_visible_child_name (self->inline_stack, locked ? "locked" : "edit");
}
