/* pigeon-attachment-intake.h: what becomes an attachment: files read off the main thread in
 * the order given, dropped or pasted image bytes kept in the draft folder first, lists of links
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pigeon-draft-store.h"
#include "pigeon-draft.h"

G_BEGIN_DECLS

/* The MIME types pigeon_attachment_intake_add_data() takes, in order of preference: image data
 * before a list of URIs, because browsers offer both and their URIs point at the web. The last
 * one is only found on the clipboard (file managers): a drop offers the first
 * PIGEON_ATTACHMENT_INTAKE_N_DROP_TYPES. */
#define PIGEON_ATTACHMENT_INTAKE_N_TYPES      6
#define PIGEON_ATTACHMENT_INTAKE_N_DROP_TYPES 5
extern const char *const pigeon_attachment_intake_types[PIGEON_ATTACHMENT_INTAKE_N_TYPES];

#define PIGEON_TYPE_ATTACHMENT_INTAKE (pigeon_attachment_intake_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonAttachmentIntake, pigeon_attachment_intake, PIGEON, ATTACHMENT_INTAKE, GObject)

/**
 * PigeonAttachmentIntake:
 *
 * Adds to a draft what the user gives: files, each read (pigeon_attachment_new_for_file_async)
 * before the next so that they are added in order; image bytes, saved into the draft folder in
 * a thread and then read as a file. A file that cannot be read, or is named like a picture but
 * is not an image, is refused with the "error" signal (const char *message, written for the
 * user); our own copy of refused bytes is deleted. Never blocks the main loop. While @paced_by
 * (the widget that owns the intake, not referenced) is on screen, a file is read only once its
 * frame clock has drawn the one added before, so that each frame has at most one new item to
 * lay out.
 *
 * Signals: "error" (const char *message); "pending-changed", when the number of files still
 * being read or saved (pigeon_attachment_intake_get_n_pending()) changes.
 */
PigeonAttachmentIntake *pigeon_attachment_intake_new (GtkWidget *paced_by);

/* Reads @files (a list of GFile, taken) and adds them to @draft in that order. */
void
pigeon_attachment_intake_add_files (PigeonAttachmentIntake *self, PigeonDraft *draft, GList *files);

/* Data of @mime_type, one of pigeon_attachment_intake_types: image bytes are saved into @store
 * (pigeon_draft_store_import_bytes) and that file is added; "text/uri-list" and
 * "x-special/gnome-copied-files" add the local files they list and refuse other URIs. FALSE
 * when nothing will be added ("error" says why). */
gboolean pigeon_attachment_intake_add_data (PigeonAttachmentIntake *self,
                                            PigeonDraft *draft,
                                            PigeonDraftStore *store,
                                            const char *mime_type,
                                            GBytes *data);

guint pigeon_attachment_intake_get_n_pending (PigeonAttachmentIntake *self);

/* Stops reading and saving; nothing more is added or reported. */
void pigeon_attachment_intake_cancel (PigeonAttachmentIntake *self);

G_END_DECLS
