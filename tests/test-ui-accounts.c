/* test-ui-accounts.c: the accounts dialog's list, driven through its widgets: saving from the
 * editor, the default, removing; and the presets and SRV targets the editor fills the server
 * from (the editor itself: test-ui-account-editor.c)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <gtk/gtk.h>

#include "pigeon-account-presets.h"
#include "pigeon-account.h"
#include "pigeon-test-ui.h"

#define PASSWORD "s3cret-Pa55word"
#define WAIT_S   10

#define WAIT_USEC        (WAIT_S * G_USEC_PER_SEC)
#define WAIT_UNTIL(cond) PIGEON_TEST_UI_WAIT_UNTIL (cond, WAIT_USEC)

/* Presets and SRV targets: pure functions. */

static void
assert_server (PigeonAccountServer *server,
               const char *host,
               guint16 port,
               PigeonSmtpSecurity security)
{
  g_assert_nonnull (server);
  g_assert_cmpstr (server->host, ==, host);
  g_assert_cmpuint (server->port, ==, port);
  g_assert_cmpint (server->security, ==, security);
}

static void
test_presets (void)
{
  static const struct
  {
    const char *address;
    const char *host;
    guint16 port;
    PigeonSmtpSecurity security;
  } cases[] = {
    { "ana@gmail.com", "smtp.gmail.com", 465, PIGEON_SMTP_SECURITY_TLS },
    { "Ana@GoogleMail.COM", "smtp.gmail.com", 465, PIGEON_SMTP_SECURITY_TLS },
    { "ana@outlook.com", "smtp-mail.outlook.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
    { "ana@hotmail.com", "smtp-mail.outlook.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
    { "ana@live.com", "smtp-mail.outlook.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
    { "ana@yahoo.com", "smtp.mail.yahoo.com", 465, PIGEON_SMTP_SECURITY_TLS },
    { "ana@icloud.com", "smtp.mail.me.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
    { "ana@me.com", "smtp.mail.me.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
    { "ana@mac.com", "smtp.mail.me.com", 587, PIGEON_SMTP_SECURITY_STARTTLS },
    { "ana@qq.com", "smtp.qq.com", 465, PIGEON_SMTP_SECURITY_TLS },
    { " ana@163.com. ", "smtp.163.com", 465, PIGEON_SMTP_SECURITY_TLS },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *domain = pigeon_account_presets_domain_of (cases[i].address);
      g_autoptr (PigeonAccountServer) server = NULL;

      g_test_message ("%s", cases[i].address);
      g_assert_nonnull (domain);
      server = pigeon_account_presets_lookup (domain);
      assert_server (server, cases[i].host, cases[i].port, cases[i].security);
    }
  g_assert_null (pigeon_account_presets_lookup ("example.org"));
  g_assert_null (pigeon_account_presets_lookup ("mail.gmail.com"));
}

static void
test_domain_of (void)
{
  static const char *const unfinished[] = {
    "", "ana", "ana@", "ana@exa", "ana@.org", "ana@a..org", "ana@ex ample.org"
  };
  g_autofree char *domain = pigeon_account_presets_domain_of ("Ana.Núñez@Example.ORG");
  g_autofree char *idn = pigeon_account_presets_domain_of ("ana@Bücher.example");

  g_assert_cmpstr (domain, ==, "example.org");
  g_assert_cmpstr (idn, ==, "bücher.example");
  for (gsize i = 0; i < G_N_ELEMENTS (unfinished); i++)
    {
      g_autofree char *none = pigeon_account_presets_domain_of (unfinished[i]);

      g_test_message ("“%s”", unfinished[i]);
      g_assert_null (none);
    }
}

static void
test_srv_targets (void)
{
  GList *targets = NULL;
  GList *none = g_list_append (NULL, g_srv_target_new (".", 0, 0, 0));
  g_autoptr (PigeonAccountServer) best = NULL;
  g_autoptr (PigeonAccountServer) nothing = NULL;

  targets = g_list_append (targets, g_srv_target_new ("backup.example.org.", 465, 20, 0));
  targets = g_list_append (targets, g_srv_target_new ("light.example.org.", 4650, 10, 1));
  targets = g_list_append (targets, g_srv_target_new ("mail.example.org.", 465, 10, 50));
  best = pigeon_account_presets_from_srv (targets, PIGEON_SMTP_SECURITY_TLS);
  assert_server (best, "mail.example.org", 465, PIGEON_SMTP_SECURITY_TLS);

  g_assert_null (pigeon_account_presets_from_srv (NULL, PIGEON_SMTP_SECURITY_TLS));
  nothing = pigeon_account_presets_from_srv (none, PIGEON_SMTP_SECURITY_STARTTLS);
  g_assert_null (nothing);
  g_list_free_full (targets, (GDestroyNotify) g_srv_target_free);
  g_list_free_full (none, (GDestroyNotify) g_srv_target_free);
}

/* Saving, the list, the default. */

static void
test_save (void)
{
  GtkWidget *dialog = NULL;
  g_auto (GStrv) ids = NULL;
  g_autoptr (PigeonAccount) saved = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GList) rows = NULL;

  pigeon_test_ui_forget_accounts ();
  dialog = pigeon_test_ui_dialog_adding ();
  pigeon_test_ui_type_into (dialog, "address_entry", "ana@gmail.com");
  pigeon_test_ui_type_into (dialog, "name_entry", "Ana Núñez");
  pigeon_test_ui_type_into (dialog, "password_entry", PASSWORD);
  g_assert_false (
    gtk_entry_get_visibility (GTK_ENTRY (pigeon_test_ui_child (dialog, "password_entry"))));
  g_assert_true (gtk_widget_get_sensitive (pigeon_test_ui_child (dialog, "save_button")));
  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "save_button")));

  ids = pigeon_account_list ();
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  saved = pigeon_account_load (ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pigeon_account_get_address (saved), ==, "ana@gmail.com");
  g_assert_cmpstr (pigeon_account_get_display_name (saved), ==, "Ana Núñez");
  g_assert_cmpstr (pigeon_account_get_host (saved), ==, "smtp.gmail.com");
  g_assert_cmpuint (pigeon_account_get_port (saved), ==, 465);
  g_assert_cmpint (pigeon_account_get_security (saved), ==, PIGEON_SMTP_SECURITY_TLS);
  g_assert_cmpstr (pigeon_account_get_user (saved), ==, "ana@gmail.com");

  /* Back on the list: the account, marked as the default. */
  g_assert_cmpstr (
    gtk_stack_get_visible_child_name (GTK_STACK (pigeon_test_ui_child (dialog, "stack"))), ==,
    "list");
  rows = gtk_container_get_children (GTK_CONTAINER (pigeon_test_ui_child (dialog, "account_list")));
  g_assert_cmpuint (g_list_length (rows), ==, 1);
  /* This test has no session bus, so no keyring: the dialog says the password will be asked. */
  WAIT_UNTIL (pigeon_test_ui_shows (dialog, "notice_box"));
  g_assert_true (pigeon_test_ui_label_contains (dialog, "notice_label", "no keyring"));
  g_assert_true (pigeon_test_ui_label_contains (dialog, "notice_label", "ask for it when sending"));
  gtk_widget_destroy (dialog);
}

static PigeonAccount *
save_account (const char *id, const char *address, const char *host, guint port)
{
  PigeonAccount *account = pigeon_account_new (id);
  g_autoptr (GError) error = NULL;

  g_object_set (account, "address", address, "host", host, "port", port, NULL);
  g_assert_true (pigeon_account_save (account, &error));
  g_assert_no_error (error);
  return account;
}

/* Whether one of the row's labels says "Default". */
static gboolean
marked_default (GtkListBoxRow *row)
{
  GtkWidget *grid = gtk_bin_get_child (GTK_BIN (row));
  g_autoptr (GList) labels = gtk_container_get_children (GTK_CONTAINER (grid));

  for (GList *l = labels; l != NULL; l = l->next)
    {
      if (g_strcmp0 (gtk_label_get_text (l->data), "Default") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_default_and_remove (void)
{
  g_autoptr (PigeonAccount) first = NULL;
  g_autoptr (PigeonAccount) second = NULL;
  GtkWidget *dialog = NULL;
  GtkListBox *list = NULL;
  g_autofree char *default_id = NULL;
  g_auto (GStrv) ids = NULL;
  GList *toplevels = NULL;
  g_autoptr (GList) rows = NULL;

  pigeon_test_ui_forget_accounts ();
  first = save_account ("first", "ana@example.org", "smtp.example.org", 587);
  second = save_account ("second", "ana@example.net", "smtp.example.net", 587);
  dialog = pigeon_test_ui_dialog_new ();
  list = GTK_LIST_BOX (pigeon_test_ui_child (dialog, "account_list"));
  /* The first account saved is the default, and the list says so. */
  g_assert_true (marked_default (pigeon_test_ui_row_of (dialog, "first")));
  g_assert_false (marked_default (pigeon_test_ui_row_of (dialog, "second")));

  gtk_list_box_select_row (list, pigeon_test_ui_row_of (dialog, "second"));
  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "default_button")));
  default_id = pigeon_account_get_default_id ();
  g_assert_cmpstr (default_id, ==, "second");
  g_assert_false (marked_default (pigeon_test_ui_row_of (dialog, "first")));
  g_assert_true (marked_default (pigeon_test_ui_row_of (dialog, "second")));

  gtk_list_box_select_row (list, pigeon_test_ui_row_of (dialog, "first"));
  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "remove_button")));
  /* Removing asks first. */
  ids = pigeon_account_list ();
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (GTK_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
        gtk_dialog_response (l->data, GTK_RESPONSE_ACCEPT);
    }
  g_list_free (toplevels);
  g_clear_pointer (&ids, g_strfreev);
  ids = pigeon_account_list ();
  g_assert_cmpstrv (ids, ((const char *const[]){ "second", NULL }));
  rows = gtk_container_get_children (GTK_CONTAINER (list));
  g_assert_cmpuint (g_list_length (rows), ==, 1);
  gtk_widget_destroy (dialog);
}

int
main (int argc, char *argv[])
{
  pigeon_test_ui_accounts_init (&argc, &argv);

  g_test_add_func ("/ui/accounts/presets", test_presets);
  g_test_add_func ("/ui/accounts/domain-of", test_domain_of);
  g_test_add_func ("/ui/accounts/srv-targets", test_srv_targets);
  g_test_add_func ("/ui/accounts/save", test_save);
  g_test_add_func ("/ui/accounts/default-and-remove", test_default_and_remove);

  return pigeon_test_ui_accounts_run ();
}
