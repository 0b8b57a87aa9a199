/* test-ui-account-editor.c: the accounts dialog's editor and the certificate dialog, driven
 * through their widgets: presets and DNS SRV discovery (a fake resolver, no network), the
 * user's own edits, the security warning, Test connection against the scripted server,
 * certificates
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <gtk/gtk.h>
#include <string.h>

#include "pigeon-account.h"
#include "pigeon-certificate-dialog.h"
#include "pigeon-fake-server.h"
#include "pigeon-test-ui.h"

#define USER     "alice@example.org"
#define PASSWORD "s3cret-Pa55word"
#define WAIT_S   10

#define WAIT_USEC        (WAIT_S * G_USEC_PER_SEC)
#define WAIT_UNTIL(cond) PIGEON_TEST_UI_WAIT_UNTIL (cond, WAIT_USEC)

/* The result grid as a person reads it: "name: value", one row a line. */
static char *
result_text (GtkWidget *dialog)
{
  GtkGrid *grid = GTK_GRID (pigeon_test_ui_child (dialog, "result_grid"));
  GString *text = g_string_new (NULL);

  for (int row = 0; gtk_grid_get_child_at (grid, 0, row) != NULL; row++)
    g_string_append_printf (text, "%s: %s\n",
                            gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 0, row))),
                            gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 1, row))));
  return g_string_free (text, FALSE);
}

static const char *
security_shown (GtkWidget *dialog)
{
  return gtk_combo_box_get_active_id (
    GTK_COMBO_BOX (pigeon_test_ui_child (dialog, "security_combo")));
}

static int
port_shown (GtkWidget *dialog)
{
  return gtk_spin_button_get_value_as_int (
    GTK_SPIN_BUTTON (pigeon_test_ui_child (dialog, "port_spin")));
}

/* The server from the address, in the dialog. */

static void
test_preset_fills_editor (void)
{
  GtkWidget *dialog = NULL;
  guint lookups = pigeon_test_ui_get_lookups ();

  pigeon_test_ui_forget_accounts ();
  dialog = pigeon_test_ui_dialog_adding ();
  pigeon_test_ui_type_into (dialog, "address_entry", "ana@gmail.com");
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "host_entry"), ==, "smtp.gmail.com");
  g_assert_cmpint (port_shown (dialog), ==, 465);
  g_assert_cmpstr (security_shown (dialog), ==, "tls");
  /* The user name follows the address until the user types one. */
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "user_entry"), ==, "ana@gmail.com");
  g_assert_cmpuint (pigeon_test_ui_get_lookups (), ==, lookups);
  gtk_widget_destroy (dialog);
}

static void
test_srv_fills_editor (void)
{
  GtkWidget *dialog = NULL;

  pigeon_test_ui_forget_accounts ();
  pigeon_test_ui_add_srv ("_submissions._tcp.example.org", "mail.example.org.", 465, 0);
  dialog = pigeon_test_ui_dialog_adding ();
  pigeon_test_ui_type_into (dialog, "address_entry", "ana@example.org");
  WAIT_UNTIL (pigeon_test_ui_shows (dialog, "lookup_box"));
  g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "lookup_label"), ==,
                   "Looking up example.org…");
  WAIT_UNTIL (g_strcmp0 (pigeon_test_ui_entry_text (dialog, "host_entry"), "mail.example.org") ==
              0);
  g_assert_cmpint (port_shown (dialog), ==, 465);
  g_assert_cmpstr (security_shown (dialog), ==, "tls");
  g_assert_false (pigeon_test_ui_shows (dialog, "lookup_box"));
  gtk_widget_destroy (dialog);
}

/* No implicit-TLS service (a failed look-up, or "." for "none here"): STARTTLS from
 * _submission._tcp. */
static void
test_srv_starttls (gconstpointer data)
{
  const char *domain = data;
  g_autofree char *tls_name = g_strconcat ("_submissions._tcp.", domain, NULL);
  g_autofree char *starttls_name = g_strconcat ("_submission._tcp.", domain, NULL);
  g_autofree char *address = g_strconcat ("ana@", domain, NULL);
  g_autofree char *host = g_strconcat ("smtp.", domain, NULL);
  GtkWidget *dialog = NULL;

  pigeon_test_ui_forget_accounts ();
  if (g_str_has_prefix (domain, "fails"))
    pigeon_test_ui_add_srv (tls_name, NULL, 0, 0);
  else
    pigeon_test_ui_add_srv (tls_name, ".", 0, 0);
  pigeon_test_ui_add_srv (starttls_name, host, 2587, 0);
  dialog = pigeon_test_ui_dialog_adding ();
  pigeon_test_ui_type_into (dialog, "address_entry", address);
  WAIT_UNTIL (g_strcmp0 (pigeon_test_ui_entry_text (dialog, "host_entry"), host) == 0);
  g_assert_cmpint (port_shown (dialog), ==, 2587);
  g_assert_cmpstr (security_shown (dialog), ==, "starttls");
  gtk_widget_destroy (dialog);
}

static void
test_srv_nothing (void)
{
  GtkWidget *dialog = NULL;

  pigeon_test_ui_forget_accounts ();
  pigeon_test_ui_add_srv ("_submission._tcp.nothing.example", NULL, 0, 0);
  dialog = pigeon_test_ui_dialog_adding ();
  pigeon_test_ui_type_into (dialog, "address_entry", "ana@nothing.example");
  WAIT_UNTIL (pigeon_test_ui_label_contains (dialog, "lookup_label",
                                             "No server is published for nothing.example"));
  g_assert_true (pigeon_test_ui_shows (dialog, "lookup_box"));
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "host_entry"), ==, "");
  /* Nothing to save to: the reason is shown and Save is off. */
  g_assert_false (gtk_widget_get_sensitive (pigeon_test_ui_child (dialog, "save_button")));
  g_assert_true (pigeon_test_ui_shows (dialog, "invalid_box"));
  g_assert_true (pigeon_test_ui_label_contains (dialog, "invalid_label", "server"));
  gtk_widget_destroy (dialog);
}

/* What the user typed in Server stays, whatever the address becomes. */
static void
test_user_edits_kept (void)
{
  GtkWidget *dialog = NULL;
  guint lookups = 0;

  pigeon_test_ui_forget_accounts ();
  pigeon_test_ui_add_srv ("_submissions._tcp.example.com", "mail.example.com", 465, 0);
  dialog = pigeon_test_ui_dialog_adding ();
  pigeon_test_ui_type_into (dialog, "address_entry", "ana@gmail.com");
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "host_entry"), ==, "smtp.gmail.com");
  pigeon_test_ui_type_into (dialog, "host_entry", "relay.my-isp.test");
  pigeon_test_ui_type_into (dialog, "user_entry", "ana");
  lookups = pigeon_test_ui_get_lookups ();

  pigeon_test_ui_type_into (dialog, "address_entry", "ana@outlook.com");
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "host_entry"), ==, "relay.my-isp.test");
  pigeon_test_ui_type_into (dialog, "address_entry", "ana@example.com");
  g_assert_false (pigeon_test_ui_shows (dialog, "lookup_box"));
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "host_entry"), ==, "relay.my-isp.test");
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "user_entry"), ==, "ana");
  g_assert_cmpuint (pigeon_test_ui_get_lookups (), ==, lookups);
  gtk_widget_destroy (dialog);
}

/* A look-up still under way when the user types a server must not replace it. */
static void
test_user_edit_during_lookup (void)
{
  GtkWidget *dialog = NULL;

  pigeon_test_ui_forget_accounts ();
  pigeon_test_ui_add_srv ("_submissions._tcp.slow.example", "mail.slow.example", 465, 0);
  dialog = pigeon_test_ui_dialog_adding ();
  pigeon_test_ui_type_into (dialog, "address_entry", "ana@slow.example");
  WAIT_UNTIL (pigeon_test_ui_shows (dialog, "lookup_box"));
  pigeon_test_ui_type_into (dialog, "host_entry", "mine.example");
  g_assert_false (pigeon_test_ui_shows (dialog, "lookup_box"));
  /* Let whatever was in flight arrive. */
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "host_entry"), ==, "mine.example");
  gtk_widget_destroy (dialog);
}

static void
test_insecure_warning (void)
{
  GtkWidget *dialog = NULL;

  pigeon_test_ui_forget_accounts ();
  dialog = pigeon_test_ui_dialog_adding ();
  pigeon_test_ui_type_into (dialog, "address_entry", "ana@gmail.com");
  g_assert_false (pigeon_test_ui_shows (dialog, "insecure_box"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (pigeon_test_ui_child (dialog, "security_combo")),
                               "none");
  g_assert_true (pigeon_test_ui_shows (dialog, "insecure_box"));
  g_assert_true (pigeon_test_ui_label_contains (dialog, "insecure_label", "password"));
  g_assert_true (pigeon_test_ui_label_contains (dialog, "insecure_label", "unprotected"));
  /* The port was the usual one for SSL/TLS: it follows to the usual one without TLS. */
  g_assert_cmpint (port_shown (dialog), ==, 25);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (pigeon_test_ui_child (dialog, "security_combo")),
                               "starttls");
  g_assert_false (pigeon_test_ui_shows (dialog, "insecure_box"));
  g_assert_cmpint (port_shown (dialog), ==, 587);
  gtk_widget_destroy (dialog);
}

/* Test connection, against the scripted server. */

static GtkWidget *
dialog_editing (PigeonFakeServer *server, const char *ca_name)
{
  g_autofree char *ca =
    ca_name != NULL ? g_test_build_filename (G_TEST_BUILT, ca_name, NULL) : NULL;
  g_autoptr (PigeonAccount) account = pigeon_account_new ("probe");
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog = NULL;

  pigeon_test_ui_forget_accounts ();
  g_object_set (account, "address", USER, "host", "127.0.0.1", "port",
                (guint) pigeon_fake_server_get_port (server), "security", PIGEON_SMTP_SECURITY_TLS,
                "user", USER, "ca-file", ca != NULL ? ca : "", NULL);
  g_assert_true (pigeon_account_save (account, &error));
  g_assert_no_error (error);
  dialog = pigeon_test_ui_dialog_new ();
  g_signal_emit_by_name (pigeon_test_ui_child (dialog, "account_list"), "row-activated",
                         pigeon_test_ui_row_of (dialog, "probe"));
  g_assert_cmpstr (pigeon_test_ui_entry_text (dialog, "host_entry"), ==, "127.0.0.1");
  pigeon_test_ui_type_into (dialog, "password_entry", PASSWORD);
  return dialog;
}

static PigeonFakeServer *
server_new (const char *cert_name)
{
  PigeonFakeServer *server = pigeon_fake_server_new (cert_name);

  pigeon_fake_server_set_capabilities (server, "", "AUTH PLAIN LOGIN\nPIPELINING\nSIZE 10485760");
  pigeon_fake_server_set_credentials (server, USER, PASSWORD);
  pigeon_fake_server_start_tls (server);
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  return server;
}

static void
run_test_connection (GtkWidget *dialog)
{
  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "test_button")));
  g_assert_true (pigeon_test_ui_shows (dialog, "test_spinner"));
  g_assert_true (pigeon_test_ui_shows (dialog, "test_cancel_button"));
  g_assert_false (gtk_widget_get_sensitive (pigeon_test_ui_child (dialog, "test_button")));
  WAIT_UNTIL (gtk_widget_get_sensitive (pigeon_test_ui_child (dialog, "test_button")));
  g_assert_true (pigeon_test_ui_shows (dialog, "result_label"));
  g_assert_false (pigeon_test_ui_shows (dialog, "test_spinner"));
}

static void
test_connection_ok (void)
{
  g_autoptr (PigeonFakeServer) server = server_new ("server");
  GtkWidget *dialog = dialog_editing (server, "ca.pem");
  g_autoptr (PigeonAccount) saved = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *result = NULL;

  /* No session bus in this test: the editor says there is no keyring. */
  WAIT_UNTIL (pigeon_test_ui_shows (dialog, "keyring_box"));
  run_test_connection (dialog);
  result = result_text (dialog);
  g_test_message ("%s", result);
  g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "result_label"), ==, "Logged in");
  g_assert_nonnull (strstr (result, "Encryption: TLS 1.3, "));
  g_assert_nonnull (strstr (result, "Certificate for: CN=localhost"));
  g_assert_nonnull (strstr (result, "Issued by: CN=Pigeon Test CA"));
  g_assert_nonnull (strstr (result, "Log-in methods: PLAIN, LOGIN\n"));
  g_assert_nonnull (strstr (result, "SIZE: Up to 10.5\u00a0MB\n"));
  g_assert_nonnull (strstr (result, "PIPELINING: Offered\n"));
  g_assert_nonnull (strstr (result, "8BITMIME: Not offered\n"));
  g_assert_nonnull (strstr (result, "SMTPUTF8: Not offered\n"));
  g_assert_nonnull (strstr (result, "CHUNKING: Not offered\n"));
  g_assert_false (pigeon_test_ui_shows (dialog, "certificate_button"));
  /* The saved account now knows its server's limit: the window can warn before a send. */
  saved = pigeon_account_load ("probe", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pigeon_account_get_size_limit (saved), ==, 10485760);

  g_assert_true (pigeon_fake_server_wait_done (server, WAIT_S * 1000));
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH PLAIN *"), ==, 1);
  g_assert_cmpuint (pigeon_fake_server_count (server, "QUIT"), ==, 1);
  g_assert_cmpuint (pigeon_fake_server_count (server, "MAIL *"), ==, 0);
  gtk_widget_destroy (dialog);
}

static PigeonCertificateDialog *
find_certificate_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  PigeonCertificateDialog *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (PIGEON_IS_CERTIFICATE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
        found = l->data;
    }
  g_list_free (toplevels);
  return found;
}

/* SHA-256 of the first certificate's DER bytes, straight from the PEM text. */
static char *
fingerprint_of (const char *cert_name, gboolean pretty)
{
  g_autofree char *name = g_strconcat (cert_name, ".pem", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autofree char *pem = NULL;
  g_autofree guchar *der = NULL;
  g_autofree char *hex = NULL;
  g_autoptr (GString) shown = g_string_new (NULL);
  char *begin = NULL;
  char *end = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &pem, NULL, NULL));
  begin = strstr (pem, "-----BEGIN CERTIFICATE-----");
  g_assert_nonnull (begin);
  begin += strlen ("-----BEGIN CERTIFICATE-----");
  end = strstr (begin, "-----END CERTIFICATE-----");
  g_assert_nonnull (end);
  *end = '\0';
  der = g_base64_decode (g_strstrip (begin), &length);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, length);
  if (!pretty)
    return g_steal_pointer (&hex);
  for (gsize i = 0; hex[i] != '\0'; i += 2)
    g_string_append_printf (shown, "%s%c%c", i > 0 ? ":" : "", g_ascii_toupper (hex[i]),
                            g_ascii_toupper (hex[i + 1]));
  return g_string_free (g_steal_pointer (&shown), FALSE);
}

/* Refused, explained, shown, pinned by "Trust and Retry", and the pin saved. */
static void
test_connection_untrusted (void)
{
  g_autoptr (PigeonFakeServer) server = server_new ("untrusted");
  GtkWidget *dialog = dialog_editing (server, "ca.pem");
  g_autofree char *expected = fingerprint_of ("untrusted", FALSE);
  g_autoptr (PigeonAccount) saved = NULL;
  PigeonCertificateDialog *certificate = NULL;

  run_test_connection (dialog);
  g_test_message ("%s", pigeon_test_ui_label_text (dialog, "result_label"));
  g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "result_label"), !=, "Logged in");
  g_assert_true (pigeon_test_ui_label_contains (dialog, "result_label", "certificate"));
  g_assert_true (pigeon_test_ui_shows (dialog, "certificate_button"));
  g_assert_true (pigeon_fake_server_wait_done (server, WAIT_S * 1000));
  g_assert_cmpuint (pigeon_fake_server_count (server, "AUTH *"), ==, 0);

  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "certificate_button")));
  certificate = find_certificate_dialog ();
  g_assert_nonnull (certificate);
  g_assert_cmpstr (pigeon_certificate_dialog_get_fingerprint (certificate), ==, expected);
  /* The retry finds nobody listening: only the pin matters here. */
  g_clear_object (&server);
  gtk_dialog_response (GTK_DIALOG (certificate), PIGEON_CERTIFICATE_RESPONSE_TRUST);
  g_assert_null (find_certificate_dialog ());
  WAIT_UNTIL (gtk_widget_get_sensitive (pigeon_test_ui_child (dialog, "test_button")));

  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "save_button")));
  saved = pigeon_account_load ("probe", NULL);
  g_assert_nonnull (saved);
  g_assert_cmpstr (pigeon_account_get_pinned_fingerprint (saved), ==, expected);
  gtk_widget_destroy (dialog);
}

/* Stop: a server that says nothing must not hold the dialog. */
static void
test_connection_stopped (void)
{
  g_autoptr (PigeonFakeServer) server = pigeon_fake_server_new (NULL);
  GtkWidget *dialog = NULL;

  pigeon_fake_server_silence (server, 3000);
  pigeon_fake_server_greet_and_serve (server);
  pigeon_fake_server_start (server);
  dialog = dialog_editing (server, NULL);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (pigeon_test_ui_child (dialog, "security_combo")),
                               "starttls");
  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "test_button")));
  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "test_cancel_button")));
  WAIT_UNTIL (gtk_widget_get_sensitive (pigeon_test_ui_child (dialog, "test_button")));
  g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "result_label"), ==, "The test was stopped.");
  gtk_widget_destroy (dialog);
}

/* The certificate dialog. */

static void
test_certificate_dialog (gconstpointer data)
{
  const char *name = data;
  gboolean expired = g_str_equal (name, "expired");
  g_autofree char *file = g_strconcat (name, ".pem", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);
  g_autofree char *ca_path = g_test_build_filename (G_TEST_BUILT, "ca.pem", NULL);
  g_autofree char *pretty = fingerprint_of (name, TRUE);
  g_autofree char *hex = fingerprint_of (name, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, &error);
  g_autoptr (GTlsCertificate) ca = g_tls_certificate_new_from_file (ca_path, &error);
  g_autoptr (GSocketConnectable) identity = g_network_address_new ("localhost", 465);
  GTlsCertificateFlags flags = 0;
  GtkWidget *dialog = NULL;
  GtkWidget *trust = NULL;
  g_autofree char *shown_fingerprint = NULL;

  g_assert_no_error (error);
  flags = g_tls_certificate_verify (certificate, identity, ca);
  g_assert_cmpint (flags, ==, expired ? G_TLS_CERTIFICATE_EXPIRED : G_TLS_CERTIFICATE_UNKNOWN_CA);
  dialog = pigeon_certificate_dialog_new (NULL, "localhost", certificate, flags);
  gtk_widget_show (dialog);

  g_assert_true (pigeon_test_ui_label_contains (dialog, "heading_label", "localhost"));
  g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "reasons_label"), ==,
                   expired ? "• It has expired." : "• It is not signed by an authority you trust.");
  g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "subject_label"), ==, "CN=localhost");
  g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "issuer_label"), ==,
                   expired ? "CN=Pigeon Test CA" : "CN=Unrelated Test CA");
  if (expired)
    {
      g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "valid_from_label"), ==,
                       "1 January 2001, 00:00");
      g_assert_cmpstr (pigeon_test_ui_label_text (dialog, "valid_until_label"), ==,
                       "1 January 2002, 00:00");
    }
  else
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *this_year = g_date_time_format (now, " %Y, ");

      g_assert_true (pigeon_test_ui_label_contains (dialog, "valid_from_label", this_year));
    }
  /* Upper-case colon-separated groups, several to a line; the dialog hands back bare hex. */
  shown_fingerprint =
    g_strdelimit (g_strdup (pigeon_test_ui_label_text (dialog, "fingerprint_label")), "\n", ':');
  g_assert_cmpstr (shown_fingerprint, ==, pretty);
  g_assert_true (
    gtk_label_get_selectable (GTK_LABEL (pigeon_test_ui_child (dialog, "fingerprint_label"))));
  g_assert_cmpstr (pigeon_certificate_dialog_get_fingerprint (PIGEON_CERTIFICATE_DIALOG (dialog)),
                   ==, hex);

  trust =
    gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), PIGEON_CERTIFICATE_RESPONSE_TRUST);
  g_assert_nonnull (trust);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (trust)), ==, "_Trust and Retry");
  g_assert_true (
    gtk_style_context_has_class (gtk_widget_get_style_context (trust), "destructive-action"));
  g_assert_nonnull (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL));
  gtk_widget_destroy (dialog);
}

int
main (int argc, char *argv[])
{
  pigeon_test_ui_accounts_init (&argc, &argv);

  g_test_add_func ("/ui/accounts/editor/preset", test_preset_fills_editor);
  g_test_add_func ("/ui/accounts/editor/srv", test_srv_fills_editor);
  g_test_add_data_func ("/ui/accounts/editor/srv-starttls-after-dot", "dot.example",
                        test_srv_starttls);
  g_test_add_data_func ("/ui/accounts/editor/srv-starttls-after-failure", "fails.example",
                        test_srv_starttls);
  g_test_add_func ("/ui/accounts/editor/srv-nothing", test_srv_nothing);
  g_test_add_func ("/ui/accounts/editor/user-edits-kept", test_user_edits_kept);
  g_test_add_func ("/ui/accounts/editor/user-edit-during-lookup", test_user_edit_during_lookup);
  g_test_add_func ("/ui/accounts/editor/insecure-warning", test_insecure_warning);
  g_test_add_func ("/ui/accounts/test-connection/ok", test_connection_ok);
  g_test_add_func ("/ui/accounts/test-connection/untrusted", test_connection_untrusted);
  g_test_add_func ("/ui/accounts/test-connection/stopped", test_connection_stopped);
  g_test_add_data_func ("/ui/certificate/untrusted", "untrusted", test_certificate_dialog);
  g_test_add_data_func ("/ui/certificate/expired", "expired", test_certificate_dialog);

  return pigeon_test_ui_accounts_run ();
}
