/* test-ui-window.c: the Pigeon window, in-process under Xvfb: what a user sees and what
 * reaches the server
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PIGEON_TEST_SHOTS=DIR saves screenshots of the window at the interesting moments into DIR,
 * at PIGEON_TEST_SHOT_SIZE (e.g. "360x700"; default 1000x700).
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <gtk/gtk.h>
#include <string.h>

#include "pigeon-attachments-view.h"
#include "pigeon-draft-store.h"
#include "pigeon-fake-server.h"
#include "pigeon-log-dialog.h"
#include "pigeon-mime-init.h"
#include "pigeon-send-flow.h"
#include "pigeon-window.h"

#define WAIT_USEC   (20 * G_USEC_PER_SEC)
#define CANCEL_USEC (2 * G_USEC_PER_SEC) /* how soon Cancel must have unlocked the window */
#define USER        "alice@example.org"
#define PASSWORD    "s3cret-Pa55word"
#define TO          "Bob Example <bob@example.org>"
#define SUBJECT     "Pictures from the trip: Grüße"
#define BODY        "Hello Bob,\n\nhere they are.\n.a line with a leading dot\n\nAlice\n"
#define BIG_SIZE    (32 * 1024 * 1024) /* more than the kernel buffers on the way */

/* GMime 3.2 declares no cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePartIter, g_mime_part_iter_free)

typedef struct
{
  PigeonWindow *window;
  PigeonFakeServer *server;
  char *files; /* what the test attaches */
} Fixture;

/* A server that takes a message but reads its content slowly and never answers it. */
typedef struct
{
  GSocket *listener;
  GThread *thread;
  gint closed;   /* atomic: the client hung up */
  gint got_end;  /* atomic: the final "." arrived */
  gint received; /* atomic: content bytes read */
} SlowServer;

static char *test_home;
static PigeonApplication *app;

/* Waiting ------------------------------------------------------------------------------------ */

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @cond holds, WAIT_USEC at most; a timeout wakes it to look. */
#define WAIT_UNTIL(cond)                                    \
  G_STMT_START                                              \
  {                                                         \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_USEC; \
    guint wake_ = g_timeout_add (10, wake_cb, NULL);        \
    while (!(cond) && g_get_monotonic_time () < deadline_)  \
      g_main_context_iteration (NULL, TRUE);                \
    g_source_remove (wake_);                                \
    g_assert_true (cond);                                   \
  }                                                         \
  G_STMT_END

/* Finding widgets as a screen reader does: by accessible name. ------------------------------ */

typedef struct
{
  const char *name;
  GType type;
  GtkWidget *found;
} Search;

static void
search_cb (GtkWidget *widget, gpointer data)
{
  Search *search = data;
  const char *name = atk_object_get_name (gtk_widget_get_accessible (widget));

  if (search->found != NULL)
    return;
  if ((search->name == NULL || g_strcmp0 (name, search->name) == 0) &&
      (search->type == G_TYPE_NONE || G_TYPE_CHECK_INSTANCE_TYPE (widget, search->type)))
    search->found = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), search_cb, search);
}

static GtkWidget *
find_widget (gpointer root, const char *name, GType type)
{
  Search search = { name, type, NULL };

  gtk_container_forall (GTK_CONTAINER (root), search_cb, &search);
  return search.found;
}

static GtkWidget *
find (Fixture *f, const char *name)
{
  GtkWidget *widget = find_widget (f->window, name, G_TYPE_NONE);

  g_assert_nonnull (widget);
  return widget;
}

/* A shown label in @root with @text in it. */
static void
find_label_cb (GtkWidget *widget, gpointer data)
{
  Search *search = data;

  if (search->found != NULL)
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), search->name) != NULL)
    search->found = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_label_cb, search);
}

static gboolean
shows_text (gpointer root, const char *text)
{
  Search search = { text, G_TYPE_NONE, NULL };

  gtk_container_forall (GTK_CONTAINER (root), find_label_cb, &search);
  return search.found != NULL;
}

/* The open toplevel window (a dialog) of @type, if any. */
static GtkWidget *
find_toplevel (GType type)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
        return l->data;
    }
  return NULL;
}

static GtkInfoBar *
info_bar (Fixture *f)
{
  return GTK_INFO_BAR (find_widget (f->window, NULL, GTK_TYPE_INFO_BAR));
}

/* Screenshots -------------------------------------------------------------------------------- */

/* Lets @n frames be drawn: revealers slide for 250 ms, thumbnails arrive. */
static void
wait_frames (GtkWidget *widget, guint n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  for (guint i = 0; i < n; i++)
    {
      gint64 next = gdk_frame_clock_get_frame_counter (clock) + 1;

      gtk_widget_queue_draw (widget);
      WAIT_UNTIL (gdk_frame_clock_get_frame_counter (clock) >= next);
    }
}

static void
shoot_window (GtkWidget *widget, const char *name)
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

static void
shoot (Fixture *f, const char *name)
{
  shoot_window (GTK_WIDGET (f->window), name);
}

/* Files, accounts, the window ------------------------------------------------------------- */

/* A colourful gradient, so that thumbnails show something. */
static char *
picture_new (Fixture *f, const char *name, double hue)
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

static char *
random_file_new (Fixture *f, const char *name, gsize size)
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

static void
account_save (
  const char *host, guint port, PigeonSmtpSecurity security, const char *user, const char *ca_file)
{
  g_autoptr (PigeonAccount) account = pigeon_account_new ("test");
  g_autoptr (GError) error = NULL;

  g_object_set (account, "display-name", "Alice Example", "address", USER, "host", host, "port",
                port, "security", security, "user", user, "ca-file", ca_file, NULL);
  pigeon_account_save (account, &error);
  g_assert_no_error (error);
}

static void
open_window (Fixture *f)
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

static void
close_window (Fixture *f)
{
  gtk_widget_destroy (GTK_WIDGET (f->window));
  g_clear_object (&f->window);
}

/* What the user does ------------------------------------------------------------------------ */

/* Typing goes through "insert-at-cursor", as input methods do. */
static void
type (Fixture *f, const char *field, const char *text)
{
  GtkWidget *widget = find (f, field);

  gtk_widget_grab_focus (widget);
  g_signal_emit_by_name (widget, "insert-at-cursor", text);
}

/* Drops files on the attachments area, as a file manager does, and waits until they are in. */
static void
drop_files (Fixture *f, const char *const *paths)
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
    PIGEON_ATTACHMENTS_VIEW (find (f, "Attachments")), "text/uri-list", bytes));
  WAIT_UNTIL (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)) == before + n);
}

static void
fill_message (Fixture *f)
{
  type (f, "To", TO);
  type (f, "Subject", SUBJECT);
  type (f, "Message", BODY);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_button_clicked (GTK_BUTTON (button));
}

/* Answers the password dialog the window opens. */
static void
give_password (const char *password)
{
  GtkWidget *dialog = NULL;

  WAIT_UNTIL ((dialog = find_toplevel (PIGEON_TYPE_PASSWORD_DIALOG)) != NULL);
  gtk_entry_set_text (GTK_ENTRY (find_widget (dialog, "Password", GTK_TYPE_ENTRY)), password);
  click (find_widget (dialog, "Send", GTK_TYPE_BUTTON));
}

static PigeonDraft *
draft_in_store (void)
{
  g_autoptr (GFile) folder = pigeon_draft_store_get_default_folder ();
  g_autoptr (PigeonDraftStore) store = pigeon_draft_store_new (folder);
  g_autoptr (GError) error = NULL;
  PigeonDraft *draft = pigeon_draft_store_load (store, NULL, &error);

  g_assert_no_error (error);
  return draft;
}

/* Reading what the server received ---------------------------------------------------------- */

/* The DATA as it came on the wire: the final ".", then the dot-stuffing, undone. */
static GMimeMessage *
parse_wire (GBytes *wire)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (wire, &length);
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  g_autoptr (GMimeStream) stream = NULL;
  g_autoptr (GMimeParser) parser = NULL;

  g_assert_true (length >= 5 && memcmp (data + length - 5, "\r\n.\r\n", 5) == 0);
  for (gsize i = 0; i < length - 3; i++)
    {
      gboolean line_start = i == 0 || data[i - 1] == '\n';

      if (!(line_start && data[i] == '.'))
        g_byte_array_append (plain, (const guint8 *) data + i, 1);
    }
  stream = g_mime_stream_mem_new_with_buffer ((const char *) plain->data, plain->len);
  parser = g_mime_parser_new_with_stream (stream);
  return g_mime_parser_construct_message (parser, NULL);
}

static GBytes *
part_bytes (GMimePart *part)
{
  g_autoptr (GMimeStream) out = g_mime_stream_mem_new ();
  GByteArray *array = NULL;

  g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (part), out);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  return g_bytes_new (array->data, array->len);
}

/* The subject, the text and each named file as received equal what was typed and dropped. */
static void
assert_message (GMimeMessage *message, const char *const *paths)
{
  g_autoptr (GMimePartIter) iter = NULL;
  gboolean text_found = FALSE;
  guint n_files = 0;

  g_assert_nonnull (message);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, SUBJECT);
  iter = g_mime_part_iter_new (GMIME_OBJECT (message));
  do
    {
      GMimeObject *object = g_mime_part_iter_get_current (iter);
      const char *filename =
        GMIME_IS_PART (object) ? g_mime_part_get_filename (GMIME_PART (object)) : NULL;

      if (GMIME_IS_TEXT_PART (object) && filename == NULL &&
          g_mime_content_type_is_type (g_mime_object_get_content_type (object), "text", "plain"))
        {
          g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (object));

          text_found = strstr (text, "here they are.") != NULL &&
                       strstr (text, "\n.a line with a leading dot") != NULL;
        }
      for (guint i = 0; filename != NULL && paths[i] != NULL; i++)
        {
          g_autofree char *base = g_path_get_basename (paths[i]);
          g_autoptr (GBytes) got = NULL;
          g_autoptr (GMappedFile) file = NULL;
          g_autoptr (GBytes) want = NULL;

          if (!g_str_equal (base, filename))
            continue;
          file = g_mapped_file_new (paths[i], FALSE, NULL);
          want = g_mapped_file_get_bytes (file);
          got = part_bytes (GMIME_PART (object));
          g_assert_true (g_bytes_equal (got, want));
          n_files++;
        }
    }
  while (g_mime_part_iter_next (iter));
  g_assert_true (text_found);
  g_assert_cmpuint (n_files, ==, g_strv_length ((char **) paths));
}

/* The slow server ---------------------------------------------------------------------------- */

static gboolean
slow_write (GSocket *socket, const char *reply)
{
  return g_socket_send (socket, reply, strlen (reply), NULL, NULL) > 0;
}

/* Answers one command per line until DATA, then reads the content 64 kB every 10 ms. */
static gpointer
slow_server_thread (gpointer data)
{
  SlowServer *server = data;
  g_autoptr (GSocket) socket = g_socket_accept (server->listener, NULL, NULL);
  g_autoptr (GString) line = g_string_new ("");
  char buffer[65536];
  gssize n = 0;
  gboolean in_data = FALSE;
  char tail[5] = { 0 };

  if (socket == NULL || !slow_write (socket, "220 slow.test ESMTP\r\n"))
    return NULL;
  while ((n = g_socket_receive (socket, buffer, in_data ? sizeof buffer : 1, NULL, NULL)) > 0)
    {
      if (in_data)
        {
          g_atomic_int_add (&server->received, (int) n);
          for (gssize i = 0; i < n; i++)
            memmove (tail, tail + 1, 4), tail[4] = buffer[i];
          if (memcmp (tail, "\r\n.\r\n", 5) == 0)
            g_atomic_int_set (&server->got_end, TRUE);
          g_usleep (10 * 1000); /* the fault this server injects: a slow reader */
          continue;
        }
      g_string_append_c (line, buffer[0]);
      if (buffer[0] != '\n')
        continue;
      in_data = g_str_has_prefix (line->str, "DATA");
      if (!slow_write (socket, in_data ? "354 go on\r\n" : "250 slow.test\r\n"))
        break;
      g_string_truncate (line, 0);
    }
  g_atomic_int_set (&server->closed, TRUE);
  return NULL;
}

static guint16
slow_server_start (SlowServer *server)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  server->listener =
    g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (server->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (server->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (server->listener, &error);
  g_assert_no_error (error);
  server->thread = g_thread_new ("slow-server", slow_server_thread, server);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Fixture ------------------------------------------------------------------------------------ */

static void
fixture_set_up (Fixture *f, gconstpointer data)
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

static void
remove_tree (GFile *file)
{
  g_autoptr (GFileEnumerator) children = g_file_enumerate_children (
    file, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFile *child = NULL;

  while (children != NULL && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) &&
         child != NULL)
    remove_tree (child);
  g_file_delete (file, NULL, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GFile) files = g_file_new_for_path (f->files);

  if (f->window != NULL)
    close_window (f);
  g_clear_object (&f->server);
  remove_tree (files);
  g_free (f->files);
}

/* A server without TLS or AUTH, for an account without a user name. */
static void
plain_server_start (Fixture *f)
{
  f->server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_set_capabilities (f->server, "8BITMIME\nPIPELINING", "");
  pigeon_fake_server_greet_and_serve (f->server);
  account_save ("127.0.0.1", pigeon_fake_server_start (f->server), PIGEON_SMTP_SECURITY_NONE, "",
                "");
}

/* Tests -------------------------------------------------------------------------------------- */

static void
test_build (Fixture *f, gconstpointer data)
{
  const char *names[] = {
    "To", "Cc", "Bcc", "Subject", "Message", "Attachments", "Attach", "Send"
  };
  g_auto (GStrv) accels = NULL;

  /* Without an account, the window says what to do first. */
  open_window (f);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_nonnull (find_widget (f->window, names[i], G_TYPE_NONE));
  g_assert_true (shows_text (f->window, "Add an Account"));
  g_assert_false (gtk_widget_is_sensitive (find (f, "Send")));
  g_assert_true (shows_text (f->window, "Add an account to send from"));

  /* The account appears as soon as it is saved. */
  account_save ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  WAIT_UNTIL (gtk_widget_is_drawable (find (f, "From")));
  g_assert_cmpstr (gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (find (f, "From"))), ==,
                   "Alice Example <" USER ">");
  g_assert_cmpstr (pigeon_draft_get_from (pigeon_window_get_draft (f->window)), ==, "test");
  g_assert_true (shows_text (f->window, "Add a recipient"));
  shoot (f, "empty");

  /* The keys the shortcuts window lists. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.send");
  g_assert_cmpstr (accels[0], ==, "<Primary>Return");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.attach");
  g_assert_cmpstr (accels[0], ==, "<Primary><Shift>a");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Primary>q");
}

static void
test_fields_update_draft (Fixture *f, gconstpointer data)
{
  PigeonDraft *draft = NULL;

  account_save ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  open_window (f);
  draft = pigeon_window_get_draft (f->window);
  g_assert_false (gtk_widget_is_drawable (find (f, "Cc")));
  click (find_widget (f->window, "Cc", GTK_TYPE_TOGGLE_BUTTON));
  g_assert_true (gtk_widget_is_drawable (find_widget (f->window, "Cc", GTK_TYPE_ENTRY)));
  fill_message (f);
  type (f, "Cc", "carol@example.org");
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, TO);
  g_assert_cmpstr (pigeon_draft_get_cc (draft), ==, "carol@example.org");
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, SUBJECT);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, BODY);
  g_assert_true (gtk_widget_is_sensitive (find (f, "Send")));
  g_assert_null (pigeon_window_get_send_blocker (f->window));
}

static void
test_invalid_address (Fixture *f, gconstpointer data)
{
  GtkWidget *to = NULL;
  g_autofree char *blocker = NULL;

  account_save ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  open_window (f);
  to = find (f, "To");
  type (f, "To", "bob@example.org, carol");
  g_assert_false (gtk_widget_is_sensitive (find (f, "Send")));
  blocker = g_strdup (pigeon_window_get_send_blocker (f->window));
  g_assert_nonnull (blocker);
  g_assert_nonnull (strstr (blocker, "To"));
  g_assert_true (shows_text (f->window, blocker));
  g_assert_true (gtk_style_context_has_class (gtk_widget_get_style_context (to), "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (to), ==, blocker);

  type (f, "To", "@example.org");
  g_assert_true (gtk_widget_is_sensitive (find (f, "Send")));
  g_assert_false (gtk_style_context_has_class (gtk_widget_get_style_context (to), "error"));
  g_assert_false (shows_text (f->window, blocker));
}

static void
test_forgotten_attachment (Fixture *f, gconstpointer data)
{
  GtkWidget *question = NULL;

  plain_server_start (f);
  open_window (f);
  type (f, "To", TO);
  type (f, "Message", "The report is attached.");
  click (find (f, "Send"));
  WAIT_UNTIL ((question = find_toplevel (GTK_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_true (shows_text (question, "Send without attachment?"));
  gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
  g_assert_false (pigeon_window_is_sending (f->window));
  g_assert_cmpuint (pigeon_fake_server_count (f->server, "MAIL FROM:*"), ==, 0);
}

static void
test_send (Fixture *f, gconstpointer data)
{
  g_autofree char *a = picture_new (f, "lake.png", 0.1);
  g_autofree char *b = picture_new (f, "forest.png", 0.5);
  g_autofree char *c = picture_new (f, "sunset.png", 0.9);
  const char *paths[] = { a, b, c, NULL };
  g_autoptr (GMimeMessage) message = NULL;
  g_autoptr (PigeonDraft) stored = NULL;
  PigeonDraft *draft = NULL;

  plain_server_start (f);
  open_window (f);
  fill_message (f);
  drop_files (f, paths);
  WAIT_UNTIL (pigeon_window_get_send_blocker (f->window) == NULL);
  shoot (f, "three-images");
  click (find (f, "Send"));
  g_assert_true (pigeon_window_is_sending (f->window));
  g_assert_false (gtk_widget_is_sensitive (find (f, "To")));
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));

  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
  message = parse_wire (pigeon_fake_server_get_data (f->server));
  assert_message (message, paths);
  WAIT_UNTIL (shows_text (f->window, "Message sent to Bob Example"));
  shoot (f, "sent");
  /* A fresh draft, on screen and in the store. */
  draft = pigeon_window_get_draft (f->window);
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, "");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (find (f, "Subject"))), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 0);
  g_assert_true (gtk_widget_is_sensitive (find (f, "To")));
  stored = draft_in_store ();
  g_assert_cmpstr (pigeon_draft_get_subject (stored), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (stored)), ==, 0);
}

static void
test_auth_failure (Fixture *f, gconstpointer data)
{
  g_autofree char *ca = g_test_build_filename (G_TEST_BUILT, "ca.pem", NULL);
  g_autofree char *file = random_file_new (f, "report.pdf", 1000);
  const char *paths[] = { file, NULL };
  PigeonDraft *draft = NULL;
  GtkInfoBar *bar = NULL;
  GtkWidget *log = NULL;
  GtkTextBuffer *buffer = NULL;
  GtkTextIter start, end;
  g_autofree char *transcript = NULL;

  f->server = pigeon_fake_server_new ("server");
  pigeon_fake_server_set_capabilities (f->server, "STARTTLS", "AUTH PLAIN LOGIN");
  pigeon_fake_server_set_credentials (f->server, USER, PASSWORD);
  pigeon_fake_server_greet_and_serve (f->server);
  account_save ("localhost", pigeon_fake_server_start (f->server), PIGEON_SMTP_SECURITY_STARTTLS,
                USER, ca);
  open_window (f);
  fill_message (f);
  drop_files (f, paths);
  click (find (f, "Send"));
  give_password ("not-the-password");
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));

  bar = info_bar (f);
  g_assert_true (gtk_info_bar_get_revealed (bar));
  g_assert_cmpint (gtk_info_bar_get_message_type (bar), ==, GTK_MESSAGE_ERROR);
  WAIT_UNTIL (shows_text (bar, "535 5.7.8 Authentication credentials invalid"));
  /* The transcript has the server's answer. */
  click (find_widget (bar, "Show SMTP Log", GTK_TYPE_BUTTON));
  WAIT_UNTIL ((log = find_toplevel (PIGEON_TYPE_LOG_DIALOG)) != NULL);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_widget (log, NULL, GTK_TYPE_TEXT_VIEW)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  transcript = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (transcript, "S: 535 5.7.8"));
  g_assert_null (strstr (transcript, "not-the-password"));
  gtk_widget_destroy (log);
  draft = pigeon_window_get_draft (f->window);
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, TO);
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, SUBJECT);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, BODY);
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 1);
  g_assert_true (gtk_widget_is_sensitive (find (f, "To")));
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 0);
  shoot (f, "error");
}

/* Cancel works while the window waits for the password, too. */
static void
test_cancel_at_password (Fixture *f, gconstpointer data)
{
  GtkWidget *dialog = NULL;

  f->server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_greet_and_serve (f->server);
  account_save ("127.0.0.1", pigeon_fake_server_start (f->server), PIGEON_SMTP_SECURITY_NONE, USER,
                "");
  open_window (f);
  fill_message (f);
  click (find (f, "Send"));
  WAIT_UNTIL ((dialog = find_toplevel (PIGEON_TYPE_PASSWORD_DIALOG)) != NULL);
  WAIT_UNTIL (gtk_widget_get_mapped (dialog));
  shoot_window (dialog, "password");
  click (find_widget (f->window, "Cancel", GTK_TYPE_BUTTON));
  g_assert_null (find_toplevel (PIGEON_TYPE_PASSWORD_DIALOG));
  g_assert_false (pigeon_window_is_sending (f->window));
  WAIT_UNTIL (shows_text (info_bar (f), "Sending cancelled; nothing was sent"));
  g_assert_cmpstr (pigeon_draft_get_subject (pigeon_window_get_draft (f->window)), ==, SUBJECT);
  g_assert_cmpuint (pigeon_fake_server_count (f->server, "MAIL FROM:*"), ==, 0);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  SlowServer server = { 0 };
  g_autofree char *big = random_file_new (f, "video.bin", BIG_SIZE);
  const char *paths[] = { big, NULL };
  PigeonDraft *draft = NULL;
  gint64 cancelled_at = 0;

  account_save ("127.0.0.1", slow_server_start (&server), PIGEON_SMTP_SECURITY_NONE, "", "");
  open_window (f);
  fill_message (f);
  drop_files (f, paths);
  click (find (f, "Send"));
  /* Part of the message is on its way, and the window says how much. */
  WAIT_UNTIL (g_atomic_int_get (&server.received) > 1024 * 1024 && shows_text (f->window, "B of "));
  g_assert_true (shows_text (f->window, "Sending…"));
  shoot (f, "sending");

  cancelled_at = g_get_monotonic_time ();
  click (find_widget (f->window, "Cancel", GTK_TYPE_BUTTON));
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, CANCEL_USEC);
  WAIT_UNTIL (g_atomic_int_get (&server.closed));
  g_thread_join (server.thread);
  g_object_unref (server.listener);

  g_assert_false (g_atomic_int_get (&server.got_end));
  WAIT_UNTIL (shows_text (info_bar (f), "Sending cancelled; nothing was sent"));
  draft = pigeon_window_get_draft (f->window);
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, TO);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, BODY);
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 1);
}

static void
test_restore (Fixture *f, gconstpointer data)
{
  g_autofree char *kept = picture_new (f, "kept.png", 0.3);
  g_autofree char *gone = picture_new (f, "gone.png", 0.7);
  const char *paths[] = { kept, gone, NULL };
  PigeonDraft *draft = NULL;

  account_save ("127.0.0.1", 25, PIGEON_SMTP_SECURITY_NONE, "", "");
  open_window (f);
  fill_message (f);
  drop_files (f, paths);
  /* The autosave, seen from outside as the next start would see it. */
  WAIT_UNTIL (({
    g_autoptr (PigeonDraft) stored = draft_in_store ();
    g_str_equal (pigeon_draft_get_body (stored), BODY) &&
      g_list_model_get_n_items (pigeon_draft_get_attachments (stored)) == 2;
  }));
  close_window (f);
  g_assert_cmpint (g_remove (gone), ==, 0);

  open_window (f);
  draft = pigeon_window_get_draft (f->window);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (find (f, "To"))), ==, TO);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (find (f, "Subject"))), ==, SUBJECT);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, BODY);
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 1);
  g_assert_true (gtk_info_bar_get_revealed (info_bar (f)));
  WAIT_UNTIL (shows_text (info_bar (f), "gone.png"));
}

/* Through a real server (aiosmtpd, STARTTLS, AUTH), when build-aux/check started them. */
/* The envelopes aiosmtpd saved in @spool ("NNNNNN.json", numbered in arrival order). */
static GPtrArray *
saved_messages (const char *spool)
{
  g_autoptr (GDir) dir = g_dir_open (spool, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (spool, name, NULL));
  return names;
}

static guint
count_saved_messages (const char *spool)
{
  g_autoptr (GPtrArray) names = saved_messages (spool);

  return names->len;
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
newest_saved_message (const char *spool)
{
  g_autoptr (GPtrArray) names = saved_messages (spool);

  g_assert_cmpuint (names->len, >, 0);
  g_ptr_array_sort (names, compare_paths);
  return g_strdup (g_ptr_array_index (names, names->len - 1));
}

static void
test_real_server (Fixture *f, gconstpointer data)
{
  const char *ini = g_getenv ("PIGEON_TEST_SERVERS");
  const char *group = "aiosmtpd-starttls";
  g_autoptr (GKeyFile) servers = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *picture = picture_new (f, "harbour.png", 0.6);
  const char *paths[] = { picture, NULL };
  g_autofree char *password = NULL, *spool = NULL, *password_file = NULL, *eml = NULL;
  g_autofree char *host = NULL, *ca = NULL, *json = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GMimeStream) stream = NULL;
  g_autoptr (GMimeParser) parser = NULL;
  g_autoptr (GMimeMessage) message = NULL;
  guint n = 0;

  if (ini == NULL)
    {
      g_test_fail_printf ("PIGEON_TEST_SERVERS is not set: start the servers with "
                          "tests/servers/start DIR and set it to DIR/servers.ini");
      return;
    }
  g_key_file_load_from_file (servers, ini, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  host = g_key_file_get_string (servers, group, "host", &error);
  ca = g_key_file_get_string (servers, group, "ca-file", &error);
  spool = g_key_file_get_string (servers, group, "spool-dir", &error);
  password_file = g_key_file_get_string (servers, group, "password-file", &error);
  g_assert_no_error (error);
  g_file_get_contents (password_file, &password, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (password);
  account_save (host, g_key_file_get_integer (servers, group, "port", NULL),
                PIGEON_SMTP_SECURITY_STARTTLS, g_key_file_get_string (servers, group, "user", NULL),
                ca);
  /* The server numbers messages across all its listeners: remember what this one holds. */
  n = count_saved_messages (spool);

  open_window (f);
  fill_message (f);
  drop_files (f, paths);
  click (find (f, "Send"));
  give_password (password);
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));
  WAIT_UNTIL (shows_text (f->window, "Message sent to Bob Example"));
  WAIT_UNTIL (count_saved_messages (spool) == n + 1);
  json = newest_saved_message (spool);
  eml = g_strdup_printf ("%.*s.eml", (int) strlen (json) - 5, json);
  g_file_get_contents (eml, &contents, &length, &error);
  g_assert_no_error (error);
  stream = g_mime_stream_mem_new_with_buffer (contents, length);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  assert_message (message, paths);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data_home = NULL, *config_home = NULL;
  g_autoptr (GFile) home = NULL;
  int status = 0;

  test_home = g_dir_make_tmp ("pigeon-ui-window-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (test_home, "data", NULL);
  config_home = g_build_filename (test_home, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  pigeon_mime_init ();

  /* The application, for its accelerators, style and shortcuts window; never run. */
  app = pigeon_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/ui/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("build", test_build);
  ADD ("fields-update-draft", test_fields_update_draft);
  ADD ("invalid-address", test_invalid_address);
  ADD ("forgotten-attachment", test_forgotten_attachment);
  ADD ("send", test_send);
  ADD ("auth-failure", test_auth_failure);
  ADD ("cancel-at-password", test_cancel_at_password);
  ADD ("cancel", test_cancel);
  ADD ("restore", test_restore);
  ADD ("real-server", test_real_server);
#undef ADD
  status = g_test_run ();

  g_object_unref (app);
  home = g_file_new_for_path (test_home);
  remove_tree (home);
  g_free (test_home);
  return status;
}
