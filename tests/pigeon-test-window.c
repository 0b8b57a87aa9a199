/* pigeon-test-window.c: what the window's tests share
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-window.h"

#include <glib/gstdio.h>

#include "pigeon-attachments-view.h"
#include "pigeon-draft-store.h"
#include "pigeon-mime-init.h"

static char *test_home;
static PigeonApplication *app;

/* The program. */

void
pigeon_test_window_init (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data_home = NULL, *config_home = NULL;

  test_home = g_dir_make_tmp ("pigeon-ui-window-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (test_home, "data", NULL);
  config_home = g_build_filename (test_home, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (argc, argv, NULL);
  pigeon_mime_init ();

  /* As installed (it opens files and links), but not the one instance on the session bus. */
  app = pigeon_application_new ();
  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) |
                                                  G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
}

int
pigeon_test_window_run (void)
{
  int status = g_test_run ();

  g_clear_object (&app);
  pigeon_test_ui_delete_tree (test_home);
  g_clear_pointer (&test_home, g_free);
  return status;
}

PigeonApplication *
pigeon_test_window_get_app (void)
{
  return app;
}

/* The fixture. */

void
pigeon_test_window_set_up (PigeonTestWindow *f, gconstpointer data)
{
  g_auto (GStrv) ids = pigeon_account_list ();
  g_autoptr (GFile) folder = pigeon_draft_store_get_default_folder ();
  g_autoptr (PigeonDraftStore) store = pigeon_draft_store_new (folder);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr (PigeonAccount) account = pigeon_account_load (ids[i], NULL);

      pigeon_account_delete (account);
    }
  pigeon_draft_store_clear (store, &error);
  g_assert_no_error (error);
  f->files = g_build_filename (test_home, "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->files, 0700), ==, 0);
}

void
pigeon_test_window_tear_down (PigeonTestWindow *f, gconstpointer data)
{
  if (f->window != NULL)
    pigeon_test_window_close (f);
  g_clear_object (&f->server);
  pigeon_test_ui_delete_tree (f->files);
  g_free (f->files);
}

/* Files, accounts, servers. */

void
pigeon_test_window_save_account (
  const char *host, guint port, PigeonSmtpSecurity security, const char *user, const char *ca_file)
{
  g_autoptr (PigeonAccount) account = pigeon_account_new ("test");
  g_autoptr (GError) error = NULL;

  g_object_set (account, "display-name", "Alice Example", "address", USER, "host", host, "port",
                port, "security", security, "user", user, "ca-file", ca_file, NULL);
  pigeon_account_save (account, &error);
  g_assert_no_error (error);
}

void
pigeon_test_window_start_plain_server (PigeonTestWindow *f)
{
  f->server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_set_capabilities (f->server, "8BITMIME\nPIPELINING", "");
  pigeon_fake_server_greet_and_serve (f->server);
  pigeon_test_window_save_account ("127.0.0.1", pigeon_fake_server_start (f->server),
                                   PIGEON_SMTP_SECURITY_NONE, "", "");
}

char *
pigeon_test_window_random_file_new (PigeonTestWindow *f, const char *name, gsize size)
{
  char *path = g_build_filename (f->files, name, NULL);
  g_autofree guint32 *words = g_new (guint32, size / 4 + 1);
  g_autoptr (GError) error = NULL;

  for (gsize i = 0; i < size / 4 + 1; i++)
    words[i] = g_random_int ();
  g_file_set_contents (path, (const char *) words, size, &error);
  g_assert_no_error (error);
  return path;
}

char *
pigeon_test_window_picture_new (PigeonTestWindow *f, const char *name, double hue)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 640, 480);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, 0, 640, 480);
  char *path = g_build_filename (f->files, name, NULL);

  cairo_pattern_add_color_stop_rgb (gradient, 0, hue, 0.4, 1 - hue);
  cairo_pattern_add_color_stop_rgb (gradient, 1, 1 - hue, hue, 0.3);
  cairo_set_source (cr, gradient);
  cairo_paint (cr);
  cairo_arc (cr, 320, 240, 120, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 0.8);
  cairo_fill (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_pattern_destroy (gradient);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return path;
}

PigeonDraft *
pigeon_test_window_draft_in_store (void)
{
  g_autoptr (GFile) folder = pigeon_draft_store_get_default_folder ();
  g_autoptr (PigeonDraftStore) store = pigeon_draft_store_new (folder);
  g_autoptr (GError) error = NULL;
  PigeonDraft *draft = pigeon_draft_store_load (store, NULL, &error);

  g_assert_no_error (error);
  return draft;
}

/* The window. */

void
pigeon_test_window_open (PigeonTestWindow *f)
{
  const char *size = g_getenv ("PIGEON_TEST_SHOT_SIZE");
  int width = 1000, height = 700;

  if (size != NULL)
    g_assert_cmpint (sscanf (size, "%dx%d", &width, &height), ==, 2);
  f->window = g_object_ref_sink (pigeon_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_present (GTK_WINDOW (f->window));
  WAIT_UNTIL (pigeon_window_get_draft (f->window) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (f->window)));
}

void
pigeon_test_window_close (PigeonTestWindow *f)
{
  gtk_widget_destroy (GTK_WIDGET (f->window));
  g_clear_object (&f->window);
}

GtkWidget *
pigeon_test_window_find (PigeonTestWindow *f, const char *name)
{
  GtkWidget *widget = pigeon_test_ui_find_named (GTK_WIDGET (f->window), G_TYPE_NONE, name);

  g_assert_nonnull (widget);
  return widget;
}

GtkInfoBar *
pigeon_test_window_info_bar (PigeonTestWindow *f)
{
  return GTK_INFO_BAR (pigeon_test_ui_find_named (GTK_WIDGET (f->window), GTK_TYPE_INFO_BAR, NULL));
}

/* What the user does. */

void
pigeon_test_window_type (PigeonTestWindow *f, const char *field, const char *text)
{
  GtkWidget *widget = pigeon_test_window_find (f, field);

  gtk_widget_grab_focus (widget);
  g_signal_emit_by_name (widget, "insert-at-cursor", text);
}

void
pigeon_test_window_fill_message (PigeonTestWindow *f)
{
  pigeon_test_window_type (f, "To", TO);
  pigeon_test_window_type (f, "Subject", SUBJECT);
  pigeon_test_window_type (f, "Message", BODY);
}

void
pigeon_test_window_drop_files (PigeonTestWindow *f, const char *const *paths)
{
  g_autoptr (GString) uris = g_string_new ("");
  g_autoptr (GBytes) bytes = NULL;
  PigeonDraft *draft = pigeon_window_get_draft (f->window);
  guint before = g_list_model_get_n_items (pigeon_draft_get_attachments (draft));
  guint n = g_strv_length ((char **) paths);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uri = g_filename_to_uri (paths[i], NULL, NULL);

      g_string_append_printf (uris, "%s\r\n", uri);
    }
  bytes = g_bytes_new (uris->str, uris->len);
  g_assert_true (pigeon_attachments_view_add_data (
    PIGEON_ATTACHMENTS_VIEW (pigeon_test_window_find (f, "Attachments")), "text/uri-list", bytes));
  WAIT_UNTIL (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)) == before + n);
}
