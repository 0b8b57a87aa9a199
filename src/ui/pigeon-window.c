/* pigeon-window.c: the Pigeon window: compose, drop images, send with live progress
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-window-private.h"

#include <glib/gi18n.h>

#include "pigeon-log-dialog.h"
#include "pigeon-resources.h"

#define LOG_RESPONSE 1

/* What the worker thread that loads the draft hands back. */
typedef struct
{
  PigeonDraft *draft;
  GStrv missing;
} LoadResult;

G_DEFINE_FINAL_TYPE (PigeonWindow, pigeon_window, GTK_TYPE_APPLICATION_WINDOW)

/* Helpers ------------------------------------------------------------------------------------ */

static void
load_result_free (gpointer data)
{
  LoadResult *result = data;

  g_clear_object (&result->draft);
  g_strfreev (result->missing);
  g_free (result);
}

static void
set_action_enabled (PigeonWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
pigeon_window_update_send_state (PigeonWindow *self)
{
  gboolean sending = pigeon_window_is_sending (self);

  g_clear_pointer (&self->send_blocker, g_free);
  self->send_blocker = pigeon_window_fields_validate (&self->fields);
  if (self->send_blocker == NULL && pigeon_attachments_view_get_n_pending (self->attachments_view))
    self->send_blocker = g_strdup (_ ("Waiting for the attachments to be read…"));

  set_action_enabled (self, "send", self->send_blocker == NULL && !sending);
  set_action_enabled (self, "attach", self->fields.draft != NULL && !sending);
  gtk_label_set_text (self->status_label, self->send_blocker != NULL ? self->send_blocker : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), self->send_blocker != NULL && !sending);
  gtk_widget_set_tooltip_text (self->send_button, self->send_blocker != NULL
                                                    ? self->send_blocker
                                                    : _ ("Send the message (Ctrl+Return)"));
}

void
pigeon_window_show_info (PigeonWindow *self,
                         GtkMessageType type,
                         const char *text,
                         gboolean offer_log)
{
  gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_label_set_text (self->info_label, text);
  gtk_widget_set_visible (self->log_button, offer_log);
  gtk_info_bar_set_revealed (self->info_bar, TRUE);
}

void
pigeon_window_hide_info (PigeonWindow *self)
{
  gtk_info_bar_set_revealed (self->info_bar, FALSE);
}

static void
attachments_changed_cb (
  GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  pigeon_window_update_send_state (user_data);
}

/* Shows @draft, and saves it as it changes (unless the saved one could not be read). */
void
pigeon_window_set_draft (PigeonWindow *self, PigeonDraft *draft, gboolean autosave)
{
  if (self->attachments != NULL)
    g_signal_handlers_disconnect_by_data (self->attachments, self);
  g_set_object (&self->attachments, pigeon_draft_get_attachments (draft));
  g_signal_connect (self->attachments, "items-changed", G_CALLBACK (attachments_changed_cb), self);
  pigeon_window_fields_set_draft (&self->fields, draft);
  pigeon_window_fields_set_editable (&self->fields, !pigeon_window_is_sending (self));
  pigeon_attachments_view_set_draft (self->attachments_view, draft, self->store);
  self->autosaving = autosave;
  if (autosave)
    pigeon_draft_store_watch (self->store, draft);
  pigeon_window_update_send_state (self);
}

/* What came from outside while no draft could take it goes into the one the window has now. */
void
pigeon_window_apply_opened (PigeonWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (pigeon_open_queue_is_empty (self->opened))
    return;
  if (!pigeon_open_queue_apply (self->opened, self->fields.draft, self->attachments_view, &error))
    pigeon_window_show_info (self, GTK_MESSAGE_ERROR, error->message, FALSE);
}

/* Signal callbacks --------------------------------------------------------------------------- */

static void
flow_sent_cb (PigeonSendFlow *flow, gpointer user_data)
{
  PigeonWindow *self = user_data;
  g_autofree char *recipients = pigeon_window_fields_describe_recipients (&self->fields);
  g_autofree char *text = NULL;
  g_autoptr (PigeonDraft) fresh = pigeon_draft_new ();
  g_autoptr (GError) error = NULL;

  /* The next message goes from the same account. */
  g_object_set (fresh, "from", pigeon_draft_get_from (self->fields.draft), NULL);
  /* The sent items go before the view is unlocked: unlocking them would be wasted work. */
  pigeon_window_set_draft (self, fresh, TRUE);
  pigeon_window_set_sending (self, FALSE);
  if (!pigeon_draft_store_clear (self->store, &error))
    g_warning ("Could not remove the sent draft: %s", error->message);
  /* Translators: %s is who it went to: "Bob", "Bob and 2 others". */
  text = g_strdup_printf (_ ("Message sent to %s"), recipients);
  pigeon_window_show_notification (self, text);
  /* From the local test inbox, what arrived is on this computer: offer to look at it. */
  gtk_widget_set_visible (self->open_received_button,
                          g_strcmp0 (pigeon_draft_get_from (fresh), PIGEON_ACCOUNT_TEST_INBOX_ID) ==
                            0);
  pigeon_window_apply_opened (self);
}

/* The newest message the local test inbox (build-aux/test-inbox.py) kept. */
static GFile *
newest_received_message (void)
{
  g_autofree char *folder =
    g_build_filename (g_get_user_data_dir (), "pigeon", "test-inbox", "new", NULL);
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  g_autofree char *newest = NULL;
  const char *name;

  /* Names start with the time they arrived, so the greatest is the newest. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml") && name[0] != '.' && g_strcmp0 (name, newest) > 0)
      {
        g_free (newest);
        newest = g_strdup (name);
      }
  return newest ? g_file_new_build_filename (folder, newest, NULL) : NULL;
}

static void
open_received_clicked_cb (GtkButton *button, PigeonWindow *self)
{
  g_autoptr (GFile) message = newest_received_message ();
  g_autofree char *uri = message ? g_file_get_uri (message) : NULL;
  g_autoptr (GError) error = NULL;

  if (uri == NULL || !gtk_show_uri_on_window (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, &error))
    {
      g_autofree char *text =
        g_strdup_printf (_ ("No program could open the received message; it is in %s"),
                         message ? g_file_peek_path (message) : g_get_user_data_dir ());
      pigeon_window_show_info (self, GTK_MESSAGE_INFO, text, FALSE);
    }
}

static void
flow_cancelled_cb (PigeonSendFlow *flow, gpointer user_data)
{
  PigeonWindow *self = user_data;

  pigeon_window_set_sending (self, FALSE);
  pigeon_window_show_info (self, GTK_MESSAGE_INFO, _ ("Sending cancelled; nothing was sent"),
                           FALSE);
  pigeon_window_apply_opened (self);
}

static void
fields_changed_cb (gpointer user_data)
{
  pigeon_window_update_send_state (user_data);
}

static void
attachments_view_error_cb (PigeonAttachmentsView *view, const char *message, gpointer user_data)
{
  pigeon_window_show_info (user_data, GTK_MESSAGE_WARNING, message, FALSE);
  pigeon_window_update_send_state (user_data);
}

static void
attachments_view_pending_cb (GObject *view, GParamSpec *pspec, gpointer user_data)
{
  pigeon_window_update_send_state (user_data);
}

static void
info_bar_response_cb (GtkInfoBar *info_bar, int response, PigeonWindow *self)
{
  if (response == LOG_RESPONSE)
    g_action_group_activate_action (G_ACTION_GROUP (self), "show-log", NULL);
  else
    pigeon_window_hide_info (self);
}

static gboolean
window_delete_event_cb (GtkWidget *widget, GdkEvent *event, PigeonWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  /* Closing while sending asks first, as quitting does. */
  if (!pigeon_window_is_sending (self) || app == NULL)
    return GDK_EVENT_PROPAGATE;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return GDK_EVENT_STOP;
}

/* Ctrl+V: an image or files on the clipboard are attached, wherever the focus is; text goes
 * to the focused field as usual. */
static gboolean
window_key_press_event_cb (GtkWidget *widget, GdkEventKey *event, PigeonWindow *self)
{
  GdkModifierType mods = event->state & gtk_accelerator_get_default_mod_mask ();

  if (mods != GDK_CONTROL_MASK || (event->keyval != GDK_KEY_v && event->keyval != GDK_KEY_V))
    return GDK_EVENT_PROPAGATE;
  if (pigeon_window_is_sending (self) || self->fields.draft == NULL)
    return GDK_EVENT_PROPAGATE;
  return pigeon_attachments_view_paste (self->attachments_view) ? GDK_EVENT_STOP
                                                                : GDK_EVENT_PROPAGATE;
}

static void
send_confirmed_cb (gpointer user_data)
{
  PigeonWindow *self = user_data;

  if (self->send_blocker == NULL && !pigeon_window_is_sending (self))
    pigeon_window_start_sending (self);
}

static void
send_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PigeonWindow *self = user_data;

  /* A file may have been dropped a moment ago: check again. */
  pigeon_window_update_send_state (self);
  if (self->send_blocker != NULL || pigeon_window_is_sending (self))
    return;
  pigeon_window_fields_confirm_send (&self->fields, GTK_WINDOW (self),
                                     g_list_model_get_n_items (self->attachments),
                                     G_CALLBACK (send_confirmed_cb), self);
}

static void
attach_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PigeonWindow *self = user_data;

  pigeon_attachments_view_choose_files (self->attachments_view);
}

static void
show_log_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PigeonWindow *self = user_data;

  if (self->log_dialog == NULL)
    g_set_weak_pointer (&self->log_dialog, pigeon_log_dialog_new (GTK_WINDOW (self), self->log));
  gtk_window_present (GTK_WINDOW (self->log_dialog));
}

static const GActionEntry win_actions[] = {
  { "send", send_activated_cb, NULL, NULL, NULL, { 0 } },
  { "attach", attach_activated_cb, NULL, NULL, NULL, { 0 } },
  { "show-log", show_log_activated_cb, NULL, NULL, NULL, { 0 } },
};

/* Loading the draft: a worker thread, since it reads files. -------------------------------- */

static void
load_thread_cb (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LoadResult *result = g_new0 (LoadResult, 1);
  GError *error = NULL;

  result->draft = pigeon_draft_store_load (task_data, &result->missing, &error);
  if (result->draft == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, load_result_free);
}

static void
draft_loaded_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  PigeonWindow *self = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonDraft) empty = NULL;
  LoadResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PIGEON_WINDOW (source);
  if (result == NULL)
    {
      g_autofree char *text = g_strdup_printf (
        _ ("The saved draft could not be read, and is kept as it is: %s. This message will not be "
           "saved until it is sent."),
        error->message);

      empty = pigeon_draft_new ();
      pigeon_window_set_draft (self, empty, FALSE);
      pigeon_window_show_info (self, GTK_MESSAGE_ERROR, text, FALSE);
      pigeon_window_apply_opened (self);
      return;
    }
  pigeon_window_set_draft (self, result->draft, TRUE);
  pigeon_window_apply_opened (self);
  if (result->missing != NULL && result->missing[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", result->missing);
      g_autofree char *text =
        g_strdup_printf (_ ("These attachments are no longer there and were left out: %s"), names);

      pigeon_window_show_info (self, GTK_MESSAGE_WARNING, text, FALSE);
    }
  load_result_free (result);
}

static void
load_draft (PigeonWindow *self)
{
  g_autoptr (GFile) folder = pigeon_draft_store_get_default_folder ();
  g_autoptr (GTask) task = NULL;

  self->store = pigeon_draft_store_new (folder);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, draft_loaded_cb, NULL);
  g_task_set_source_tag (task, load_draft);
  g_task_set_name (task, "[pigeon] load draft");
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, load_thread_cb);
}

/* Overrides ---------------------------------------------------------------------------------- */

static void
pigeon_window_dispose (GObject *object)
{
  PigeonWindow *self = PIGEON_WINDOW (object);
  g_autoptr (GError) error = NULL;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->flow != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->flow, self);
      /* Only the first time round: later, the template's children may be gone. */
      g_signal_handlers_disconnect_by_data (self->fields.from_combo, self);
      pigeon_send_flow_cancel (self->flow);
    }
  /* Whatever was typed in the last moment, before the autosave's pause ran out. */
  if (self->autosaving && self->fields.draft != NULL &&
      !pigeon_draft_store_save (self->store, self->fields.draft, &error))
    g_warning ("Could not save the draft: %s", error->message);
  self->autosaving = FALSE;
  if (self->attachments != NULL)
    g_signal_handlers_disconnect_by_data (self->attachments, self);
  pigeon_window_fields_clear (&self->fields);
  g_clear_handle_id (&self->notification_id, g_source_remove);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_weak_pointer (&self->log_dialog);
  g_clear_object (&self->attachments);
  g_clear_object (&self->flow);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->log);
  g_clear_pointer (&self->send_blocker, g_free);
  g_clear_pointer (&self->opened, pigeon_open_queue_free);
  G_OBJECT_CLASS (pigeon_window_parent_class)->dispose (object);
}

static void
bind_children (GtkWidgetClass *widget_class)
{
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PigeonWindow, name)
#define BIND_FIELD(name)                                                 \
  gtk_widget_class_bind_template_child_full (widget_class, #name, FALSE, \
                                             G_STRUCT_OFFSET (PigeonWindow, fields.name))
  BIND_FIELD (from_stack);
  BIND_FIELD (from_combo);
  BIND_FIELD (to_entry);
  BIND_FIELD (cc_entry);
  BIND_FIELD (bcc_entry);
  BIND_FIELD (cc_label);
  BIND_FIELD (bcc_label);
  BIND_FIELD (cc_button);
  BIND_FIELD (bcc_button);
  BIND_FIELD (subject_entry);
  BIND_FIELD (body_view);
  BIND (attach_button);
  BIND (send_button);
  BIND (attachments_view);
  BIND (status_label);
  BIND (info_bar);
  BIND (info_label);
  BIND (log_button);
  BIND (progress_revealer);
  BIND (stage_label);
  BIND (bytes_label);
  BIND (progress_bar);
  BIND (notification_revealer);
  BIND (notification_label);
  BIND (open_received_button);
#undef BIND
#undef BIND_FIELD
}

static void
pigeon_window_class_init (PigeonWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pigeon_window_dispose;

  /* Referencing the resource links its object file, whose constructor registers it. */
  (void) pigeon_get_resource ();
  g_type_ensure (PIGEON_TYPE_ATTACHMENTS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pigeonmail/Pigeon/pigeon-window.ui");
  bind_children (widget_class);
  pigeon_window_sending_class_init (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, open_received_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, info_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, window_delete_event_cb);
  gtk_widget_class_bind_template_callback (widget_class, window_key_press_event_cb);
}

static void
pigeon_window_init (PigeonWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  self->opened = pigeon_open_queue_new ();
  self->log = pigeon_log_buffer_new ();
  self->flow = pigeon_send_flow_new (GTK_WINDOW (self), self->log);
  pigeon_window_sending_init (self);
  g_signal_connect (self->flow, "sent", G_CALLBACK (flow_sent_cb), self);
  g_signal_connect (self->flow, "cancelled", G_CALLBACK (flow_cancelled_cb), self);

  g_signal_connect (self->attachments_view, "error", G_CALLBACK (attachments_view_error_cb), self);
  /* Not every version of the view says when it starts reading a file. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (self->attachments_view), "n-pending"))
    g_signal_connect (self->attachments_view, "notify::n-pending",
                      G_CALLBACK (attachments_view_pending_cb), self);

  pigeon_window_fields_init (&self->fields, G_CALLBACK (fields_changed_cb), self);
  pigeon_window_fields_set_editable (&self->fields, FALSE);
  load_draft (self);
}

/* Public API --------------------------------------------------------------------------------- */

PigeonWindow *
pigeon_window_new (PigeonApplication *application)
{
  return g_object_new (PIGEON_TYPE_WINDOW, "application", application, NULL);
}

void
pigeon_window_open_link (PigeonWindow *self, const char *uri)
{
  g_return_if_fail (PIGEON_IS_WINDOW (self));

  pigeon_open_queue_add_link (self->opened, uri);
  if (self->fields.draft != NULL && !pigeon_window_is_sending (self))
    pigeon_window_apply_opened (self);
}

void
pigeon_window_attach_files (PigeonWindow *self, GFile **files, guint n_files)
{
  g_return_if_fail (PIGEON_IS_WINDOW (self));

  pigeon_open_queue_add_files (self->opened, files, n_files);
  if (self->fields.draft != NULL && !pigeon_window_is_sending (self))
    pigeon_window_apply_opened (self);
}

PigeonDraft *
pigeon_window_get_draft (PigeonWindow *self)
{
  g_return_val_if_fail (PIGEON_IS_WINDOW (self), NULL);

  return self->fields.draft;
}

gboolean
pigeon_window_is_sending (PigeonWindow *self)
{
  g_return_val_if_fail (PIGEON_IS_WINDOW (self), FALSE);

  return self->flow != NULL && pigeon_send_flow_is_running (self->flow);
}

const char *
pigeon_window_get_send_blocker (PigeonWindow *self)
{
  g_return_val_if_fail (PIGEON_IS_WINDOW (self), NULL);

  return self->send_blocker;
}
