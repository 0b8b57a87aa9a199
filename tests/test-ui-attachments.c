/* test-ui-attachments.c: the attachments area, in-process under Xvfb
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <unistd.h>

#include "pigeon-attachments-view.h"
#include "pigeon-resources.h"
#include "pigeon-test-ui.h"

/* Long enough for a slow CI machine to thumbnail a 24-megapixel JPEG. */
#define WAIT_USEC (20 * G_USEC_PER_SEC)
/* The longest the main loop may be away while files are read and thumbnailed. */
#define MAX_GAP_USEC (100 * 1000)

typedef struct
{
  char *folder; /* this test's files: images/ and draft/ */
  GtkWidget *window;
  PigeonAttachmentsView *view;
  PigeonDraft *draft;
  PigeonDraftStore *store;
  GPtrArray *errors; /* what the "error" signal said */
} Fixture;

typedef struct
{
  gint64 last;
  gint64 max_gap;
} Ticker;

static char *test_home; /* XDG_DATA_HOME and XDG_CONFIG_HOME point inside it */

#define WAIT_UNTIL(cond) PIGEON_TEST_UI_WAIT_UNTIL (cond, WAIT_USEC)

static gboolean
ticker_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last != 0)
    ticker->max_gap = MAX (ticker->max_gap, now - ticker->last);
  ticker->last = now;
  return G_SOURCE_CONTINUE;
}

static guint
count_thumbnails (Fixture *fixture)
{
  return pigeon_test_ui_count_thumbnails (GTK_WIDGET (fixture->view));
}

static guint
n_attachments (Fixture *fixture)
{
  return g_list_model_get_n_items (pigeon_draft_get_attachments (fixture->draft));
}

static guint
n_items_shown (Fixture *fixture)
{
  g_autoptr (GPtrArray) items =
    pigeon_test_ui_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_FLOW_BOX_CHILD);

  return items->len;
}

static PigeonAttachment *
attachment_at (Fixture *fixture, guint position)
{
  g_autoptr (PigeonAttachment) attachment =
    g_list_model_get_item (pigeon_draft_get_attachments (fixture->draft), position);

  return attachment; /* the draft keeps it */
}

static void
error_cb (PigeonAttachmentsView *view, const char *message, Fixture *fixture)
{
  g_test_message ("error: %s", message);
  g_ptr_array_add (fixture->errors, g_strdup (message));
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autofree char *images = NULL;
  g_autofree char *draft_folder = NULL;
  g_autoptr (GFile) folder = NULL;

  fixture->folder = g_build_filename (test_home, "test-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (fixture->folder));
  images = g_build_filename (fixture->folder, "images", NULL);
  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  draft_folder = g_build_filename (fixture->folder, "draft", NULL);
  folder = g_file_new_for_path (draft_folder);
  fixture->store = pigeon_draft_store_new (folder);
  fixture->draft = pigeon_draft_new ();
  fixture->errors = g_ptr_array_new_with_free_func (g_free);

  fixture->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 420);
  fixture->view = PIGEON_ATTACHMENTS_VIEW (pigeon_attachments_view_new ());
  pigeon_attachments_view_set_draft (fixture->view, fixture->draft, fixture->store);
  g_signal_connect (fixture->view, "error", G_CALLBACK (error_cb), fixture);
  gtk_container_set_border_width (GTK_CONTAINER (fixture->window), 12);
  gtk_container_add (GTK_CONTAINER (fixture->window), GTK_WIDGET (fixture->view));
  gtk_widget_show_all (fixture->window);
  WAIT_UNTIL (gtk_widget_is_drawable (GTK_WIDGET (fixture->view)));
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  if (fixture->window != NULL)
    gtk_widget_destroy (fixture->window);
  g_clear_object (&fixture->draft);
  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->errors);
  pigeon_test_ui_delete_tree (fixture->folder);
  g_free (fixture->folder);
}

/* A picture with some variety in it, so that its JPEG is as costly to decode as a photo. */
static GdkPixbuf *
make_pixbuf (int width, int height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  guint32 noise = 2463534242u;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * 3;

        noise ^= noise << 13, noise ^= noise >> 17, noise ^= noise << 5;
        p[0] = (x * 127 / width) + (noise & 0x7f);
        p[1] = (y * 127 / height) + ((noise >> 8) & 0x7f);
        p[2] = 64 + ((noise >> 16) & 0x7f);
      }
  return pixbuf;
}

static char *
make_image (Fixture *fixture, const char *name, int width, int height)
{
  g_autoptr (GdkPixbuf) pixbuf = make_pixbuf (width, height);
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (fixture->folder, "images", name, NULL);

  if (g_str_has_suffix (name, ".png"))
    gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  else
    gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "95", NULL);
  g_assert_no_error (error);
  return path;
}

static char *
make_file (Fixture *fixture, const char *name, const char *contents, gssize length)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (fixture->folder, "images", name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static gboolean
drop_paths (Fixture *fixture, const char *const *paths)
{
  g_autoptr (GString) list = g_string_new ("");
  g_autoptr (GBytes) bytes = NULL;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *uri = g_filename_to_uri (paths[i], NULL, NULL);

      g_string_append_printf (list, "%s\r\n", uri);
    }
  bytes = g_bytes_new (list->str, list->len);
  return pigeon_attachments_view_add_data (fixture->view, "text/uri-list", bytes);
}

static void
assert_thumbnail_fits (GtkImage *image)
{
  cairo_surface_t *surface = NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (image));

  g_object_get (image, "surface", &surface, NULL);
  g_assert_cmpint (cairo_image_surface_get_width (surface), <=, 96 * scale);
  g_assert_cmpint (cairo_image_surface_get_height (surface), <=, 96 * scale);
  g_assert_cmpint (
    MAX (cairo_image_surface_get_width (surface), cairo_image_surface_get_height (surface)), ==,
    96 * scale);
  cairo_surface_destroy (surface);
}

static void
test_drop_uri_list (Fixture *fixture, gconstpointer data)
{
  g_autofree char *small = make_image (fixture, "small.png", 320, 240);
  g_autofree char *tall = make_image (fixture, "tall.png", 300, 900);
  g_autofree char *photo = make_image (fixture, "photo.jpg", 6000, 4000);
  const char *paths[] = { small, tall, photo, NULL };
  const char *names[] = { "small.png", "tall.png", "photo.jpg" };
  g_autoptr (GPtrArray) images = NULL;
  Ticker ticker = { 0 };
  gint64 start = 0;
  guint tick = 0;

  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (GTK_WIDGET (fixture->view))), ==,
                   "Attachments");
  tick = g_timeout_add (10, ticker_cb, &ticker);
  start = g_get_monotonic_time ();
  g_assert_true (drop_paths (fixture, paths));
  WAIT_UNTIL (n_attachments (fixture) == 3 && count_thumbnails (fixture) == 3);
  g_source_remove (tick);
  g_test_message ("3 files read and thumbnailed in %" G_GINT64_FORMAT " ms; longest main loop "
                  "gap %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000, ticker.max_gap / 1000);
  g_assert_cmpint (ticker.max_gap, <, MAX_GAP_USEC);
  g_assert_cmpuint (pigeon_attachments_view_get_n_pending (fixture->view), ==, 0);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  /* In the order dropped, each with its picture, its name and a way to remove it. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *remove = g_strdup_printf ("Remove %s", names[i]);

      g_assert_cmpstr (pigeon_attachment_get_display_name (attachment_at (fixture, i)), ==,
                       names[i]);
      g_assert_nonnull (pigeon_test_ui_find_label (GTK_WIDGET (fixture->view), names[i]));
      g_assert_nonnull (pigeon_test_ui_find_by_accessible_name (GTK_WIDGET (fixture->view),
                                                                GTK_TYPE_BUTTON, remove));
    }
  images = pigeon_test_ui_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_IMAGE);
  for (guint i = 0; i < images->len; i++)
    if (gtk_image_get_storage_type (images->pdata[i]) == GTK_IMAGE_SURFACE)
      assert_thumbnail_fits (images->pdata[i]);
}

/* Eight small pictures in images/, named 1.png to 8.png, as a NULL-terminated list of paths. */
static GPtrArray *
make_eight_images (Fixture *fixture)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; i <= 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u.png", i);

      g_ptr_array_add (paths, make_image (fixture, name, 64, 48));
    }
  g_ptr_array_add (paths, NULL);
  return paths;
}

typedef struct
{
  Fixture *fixture;
  guint shown;         /* items on screen at the last frame */
  guint most_in_frame; /* the most that came in one frame */
} FrameLog;

static void
frame_log_cb (GdkFrameClock *clock, FrameLog *log)
{
  guint shown = n_items_shown (log->fixture);

  log->most_in_frame = MAX (log->most_in_frame, shown - log->shown);
  log->shown = shown;
}

/* Files given at once come in one a frame, in order: twenty at once made frames of 20–30 ms. */
static void
test_one_item_a_frame (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) paths = make_eight_images (fixture);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->view));
  FrameLog log = { fixture, 0, 0 };
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_log_cb), &log);

  g_assert_true (drop_paths (fixture, (const char *const *) paths->pdata));
  WAIT_UNTIL (log.shown == 8);
  g_signal_handler_disconnect (clock, handler);
  g_assert_cmpuint (log.most_in_frame, ==, 1);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u.png", i + 1);

      g_assert_cmpstr (pigeon_attachment_get_display_name (attachment_at (fixture, i)), ==, name);
    }
}

static void
set_true_cb (gpointer flag)
{
  *(gboolean *) flag = TRUE;
}

static void
count_added_cb (GListModel *model, guint position, guint removed, guint added, guint *count)
{
  *count += added;
}

/* Closing the window while files are still coming in adds nothing more and lets the draft go. */
static void
test_closed_while_adding (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) paths = make_eight_images (fixture);
  PigeonDraft *draft = fixture->draft;
  guint added_after = 0;
  gboolean waited = FALSE;

  g_assert_true (drop_paths (fixture, (const char *const *) paths->pdata));
  WAIT_UNTIL (n_attachments (fixture) == 1);
  gtk_widget_destroy (g_steal_pointer (&fixture->window));
  g_signal_connect (pigeon_draft_get_attachments (draft), "items-changed",
                    G_CALLBACK (count_added_cb), &added_after);
  g_object_add_weak_pointer (G_OBJECT (draft), (gpointer *) &draft);
  g_clear_object (&fixture->draft);
  WAIT_UNTIL (draft == NULL);
  g_assert_cmpuint (added_after, ==, 0);
  /* Longer than the intake waits for a frame: a timer left behind would fire on freed memory
   * (which the sanitizer build reports). */
  g_timeout_add_once (250, set_true_cb, &waited);
  WAIT_UNTIL (waited);
}

static void
test_drop_image_bytes (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GdkPixbuf) pixbuf = make_pixbuf (640, 480);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) stored = NULL;
  g_autoptr (GFile) draft_folder = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize length = 0;
  PigeonAttachment *attachment = NULL;

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", &error, NULL);
  g_assert_no_error (error);
  bytes = g_bytes_new (buffer, length);
  g_assert_true (pigeon_attachments_view_add_data (fixture->view, "image/png", bytes));
  WAIT_UNTIL (n_attachments (fixture) == 1 && count_thumbnails (fixture) == 1);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  attachment = attachment_at (fixture, 0);
  g_assert_cmpstr (pigeon_attachment_get_content_type (attachment), ==, "image/png");
  g_assert_cmpint (pigeon_attachment_get_disposition (attachment), ==, PIGEON_ATTACHMENT_INLINE);
  draft_folder = g_file_new_build_filename (fixture->folder, "draft", NULL);
  g_assert_true (g_file_has_prefix (pigeon_attachment_get_file (attachment), draft_folder));
  stored = g_file_load_bytes (pigeon_attachment_get_file (attachment), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (stored, bytes));
}

static gboolean
pixbufs_equal (GdkPixbuf *a, GdkPixbuf *b)
{
  int width = gdk_pixbuf_get_width (a);

  if (width != gdk_pixbuf_get_width (b) || gdk_pixbuf_get_height (a) != gdk_pixbuf_get_height (b))
    return FALSE;
  for (int y = 0; y < gdk_pixbuf_get_height (a); y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *pa = gdk_pixbuf_read_pixels (a) + y * gdk_pixbuf_get_rowstride (a) +
                           x * gdk_pixbuf_get_n_channels (a);
        const guchar *pb = gdk_pixbuf_read_pixels (b) + y * gdk_pixbuf_get_rowstride (b) +
                           x * gdk_pixbuf_get_n_channels (b);

        if (pa[0] != pb[0] || pa[1] != pb[1] || pa[2] != pb[2])
          return FALSE;
      }
  return TRUE;
}

/* Through the real X clipboard: GTK offers the picture as image/png among others. */
static void
test_paste_image (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GdkPixbuf) copied = make_pixbuf (200, 120);
  g_autoptr (GdkPixbuf) attached = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GFile) draft_folder = NULL;
  GtkClipboard *clipboard = gtk_clipboard_get (GDK_SELECTION_CLIPBOARD);
  PigeonAttachment *attachment = NULL;

  gtk_clipboard_set_image (clipboard, copied);
  /* The view learns what the clipboard holds when its owner changes, as a user's Ctrl+V
   * comes after the copy. */
  WAIT_UNTIL (pigeon_attachments_view_paste (fixture->view));
  WAIT_UNTIL (n_attachments (fixture) == 1 && count_thumbnails (fixture) == 1);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  attachment = attachment_at (fixture, 0);
  g_assert_true (pigeon_attachment_is_image (attachment));
  draft_folder = g_file_new_build_filename (fixture->folder, "draft", NULL);
  g_assert_true (g_file_has_prefix (pigeon_attachment_get_file (attachment), draft_folder));
  path = g_file_get_path (pigeon_attachment_get_file (attachment));
  attached = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (pixbufs_equal (attached, copied));

  /* Text on the clipboard is for the entry that has the focus: the view leaves it. */
  gtk_clipboard_set_text (clipboard, "just words", -1);
  WAIT_UNTIL (!pigeon_attachments_view_paste (fixture->view));
  g_assert_cmpuint (n_attachments (fixture), ==, 1);
  gtk_clipboard_clear (clipboard);
}

/* Each refused drop names what it refused and leaves the draft as it was. */
static void
assert_refused (Fixture *fixture, const char *mime_type, GBytes *bytes, const char *named)
{
  guint n_errors = fixture->errors->len;

  pigeon_attachments_view_add_data (fixture->view, mime_type, bytes);
  WAIT_UNTIL (fixture->errors->len > n_errors &&
              pigeon_attachments_view_get_n_pending (fixture->view) == 0);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->errors, n_errors), named));
  g_assert_cmpuint (n_attachments (fixture), ==, 0);
  g_assert_cmpuint (n_items_shown (fixture), ==, 0);
}

static void
assert_refused_path (Fixture *fixture, const char *path, const char *named)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *list = g_strdup_printf ("%s\r\n", uri);
  g_autoptr (GBytes) bytes = g_bytes_new (list, strlen (list));

  assert_refused (fixture, "text/uri-list", bytes, named);
}

static gboolean
folder_holds (GFile *folder, GBytes *bytes)
{
  g_autoptr (GFileEnumerator) children = NULL;
  GFileInfo *info = NULL;
  GFile *child = NULL;

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, NULL, NULL) &&
         child != NULL)
    {
      g_autoptr (GBytes) contents = g_file_load_bytes (child, NULL, NULL, NULL);

      if (folder_holds (child, bytes) || (contents != NULL && g_bytes_equal (contents, bytes)))
        return TRUE;
    }
  return FALSE;
}

static void
test_refused (Fixture *fixture, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (fixture->folder, "images", "gone.png", NULL);
  g_autofree char *folder = g_build_filename (fixture->folder, "images", NULL);
  g_autofree char *fake = make_file (fixture, "holiday.jpg", "not a picture at all\n", -1);
  g_autoptr (GBytes) web = g_bytes_new_static ("https://example.org/cat.png\r\n", 29);
  g_autoptr (GBytes) not_png = g_bytes_new_static ("<html>no image here</html>", 26);
  g_autoptr (GFile) draft_folder = g_file_new_build_filename (fixture->folder, "draft", NULL);

  assert_refused_path (fixture, missing, "gone.png");
  assert_refused_path (fixture, folder, "images");
  assert_refused_path (fixture, fake, "holiday.jpg");
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->errors, 2), "not an image"));
  assert_refused (fixture, "text/uri-list", web, "https://example.org/cat.png");
  assert_refused (fixture, "text/html", web, "cannot be attached");
  /* Bytes a browser called a PNG that are not one: refused, and their copy not left behind. */
  assert_refused (fixture, "image/png", not_png, "not an image");
  WAIT_UNTIL (!folder_holds (draft_folder, not_png));
  if (geteuid () != 0)
    {
      g_autofree char *secret = make_file (fixture, "secret.png", "x", 1);

      g_assert_cmpint (g_chmod (secret, 0), ==, 0);
      assert_refused_path (fixture, secret, "secret.png");
    }
}

static GtkWidget *
find_inline_toggle (Fixture *fixture)
{
  g_autoptr (GPtrArray) checks =
    pigeon_test_ui_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_CHECK_BUTTON);

  g_assert_cmpuint (checks->len, <=, 1);
  return checks->len == 1 ? checks->pdata[0] : NULL;
}

static void
test_inline_toggle (Fixture *fixture, gconstpointer data)
{
  g_autofree char *image = make_image (fixture, "chart.png", 64, 64);
  g_autofree char *text = make_file (fixture, "notes.txt", "some notes\n", -1);
  const char *paths[] = { text, image, NULL };
  PigeonAttachment *attachment = NULL;
  GtkWidget *toggle = NULL;

  g_assert_true (drop_paths (fixture, paths));
  WAIT_UNTIL (n_attachments (fixture) == 2 && n_items_shown (fixture) == 2);
  /* Only the image can be shown in the message. */
  toggle = find_inline_toggle (fixture);
  g_assert_nonnull (toggle);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (toggle)), ==, "Show in message");
  attachment = attachment_at (fixture, 1);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_cmpint (pigeon_attachment_get_disposition (attachment), ==, PIGEON_ATTACHMENT_INLINE);

  gtk_button_clicked (GTK_BUTTON (toggle));
  g_assert_cmpint (pigeon_attachment_get_disposition (attachment), ==, PIGEON_ATTACHMENT_ATTACHED);
  gtk_button_clicked (GTK_BUTTON (toggle));
  g_assert_cmpint (pigeon_attachment_get_disposition (attachment), ==, PIGEON_ATTACHMENT_INLINE);
  /* And the other way: the model changed elsewhere shows here. */
  pigeon_attachment_set_disposition (attachment, PIGEON_ATTACHMENT_ATTACHED);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
}

static void
test_remove (Fixture *fixture, gconstpointer data)
{
  g_autofree char *image = make_image (fixture, "a.png", 50, 50);
  g_autofree char *text = make_file (fixture, "b.txt", "b\n", -1);
  const char *paths[] = { image, text, NULL };
  g_autoptr (GPtrArray) stacks = NULL;
  GtkWidget *button = NULL;

  g_assert_true (drop_paths (fixture, paths));
  WAIT_UNTIL (n_attachments (fixture) == 2 && n_items_shown (fixture) == 2);
  button = pigeon_test_ui_find_by_accessible_name (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON,
                                                   "Remove b.txt");
  g_assert_nonnull (button);
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_cmpuint (n_attachments (fixture), ==, 1);
  g_assert_cmpstr (pigeon_attachment_get_display_name (attachment_at (fixture, 0)), ==, "a.png");
  WAIT_UNTIL (n_items_shown (fixture) == 1);

  button = pigeon_test_ui_find_by_accessible_name (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON,
                                                   "Remove a.png");
  g_assert_nonnull (button);
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_cmpuint (n_attachments (fixture), ==, 0);
  /* Empty again: the invitation to drop is back. */
  WAIT_UNTIL (pigeon_test_ui_find_label (GTK_WIDGET (fixture->view), "Drop images or files here") !=
              NULL);
  stacks = pigeon_test_ui_find_widgets (GTK_WIDGET (fixture->view), GTK_TYPE_STACK);
  g_assert_cmpuint (stacks->len, ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stacks->pdata[0]), ==, "empty");
}

static GtkWidget *
size_label (Fixture *fixture)
{
  return pigeon_test_ui_find_label (GTK_WIDGET (fixture->view), "The message is about");
}

/* The label shows @size as GLib writes sizes (with a no-break space in UTF-8 locales). */
static gboolean
size_label_says (Fixture *fixture, guint64 size)
{
  GtkWidget *label = size_label (fixture);
  g_autofree char *text = g_format_size (size);

  return label != NULL && strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL;
}

static gboolean
size_label_warns (Fixture *fixture)
{
  GtkStyleContext *context = gtk_widget_get_style_context (size_label (fixture));

  return gtk_style_context_has_class (context, "pigeon-size-warning");
}

static void
test_total_size (Fixture *fixture, gconstpointer data)
{
  g_autofree char *contents = g_malloc0 (3000000);
  g_autofree char *first = make_file (fixture, "first.bin", contents, 3000000);
  g_autofree char *second = make_file (fixture, "second.bin", contents, 3000000);
  const char *one[] = { first, NULL };
  const char *two[] = { second, NULL };
  GtkWidget *button = NULL;

  /* 3,000,000 bytes are 4,105,264 in base64 lines. */
  g_assert_true (drop_paths (fixture, one));
  WAIT_UNTIL (size_label_says (fixture, 4100000));
  g_assert_false (size_label_warns (fixture));
  g_assert_true (drop_paths (fixture, two));
  WAIT_UNTIL (size_label_says (fixture, 8200000));

  pigeon_attachments_view_set_size_limit (fixture->view, 5000000);
  g_assert_true (size_label_says (fixture, 8200000));
  g_assert_true (size_label_says (fixture, 5000000));
  g_assert_true (size_label_warns (fixture));

  button = pigeon_test_ui_find_by_accessible_name (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON,
                                                   "Remove second.bin");
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (size_label_says (fixture, 4100000));
  g_assert_false (size_label_warns (fixture));
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  int status = 0;

  /* Before GTK or GLib read them: nothing of the user's is touched. */
  test_home = g_dir_make_tmp ("pigeon-test-ui-attachments-XXXXXX", NULL);
  g_assert_nonnull (test_home);
  data_home = g_build_filename (test_home, "data", NULL);
  config_home = g_build_filename (test_home, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* The templates are in the UI library's resource object, which the linker leaves out of a
   * static library unless something names it. */
  g_assert_nonnull (pigeon_get_resource ());

#define ADD(path, test) g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown)
  ADD ("/ui/attachments/drop-uri-list", test_drop_uri_list);
  ADD ("/ui/attachments/one-item-a-frame", test_one_item_a_frame);
  ADD ("/ui/attachments/closed-while-adding", test_closed_while_adding);
  ADD ("/ui/attachments/drop-image-bytes", test_drop_image_bytes);
  ADD ("/ui/attachments/paste-image", test_paste_image);
  ADD ("/ui/attachments/refused", test_refused);
  ADD ("/ui/attachments/inline-toggle", test_inline_toggle);
  ADD ("/ui/attachments/remove", test_remove);
  ADD ("/ui/attachments/total-size", test_total_size);
#undef ADD
  status = g_test_run ();

  pigeon_test_ui_delete_tree (test_home);
  g_free (test_home);
  return status;
}
