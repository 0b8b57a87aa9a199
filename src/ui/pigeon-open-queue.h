/* pigeon-open-queue.h: links and files opened with Pigeon from outside, kept until the window
 * has a draft that may take them
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-attachments-view.h"
#include "pigeon-draft.h"

G_BEGIN_DECLS

/**
 * PigeonOpenQueue:
 *
 * What "pigeon mailto:… FILE…", the desktop's mailto: handler and a file manager's "Open With"
 * hand to the window (PigeonApplication's "open"), while no draft may take it: before the
 * saved draft is loaded, and while a send is in flight (the draft being sent is replaced by an
 * empty one when the server accepts it, and would take what came along with it). The window
 * applies the queue to the draft it has once that moment is over: the loaded draft; the new
 * empty draft after a send succeeded; the same draft after it failed or was cancelled.
 */
typedef struct _PigeonOpenQueue PigeonOpenQueue;

PigeonOpenQueue *pigeon_open_queue_new (void);
void pigeon_open_queue_free (PigeonOpenQueue *self);

/* A mailto: link (RFC 6068). */
void pigeon_open_queue_add_link (PigeonOpenQueue *self, const char *uri);
/* Files to attach, in this order. */
void pigeon_open_queue_add_files (PigeonOpenQueue *self, GFile **files, guint n_files);
gboolean pigeon_open_queue_is_empty (PigeonOpenQueue *self);

/* Applies everything queued, then empties the queue: the files to @view's draft as a file
 * manager's drop is (read off the main thread in order; anything not on this computer refused
 * through the view's "error"), the links to @draft with pigeon_mailto_apply (nothing
 * already written is lost). FALSE with @error set when a link could not be read (the last
 * such one; the others are applied all the same). */
gboolean pigeon_open_queue_apply (PigeonOpenQueue *self,
                                  PigeonDraft *draft,
                                  PigeonAttachmentsView *view,
                                  GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonOpenQueue, pigeon_open_queue_free)

G_END_DECLS
