/* pigeon-password-dialog.c: asks for an account's password when the keyring has none
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-send-flow.h"

#include <glib/gi18n.h>

struct _PigeonPasswordDialog
{
  GtkDialog parent_instance;

  GtkEntry *entry;
  GtkToggleButton *remember; /* NULL when there is no keyring to remember in */
};

G_DEFINE_FINAL_TYPE (PigeonPasswordDialog, pigeon_password_dialog, GTK_TYPE_DIALOG)

/* Helpers ------------------------------------------------------------------------------------ */

static GtkWidget *
label_new (const char *text, const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  if (style_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style_class);
  return label;
}

static void
build_content (PigeonPasswordDialog *self,
               PigeonAccount *account,
               gboolean can_remember,
               const char *reason)
{
  GtkWidget *area = gtk_dialog_get_content_area (GTK_DIALOG (self));
  g_autofree char *title = NULL;
  g_autofree char *where = NULL;

  title = g_strdup_printf (_ ("Password for %s"), pigeon_account_get_user (account));
  where = g_strdup_printf (_ ("The server %s asks for it before it takes the message."),
                           pigeon_account_get_host (account));
  gtk_container_set_border_width (GTK_CONTAINER (area), 18);
  gtk_box_set_spacing (GTK_BOX (area), 12);
  gtk_container_add (GTK_CONTAINER (area), label_new (title, "title-label"));
  gtk_container_add (GTK_CONTAINER (area), label_new (where, "dim-label"));
  if (reason != NULL)
    gtk_container_add (GTK_CONTAINER (area), label_new (reason, "error-label"));

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_visibility (self->entry, FALSE);
  gtk_entry_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (self->entry, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->entry)), _ ("Password"));
  gtk_container_add (GTK_CONTAINER (area), GTK_WIDGET (self->entry));

  if (can_remember)
    {
      self->remember =
        GTK_TOGGLE_BUTTON (gtk_check_button_new_with_mnemonic (_ ("_Remember in the keyring")));
      gtk_container_add (GTK_CONTAINER (area), GTK_WIDGET (self->remember));
    }
  gtk_widget_show_all (area);
}

/* Signal callbacks --------------------------------------------------------------------------- */

static void
entry_changed_cb (GtkEditable *editable, gpointer user_data)
{
  PigeonPasswordDialog *self = user_data;

  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK,
                                     *gtk_entry_get_text (self->entry) != '\0');
}

/* Overrides ---------------------------------------------------------------------------------- */

static void
pigeon_password_dialog_dispose (GObject *object)
{
  PigeonPasswordDialog *self = PIGEON_PASSWORD_DIALOG (object);

  /* Do not leave the password in a widget that may outlive the dialog for a moment. */
  if (self->entry != NULL)
    gtk_entry_set_text (self->entry, "");
  self->entry = NULL;
  self->remember = NULL;
  G_OBJECT_CLASS (pigeon_password_dialog_parent_class)->dispose (object);
}

static void
pigeon_password_dialog_class_init (PigeonPasswordDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pigeon_password_dialog_dispose;
}

static void
pigeon_password_dialog_init (PigeonPasswordDialog *self)
{
}

/* Public API --------------------------------------------------------------------------------- */

GtkWidget *
pigeon_password_dialog_new (GtkWindow *parent,
                            PigeonAccount *account,
                            gboolean can_remember,
                            const char *reason)
{
  PigeonPasswordDialog *self = NULL;
  gboolean header_bar = FALSE;

  g_object_get (gtk_settings_get_default (), "gtk-dialogs-use-header", &header_bar, NULL);
  self = g_object_new (PIGEON_TYPE_PASSWORD_DIALOG, "transient-for", parent, "modal", FALSE,
                       "destroy-with-parent", TRUE, "resizable", FALSE, "use-header-bar",
                       header_bar, "title", _ ("Password"), NULL);
  gtk_dialog_add_buttons (GTK_DIALOG (self), _ ("_Cancel"), GTK_RESPONSE_CANCEL, _ ("_Send"),
                          GTK_RESPONSE_OK, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
  gtk_style_context_add_class (gtk_widget_get_style_context (gtk_dialog_get_widget_for_response (
                                 GTK_DIALOG (self), GTK_RESPONSE_OK)),
                               GTK_STYLE_CLASS_SUGGESTED_ACTION);
  build_content (self, account, can_remember, reason);
  g_signal_connect (self->entry, "changed", G_CALLBACK (entry_changed_cb), self);
  entry_changed_cb (GTK_EDITABLE (self->entry), self);
  return GTK_WIDGET (self);
}

const char *
pigeon_password_dialog_get_password (PigeonPasswordDialog *self)
{
  g_return_val_if_fail (PIGEON_IS_PASSWORD_DIALOG (self), NULL);

  return gtk_entry_get_text (self->entry);
}

gboolean
pigeon_password_dialog_get_remember (PigeonPasswordDialog *self)
{
  g_return_val_if_fail (PIGEON_IS_PASSWORD_DIALOG (self), FALSE);

  return self->remember != NULL && gtk_toggle_button_get_active (self->remember);
}
