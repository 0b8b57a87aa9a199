/* pigeon-attachments-view.h: the area where images and files are dropped, shown as thumbnails
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pigeon-draft-store.h"
#include "pigeon-draft.h"

G_BEGIN_DECLS

#define PIGEON_TYPE_ATTACHMENTS_VIEW (pigeon_attachments_view_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonAttachmentsView, pigeon_attachments_view, PIGEON, ATTACHMENTS_VIEW, GtkBin)

/**
 * PigeonAttachmentsView:
 *
 * Shows the attachments of a draft (its GListModel) as items: a thumbnail made off the main
 * thread at thumbnail size, the name, the size, an inline/attached toggle (images only), and
 * a remove button. Its accessible name is "Attachments". It is a drop target for text/uri-list
 * (file managers) and image data (image/png, image/jpeg… from browsers: saved into the draft
 * folder through the draft store first), and pastes the same from the clipboard. Reading files
 * never blocks the main loop. A file that cannot be attached is refused with the "error"
 * signal (const char *message, for the window's info bar); nothing else changes.
 * Below the items: the total size of the message, turning into a warning when it exceeds the
 * size limit (the account's server SIZE, when known).
 *
 * Signals: "error" (const char *message).
 */
GtkWidget *pigeon_attachments_view_new (void);

void pigeon_attachments_view_set_draft (PigeonAttachmentsView *self,
                                        PigeonDraft *draft,
                                        PigeonDraftStore *store);

/* 0: no limit known. */
void pigeon_attachments_view_set_size_limit (PigeonAttachmentsView *self, guint64 limit);

/* The Attach button and Ctrl+Shift+A: a GtkFileChooserNative, multiple selection, images
 * filter first. */
void pigeon_attachments_view_choose_files (PigeonAttachmentsView *self);

/* Ctrl+V with an image or files on the clipboard: attaches them and returns TRUE; FALSE when
 * the clipboard holds neither (so the focused entry pastes text as usual). */
gboolean pigeon_attachments_view_paste (PigeonAttachmentsView *self);

/* What a drop and a paste both come down to: data of @mime_type, as a drag or the clipboard
 * gives it. "text/uri-list" (or a file manager's "x-special/gnome-copied-files"): the files
 * are read off the main thread and attached in order, other URIs are refused (with "error").
 * "image/png", "image/jpeg", "image/gif", "image/webp": the bytes are saved into the draft
 * folder (pigeon_draft_store_import_bytes) and that file is attached. FALSE when nothing will
 * be attached; "error" says why. Also for the window, to route drops on the text here. */
gboolean
pigeon_attachments_view_add_data (PigeonAttachmentsView *self, const char *mime_type, GBytes *data);

/* While a send is in flight: nothing can be added (drops, paste, the chooser and add_data are
 * refused), removed or changed; the items show how each image goes instead of the toggle
 * (pigeon_attachment_item_set_locked). The view stays sensitive, so that locking 20 items
 * costs the main loop a few milliseconds, not the 100+ of restyling every widget in them. */
void pigeon_attachments_view_set_locked (PigeonAttachmentsView *self, gboolean locked);

/* How many files are still being read (for tests and for not sending half a draft). */
guint pigeon_attachments_view_get_n_pending (PigeonAttachmentsView *self);

G_END_DECLS
