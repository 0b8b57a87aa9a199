/* pigeon-fake-server.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-fake-server-private.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define MAX_LINE_LENGTH   (64 * 1024)
#define CHUNK_SIZE        (64 * 1024)
#define ENDLESS_MAX_LINES 1000000

typedef enum
{
  STEP_SEND,
  STEP_EXPECT,
  STEP_START_TLS,
  STEP_CLOSE,
  STEP_SILENCE,
  STEP_DRIP,
  STEP_HUGE_LINE,
  STEP_ENDLESS,
  STEP_SERVE,
} StepKind;

typedef struct
{
  StepKind kind;
  char *glob;
  char *bytes; /* exactly what is sent */
  guint ms;
  gsize length;
} Step;

G_DEFINE_FINAL_TYPE (PigeonFakeServer, pigeon_fake_server, G_TYPE_OBJECT)

static void
step_clear (gpointer data)
{
  Step *step = data;

  g_free (step->glob);
  g_free (step->bytes);
}

/* "a\nb" → "a\r\nb\r\n" */
char *
pigeon_fake_server_to_crlf (const char *reply)
{
  g_auto (GStrv) lines = g_strsplit (reply, "\n", -1);
  g_autofree char *joined = g_strjoinv ("\r\n", lines);

  return g_strconcat (joined, "\r\n", NULL);
}

/* "*" and "?", ASCII case ignored (SMTP verbs are case-insensitive). */
gboolean
pigeon_fake_server_glob_matches (const char *glob, const char *text)
{
  if (*glob == '\0')
    return *text == '\0';
  if (*glob == '*')
    return pigeon_fake_server_glob_matches (glob + 1, text) ||
           (*text != '\0' && pigeon_fake_server_glob_matches (glob, text + 1));
  if (*text == '\0' || (*glob != '?' && g_ascii_toupper (*glob) != g_ascii_toupper (*text)))
    return FALSE;
  return pigeon_fake_server_glob_matches (glob + 1, text + 1);
}

static void
add_step (PigeonFakeServer *self, StepKind kind, const char *glob, char *bytes, guint ms)
{
  Step step = { kind, g_strdup (glob), bytes, ms, 0 };

  g_return_if_fail (self->thread == NULL);
  g_array_append_val (self->script, step);
}

/* Reading and writing, from the server thread. */

gboolean
pigeon_fake_server_write (PigeonFakeServer *self, const void *bytes, gsize length)
{
  GOutputStream *out = g_io_stream_get_output_stream (self->stream);

  g_mutex_lock (&self->lock);
  self->turn++;
  g_mutex_unlock (&self->lock);
  return g_output_stream_write_all (out, bytes, length, NULL, self->cancellable, NULL);
}

static gboolean
fill_input (PigeonFakeServer *self)
{
  GInputStream *in = g_io_stream_get_input_stream (self->stream);
  guint8 buffer[16384];
  gssize n;

  n = g_input_stream_read (in, buffer, sizeof buffer, self->cancellable, NULL);
  if (n <= 0)
    return FALSE;
  g_byte_array_append (self->input, buffer, n);
  return TRUE;
}

/* One line with its line ending (or MAX_LINE_LENGTH bytes of a longer one); NULL at the end. */
GBytes *
pigeon_fake_server_read_raw_line (PigeonFakeServer *self)
{
  guint8 *newline;
  gsize length;
  GBytes *line;

  while ((newline = self->input->len > 0 ? memchr (self->input->data, '\n', self->input->len)
                                         : NULL) == NULL &&
         self->input->len < MAX_LINE_LENGTH)
    {
      if (!fill_input (self))
        return NULL;
    }
  length = newline != NULL ? (gsize) (newline - self->input->data) + 1 : self->input->len;
  length = MIN (length, MAX_LINE_LENGTH);
  line = g_bytes_new (self->input->data, length);
  g_byte_array_remove_range (self->input, 0, length);
  return line;
}

/* Exactly @length bytes (a BDAT chunk), appended to @out; FALSE if the connection ends first. */
gboolean
pigeon_fake_server_read_exact (PigeonFakeServer *self, guint64 length, GByteArray *out)
{
  while (length > 0)
    {
      gsize piece;

      if (self->input->len == 0 && !fill_input (self))
        return FALSE;
      piece = (gsize) MIN ((guint64) self->input->len, length);
      g_byte_array_append (out, self->input->data, piece);
      g_byte_array_remove_range (self->input, 0, piece);
      length -= piece;
    }
  return TRUE;
}

/* Reads and records one line of dialogue, without its line ending. */
char *
pigeon_fake_server_read_line (PigeonFakeServer *self)
{
  g_autoptr (GBytes) raw = pigeon_fake_server_read_raw_line (self);
  gsize length;
  const char *bytes;
  char *text;

  if (raw == NULL)
    return NULL;
  bytes = g_bytes_get_data (raw, &length);
  while (length > 0 && (bytes[length - 1] == '\n' || bytes[length - 1] == '\r'))
    length--;
  text = g_strndup (bytes, length);
  pigeon_fake_server_record_line (self, text);
  return text;
}

/* Whether input (or the end of it) is there, waiting up to @ms for it. */
gboolean
pigeon_fake_server_wait_input (PigeonFakeServer *self, guint ms)
{
  GInputStream *in = g_io_stream_get_input_stream (self->stream);

  if (self->input->len > 0)
    return TRUE;
  if (G_IS_POLLABLE_INPUT_STREAM (in) &&
      g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (in)))
    return TRUE;
  return g_socket_condition_timed_wait (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                        (gint64) ms * 1000, self->cancellable, NULL);
}

/* Stays quiet for @ms, recording what arrives; FALSE when the client went away. */
static gboolean
stay_silent (PigeonFakeServer *self, guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  gint64 left;
  char *line;

  while ((left = deadline - g_get_monotonic_time ()) > 0)
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        return FALSE;
      if (!pigeon_fake_server_wait_input (self, (guint) ((left + 999) / 1000)))
        continue;
      if ((line = pigeon_fake_server_read_line (self)) == NULL)
        return FALSE;
      g_free (line);
    }
  return !g_cancellable_is_cancelled (self->cancellable);
}

gboolean
pigeon_fake_server_handshake (PigeonFakeServer *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOStream) tls = NULL;

  if (self->input->len > 0)
    {
      pigeon_fake_server_set_failure (self, "the client sent %u bytes before the TLS handshake",
                                      self->input->len);
      return FALSE;
    }
  tls = g_tls_server_connection_new (self->stream, self->certificate, &error);
  if (tls == NULL ||
      !g_tls_connection_handshake (G_TLS_CONNECTION (tls), self->cancellable, &error))
    {
      pigeon_fake_server_set_failure (self, "TLS handshake: %s", error->message);
      return FALSE;
    }
  g_set_object (&self->stream, tls);
  self->tls = TRUE;
  return TRUE;
}

/* The steps that send something unusual. */

static gboolean
drip (PigeonFakeServer *self, const char *bytes, guint delay_ms)
{
  for (const char *p = bytes; *p != '\0'; p++)
    {
      if (!pigeon_fake_server_write (self, p, 1) || !stay_silent (self, delay_ms))
        return FALSE;
    }
  return TRUE;
}

static gboolean
send_huge_line (PigeonFakeServer *self, const char *prefix, gsize length)
{
  g_autofree char *chunk = g_malloc (CHUNK_SIZE);

  memset (chunk, 'x', CHUNK_SIZE);
  if (!pigeon_fake_server_write (self, prefix, strlen (prefix)))
    return FALSE;
  for (gsize sent = 0; sent < length; sent += CHUNK_SIZE)
    {
      if (!pigeon_fake_server_write (self, chunk, MIN (CHUNK_SIZE, length - sent)))
        return FALSE;
    }
  return pigeon_fake_server_write (self, "\r\n", 2);
}

static gboolean
send_endless_reply (PigeonFakeServer *self, const char *prefix)
{
  g_autoptr (GString) batch = g_string_new (NULL);

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (batch, "%s-and there is more to say\r\n", prefix);
  for (guint lines = 0; lines < ENDLESS_MAX_LINES; lines += 100)
    {
      if (!pigeon_fake_server_write (self, batch->str, batch->len))
        return FALSE;
    }
  return FALSE;
}

/* The script. */

static gboolean
expect_line (PigeonFakeServer *self, const Step *step)
{
  g_autofree char *line = pigeon_fake_server_read_line (self);

  if (line == NULL)
    {
      pigeon_fake_server_set_failure (self, "the connection ended where \"%s\" was expected",
                                      step->glob);
      return FALSE;
    }
  if (!pigeon_fake_server_glob_matches (step->glob, line))
    {
      pigeon_fake_server_set_failure (self, "expected \"%s\", got \"%s\"", step->glob, line);
      pigeon_fake_server_write (self, "500 5.5.1 Unexpected command\r\n", 30);
      return FALSE;
    }
  return step->bytes == NULL || pigeon_fake_server_write (self, step->bytes, strlen (step->bytes));
}

/* FALSE when the connection is over. */
static gboolean
run_step (PigeonFakeServer *self, const Step *step)
{
  switch (step->kind)
    {
      case STEP_SEND:
        return pigeon_fake_server_write (self, step->bytes, strlen (step->bytes));
      case STEP_EXPECT:
        return expect_line (self, step);
      case STEP_START_TLS:
        return pigeon_fake_server_handshake (self);
      case STEP_SILENCE:
        return stay_silent (self, step->ms);
      case STEP_DRIP:
        return drip (self, step->bytes, step->ms);
      case STEP_HUGE_LINE:
        return send_huge_line (self, step->bytes, step->length);
      case STEP_ENDLESS:
        return send_endless_reply (self, step->bytes);
      case STEP_SERVE:
        pigeon_fake_smtpd_serve (self);
        return FALSE;
      case STEP_CLOSE:
      default:
        return FALSE;
    }
}

static void
run_script (PigeonFakeServer *self)
{
  g_autofree char *line = NULL;

  for (guint i = 0; i < self->script->len; i++)
    {
      if (!run_step (self, &g_array_index (self->script, Step, i)))
        return;
    }
  while ((line = pigeon_fake_server_read_line (self)) != NULL)
    g_clear_pointer (&line, g_free);
}

static gpointer
server_thread (gpointer data)
{
  PigeonFakeServer *self = data;
  g_autoptr (GSocketConnection) connection = NULL;

  connection = g_socket_listener_accept (self->listener, NULL, self->cancellable, NULL);
  if (connection != NULL)
    {
      self->socket = g_socket_connection_get_socket (connection);
      g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
      self->stream = g_object_ref (G_IO_STREAM (connection));
      run_script (self);
      g_io_stream_close (self->stream, NULL, NULL);
      g_clear_object (&self->stream);
    }
  g_mutex_lock (&self->lock);
  self->done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* GObject */

static void
pigeon_fake_server_dispose (GObject *object)
{
  PigeonFakeServer *self = PIGEON_FAKE_SERVER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->listener != NULL)
    g_socket_listener_close (self->listener);
  g_clear_pointer (&self->thread, g_thread_join);
  g_clear_object (&self->listener);
  g_clear_object (&self->certificate);
  G_OBJECT_CLASS (pigeon_fake_server_parent_class)->dispose (object);
}

static void
pigeon_fake_server_finalize (GObject *object)
{
  PigeonFakeServer *self = PIGEON_FAKE_SERVER (object);

  g_clear_object (&self->cancellable);
  g_array_unref (self->script);
  g_strfreev (self->caps_before_tls);
  g_strfreev (self->caps_after_tls);
  g_free (self->user);
  g_free (self->password);
  g_ptr_array_unref (self->overrides);
  g_byte_array_unref (self->input);
  g_string_free (self->pending, TRUE);
  g_array_unref (self->lines);
  g_byte_array_unref (self->data);
  g_free (self->failure);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (pigeon_fake_server_parent_class)->finalize (object);
}

static void
pigeon_fake_server_class_init (PigeonFakeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pigeon_fake_server_dispose;
  object_class->finalize = pigeon_fake_server_finalize;
}

static void
pigeon_fake_server_init (PigeonFakeServer *self)
{
  self->script = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (self->script, step_clear);
  self->lines = g_array_new (FALSE, TRUE, sizeof (PigeonFakeLine));
  g_array_set_clear_func (self->lines, pigeon_fake_server_line_clear);
  self->overrides = g_ptr_array_new_with_free_func (g_free);
  self->input = g_byte_array_new ();
  self->pending = g_string_new (NULL);
  self->data = g_byte_array_new ();
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

/* Public API: the script */

PigeonFakeServer *
pigeon_fake_server_new (const char *cert_name)
{
  PigeonFakeServer *self = g_object_new (PIGEON_TYPE_FAKE_SERVER, NULL);
  g_autoptr (GError) error = NULL;

  if (cert_name != NULL)
    {
      g_autofree char *name = g_strconcat (cert_name, ".pem", NULL);
      g_autofree char *key_name = g_strconcat (cert_name, "-key.pem", NULL);
      g_autofree char *cert = g_test_build_filename (G_TEST_BUILT, name, NULL);
      g_autofree char *key = g_test_build_filename (G_TEST_BUILT, key_name, NULL);

      self->certificate = g_tls_certificate_new_from_files (cert, key, &error);
      g_assert_no_error (error);
    }
  pigeon_fake_server_set_capabilities (
    self,
    cert_name != NULL ? "PIPELINING\n8BITMIME\nENHANCEDSTATUSCODES\nSTARTTLS"
                      : "PIPELINING\n8BITMIME\nENHANCEDSTATUSCODES",
    "PIPELINING\n8BITMIME\nENHANCEDSTATUSCODES\nAUTH PLAIN LOGIN");
  return self;
}

void
pigeon_fake_server_send (PigeonFakeServer *self, const char *reply)
{
  add_step (self, STEP_SEND, NULL, pigeon_fake_server_to_crlf (reply), 0);
}

void
pigeon_fake_server_send_raw (PigeonFakeServer *self, const char *bytes)
{
  add_step (self, STEP_SEND, NULL, g_strdup (bytes), 0);
}

void
pigeon_fake_server_expect (PigeonFakeServer *self, const char *glob, const char *reply)
{
  add_step (self, STEP_EXPECT, glob, reply != NULL ? pigeon_fake_server_to_crlf (reply) : NULL, 0);
}

void
pigeon_fake_server_start_tls (PigeonFakeServer *self)
{
  g_return_if_fail (self->certificate != NULL);
  add_step (self, STEP_START_TLS, NULL, NULL, 0);
}

void
pigeon_fake_server_close (PigeonFakeServer *self)
{
  add_step (self, STEP_CLOSE, NULL, NULL, 0);
}

void
pigeon_fake_server_silence (PigeonFakeServer *self, guint ms)
{
  add_step (self, STEP_SILENCE, NULL, NULL, ms);
}

void
pigeon_fake_server_drip (PigeonFakeServer *self, const char *reply, guint delay_ms)
{
  add_step (self, STEP_DRIP, NULL, pigeon_fake_server_to_crlf (reply), delay_ms);
}

void
pigeon_fake_server_huge_line (PigeonFakeServer *self, const char *prefix, gsize length)
{
  add_step (self, STEP_HUGE_LINE, NULL, g_strdup (prefix), 0);
  g_array_index (self->script, Step, self->script->len - 1).length = length;
}

void
pigeon_fake_server_endless_reply (PigeonFakeServer *self, const char *prefix)
{
  add_step (self, STEP_ENDLESS, NULL, g_strdup (prefix), 0);
}

void
pigeon_fake_server_serve (PigeonFakeServer *self)
{
  add_step (self, STEP_SERVE, NULL, NULL, 0);
}

void
pigeon_fake_server_greet_and_serve (PigeonFakeServer *self)
{
  pigeon_fake_server_send (self, "220 fake.test ESMTP ready");
  pigeon_fake_server_serve (self);
}

guint16
pigeon_fake_server_start (PigeonFakeServer *self)
{
  g_autoptr (GError) error = NULL;
  guint16 port = pigeon_fake_server_start_on (self, "127.0.0.1", &error);

  g_assert_no_error (error);
  return port;
}

guint16
pigeon_fake_server_start_on (PigeonFakeServer *self, const char *address, GError **error)
{
  g_autoptr (GSocketAddress) wanted = g_inet_socket_address_new_from_string (address, 0);
  g_autoptr (GSocketAddress) effective = NULL;

  g_return_val_if_fail (self->thread == NULL, 0);
  self->listener = g_socket_listener_new ();
  if (!g_socket_listener_add_address (self->listener, wanted, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    return 0;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->thread = g_thread_new ("fake-smtp-server", server_thread, self);
  return self->port;
}

guint16
pigeon_fake_server_get_port (PigeonFakeServer *self)
{
  return self->port;
}

guint16
pigeon_fake_server_closed_port (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket =
    g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
