/* test-ui-open.c: "pigeon mailto:… FILE…" and a file manager's "Open With → Pigeon": the
 * application's "open" fills in the message from mailto: links and attaches the files
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>

#include "pigeon-draft-store.h"
#include "pigeon-mime-init.h"
#include "pigeon-test-ui.h"
#include "pigeon-window.h"

#define WAIT_UNTIL(cond) PIGEON_TEST_UI_WAIT_UNTIL (cond, 20 * G_USEC_PER_SEC)

static char *test_home;
static PigeonApplication *app;

typedef struct
{
  char *files; /* the pictures the test opens */
} Fixture;

/* Helpers. */

static char *
picture_new (Fixture *f, const char *name, guint32 colour)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (f->files, name, NULL);

  gdk_pixbuf_fill (pixbuf, colour);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

/* What "pigeon ARG…" hands to the application. */
static void
open_args (const char *const *args)
{
  guint n = g_strv_length ((char **) args);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (args[i]));
  g_application_open (G_APPLICATION (app), (GFile **) files->pdata, n, "");
}

static GtkWidget *
the_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  g_assert_cmpuint (g_list_length (windows), ==, 1);
  return windows->data;
}

static gboolean
window_ready (guint n_attachments)
{
  GtkWidget *window = the_window ();
  PigeonDraft *draft = pigeon_window_get_draft (PIGEON_WINDOW (window));

  return draft != NULL && gtk_widget_get_mapped (window) &&
         g_list_model_get_n_items (pigeon_draft_get_attachments (draft)) == n_attachments;
}

/* The attachments as the window lists them, in order: "name, size" for each item. */
static void
assert_attachments_shown (const char *const *names)
{
  g_autoptr (GPtrArray) items =
    pigeon_test_ui_find_widgets (the_window (), GTK_TYPE_FLOW_BOX_CHILD);

  g_assert_cmpuint (items->len, ==, g_strv_length ((char **) names));
  for (guint i = 0; i < items->len; i++)
    {
      const char *item = atk_object_get_name (gtk_widget_get_accessible (items->pdata[i]));
      g_autofree char *prefix = g_strdup_printf ("%s, ", names[i]);

      g_assert_true (g_str_has_prefix (item, prefix));
      g_assert_true (pigeon_test_ui_shows_text (the_window (), names[i]));
    }
}

static const char *
entry_text (const char *name)
{
  GtkWidget *entry = pigeon_test_ui_find_named (the_window (), GTK_TYPE_ENTRY, name);

  g_assert_nonnull (entry);
  return gtk_entry_get_text (GTK_ENTRY (entry));
}

static gboolean
info_bar_shown (void)
{
  GtkWidget *bar = pigeon_test_ui_find_named (the_window (), GTK_TYPE_INFO_BAR, NULL);

  return gtk_info_bar_get_revealed (GTK_INFO_BAR (bar));
}

/* The fixture: no saved draft (each window saves its own when it closes), no window left. */

static void
set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GFile) folder = pigeon_draft_store_get_default_folder ();
  g_autoptr (PigeonDraftStore) store = pigeon_draft_store_new (folder);
  g_autoptr (GError) error = NULL;

  pigeon_draft_store_clear (store, &error);
  g_assert_no_error (error);
  f->files = g_build_filename (test_home, "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->files, 0700), ==, 0);
}

static void
tear_down (Fixture *f, gconstpointer data)
{
  GList *windows = NULL;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_widget_destroy (windows->data);
  pigeon_test_ui_delete_tree (f->files);
  g_free (f->files);
}

/* The tests. */

static void
test_mailto_and_files (Fixture *f, gconstpointer data)
{
  g_autofree char *first = picture_new (f, "first.png", 0xff8800ff);
  g_autofree char *second = picture_new (f, "second.png", 0x2288ffff);
  const char *args[] = { "mailto:bob@example.org?subject=Photos", first, second, NULL };
  const char *shown[] = { "first.png", "second.png", NULL };

  /* Before the window has read its draft: the link and the files wait for it. */
  open_args (args);
  WAIT_UNTIL (window_ready (2));
  g_assert_cmpstr (entry_text ("To"), ==, "bob@example.org");
  g_assert_cmpstr (entry_text ("Subject"), ==, "Photos");
  assert_attachments_shown (shown);
  g_assert_false (info_bar_shown ());
}

/* "Open With → Pigeon" while Pigeon runs: the files join the message being written. */
static void
test_running_window (Fixture *f, gconstpointer data)
{
  g_autofree char *first = picture_new (f, "first.png", 0xff8800ff);
  g_autofree char *second = picture_new (f, "second.png", 0x2288ffff);
  const char *args[] = { first, NULL };
  const char *more[] = { second, NULL };
  const char *shown[] = { "first.png", "second.png", NULL };

  open_args (args);
  WAIT_UNTIL (window_ready (1));
  open_args (more);
  WAIT_UNTIL (window_ready (2));
  assert_attachments_shown (shown);
  g_assert_cmpstr (entry_text ("To"), ==, "");
}

/* A web address is not downloaded behind the user's back: the window says why not. */
static void
test_not_on_this_computer (Fixture *f, gconstpointer data)
{
  g_autofree char *first = picture_new (f, "first.png", 0xff8800ff);
  const char *args[] = { "https://example.org/photo.jpg", first, NULL };
  const char *refused =
    "“https://example.org/photo.jpg” cannot be attached: only files on this computer can.";
  const char *shown[] = { "first.png", NULL };

  open_args (args);
  WAIT_UNTIL (window_ready (1) && pigeon_test_ui_shows_text (the_window (), refused));
  g_assert_true (info_bar_shown ());
  assert_attachments_shown (shown);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data_home = NULL, *config_home = NULL;
  int status = 0;

  test_home = g_dir_make_tmp ("pigeon-ui-open-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (test_home, "data", NULL);
  config_home = g_build_filename (test_home, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  pigeon_mime_init ();

  /* As installed (it opens files and links), but not the one instance on the session bus. */
  app = pigeon_application_new ();
  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) |
                                                  G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ui/open/mailto-and-files", Fixture, NULL, set_up, test_mailto_and_files, tear_down);
  g_test_add ("/ui/open/running-window", Fixture, NULL, set_up, test_running_window, tear_down);
  g_test_add ("/ui/open/not-on-this-computer", Fixture, NULL, set_up, test_not_on_this_computer,
              tear_down);
  status = g_test_run ();

  g_clear_object (&app);
  pigeon_test_ui_delete_tree (test_home);
  g_free (test_home);
  return status;
}
