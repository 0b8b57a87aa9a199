/* pigeon-draft.h: the message being written: what the window shows and edits
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-composer.h"

G_BEGIN_DECLS

/* PigeonAttachmentDisposition as a GEnum (nicks "inline", "attached"). */
#define PIGEON_TYPE_ATTACHMENT_DISPOSITION (pigeon_attachment_disposition_get_type ())
GType pigeon_attachment_disposition_get_type (void);

/**
 * PigeonAttachment:
 *
 * A file added to a draft, by reference: its content is read only when the message is written.
 * Properties: "file", "display-name" (the name the recipient sees), "content-type" (a MIME
 * type, learnt from the file's first bytes), "size" and "disposition" (images are inline by
 * default, anything else attached); only "display-name" and "disposition" change afterwards.
 */
#define PIGEON_TYPE_ATTACHMENT (pigeon_attachment_get_type ())
G_DECLARE_FINAL_TYPE (PigeonAttachment, pigeon_attachment, PIGEON, ATTACHMENT, GObject)

/* Reads the first bytes and the size of @file (blocking: from the UI, use the async pair).
 * Errors (G_IO_ERROR, the message naming the file): a file that does not exist, cannot be read
 * or is not a regular file. */
PigeonAttachment *
pigeon_attachment_new_for_file (GFile *file, GCancellable *cancellable, GError **error);
void pigeon_attachment_new_for_file_async (GFile *file,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
PigeonAttachment *pigeon_attachment_new_for_file_finish (GAsyncResult *result, GError **error);

GFile *pigeon_attachment_get_file (PigeonAttachment *self);
const char *pigeon_attachment_get_display_name (PigeonAttachment *self);
void pigeon_attachment_set_display_name (PigeonAttachment *self, const char *display_name);
const char *pigeon_attachment_get_content_type (PigeonAttachment *self);
guint64 pigeon_attachment_get_size (PigeonAttachment *self);
gboolean pigeon_attachment_is_image (PigeonAttachment *self);
PigeonAttachmentDisposition pigeon_attachment_get_disposition (PigeonAttachment *self);
/* INLINE is only for images (the composer refuses anything else): FALSE, nothing changed. */
gboolean pigeon_attachment_set_disposition (PigeonAttachment *self,
                                            PigeonAttachmentDisposition disposition);

/**
 * PigeonDraft:
 *
 * Properties, as the user typed them: "from" (the id of the account to send from), "to", "cc",
 * "bcc" (address lists), "subject", "body". Never NULL ("" when empty). The attachments are a
 * GListModel of PigeonAttachment in the order they were added.
 */
#define PIGEON_TYPE_DRAFT (pigeon_draft_get_type ())
G_DECLARE_FINAL_TYPE (PigeonDraft, pigeon_draft, PIGEON, DRAFT, GObject)

PigeonDraft *pigeon_draft_new (void);

const char *pigeon_draft_get_from (PigeonDraft *self);
const char *pigeon_draft_get_to (PigeonDraft *self);
const char *pigeon_draft_get_cc (PigeonDraft *self);
const char *pigeon_draft_get_bcc (PigeonDraft *self);
const char *pigeon_draft_get_subject (PigeonDraft *self);
const char *pigeon_draft_get_body (PigeonDraft *self);

/* (transfer none): a GListModel of PigeonAttachment. */
GListModel *pigeon_draft_get_attachments (PigeonDraft *self);

/* Makes an attachment of @file (pigeon_attachment_new_for_file) and appends it. On error the
 * draft is unchanged. Blocking: from the UI, make the attachment asynchronously and use
 * pigeon_draft_add_attachment(). */
gboolean
pigeon_draft_add_file (PigeonDraft *self, GFile *file, GCancellable *cancellable, GError **error);
void pigeon_draft_add_attachment (PigeonDraft *self, PigeonAttachment *attachment);
/* FALSE when @attachment is not in the draft. */
gboolean pigeon_draft_remove_attachment (PigeonDraft *self, PigeonAttachment *attachment);

/**
 * pigeon_draft_compose:
 * @from_mailbox: the sender as pigeon_account_get_from_mailbox() gives it
 *
 * Builds the message with PigeonComposer: From, the recipients of To, Cc and Bcc (blank
 * fields skipped), Subject, the body and the attachments. Errors are the composer's
 * (PIGEON_MIME_ERROR, naming the field or the file). The draft itself is not changed.
 */
PigeonComposedMessage *
pigeon_draft_compose (PigeonDraft *self, const char *from_mailbox, GError **error);

G_END_DECLS
