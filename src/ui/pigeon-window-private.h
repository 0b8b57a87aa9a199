/* pigeon-window-private.h: what pigeon-window.c and pigeon-window-sending.c share
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-attachments-view.h"
#include "pigeon-draft-store.h"
#include "pigeon-open-queue.h"
#include "pigeon-send-flow.h"
#include "pigeon-window.h"

G_BEGIN_DECLS

struct _PigeonWindow
{
  GtkApplicationWindow parent_instance;

  PigeonWindowFields fields; /* its widgets come from the template too */

  /* Template children. */
  GtkWidget *attach_button;
  GtkWidget *send_button;
  PigeonAttachmentsView *attachments_view;
  GtkLabel *status_label;
  GtkInfoBar *info_bar;
  GtkLabel *info_label;
  GtkWidget *log_button;
  GtkRevealer *progress_revealer;
  GtkLabel *stage_label;
  GtkLabel *bytes_label;
  GtkProgressBar *progress_bar;
  GtkRevealer *notification_revealer;
  GtkLabel *notification_label;
  GtkWidget *open_received_button;

  PigeonDraftStore *store;
  gboolean autosaving;       /* the store watches the draft (not after a failed load) */
  GCancellable *cancellable; /* loading the draft */
  GListModel *attachments;   /* the draft's, watched for changes */
  GtkTextBuffer *log;
  GtkWidget *log_dialog; /* weak */
  PigeonSendFlow *flow;
  char *send_blocker;
  PigeonOpenQueue *opened; /* links and files that came while no draft could take them */
  guint notification_id;
  guint pulse_id;
};

/* pigeon-window.c */

/* Works out why Send is disabled, if it is, and shows it; enables the actions. */
void pigeon_window_update_send_state (PigeonWindow *self);
void pigeon_window_show_info (PigeonWindow *self,
                              GtkMessageType type,
                              const char *text,
                              gboolean offer_log);
void pigeon_window_hide_info (PigeonWindow *self);
/* Shows @draft, and saves it as it changes (unless the saved one could not be read). */
void pigeon_window_set_draft (PigeonWindow *self, PigeonDraft *draft, gboolean autosave);
/* What came from outside while no draft could take it goes into the one the window has now. */
void pigeon_window_apply_opened (PigeonWindow *self);

/* pigeon-window-sending.c: the window while a message is on its way */

void pigeon_window_sending_class_init (GtkWidgetClass *widget_class);
/* Connects the window to its send flow, and the size warning to the account in From. */
void pigeon_window_sending_init (PigeonWindow *self);
/* Sends the draft from the account chosen in From, or says why it cannot. */
void pigeon_window_start_sending (PigeonWindow *self);
/* While sending, the fields and attachments are locked but stay readable, and Cancel is at
 * hand. */
void pigeon_window_set_sending (PigeonWindow *self, gboolean sending);
/* A short message over the top of the window, gone after a few seconds. */
void pigeon_window_show_notification (PigeonWindow *self, const char *text);

G_END_DECLS
