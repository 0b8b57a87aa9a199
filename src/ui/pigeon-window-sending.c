/* pigeon-window-sending.c: the window while a message is on its way: the fields and the
 * attachments locked, the progress, Cancel; a failure; the notification after a send; the
 * warning when a message is larger than the server of the account in From takes
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-window-private.h"

#define NOTIFICATION_SECONDS 5
#define PULSE_MS             100

/* Helpers ------------------------------------------------------------------------------------ */

static gboolean
notification_timeout_cb (gpointer user_data)
{
  PigeonWindow *self = user_data;

  self->notification_id = 0;
  gtk_revealer_set_reveal_child (self->notification_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

void
pigeon_window_show_notification (PigeonWindow *self, const char *text)
{
  gtk_label_set_text (self->notification_label, text);
  gtk_revealer_set_reveal_child (self->notification_revealer, TRUE);
  g_clear_handle_id (&self->notification_id, g_source_remove);
  self->notification_id =
    g_timeout_add_seconds (NOTIFICATION_SECONDS, notification_timeout_cb, self);
}

static gboolean
pulse_cb (gpointer user_data)
{
  PigeonWindow *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

/* The limit is the one kept with the account chosen in From, learnt when a send or a connection
 * test last reached its server, maybe before Pigeon was restarted. */
static void
show_size_limit (PigeonWindow *self)
{
  g_autoptr (PigeonAccount) account = pigeon_window_fields_get_account (&self->fields, NULL);

  pigeon_attachments_view_set_size_limit (self->attachments_view,
                                          account ? pigeon_account_get_size_limit (account) : 0);
}

/* While sending, the fields are locked but stay readable, and Cancel is at hand. */
void
pigeon_window_set_sending (PigeonWindow *self, gboolean sending)
{
  pigeon_window_fields_set_editable (&self->fields, !sending);
  pigeon_attachments_view_set_locked (self->attachments_view, sending);
  gtk_revealer_set_reveal_child (self->progress_revealer, sending);
  if (sending)
    {
      pigeon_window_hide_info (self);
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_label_set_text (self->bytes_label, "");
    }
  else
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      /* Sent, failed or cancelled: the server may have told its limit on the way. */
      show_size_limit (self);
    }
  pigeon_window_update_send_state (self);
}

void
pigeon_window_start_sending (PigeonWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonAccount) account = pigeon_window_fields_get_account (&self->fields, &error);

  if (account == NULL)
    {
      pigeon_window_show_info (self, GTK_MESSAGE_ERROR, error->message, FALSE);
      return;
    }
  gtk_revealer_set_reveal_child (self->notification_revealer, FALSE);
  pigeon_send_flow_start (self->flow, account, self->fields.draft);
  pigeon_window_set_sending (self, TRUE);
}

/* Signal callbacks --------------------------------------------------------------------------- */

static void
flow_progress_cb (
  PigeonSendFlow *flow, const char *stage, double fraction, const char *detail, gpointer user_data)
{
  PigeonWindow *self = user_data;

  gtk_label_set_text (self->stage_label, stage);
  gtk_label_set_text (self->bytes_label, detail);
  if (fraction < 0)
    {
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (PULSE_MS, pulse_cb, self);
      return;
    }
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
flow_failed_cb (PigeonSendFlow *flow, GError *error, gpointer user_data)
{
  PigeonWindow *self = user_data;

  pigeon_window_set_sending (self, FALSE);
  pigeon_window_show_info (self, GTK_MESSAGE_ERROR, error->message, TRUE);
  pigeon_window_apply_opened (self);
}

static void
from_combo_changed_cb (GtkComboBox *combo, gpointer user_data)
{
  show_size_limit (user_data);
}

static void
cancel_button_clicked_cb (GtkButton *button, PigeonWindow *self)
{
  pigeon_send_flow_cancel (self->flow);
}

static void
notification_close_clicked_cb (GtkButton *button, PigeonWindow *self)
{
  g_clear_handle_id (&self->notification_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->notification_revealer, FALSE);
}

/* Class and instance ------------------------------------------------------------------------- */

void
pigeon_window_sending_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, notification_close_clicked_cb);
}

void
pigeon_window_sending_init (PigeonWindow *self)
{
  g_signal_connect (self->flow, "progress", G_CALLBACK (flow_progress_cb), self);
  g_signal_connect (self->flow, "failed", G_CALLBACK (flow_failed_cb), self);
  /* Also when the list is filled as the window opens: the warning is right at once. */
  g_signal_connect (self->fields.from_combo, "changed", G_CALLBACK (from_combo_changed_cb), self);
}
