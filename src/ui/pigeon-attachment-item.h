/* pigeon-attachment-item.h: one attachment in the attachments area
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pigeon-draft.h"
#include "pigeon-thumbnailer.h"

G_BEGIN_DECLS

#define PIGEON_TYPE_ATTACHMENT_ITEM (pigeon_attachment_item_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonAttachmentItem, pigeon_attachment_item, PIGEON, ATTACHMENT_ITEM, GtkFlowBoxChild)

/**
 * PigeonAttachmentItem:
 *
 * @attachment of @draft as a flow box item: the type's icon, replaced for an image by its
 * thumbnail once @thumbnailer has made it; a remove button ("Remove NAME"), which takes the
 * attachment out of @draft and keeps the keyboard focus in the list; the name and the size;
 * for an image, "Show in message", bound both ways to its disposition. Its accessible name is
 * "NAME, SIZE".
 */
GtkWidget *pigeon_attachment_item_new (PigeonAttachment *attachment,
                                       PigeonDraft *draft,
                                       PigeonThumbnailer *thumbnailer);

/* While @locked (a send is in flight), the item cannot change the draft: no remove button, and
 * "Show in message" is replaced by a label that says how the image goes ("Shown in message",
 * "Attached as file"). */
void pigeon_attachment_item_set_locked (PigeonAttachmentItem *self, gboolean locked);

G_END_DECLS
