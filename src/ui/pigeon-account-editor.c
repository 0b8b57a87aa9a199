/* pigeon-account-editor.c: the accounts dialog's editor page
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-account-editor.h"

#include <glib/gi18n.h>

#include "pigeon-account-presets.h"
#include "pigeon-certificate-dialog.h"
#include "pigeon-probe-rows.h"
#include "pigeon-resources.h"

#define LOOKUP_DELAY_MS 400 /* DNS is asked once the user pauses, not at every key */

struct _PigeonAccountEditor
{
  GtkBox parent_instance;

  GtkEntry *address_entry;
  GtkEntry *name_entry;
  GtkEntry *host_entry;
  GtkWidget *lookup_box;
  GtkSpinner *lookup_icon;
  GtkLabel *lookup_label;
  GtkSpinButton *port_spin;
  GtkComboBox *security_combo;
  GtkWidget *insecure_box;
  GtkEntry *user_entry;
  GtkEntry *password_entry;
  GtkWidget *keyring_box;
  GtkWidget *invalid_box;
  GtkLabel *invalid_label;
  GtkWidget *test_button;
  GtkSpinner *test_spinner;
  GtkWidget *test_cancel_button;
  GtkLabel *result_label;
  GtkGrid *result_grid;
  GtkWidget *certificate_button;
  GtkWidget *save_button;

  PigeonAccount *account;  /* being edited; NULL when the editor is closed */
  PigeonAccount *previous; /* as saved, when editing a saved account */
  PigeonSmtpSecurity security;
  gboolean filling;     /* the fields are being set by code, not typed */
  gboolean host_edited; /* the user typed a server: never replace it */
  gboolean user_edited; /* the user typed a user name: stop copying the address */
  guint lookup_timeout_id;
  GCancellable *lookup_cancellable;
  GCancellable *editor_cancellable; /* the keyring look-up and the test of this editor */
  PigeonAccountProbe *shown_probe;  /* the last result, for "View Certificate…" */
  gboolean disposed;
};

G_DEFINE_FINAL_TYPE (PigeonAccountEditor, pigeon_account_editor, GTK_TYPE_BOX)

enum
{
  SIGNAL_SAVED,
  SIGNAL_CANCELLED,
  SIGNAL_NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const security_ids[] = { "starttls", "tls", "none" };
static const guint16 usual_ports[] = { 587, 465, 25 };

/* NULL when the entry is empty. */
static char *
password_from_entry (GtkEntry *entry)
{
  const char *text = gtk_entry_get_text (entry);

  return *text != '\0' ? g_strdup (text) : NULL;
}

/* Filling and reading the fields. */

static void
set_security (PigeonAccountEditor *self, PigeonSmtpSecurity security)
{
  gtk_combo_box_set_active_id (self->security_combo, security_ids[security]);
}

static PigeonSmtpSecurity
get_security (PigeonAccountEditor *self)
{
  const char *id = gtk_combo_box_get_active_id (self->security_combo);

  for (guint i = 0; i < G_N_ELEMENTS (security_ids); i++)
    {
      if (g_strcmp0 (id, security_ids[i]) == 0)
        return (PigeonSmtpSecurity) i;
    }
  return PIGEON_SMTP_SECURITY_STARTTLS;
}

static void
fill_server (PigeonAccountEditor *self, const PigeonAccountServer *server)
{
  self->filling = TRUE;
  gtk_entry_set_text (self->host_entry, server->host);
  set_security (self, server->security);
  gtk_spin_button_set_value (self->port_spin, server->port);
  self->filling = FALSE;
}

/* The account follows the fields; what is wrong is shown in place, and Save says why it is
 * not available. */
static void
update_account (PigeonAccountEditor *self)
{
  PigeonSmtpSecurity security = get_security (self);
  g_autoptr (GError) error = NULL;

  if (self->account == NULL || self->filling)
    return;
  g_object_set (self->account, "address", gtk_entry_get_text (self->address_entry), "display-name",
                gtk_entry_get_text (self->name_entry), "host",
                gtk_entry_get_text (self->host_entry), "port",
                (guint) gtk_spin_button_get_value_as_int (self->port_spin), "security", security,
                "user", gtk_entry_get_text (self->user_entry),
                /* Choosing None after the warning is the user's consent to log in without TLS. */
                "allow-insecure-auth", security == PIGEON_SMTP_SECURITY_NONE, NULL);
  gtk_widget_set_visible (self->insecure_box, security == PIGEON_SMTP_SECURITY_NONE);

  pigeon_account_validate (self->account, &error);
  gtk_label_set_text (self->invalid_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (self->invalid_box, error != NULL);
  gtk_widget_set_sensitive (self->save_button, error == NULL);
  gtk_widget_set_tooltip_text (self->save_button, error != NULL ? error->message : NULL);
}

static void
clear_result (PigeonAccountEditor *self)
{
  pigeon_probe_rows_clear (self->result_grid);
  gtk_widget_hide (GTK_WIDGET (self->result_label));
  gtk_widget_hide (self->certificate_button);
  g_clear_pointer (&self->shown_probe, pigeon_account_probe_free);
}

static void
stop_lookup (PigeonAccountEditor *self)
{
  g_clear_handle_id (&self->lookup_timeout_id, g_source_remove);
  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  gtk_widget_hide (self->lookup_box);
}

/* Lets go of the account, the keyring look-up and the test: Save and Cancel end here. */
static void
close_editor (PigeonAccountEditor *self)
{
  g_cancellable_cancel (self->editor_cancellable);
  stop_lookup (self);
  clear_result (self);
  gtk_entry_set_text (self->password_entry, "");
  g_clear_object (&self->account);
  g_clear_object (&self->previous);
}

/* The server from the address. */

static void
server_discovered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PigeonAccountEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonAccountServer) server = pigeon_account_presets_discover_finish (result, &error);
  g_autofree char *text = NULL;

  /* Cancelled: the editor, or the address it was for, is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;
  g_clear_object (&self->lookup_cancellable);
  gtk_widget_hide (GTK_WIDGET (self->lookup_icon));
  if (server != NULL && !self->host_edited)
    {
      gtk_widget_hide (self->lookup_box);
      fill_server (self, server);
      update_account (self);
      return;
    }
  text = g_strdup_printf (_ ("No server is published for %s. Enter the one your provider gives."),
                          (const char *) g_object_get_data (G_OBJECT (self->lookup_box), "domain"));
  gtk_label_set_text (self->lookup_label, text);
}

static gboolean
lookup_timeout_cb (gpointer user_data)
{
  PigeonAccountEditor *self = user_data;
  const char *domain = g_object_get_data (G_OBJECT (self->lookup_box), "domain");
  g_autofree char *text = g_strdup_printf (_ ("Looking up %s…"), domain);

  self->lookup_timeout_id = 0;
  self->lookup_cancellable = g_cancellable_new ();
  gtk_label_set_text (self->lookup_label, text);
  gtk_widget_show (GTK_WIDGET (self->lookup_icon));
  gtk_spinner_start (self->lookup_icon);
  gtk_widget_show (self->lookup_box);
  pigeon_account_presets_discover_async (domain, self->lookup_cancellable, server_discovered_cb,
                                         g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
find_server (PigeonAccountEditor *self, const char *address)
{
  g_autofree char *domain = pigeon_account_presets_domain_of (address);
  g_autoptr (PigeonAccountServer) preset = NULL;

  stop_lookup (self);
  if (self->host_edited || domain == NULL)
    return;
  preset = pigeon_account_presets_lookup (domain);
  if (preset != NULL)
    {
      fill_server (self, preset);
      return;
    }
  /* What was filled in for another domain would be wrong for this one. */
  self->filling = TRUE;
  gtk_entry_set_text (self->host_entry, "");
  self->filling = FALSE;
  g_object_set_data_full (G_OBJECT (self->lookup_box), "domain", g_steal_pointer (&domain), g_free);
  self->lookup_timeout_id = g_timeout_add (LOOKUP_DELAY_MS, lookup_timeout_cb, self);
}

/* Test connection. */

static void
show_probe (PigeonAccountEditor *self, PigeonAccountProbe *probe)
{
  pigeon_probe_rows_add (self->result_grid, probe);
  gtk_label_set_text (self->result_label, pigeon_account_presets_probe_verdict (probe));
  gtk_widget_show (GTK_WIDGET (self->result_label));
  gtk_widget_set_visible (self->certificate_button,
                          probe->certificate != NULL && probe->certificate_errors != 0);
}

static void
set_testing (PigeonAccountEditor *self, gboolean testing)
{
  gtk_widget_set_sensitive (self->test_button, !testing);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  g_object_set (self->test_spinner, "active", testing, NULL);
  gtk_widget_set_visible (self->test_cancel_button, testing);
}

static void
probe_finished_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PigeonAccountEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  PigeonAccountProbe *probe = pigeon_account_presets_probe_finish (result, &error);

  if (self->disposed)
    {
      pigeon_account_probe_free (probe);
      return;
    }
  set_testing (self, FALSE);
  if (probe == NULL)
    {
      gtk_label_set_text (self->result_label, _ ("The test was stopped."));
      gtk_widget_show (GTK_WIDGET (self->result_label));
      return;
    }
  pigeon_account_probe_remember_size_limit (probe, self->account, self->previous);
  /* Kept for "View Certificate…". */
  self->shown_probe = probe;
  show_probe (self, probe);
}

static void
start_probe (PigeonAccountEditor *self)
{
  char *password = password_from_entry (self->password_entry);

  clear_result (self);
  set_testing (self, TRUE);
  pigeon_account_presets_probe_async (self->account, password, self->editor_cancellable,
                                      probe_finished_cb, g_object_ref (self));
  pigeon_account_password_free (password);
}

/* The keyring. */

static void
password_looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PigeonAccountEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  char *password = pigeon_account_lookup_password_finish (PIGEON_ACCOUNT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    {
      pigeon_account_password_free (password);
      return;
    }
  if (password != NULL)
    gtk_entry_set_placeholder_text (self->password_entry, _ ("Saved in the keyring"));
  pigeon_account_password_free (password);
  gtk_widget_set_visible (self->keyring_box, g_error_matches (error, PIGEON_ACCOUNT_ERROR,
                                                              PIGEON_ACCOUNT_ERROR_NO_KEYRING));
}

static void
password_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PigeonAccountEditor) self = user_data;
  g_autoptr (GError) error = NULL;

  if (pigeon_account_presets_keep_password_finish (result, &error) || self->disposed)
    return;
  if (g_error_matches (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_KEYRING))
    g_signal_emit (self, signals[SIGNAL_NOTICE], 0,
                   _ ("The account is saved. There is no keyring to keep the password in, so "
                      "Pigeon will ask for it when sending."));
  else
    g_signal_emit (self, signals[SIGNAL_NOTICE], 0, error->message);
}

/* Signal callbacks. */

static void
field_changed_cb (GtkWidget *widget, PigeonAccountEditor *self)
{
  update_account (self);
}

static void
address_entry_changed_cb (GtkEntry *entry, PigeonAccountEditor *self)
{
  const char *address = gtk_entry_get_text (entry);

  if (self->filling)
    return;
  if (!self->user_edited)
    {
      self->filling = TRUE;
      gtk_entry_set_text (self->user_entry, address);
      self->filling = FALSE;
    }
  find_server (self, address);
  update_account (self);
}

static void
host_entry_changed_cb (GtkEntry *entry, PigeonAccountEditor *self)
{
  if (self->filling)
    return;
  self->host_edited = *gtk_entry_get_text (entry) != '\0';
  if (self->host_edited)
    stop_lookup (self);
  update_account (self);
}

static void
user_entry_changed_cb (GtkEntry *entry, PigeonAccountEditor *self)
{
  if (self->filling)
    return;
  self->user_edited = TRUE;
  update_account (self);
}

static void
security_combo_changed_cb (GtkComboBox *combo, PigeonAccountEditor *self)
{
  PigeonSmtpSecurity security = get_security (self);

  /* A port that was the usual one for the old choice follows the new one. */
  if (!self->filling &&
      gtk_spin_button_get_value_as_int (self->port_spin) == usual_ports[self->security])
    gtk_spin_button_set_value (self->port_spin, usual_ports[security]);
  self->security = security;
  update_account (self);
}

static void
save_button_clicked_cb (GtkButton *button, PigeonAccountEditor *self)
{
  g_autoptr (GError) error = NULL;
  char *password = NULL;

  update_account (self);
  if (!pigeon_account_save (self->account, &error))
    {
      gtk_label_set_text (self->invalid_label, error->message);
      gtk_widget_show (self->invalid_box);
      return;
    }
  password = password_from_entry (self->password_entry);
  pigeon_account_presets_keep_password_async (self->account, self->previous, password,
                                              password_saved_cb, g_object_ref (self));
  pigeon_account_password_free (password);
  close_editor (self);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
}

static void
back_button_clicked_cb (GtkButton *button, PigeonAccountEditor *self)
{
  close_editor (self);
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
test_button_clicked_cb (GtkButton *button, PigeonAccountEditor *self)
{
  update_account (self);
  start_probe (self);
}

static void
test_cancel_button_clicked_cb (GtkButton *button, PigeonAccountEditor *self)
{
  /* Also stops the keyring look-up; a new one starts with the next account edited. */
  g_cancellable_cancel (self->editor_cancellable);
  g_clear_object (&self->editor_cancellable);
  self->editor_cancellable = g_cancellable_new ();
}

static void
certificate_response_cb (GtkDialog *dialog, int response, PigeonAccountEditor *self)
{
  const char *fingerprint =
    pigeon_certificate_dialog_get_fingerprint (PIGEON_CERTIFICATE_DIALOG (dialog));

  if (response == PIGEON_CERTIFICATE_RESPONSE_TRUST && self->account != NULL)
    {
      g_object_set (self->account, "pinned-fingerprint", fingerprint, NULL);
      update_account (self);
      start_probe (self);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
certificate_button_clicked_cb (GtkButton *button, PigeonAccountEditor *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  PigeonAccountProbe *probe = self->shown_probe;
  GtkWidget *dialog = NULL;

  if (probe == NULL || probe->certificate == NULL)
    return;
  dialog =
    pigeon_certificate_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   probe->host, probe->certificate, probe->certificate_errors);
  g_signal_connect_object (dialog, "response", G_CALLBACK (certificate_response_cb), self, 0);
  gtk_widget_show (dialog);
}

/* Overrides. */

static void
pigeon_account_editor_dispose (GObject *object)
{
  PigeonAccountEditor *self = PIGEON_ACCOUNT_EDITOR (object);

  self->disposed = TRUE;
  g_clear_handle_id (&self->lookup_timeout_id, g_source_remove);
  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_cancellable_cancel (self->editor_cancellable);
  g_clear_object (&self->editor_cancellable);
  g_clear_pointer (&self->shown_probe, pigeon_account_probe_free);
  g_clear_object (&self->account);
  g_clear_object (&self->previous);

  G_OBJECT_CLASS (pigeon_account_editor_parent_class)->dispose (object);
}

static void
pigeon_account_editor_class_init (PigeonAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pigeon_account_editor_dispose;

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /* Referring to the GResource links it into any program using this widget; its constructor
   * registers the templates. */
  g_return_if_fail (pigeon_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/pigeonmail/Pigeon/pigeon-account-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PigeonAccountEditor, name)
  BIND (address_entry);
  BIND (name_entry);
  BIND (host_entry);
  BIND (lookup_box);
  BIND (lookup_icon);
  BIND (lookup_label);
  BIND (port_spin);
  BIND (security_combo);
  BIND (insecure_box);
  BIND (user_entry);
  BIND (password_entry);
  BIND (keyring_box);
  BIND (invalid_box);
  BIND (invalid_label);
  BIND (test_button);
  BIND (test_spinner);
  BIND (test_cancel_button);
  BIND (result_label);
  BIND (result_grid);
  BIND (certificate_button);
  BIND (save_button);
#undef BIND
  /* Not needed here, but named for tests and accessibility tools. */
  gtk_widget_class_bind_template_child_full (widget_class, "insecure_label", FALSE, 0);
#define CALLBACK(name) gtk_widget_class_bind_template_callback (widget_class, name)
  CALLBACK (field_changed_cb);
  CALLBACK (address_entry_changed_cb);
  CALLBACK (host_entry_changed_cb);
  CALLBACK (user_entry_changed_cb);
  CALLBACK (security_combo_changed_cb);
  CALLBACK (save_button_clicked_cb);
  CALLBACK (back_button_clicked_cb);
  CALLBACK (test_button_clicked_cb);
  CALLBACK (test_cancel_button_clicked_cb);
  CALLBACK (certificate_button_clicked_cb);
#undef CALLBACK
}

static void
pigeon_account_editor_init (PigeonAccountEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->editor_cancellable = g_cancellable_new ();
}

/* Public API. */

GtkWidget *
pigeon_account_editor_new (void)
{
  return g_object_new (PIGEON_TYPE_ACCOUNT_EDITOR, NULL);
}

void
pigeon_account_editor_edit (PigeonAccountEditor *self,
                            PigeonAccount *account,
                            PigeonAccount *previous)
{
  g_return_if_fail (PIGEON_IS_ACCOUNT_EDITOR (self));
  g_return_if_fail (PIGEON_IS_ACCOUNT (account));
  g_return_if_fail (previous == NULL || PIGEON_IS_ACCOUNT (previous));

  g_set_object (&self->account, account);
  g_set_object (&self->previous, previous);
  g_cancellable_cancel (self->editor_cancellable);
  g_clear_object (&self->editor_cancellable);
  self->editor_cancellable = g_cancellable_new ();
  stop_lookup (self);
  clear_result (self);

  self->filling = TRUE;
  gtk_entry_set_text (self->address_entry, pigeon_account_get_address (account));
  gtk_entry_set_text (self->name_entry, pigeon_account_get_display_name (account));
  gtk_entry_set_text (self->host_entry, pigeon_account_get_host (account));
  gtk_spin_button_set_value (self->port_spin, pigeon_account_get_port (account));
  set_security (self, pigeon_account_get_security (account));
  gtk_entry_set_text (self->user_entry, pigeon_account_get_user (account));
  gtk_entry_set_text (self->password_entry, "");
  gtk_entry_set_placeholder_text (self->password_entry, NULL);
  self->filling = FALSE;
  self->security = pigeon_account_get_security (account);
  self->host_edited = *pigeon_account_get_host (account) != '\0';
  self->user_edited =
    g_strcmp0 (pigeon_account_get_user (account), pigeon_account_get_address (account)) != 0;
  gtk_widget_hide (self->keyring_box);
  update_account (self);

  if (previous != NULL)
    pigeon_account_lookup_password (previous, self->editor_cancellable, password_looked_up_cb,
                                    g_object_ref (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->address_entry));
  gtk_widget_grab_default (self->save_button);
}
