/* test-ui-window-send.c: the Pigeon window sending, in-process under Xvfb: what reaches the
 * server, a failed log-in, Cancel, and a real server
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PIGEON_TEST_SHOTS=DIR saves screenshots (see pigeon-test-ui.h).
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <gmime/gmime.h>
#include <string.h>

#include "pigeon-log-dialog.h"
#include "pigeon-send-flow.h"
#include "pigeon-test-window.h"

#define CANCEL_USEC (2 * G_USEC_PER_SEC) /* how soon Cancel must have unlocked the window */
#define PASSWORD    "s3cret-Pa55word"
#define BIG_SIZE    (32 * 1024 * 1024) /* more than the kernel buffers on the way */

/* GMime 3.2 declares no cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePartIter, g_mime_part_iter_free)

typedef PigeonTestWindow Fixture;

/* A server that takes a message but reads its content slowly and never answers it. */
typedef struct
{
  GSocket *listener;
  GThread *thread;
  gint closed;   /* atomic: the client hung up */
  gint got_end;  /* atomic: the final "." arrived */
  gint received; /* atomic: content bytes read */
} SlowServer;

/* Answers the password dialog the window opens. */
static void
give_password (const char *password)
{
  GtkWidget *dialog = NULL;

  WAIT_UNTIL ((dialog = pigeon_test_ui_find_toplevel (PIGEON_TYPE_PASSWORD_DIALOG)) != NULL);
  gtk_entry_set_text (GTK_ENTRY (pigeon_test_ui_find_named (dialog, GTK_TYPE_ENTRY, "Password")),
                      password);
  pigeon_test_ui_click (pigeon_test_ui_find_named (dialog, GTK_TYPE_BUTTON, "Send"));
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

/* Drawn widgets of @type under @root whose accessible name (a label's text) starts with @prefix. */
static guint
count_drawn (GtkWidget *root, GType type, const char *prefix)
{
  g_autoptr (GPtrArray) widgets = pigeon_test_ui_find_widgets (root, type);
  guint n = 0;

  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = widgets->pdata[i];
      const char *name = GTK_IS_LABEL (widget)
                           ? gtk_label_get_text (GTK_LABEL (widget))
                           : atk_object_get_name (gtk_widget_get_accessible (widget));

      n += name != NULL && g_str_has_prefix (name, prefix);
    }
  return n;
}

/* While a message is sent its attachments cannot change: no remove buttons, each picture says
 * how it goes instead of offering "Show in message", and nothing can be dropped on them. */
static void
assert_attachments_locked (Fixture *f, guint n_images, gboolean locked)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkWidget *view = pigeon_test_window_find (f, "Attachments");
  guint n =
    g_list_model_get_n_items (pigeon_draft_get_attachments (pigeon_window_get_draft (f->window)));

  g_assert_cmpuint (count_drawn (window, GTK_TYPE_BUTTON, "Remove "), ==, locked ? 0 : n);
  g_assert_cmpuint (count_drawn (window, GTK_TYPE_CHECK_BUTTON, "Show in message"), ==,
                    locked ? 0 : n_images);
  g_assert_cmpuint (count_drawn (window, GTK_TYPE_LABEL, "Shown in message"), ==,
                    locked ? n_images : 0);
  g_assert_true ((gtk_drag_dest_get_target_list (view) == NULL) == locked);
}

/* Tests -------------------------------------------------------------------------------------- */

static void
test_send (Fixture *f, gconstpointer data)
{
  g_autofree char *a = pigeon_test_window_picture_new (f, "lake.png", 0.1);
  g_autofree char *b = pigeon_test_window_picture_new (f, "forest.png", 0.5);
  g_autofree char *c = pigeon_test_window_picture_new (f, "sunset.png", 0.9);
  const char *paths[] = { a, b, c, NULL };
  g_autoptr (GMimeMessage) message = NULL;
  g_autoptr (PigeonDraft) stored = NULL;
  PigeonDraft *draft = NULL;

  pigeon_test_window_start_plain_server (f);
  pigeon_test_window_open (f);
  pigeon_test_window_fill_message (f);
  pigeon_test_window_drop_files (f, paths);
  WAIT_UNTIL (pigeon_window_get_send_blocker (f->window) == NULL);
  pigeon_test_ui_shoot (GTK_WIDGET (f->window), "three-images");
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  g_assert_true (pigeon_window_is_sending (f->window));
  g_assert_false (gtk_widget_is_sensitive (pigeon_test_window_find (f, "To")));
  assert_attachments_locked (f, 3, TRUE);
  pigeon_test_ui_shoot (GTK_WIDGET (f->window), "sending");
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));

  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 1);
  message = parse_wire (pigeon_fake_server_get_data (f->server));
  assert_message (message, paths);
  WAIT_UNTIL (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "Message sent to Bob Example"));
  pigeon_test_ui_shoot (GTK_WIDGET (f->window), "sent");
  /* A fresh draft, on screen and in the store. */
  draft = pigeon_window_get_draft (f->window);
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, "");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (pigeon_test_window_find (f, "Subject"))), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 0);
  g_assert_true (gtk_widget_is_sensitive (pigeon_test_window_find (f, "To")));
  stored = pigeon_test_window_draft_in_store ();
  g_assert_cmpstr (pigeon_draft_get_subject (stored), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (stored)), ==, 0);
}

static void
test_auth_failure (Fixture *f, gconstpointer data)
{
  g_autofree char *ca = g_test_build_filename (G_TEST_BUILT, "ca.pem", NULL);
  g_autofree char *file = pigeon_test_window_random_file_new (f, "report.pdf", 1000);
  const char *paths[] = { file, NULL };
  PigeonDraft *draft = NULL;
  GtkInfoBar *bar = NULL;
  GtkWidget *log = NULL;
  GtkTextBuffer *buffer = NULL;
  GtkTextIter start, end;
  g_autofree char *transcript = NULL;

  f->server = pigeon_fake_server_new ("server");
  pigeon_fake_server_set_capabilities (f->server, "STARTTLS", "SIZE 2048\nAUTH PLAIN LOGIN");
  pigeon_fake_server_set_credentials (f->server, USER, PASSWORD);
  pigeon_fake_server_greet_and_serve (f->server);
  pigeon_test_window_save_account ("localhost", pigeon_fake_server_start (f->server),
                                   PIGEON_SMTP_SECURITY_STARTTLS, USER, ca);
  pigeon_test_window_open (f);
  pigeon_test_window_fill_message (f);
  pigeon_test_window_drop_files (f, paths);
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  give_password ("not-the-password");
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));

  bar = pigeon_test_window_info_bar (f);
  g_assert_true (gtk_info_bar_get_revealed (bar));
  g_assert_cmpint (gtk_info_bar_get_message_type (bar), ==, GTK_MESSAGE_ERROR);
  WAIT_UNTIL (
    pigeon_test_ui_shows_text (GTK_WIDGET (bar), "535 5.7.8 Authentication credentials invalid"));
  /* The transcript has the server's answer. */
  pigeon_test_ui_click (
    pigeon_test_ui_find_named (GTK_WIDGET (bar), GTK_TYPE_BUTTON, "Show SMTP Log"));
  WAIT_UNTIL ((log = pigeon_test_ui_find_toplevel (PIGEON_TYPE_LOG_DIALOG)) != NULL);
  buffer = gtk_text_view_get_buffer (
    GTK_TEXT_VIEW (pigeon_test_ui_find_named (log, GTK_TYPE_TEXT_VIEW, NULL)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  transcript = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (transcript, "S: 535 5.7.8"));
  g_assert_null (strstr (transcript, "not-the-password"));
  /* The server said SIZE 2048: the attachments area now warns the message is larger ("…more
   * than the 2.0 kB the server accepts"; GLib puts a no-break space before the unit). */
  WAIT_UNTIL (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "the server accepts"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (pigeon_test_ui_find_label (
                              GTK_WIDGET (f->window), "The message is about"))),
                            "2.0"));
  gtk_widget_destroy (log);
  draft = pigeon_window_get_draft (f->window);
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, TO);
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, SUBJECT);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, BODY);
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 1);
  g_assert_true (gtk_widget_is_sensitive (pigeon_test_window_find (f, "To")));
  assert_attachments_locked (f, 0, FALSE);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (f->server), ==, 0);
  pigeon_test_ui_shoot (GTK_WIDGET (f->window), "error");
}

/* Cancel works while the window waits for the password, too. */
static void
test_cancel_at_password (Fixture *f, gconstpointer data)
{
  GtkWidget *dialog = NULL;

  f->server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_greet_and_serve (f->server);
  pigeon_test_window_save_account ("127.0.0.1", pigeon_fake_server_start (f->server),
                                   PIGEON_SMTP_SECURITY_NONE, USER, "");
  pigeon_test_window_open (f);
  pigeon_test_window_fill_message (f);
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  WAIT_UNTIL ((dialog = pigeon_test_ui_find_toplevel (PIGEON_TYPE_PASSWORD_DIALOG)) != NULL);
  WAIT_UNTIL (gtk_widget_get_mapped (dialog));
  pigeon_test_ui_shoot (dialog, "password");
  pigeon_test_ui_click (
    pigeon_test_ui_find_named (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "Cancel"));
  g_assert_null (pigeon_test_ui_find_toplevel (PIGEON_TYPE_PASSWORD_DIALOG));
  g_assert_false (pigeon_window_is_sending (f->window));
  WAIT_UNTIL (pigeon_test_ui_shows_text (GTK_WIDGET (pigeon_test_window_info_bar (f)),
                                         "Sending cancelled; nothing was sent"));
  g_assert_cmpstr (pigeon_draft_get_subject (pigeon_window_get_draft (f->window)), ==, SUBJECT);
  g_assert_cmpuint (pigeon_fake_server_count (f->server, "MAIL FROM:*"), ==, 0);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  SlowServer server = { 0 };
  g_autofree char *big = pigeon_test_window_random_file_new (f, "video.bin", BIG_SIZE);
  const char *paths[] = { big, NULL };
  PigeonDraft *draft = NULL;
  gint64 cancelled_at = 0;

  pigeon_test_window_save_account ("127.0.0.1", slow_server_start (&server),
                                   PIGEON_SMTP_SECURITY_NONE, "", "");
  pigeon_test_window_open (f);
  pigeon_test_window_fill_message (f);
  pigeon_test_window_drop_files (f, paths);
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  /* Part of the message is on its way, and the window says how much. */
  WAIT_UNTIL (g_atomic_int_get (&server.received) > 1024 * 1024 &&
              pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "B of "));
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "Sending…"));
  pigeon_test_ui_shoot (GTK_WIDGET (f->window), "sending");

  cancelled_at = g_get_monotonic_time ();
  pigeon_test_ui_click (
    pigeon_test_ui_find_named (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "Cancel"));
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, CANCEL_USEC);
  WAIT_UNTIL (g_atomic_int_get (&server.closed));
  g_thread_join (server.thread);
  g_object_unref (server.listener);

  g_assert_false (g_atomic_int_get (&server.got_end));
  WAIT_UNTIL (pigeon_test_ui_shows_text (GTK_WIDGET (pigeon_test_window_info_bar (f)),
                                         "Sending cancelled; nothing was sent"));
  draft = pigeon_window_get_draft (f->window);
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, TO);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, BODY);
  g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 1);
}

/* The SIZE warning: what the user sees in the attachments area. */
#define SIZE_WARNING "the server accepts"

/* The server's SIZE limit is kept with the account: a window opened later, as after a restart,
 * warns at once when the message is larger, for that account and not another. */
static void
test_size_limit_remembered (Fixture *f, gconstpointer data)
{
  g_autofree char *file = pigeon_test_window_random_file_new (f, "scan.pdf", 4000);
  const char *paths[] = { file, NULL };
  g_autoptr (PigeonAccount) other = pigeon_account_new ("other");
  g_autoptr (PigeonAccount) account = NULL;
  GtkComboBox *from = NULL;

  f->server = pigeon_fake_server_new (NULL);
  pigeon_fake_server_set_capabilities (f->server, "SIZE 2048\nPIPELINING", "");
  pigeon_fake_server_greet_and_serve (f->server);
  pigeon_test_window_save_account ("127.0.0.1", pigeon_fake_server_start (f->server),
                                   PIGEON_SMTP_SECURITY_NONE, "", "");
  g_object_set (other, "address", "alice@example.net", "host", "127.0.0.1", NULL);
  g_assert_true (pigeon_account_save (other, NULL));
  pigeon_test_window_open (f);
  pigeon_test_window_fill_message (f);
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  WAIT_UNTIL (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "Message sent to Bob Example"));
  account = pigeon_account_load ("test", NULL);
  g_assert_cmpuint (pigeon_account_get_size_limit (account), ==, 2048);

  pigeon_test_window_close (f);
  pigeon_test_window_open (f);
  pigeon_test_window_drop_files (f, paths);
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), SIZE_WARNING));
  from = GTK_COMBO_BOX (pigeon_test_window_find (f, "From"));
  gtk_combo_box_set_active_id (from, "other");
  g_assert_false (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), SIZE_WARNING));
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "The message is about"));
  gtk_combo_box_set_active_id (from, "test");
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), SIZE_WARNING));
}

/* A server that no longer declares SIZE clears the limit kept with the account. */
static void
test_size_limit_cleared (Fixture *f, gconstpointer data)
{
  g_autofree char *file = pigeon_test_window_random_file_new (f, "scan.pdf", 4000);
  const char *paths[] = { file, NULL };
  g_autoptr (PigeonAccount) account = NULL;

  pigeon_test_window_start_plain_server (f);
  account = pigeon_account_load ("test", NULL);
  pigeon_account_set_size_limit (account, 2048);
  pigeon_test_window_open (f);
  pigeon_test_window_fill_message (f);
  pigeon_test_window_drop_files (f, paths);
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), SIZE_WARNING));
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  WAIT_UNTIL (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "Message sent to Bob Example"));
  g_clear_object (&account);
  account = pigeon_account_load ("test", NULL);
  g_assert_cmpuint (pigeon_account_get_size_limit (account), ==, 0);
  pigeon_test_window_drop_files (f, paths);
  g_assert_false (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), SIZE_WARNING));
  g_assert_true (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "The message is about"));
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
  g_autofree char *picture = pigeon_test_window_picture_new (f, "harbour.png", 0.6);
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
  pigeon_test_window_save_account (host, g_key_file_get_integer (servers, group, "port", NULL),
                                   PIGEON_SMTP_SECURITY_STARTTLS,
                                   g_key_file_get_string (servers, group, "user", NULL), ca);
  /* The server numbers messages across all its listeners: remember what this one holds. */
  n = count_saved_messages (spool);

  pigeon_test_window_open (f);
  pigeon_test_window_fill_message (f);
  pigeon_test_window_drop_files (f, paths);
  pigeon_test_ui_click (pigeon_test_window_find (f, "Send"));
  give_password (password);
  WAIT_UNTIL (!pigeon_window_is_sending (f->window));
  WAIT_UNTIL (pigeon_test_ui_shows_text (GTK_WIDGET (f->window), "Message sent to Bob Example"));
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
  pigeon_test_window_init (&argc, &argv);
  PIGEON_TEST_WINDOW_ADD ("send", test_send);
  PIGEON_TEST_WINDOW_ADD ("auth-failure", test_auth_failure);
  PIGEON_TEST_WINDOW_ADD ("cancel-at-password", test_cancel_at_password);
  PIGEON_TEST_WINDOW_ADD ("cancel", test_cancel);
  PIGEON_TEST_WINDOW_ADD ("size-limit-remembered", test_size_limit_remembered);
  PIGEON_TEST_WINDOW_ADD ("size-limit-cleared", test_size_limit_cleared);
  /* Fails unless PIGEON_TEST_SERVERS names the servers tests/servers/start started. */
  PIGEON_TEST_WINDOW_ADD ("real-server", test_real_server);
  return pigeon_test_window_run ();
}
