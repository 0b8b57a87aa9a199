/* pigeon-accounts-dialog.c: the accounts, one the default; adding and editing one in the
 * editor page (PigeonAccountEditor)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-accounts-dialog.h"

#include <glib/gi18n.h>

#include "pigeon-account-editor.h"
#include "pigeon-account-presets.h"
#include "pigeon-account.h"
#include "pigeon-resources.h"

#define APP_SCHEMA_ID "io.github.pigeonmail.Pigeon"

struct _PigeonAccountsDialog
{
  GtkDialog parent_instance;

  GtkStack *stack;
  GtkListBox *account_list;
  GtkWidget *default_button;
  GtkWidget *remove_button;
  GtkWidget *notice_box;
  GtkLabel *notice_label;
  PigeonAccountEditor *editor;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (PigeonAccountsDialog, pigeon_accounts_dialog, GTK_TYPE_DIALOG)

/* The list page. */

static GtkWidget *
account_row_new (PigeonAccount *account, gboolean is_default)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  const char *name = pigeon_account_get_display_name (account);
  GtkWidget *title = gtk_label_new (*name != '\0' ? name : pigeon_account_get_address (account));
  const char *description = pigeon_account_get_description (account);
  GtkWidget *address =
    gtk_label_new (*description != '\0' ? description : pigeon_account_get_address (account));
  g_autoptr (PangoAttrList) attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  g_object_set (grid, "margin", 8, "column-spacing", 8, "row-spacing", 2, NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_attributes (GTK_LABEL (title), attributes);
  gtk_label_set_xalign (GTK_LABEL (address), 0);
  gtk_label_set_ellipsize (GTK_LABEL (address), PANGO_ELLIPSIZE_MIDDLE);
  gtk_style_context_add_class (gtk_widget_get_style_context (address), "dim-label");
  gtk_grid_attach (GTK_GRID (grid), title, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), address, 0, 1, 1, 1);
  if (is_default)
    {
      GtkWidget *mark = gtk_label_new (_ ("Default"));

      gtk_style_context_add_class (gtk_widget_get_style_context (mark), "dim-label");
      gtk_grid_attach (GTK_GRID (grid), mark, 1, 0, 1, 2);
    }
  gtk_container_add (GTK_CONTAINER (row), grid);
  g_object_set_data_full (G_OBJECT (row), "account-id", g_strdup (pigeon_account_get_id (account)),
                          g_free);
  gtk_widget_show_all (row);
  return row;
}

static const char *
selected_id (PigeonAccountsDialog *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->account_list);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "account-id") : NULL;
}

static void
refresh_list (PigeonAccountsDialog *self)
{
  g_autofree char *keep = g_strdup (selected_id (self));
  g_auto (GStrv) ids = pigeon_account_list ();
  g_autofree char *default_id = pigeon_account_get_default_id ();
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->account_list));

  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr (PigeonAccount) account = pigeon_account_load (ids[i], NULL);
      GtkWidget *row = NULL;

      if (account == NULL)
        continue;
      row = account_row_new (account, g_strcmp0 (ids[i], default_id) == 0);
      gtk_container_add (GTK_CONTAINER (self->account_list), row);
      if (g_strcmp0 (ids[i], keep) == 0)
        gtk_list_box_select_row (self->account_list, GTK_LIST_BOX_ROW (row));
    }
  gtk_widget_set_sensitive (self->default_button, selected_id (self) != NULL);
  gtk_widget_set_sensitive (self->remove_button, selected_id (self) != NULL);
}

static void
show_notice (PigeonAccountsDialog *self, const char *text)
{
  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  gtk_widget_set_visible (self->notice_box, text != NULL);
}

/* The editor page. */

static void
open_editor (PigeonAccountsDialog *self, PigeonAccount *account, PigeonAccount *previous)
{
  show_notice (self, NULL);
  gtk_window_set_title (GTK_WINDOW (self),
                        previous != NULL ? _ ("Edit Account") : _ ("New Account"));
  gtk_stack_set_visible_child_name (self->stack, "editor");
  pigeon_account_editor_edit (self->editor, account, previous);
}

/* The editor has let go of the account. */
static void
close_editor (PigeonAccountsDialog *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _ ("Accounts"));
  gtk_stack_set_visible_child_name (self->stack, "list");
}

/* Signal callbacks. */

static void
account_row_selected_cb (GtkListBox *list, GtkListBoxRow *row, PigeonAccountsDialog *self)
{
  gtk_widget_set_sensitive (self->default_button, row != NULL);
  gtk_widget_set_sensitive (self->remove_button, row != NULL);
}

static void
account_row_activated_cb (GtkListBox *list, GtkListBoxRow *row, PigeonAccountsDialog *self)
{
  g_autoptr (GError) error = NULL;
  const char *id = g_object_get_data (G_OBJECT (row), "account-id");
  g_autoptr (PigeonAccount) saved = pigeon_account_load (id, &error);
  /* Edited apart from @saved: the keyring files the password under the saved settings. */
  g_autoptr (PigeonAccount) account = pigeon_account_load (id, NULL);

  if (saved == NULL || account == NULL)
    {
      show_notice (self, error->message);
      return;
    }
  open_editor (self, account, saved);
}

static void
add_button_clicked_cb (GtkButton *button, PigeonAccountsDialog *self)
{
  g_autoptr (PigeonAccount) account = pigeon_account_new (NULL);

  open_editor (self, account, NULL);
}

static void
default_button_clicked_cb (GtkButton *button, PigeonAccountsDialog *self)
{
  g_autoptr (GError) error = NULL;

  if (!pigeon_account_set_default_id (selected_id (self), &error))
    show_notice (self, error->message);
}

static void
remove_confirmed_cb (GtkDialog *confirm, int response, PigeonAccountsDialog *self)
{
  const char *id = g_object_get_data (G_OBJECT (confirm), "account-id");
  g_autoptr (PigeonAccount) account = pigeon_account_load (id, NULL);

  if (response == GTK_RESPONSE_ACCEPT && account != NULL)
    {
      pigeon_account_presets_forget_password (account);
      pigeon_account_delete (account);
    }
  gtk_widget_destroy (GTK_WIDGET (confirm));
}

static void
remove_button_clicked_cb (GtkButton *button, PigeonAccountsDialog *self)
{
  GtkWidget *confirm = NULL;
  GtkWidget *remove = NULL;
  const char *id = selected_id (self);

  if (id == NULL)
    return;
  confirm =
    gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                            GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, _ ("Remove this account?"));
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (confirm), _ ("Its settings and its saved password will be removed."));
  gtk_dialog_add_button (GTK_DIALOG (confirm), _ ("_Cancel"), GTK_RESPONSE_CANCEL);
  remove = gtk_dialog_add_button (GTK_DIALOG (confirm), _ ("_Remove"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (remove), "destructive-action");
  g_object_set_data_full (G_OBJECT (confirm), "account-id", g_strdup (id), g_free);
  g_signal_connect_object (confirm, "response", G_CALLBACK (remove_confirmed_cb), self, 0);
  gtk_widget_show (confirm);
}

static void
editor_saved_cb (PigeonAccountEditor *editor, PigeonAccountsDialog *self)
{
  close_editor (self);
  refresh_list (self);
}

static void
editor_cancelled_cb (PigeonAccountEditor *editor, PigeonAccountsDialog *self)
{
  close_editor (self);
}

static void
editor_notice_cb (PigeonAccountEditor *editor, const char *message, PigeonAccountsDialog *self)
{
  show_notice (self, message);
}

static void
settings_changed_cb (GSettings *settings, const char *key, PigeonAccountsDialog *self)
{
  refresh_list (self);
}

/* Overrides. */

static void
pigeon_accounts_dialog_dispose (GObject *object)
{
  PigeonAccountsDialog *self = PIGEON_ACCOUNTS_DIALOG (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pigeon_accounts_dialog_parent_class)->dispose (object);
}

static void
pigeon_accounts_dialog_class_init (PigeonAccountsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pigeon_accounts_dialog_dispose;

  /* Referring to the GResource links it into any program using this dialog; its constructor
   * registers the templates. */
  g_return_if_fail (pigeon_get_resource () != NULL);
  /* The template names it. */
  g_type_ensure (PIGEON_TYPE_ACCOUNT_EDITOR);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/pigeonmail/Pigeon/pigeon-accounts-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PigeonAccountsDialog, name)
  BIND (stack);
  BIND (account_list);
  BIND (default_button);
  BIND (remove_button);
  BIND (notice_box);
  BIND (notice_label);
  BIND (editor);
#undef BIND
  /* Not needed here, but named for tests and accessibility tools. */
  gtk_widget_class_bind_template_child_full (widget_class, "add_button", FALSE, 0);
#define CALLBACK(name) gtk_widget_class_bind_template_callback (widget_class, name)
  CALLBACK (account_row_selected_cb);
  CALLBACK (account_row_activated_cb);
  CALLBACK (add_button_clicked_cb);
  CALLBACK (default_button_clicked_cb);
  CALLBACK (remove_button_clicked_cb);
  CALLBACK (editor_saved_cb);
  CALLBACK (editor_cancelled_cb);
  CALLBACK (editor_notice_cb);
#undef CALLBACK
}

static void
pigeon_accounts_dialog_init (PigeonAccountsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_SCHEMA_ID);
  g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  refresh_list (self);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

GtkWidget *
pigeon_accounts_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (PIGEON_TYPE_ACCOUNTS_DIALOG, "transient-for", parent, "use-header-bar", TRUE,
                       NULL);
}
