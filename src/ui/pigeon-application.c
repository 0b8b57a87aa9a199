/* pigeon-application.c: the application: one instance, its actions and its window
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-application.h"

#include <glib/gi18n.h>

#include "pigeon-accounts-dialog.h"
#include "pigeon-resources.h"
#include "pigeon-stall-probe.h"
#include "pigeon-window.h"

#define QUIT_RESPONSE 1

struct _PigeonApplication
{
  GtkApplication parent_instance;

  GtkWidget *quit_dialog; /* "Quit while sending?", while it is open */
};

G_DEFINE_FINAL_TYPE (PigeonApplication, pigeon_application, GTK_TYPE_APPLICATION)

/* pigeon_application_skip_gl_probe() set GDK_GL, for GTK only. */
static gboolean gl_probe_skipped;

/* Helpers ------------------------------------------------------------------------------------ */

static GtkWindow *
active_window (PigeonApplication *self)
{
  return gtk_application_get_active_window (GTK_APPLICATION (self));
}

/* The window whose message is on its way, if any. */
static PigeonWindow *
find_sending_window (PigeonApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (PIGEON_IS_WINDOW (l->data) && pigeon_window_is_sending (l->data))
        return l->data;
    }
  return NULL;
}

/* Each window saves its draft and cancels its send when destroyed; the application ends with
 * its last window. */
static void
destroy_all_windows (PigeonApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  g_autoptr (GPtrArray) copy = g_ptr_array_new ();

  for (GList *l = windows; l != NULL; l = l->next)
    g_ptr_array_add (copy, l->data);
  for (guint i = 0; i < copy->len; i++)
    gtk_widget_destroy (g_ptr_array_index (copy, i));
}

/* Signal callbacks --------------------------------------------------------------------------- */

static void
quit_dialog_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  PigeonApplication *self = user_data;

  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response == QUIT_RESPONSE)
    destroy_all_windows (self);
}

static void
ask_before_quitting (PigeonApplication *self, PigeonWindow *window)
{
  GtkWidget *dialog = NULL;

  if (self->quit_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->quit_dialog));
      return;
    }
  dialog =
    gtk_message_dialog_new (GTK_WINDOW (window), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                            GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, _ ("Quit while sending?"));
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog),
    _ ("The message is still being sent. Quitting stops it before the server accepts it; the "
       "draft is kept."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _ ("_Keep Sending"), GTK_RESPONSE_CANCEL,
                          _ ("_Quit"), QUIT_RESPONSE, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect (dialog, "response", G_CALLBACK (quit_dialog_response_cb), self);
  self->quit_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->quit_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
quit_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PigeonApplication *self = user_data;
  PigeonWindow *sending = find_sending_window (self);

  if (sending != NULL)
    ask_before_quitting (self, sending);
  else
    destroy_all_windows (self);
}

static void
accounts_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWidget *dialog = pigeon_accounts_dialog_new (active_window (user_data));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
about_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  const char *authors[] = { _ ("The Pigeon authors"), NULL };

  gtk_show_about_dialog (active_window (user_data), "program-name", _ ("Pigeon"), "version",
                         PACKAGE_VERSION, "logo-icon-name", PIGEON_APPLICATION_ID, "comments",
                         _ ("Write a message, drop in your pictures, and send it."), "copyright",
                         _ ("© 2026 The Pigeon authors"), "authors", authors, "license-type",
                         GTK_LICENSE_GPL_3_0, "translator-credits", _ ("translator-credits"), NULL);
}

/* GTK loads gtk/help-overlay.ui from our resources and gives each window the action. */
static void
shortcuts_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *window = active_window (user_data);

  if (window != NULL && g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"))
    g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb, NULL, NULL, NULL, { 0 } },
  { "accounts", accounts_activated_cb, NULL, NULL, NULL, { 0 } },
  { "about", about_activated_cb, NULL, NULL, NULL, { 0 } },
  { "shortcuts", shortcuts_activated_cb, NULL, NULL, NULL, { 0 } },
};

/* Overrides ---------------------------------------------------------------------------------- */

static void
load_style (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/pigeonmail/Pigeon/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
pigeon_application_startup (GApplication *app)
{
  GtkApplication *gtk_app = GTK_APPLICATION (app);

  G_APPLICATION_CLASS (pigeon_application_parent_class)->startup (app);
  /* GTK has read it when it opened the display. */
  if (gl_probe_skipped)
    g_unsetenv ("GDK_GL");
  /* Before the window exists, so that its first frame is seen. */
  pigeon_stall_probe_start (gtk_app);

  g_set_application_name (_ ("Pigeon"));
  gtk_window_set_default_icon_name (PIGEON_APPLICATION_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (gtk_app, "app.quit",
                                         (const char *[]){ "<Primary>q", NULL });
  gtk_application_set_accels_for_action (gtk_app, "win.send",
                                         (const char *[]){ "<Primary>Return", NULL });
  gtk_application_set_accels_for_action (gtk_app, "win.attach",
                                         (const char *[]){ "<Primary><Shift>a", NULL });
  load_style ();
}

static void
pigeon_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* A second launch lands here in the first instance: show the window that is there. */
  if (window == NULL)
    window = GTK_WINDOW (pigeon_window_new (PIGEON_APPLICATION (app)));
  gtk_window_present (window);
}

/* At the window's next frame, so that a window opened with files is drawn first: their items
 * are made by callbacks at the default priority, above drawing's, and 20 photos kept a new
 * window from appearing until most of them were in. */
static gboolean
attach_files_tick_cb (GtkWidget *window, GdkFrameClock *clock, gpointer user_data)
{
  GPtrArray *files = user_data;

  pigeon_window_attach_files (PIGEON_WINDOW (window), (GFile **) files->pdata, files->len);
  return G_SOURCE_REMOVE;
}

/* "pigeon mailto:… FILE…", the desktop's mailto: handler and a file manager's "Open With" (the
 * desktop file's %U) land here. The files are attached together, in the order given, as the
 * Attach button's files are; one that is not on this computer is refused in the info bar. */
static void
pigeon_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  GtkWindow *window = NULL;
  g_autoptr (GPtrArray) attachments = g_ptr_array_new_with_free_func (g_object_unref);

  pigeon_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = NULL;

      if (!g_file_has_uri_scheme (files[i], "mailto"))
        {
          g_ptr_array_add (attachments, g_object_ref (files[i]));
          continue;
        }
      uri = g_file_get_uri (files[i]);
      pigeon_window_open_link (PIGEON_WINDOW (window), uri);
    }
  if (attachments->len > 0)
    gtk_widget_add_tick_callback (GTK_WIDGET (window), attach_files_tick_cb,
                                  g_steal_pointer (&attachments),
                                  (GDestroyNotify) g_ptr_array_unref);
}

static void
pigeon_application_class_init (PigeonApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = pigeon_application_startup;
  app_class->activate = pigeon_application_activate;
  app_class->open = pigeon_application_open;
}

static void
pigeon_application_init (PigeonApplication *self)
{
  /* Referencing the resource pulls its object file, whose constructor registers it, out of
   * the static library into the program. */
  (void) pigeon_get_resource ();
}

/* Public API --------------------------------------------------------------------------------- */

void
pigeon_application_skip_gl_probe (void)
{
  if (g_getenv ("GDK_GL") != NULL)
    return;
  gl_probe_skipped = g_setenv ("GDK_GL", "disable", TRUE);
}

PigeonApplication *
pigeon_application_new (void)
{
  return g_object_new (PIGEON_TYPE_APPLICATION, "application-id", PIGEON_APPLICATION_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, NULL);
}
