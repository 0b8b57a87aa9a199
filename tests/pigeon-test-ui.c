/* pigeon-test-ui.c: what the in-process GTK tests share
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-ui.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pigeon-accounts-dialog.h"

#define NOWHERE_BUS "unix:path=/nonexistent/pigeon-test/bus"
#define SHOT_USEC   (20 * G_USEC_PER_SEC) /* for each frame before a screenshot */

/* A resolver that knows only the SRV records a test gives it. */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;
  GHashTable *records; /* "_submissions._tcp.example.org" → GList of GSrvTarget, or "fail" */
  guint lookups;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static TestResolver *resolver;
static char *accounts_home; /* the XDG folders of the accounts tests */

static void
free_targets (gpointer targets)
{
  if (targets != GINT_TO_POINTER (1))
    g_list_free_full (targets, (GDestroyNotify) g_srv_target_free);
}

static gpointer
copy_target (gconstpointer target, gpointer data)
{
  return g_srv_target_copy ((GSrvTarget *) target);
}

static GList *
test_resolver_lookup_service (GResolver *base,
                              const char *rrname,
                              GCancellable *cancellable,
                              GError **error)
{
  TestResolver *self = TEST_RESOLVER (base);
  GList *targets = g_hash_table_lookup (self->records, rrname);

  self->lookups++;
  if (targets == GINT_TO_POINTER (1))
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "%s: no answer",
                   rrname);
      return NULL;
    }
  if (targets == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "%s: no records", rrname);
      return NULL;
    }
  return g_list_copy_deep (targets, copy_target, NULL);
}

static void
test_resolver_lookup_service_async (GResolver *base,
                                    const char *rrname,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (base, cancellable, callback, user_data);
  GError *error = NULL;
  GList *targets = test_resolver_lookup_service (base, rrname, cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, targets, free_targets);
}

static GList *
test_resolver_lookup_service_finish (GResolver *base, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* No test may ask real DNS for a name. */
static GList *
test_resolver_lookup_by_name (GResolver *base,
                              const char *hostname,
                              GCancellable *cancellable,
                              GError **error)
{
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "%s: not in the test",
               hostname);
  return NULL;
}

static void
test_resolver_lookup_by_name_async (GResolver *base,
                                    const char *hostname,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (base, cancellable, callback, user_data);

  g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                           "%s: not in the test", hostname);
}

static GList *
test_resolver_lookup_by_name_finish (GResolver *base, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_finalize (GObject *object)
{
  g_hash_table_unref (TEST_RESOLVER (object)->records);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;
  resolver_class->lookup_service = test_resolver_lookup_service;
  resolver_class->lookup_service_async = test_resolver_lookup_service_async;
  resolver_class->lookup_service_finish = test_resolver_lookup_service_finish;
  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_by_name_finish;
}

static void
test_resolver_init (TestResolver *self)
{
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_targets);
}

/* Waiting, and finding widgets. */

gboolean
pigeon_test_ui_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
pigeon_test_ui_delete_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name = NULL;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *inner = g_build_filename (path, name, NULL);

      if (g_file_test (inner, G_FILE_TEST_IS_DIR) && !g_file_test (inner, G_FILE_TEST_IS_SYMLINK))
        pigeon_test_ui_delete_tree (inner);
      else
        g_unlink (inner);
    }
  g_rmdir (path);
}

static void
collect_widgets (GtkWidget *widget, gpointer user_data)
{
  GPtrArray *all = user_data;

  g_ptr_array_add (all, widget);
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_widgets, all);
}

GPtrArray *
pigeon_test_ui_find_widgets (GtkWidget *root, GType type)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (root, all);
  for (guint i = 0; i < all->len; i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (all->pdata[i], type) && gtk_widget_is_drawable (all->pdata[i]))
      g_ptr_array_add (found, all->pdata[i]);
  return found;
}

static gboolean
is_named (GtkWidget *widget, GType type, const char *name)
{
  return (type == G_TYPE_NONE || G_TYPE_CHECK_INSTANCE_TYPE (widget, type)) &&
         (name == NULL ||
          g_strcmp0 (atk_object_get_name (gtk_widget_get_accessible (widget)), name) == 0);
}

guint
pigeon_test_ui_count_thumbnails (GtkWidget *root)
{
  g_autoptr (GPtrArray) images = pigeon_test_ui_find_widgets (root, GTK_TYPE_IMAGE);
  guint n = 0;

  for (guint i = 0; i < images->len; i++)
    n += gtk_image_get_storage_type (images->pdata[i]) == GTK_IMAGE_SURFACE;
  return n;
}

GtkWidget *
pigeon_test_ui_find_by_accessible_name (GtkWidget *root, GType type, const char *name)
{
  g_autoptr (GPtrArray) widgets = pigeon_test_ui_find_widgets (root, type);

  for (guint i = 0; i < widgets->len; i++)
    if (is_named (widgets->pdata[i], type, name))
      return widgets->pdata[i];
  return NULL;
}

/* @text at the start of the label's text, or (@anywhere) in it. */
static GtkWidget *
find_label_with (GtkWidget *root, const char *text, gboolean anywhere)
{
  g_autoptr (GPtrArray) labels = pigeon_test_ui_find_widgets (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      const char *label = gtk_label_get_text (labels->pdata[i]);

      if (anywhere ? strstr (label, text) != NULL : g_str_has_prefix (label, text))
        return labels->pdata[i];
    }
  return NULL;
}

GtkWidget *
pigeon_test_ui_find_label (GtkWidget *root, const char *prefix)
{
  return find_label_with (root, prefix, FALSE);
}

gboolean
pigeon_test_ui_shows_text (GtkWidget *root, const char *text)
{
  return find_label_with (root, text, TRUE) != NULL;
}

GtkWidget *
pigeon_test_ui_find_named (GtkWidget *root, GType type, const char *name)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new ();

  collect_widgets (root, all);
  for (guint i = 0; i < all->len; i++)
    if (is_named (all->pdata[i], type, name))
      return all->pdata[i];
  return NULL;
}

GtkWidget *
pigeon_test_ui_find_toplevel (GType type)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
        return l->data;
    }
  return NULL;
}

/* Acting, and screenshots. */

void
pigeon_test_ui_click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_button_clicked (GTK_BUTTON (button));
}

static void
wait_frames (GtkWidget *widget, guint n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  for (guint i = 0; i < n; i++)
    {
      gint64 next = gdk_frame_clock_get_frame_counter (clock) + 1;

      gtk_widget_queue_draw (widget);
      PIGEON_TEST_UI_WAIT_UNTIL (gdk_frame_clock_get_frame_counter (clock) >= next, SHOT_USEC);
    }
}

void
pigeon_test_ui_shoot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("PIGEON_TEST_SHOTS");
  GdkWindow *window = gtk_widget_get_window (widget);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (dir == NULL)
    return;
  wait_frames (widget, 30);
  pixbuf = gdk_pixbuf_get_from_window (window, 0, 0, gdk_window_get_width (window),
                                       gdk_window_get_height (window));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("screenshot %s (%dx%d)", path, gdk_pixbuf_get_width (pixbuf),
                  gdk_pixbuf_get_height (pixbuf));
}

/* Widgets by their names in the templates. */

GtkWidget *
pigeon_test_ui_child (GtkWidget *root, const char *name)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  GObject *object = NULL;

  /* @root first, so that its own names come before those of the widgets it holds. */
  collect_widgets (root, all);
  for (guint i = 0; i < all->len && object == NULL; i++)
    object = gtk_widget_get_template_child (all->pdata[i], G_OBJECT_TYPE (all->pdata[i]), name);
  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

const char *
pigeon_test_ui_entry_text (GtkWidget *root, const char *name)
{
  return gtk_entry_get_text (GTK_ENTRY (pigeon_test_ui_child (root, name)));
}

void
pigeon_test_ui_type_into (GtkWidget *root, const char *name, const char *text)
{
  gtk_entry_set_text (GTK_ENTRY (pigeon_test_ui_child (root, name)), text);
}

gboolean
pigeon_test_ui_shows (GtkWidget *root, const char *name)
{
  return gtk_widget_is_visible (pigeon_test_ui_child (root, name));
}

const char *
pigeon_test_ui_label_text (GtkWidget *root, const char *name)
{
  return gtk_label_get_text (GTK_LABEL (pigeon_test_ui_child (root, name)));
}

gboolean
pigeon_test_ui_label_contains (GtkWidget *root, const char *name, const char *text)
{
  return strstr (pigeon_test_ui_label_text (root, name), text) != NULL;
}

/* The accounts dialog. */

void
pigeon_test_ui_accounts_init (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", NOWHERE_BUS, TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  accounts_home = g_dir_make_tmp ("pigeon-test-ui-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", accounts_home, TRUE);
  g_setenv ("XDG_DATA_HOME", accounts_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", accounts_home, TRUE);
  gtk_test_init (argc, argv, NULL);
  resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  /* The default keeps its own reference, for as long as the process lives. */
  g_resolver_set_default (G_RESOLVER (resolver));
}

int
pigeon_test_ui_accounts_run (void)
{
  int status = g_test_run ();

  g_clear_object (&resolver);
  pigeon_test_ui_delete_tree (accounts_home);
  g_clear_pointer (&accounts_home, g_free);
  return status;
}

void
pigeon_test_ui_add_srv (const char *rrname, const char *host, guint16 port, guint16 priority)
{
  GList *targets = NULL;

  if (host == NULL)
    {
      g_hash_table_insert (resolver->records, g_strdup (rrname), GINT_TO_POINTER (1));
      return;
    }
  targets = g_hash_table_lookup (resolver->records, rrname);
  g_hash_table_steal (resolver->records, rrname);
  targets = g_list_append (targets, g_srv_target_new (host, port, priority, 10));
  g_hash_table_insert (resolver->records, g_strdup (rrname), targets);
}

guint
pigeon_test_ui_get_lookups (void)
{
  return resolver->lookups;
}

void
pigeon_test_ui_forget_accounts (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.pigeonmail.Pigeon");

  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "default-account");
}

GtkWidget *
pigeon_test_ui_dialog_new (void)
{
  GtkWidget *dialog = pigeon_accounts_dialog_new (NULL);

  gtk_widget_show (dialog);
  return dialog;
}

GtkWidget *
pigeon_test_ui_dialog_adding (void)
{
  GtkWidget *dialog = pigeon_test_ui_dialog_new ();
  GtkStack *stack = NULL;

  gtk_button_clicked (GTK_BUTTON (pigeon_test_ui_child (dialog, "add_button")));
  stack = GTK_STACK (pigeon_test_ui_child (dialog, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "editor");
  return dialog;
}

GtkListBoxRow *
pigeon_test_ui_row_of (GtkWidget *dialog, const char *id)
{
  g_autoptr (GList) rows =
    gtk_container_get_children (GTK_CONTAINER (pigeon_test_ui_child (dialog, "account_list")));

  for (GList *l = rows; l != NULL; l = l->next)
    {
      if (g_strcmp0 (g_object_get_data (l->data, "account-id"), id) == 0)
        return l->data;
    }
  g_assert_not_reached ();
}
