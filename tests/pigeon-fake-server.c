/* pigeon-fake-server.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-fake-server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define MAX_LINE_LENGTH    (64 * 1024)
#define CHUNK_SIZE         (64 * 1024)
#define PIPELINING_HOLD_MS 500
#define ENDLESS_MAX_LINES  1000000

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

typedef struct
{
  char *text;
  guint turn;
  gboolean tls;
} Line;

struct _PigeonFakeServer
{
  GObject parent_instance;

  /* Set before start, then read only by the server thread. */
  GTlsCertificate *certificate;
  GArray *script; /* of Step */
  char **caps_before_tls;
  char **caps_after_tls;
  char *user;
  char *password;
  GPtrArray *overrides; /* glob, reply, glob, reply, … */

  GSocketListener *listener;
  GCancellable *cancellable;
  GThread *thread;
  guint16 port;

  /* Server thread only. */
  GIOStream *stream;
  GSocket *socket;
  GByteArray *input;
  GString *pending;
  gboolean tls;
  gboolean in_transaction;
  guint n_recipients;

  /* Under lock: what the tests read. */
  GMutex lock;
  GCond cond;
  GArray *lines; /* of Line */
  GByteArray *data;
  guint turn;
  guint n_messages;
  gboolean connected;
  gboolean done;
  char *failure;
};

G_DEFINE_FINAL_TYPE (PigeonFakeServer, pigeon_fake_server, G_TYPE_OBJECT)

static void
step_clear (gpointer data)
{
  Step *step = data;

  g_free (step->glob);
  g_free (step->bytes);
}

static void
line_clear (gpointer data)
{
  g_free (((Line *) data)->text);
}

/* "a\nb" → "a\r\nb\r\n" */
static char *
to_crlf (const char *reply)
{
  g_auto (GStrv) lines = g_strsplit (reply, "\n", -1);
  g_autofree char *joined = g_strjoinv ("\r\n", lines);

  return g_strconcat (joined, "\r\n", NULL);
}

/* "*" and "?", ASCII case ignored (SMTP verbs are case-insensitive). */
static gboolean
glob_matches (const char *glob, const char *text)
{
  if (*glob == '\0')
    return *text == '\0';
  if (*glob == '*')
    return glob_matches (glob + 1, text) || (*text != '\0' && glob_matches (glob, text + 1));
  if (*text == '\0' || (*glob != '?' && g_ascii_toupper (*glob) != g_ascii_toupper (*text)))
    return FALSE;
  return glob_matches (glob + 1, text + 1);
}

static void
add_step (PigeonFakeServer *self, StepKind kind, const char *glob, char *bytes, guint ms)
{
  Step step = { kind, g_strdup (glob), bytes, ms, 0 };

  g_return_if_fail (self->thread == NULL);
  g_array_append_val (self->script, step);
}

/* Recording, from the server thread. */

static void set_failure (PigeonFakeServer *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
set_failure (PigeonFakeServer *self, const char *format, ...)
{
  va_list args;

  g_mutex_lock (&self->lock);
  if (self->failure == NULL)
    {
      va_start (args, format);
      self->failure = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_mutex_unlock (&self->lock);
}

static void
record_line (PigeonFakeServer *self, const char *text)
{
  Line line = { g_strdup (text), 0, self->tls };

  g_mutex_lock (&self->lock);
  line.turn = self->turn;
  g_array_append_val (self->lines, line);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Reading and writing, from the server thread. */

static gboolean
write_bytes (PigeonFakeServer *self, const void *bytes, gsize length)
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
static GBytes *
read_raw_line (PigeonFakeServer *self)
{
  guint8 *newline;
  gsize length;
  GBytes *line;

  while ((newline = memchr (self->input->data, '\n', self->input->len)) == NULL &&
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

/* Reads and records one line of dialogue, without its line ending. */
static char *
read_line (PigeonFakeServer *self)
{
  g_autoptr (GBytes) raw = read_raw_line (self);
  gsize length;
  const char *bytes;
  char *text;

  if (raw == NULL)
    return NULL;
  bytes = g_bytes_get_data (raw, &length);
  while (length > 0 && (bytes[length - 1] == '\n' || bytes[length - 1] == '\r'))
    length--;
  text = g_strndup (bytes, length);
  record_line (self, text);
  return text;
}

/* Whether input (or the end of it) is there, waiting up to @ms for it. */
static gboolean
wait_input (PigeonFakeServer *self, guint ms)
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
      if (!wait_input (self, (guint) ((left + 999) / 1000)))
        continue;
      if ((line = read_line (self)) == NULL)
        return FALSE;
      g_free (line);
    }
  return !g_cancellable_is_cancelled (self->cancellable);
}

static gboolean
do_start_tls (PigeonFakeServer *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOStream) tls = NULL;

  if (self->input->len > 0)
    {
      set_failure (self, "the client sent %u bytes before the TLS handshake", self->input->len);
      return FALSE;
    }
  tls = g_tls_server_connection_new (self->stream, self->certificate, &error);
  if (tls == NULL ||
      !g_tls_connection_handshake (G_TLS_CONNECTION (tls), self->cancellable, &error))
    {
      set_failure (self, "TLS handshake: %s", error->message);
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
      if (!write_bytes (self, p, 1) || !stay_silent (self, delay_ms))
        return FALSE;
    }
  return TRUE;
}

static gboolean
send_huge_line (PigeonFakeServer *self, const char *prefix, gsize length)
{
  g_autofree char *chunk = g_malloc (CHUNK_SIZE);

  memset (chunk, 'x', CHUNK_SIZE);
  if (!write_bytes (self, prefix, strlen (prefix)))
    return FALSE;
  for (gsize sent = 0; sent < length; sent += CHUNK_SIZE)
    {
      if (!write_bytes (self, chunk, MIN (CHUNK_SIZE, length - sent)))
        return FALSE;
    }
  return write_bytes (self, "\r\n", 2);
}

static gboolean
send_endless_reply (PigeonFakeServer *self, const char *prefix)
{
  g_autoptr (GString) batch = g_string_new (NULL);

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (batch, "%s-and there is more to say\r\n", prefix);
  for (guint lines = 0; lines < ENDLESS_MAX_LINES; lines += 100)
    {
      if (!write_bytes (self, batch->str, batch->len))
        return FALSE;
    }
  return FALSE;
}

/* The normal server. */

static char *const *
current_caps (PigeonFakeServer *self)
{
  return self->tls ? self->caps_after_tls : self->caps_before_tls;
}

/* The parameters of capability @keyword ("" if it has none), or NULL if not offered. */
static const char *
offered (PigeonFakeServer *self, const char *keyword)
{
  gsize length = strlen (keyword);

  for (char *const *cap = current_caps (self); *cap != NULL; cap++)
    {
      if (g_ascii_strncasecmp (*cap, keyword, length) == 0 &&
          ((*cap)[length] == '\0' || (*cap)[length] == ' '))
        return (*cap)[length] == ' ' ? *cap + length + 1 : "";
    }
  return NULL;
}

static guint64
size_limit (PigeonFakeServer *self)
{
  const char *size = offered (self, "SIZE");

  return size != NULL ? g_ascii_strtoull (size, NULL, 10) : 0;
}

static void
queue_reply (PigeonFakeServer *self, const char *reply)
{
  g_autofree char *bytes = to_crlf (reply);

  g_string_append (self->pending, bytes);
}

static gboolean
flush_replies (PigeonFakeServer *self)
{
  gboolean ok;

  if (self->pending->len == 0)
    return TRUE;
  ok = write_bytes (self, self->pending->str, self->pending->len);
  g_string_truncate (self->pending, 0);
  return ok;
}

/* RFC 2920 lets a server hold replies while commands keep coming; holding those to MAIL and
 * RCPT a little longer makes a client that waits between them visible in the turns. */
static gboolean
flush_unless_more_input (PigeonFakeServer *self)
{
  guint hold_ms = 0;

  if (self->in_transaction && offered (self, "PIPELINING") != NULL)
    hold_ms = PIPELINING_HOLD_MS;
  if (self->pending->len > 0 && wait_input (self, hold_ms))
    return TRUE;
  return flush_replies (self);
}

static char *
ask (PigeonFakeServer *self, const char *challenge)
{
  queue_reply (self, challenge);
  if (!flush_replies (self))
    return NULL;
  return read_line (self);
}

static gboolean
check_plain (PigeonFakeServer *self, const char *response)
{
  gsize length = 0;
  g_autofree char *decoded = (char *) g_base64_decode (response, &length);
  g_autofree char *expected = NULL;
  gsize user_length = self->user != NULL ? strlen (self->user) : 0;

  if (self->user == NULL || self->password == NULL)
    return FALSE;
  expected = g_strdup_printf ("%c%s%c%s", 0, self->user, 0, self->password);
  return length == user_length + strlen (self->password) + 2 &&
         memcmp (decoded, expected, length) == 0;
}

static gboolean
check_login (PigeonFakeServer *self, const char *user_b64, const char *password_b64)
{
  gsize length;
  g_autofree char *user = (char *) g_base64_decode (user_b64, &length);
  g_autofree char *user_text = g_strndup (user, length);
  g_autofree char *password = (char *) g_base64_decode (password_b64, &length);
  g_autofree char *password_text = g_strndup (password, length);

  return g_strcmp0 (user_text, self->user) == 0 && g_strcmp0 (password_text, self->password) == 0;
}

static gboolean
mechanism_offered (PigeonFakeServer *self, const char *mechanism)
{
  const char *list = offered (self, "AUTH");
  g_auto (GStrv) names = g_strsplit (list != NULL ? list : "", " ", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (names[i], mechanism) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
handle_auth (PigeonFakeServer *self, char **words)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gboolean login;
  gboolean ok;

  if (words[1] == NULL || !mechanism_offered (self, words[1]) ||
      (g_ascii_strcasecmp (words[1], "PLAIN") != 0 && g_ascii_strcasecmp (words[1], "LOGIN") != 0))
    {
      queue_reply (self, "504 5.5.4 Mechanism not offered");
      return TRUE;
    }
  login = g_ascii_strcasecmp (words[1], "LOGIN") == 0;
  first = words[2] != NULL ? g_strdup (words[2]) : ask (self, login ? "334 VXNlcm5hbWU6" : "334 ");
  if (first == NULL)
    return FALSE;
  if (login && !g_str_equal (first, "*") && (second = ask (self, "334 UGFzc3dvcmQ6")) == NULL)
    return FALSE;
  if (g_str_equal (first, "*") || g_strcmp0 (second, "*") == 0)
    {
      queue_reply (self, "501 5.7.0 Authentication cancelled");
      return TRUE;
    }
  ok = login ? check_login (self, first, second) : check_plain (self, first);
  queue_reply (self, ok ? "235 2.7.0 Authentication successful"
                        : "535 5.7.8 Authentication credentials invalid");
  return TRUE;
}

static const char *
find_override (PigeonFakeServer *self, const char *line)
{
  for (guint i = 0; i + 1 < self->overrides->len; i += 2)
    {
      if (glob_matches (self->overrides->pdata[i], line))
        return self->overrides->pdata[i + 1];
    }
  return NULL;
}

static void
reply_to_ehlo (PigeonFakeServer *self)
{
  g_autoptr (GString) reply = g_string_new ("250");
  char *const *caps = current_caps (self);

  g_string_append (reply, caps[0] != NULL ? "-fake.test greets you" : " fake.test greets you");
  for (guint i = 0; caps[i] != NULL; i++)
    g_string_append_printf (reply, "\n250%c%s", caps[i + 1] != NULL ? '-' : ' ', caps[i]);
  self->in_transaction = FALSE;
  queue_reply (self, reply->str);
}

static void
handle_mail (PigeonFakeServer *self, const char *line)
{
  g_autofree char *upper = g_ascii_strup (line, -1);
  const char *size = strstr (upper, " SIZE=");
  guint64 limit = size_limit (self);

  if (self->in_transaction)
    queue_reply (self, "503 5.5.1 Error: nested MAIL command");
  else if (limit > 0 && size != NULL && g_ascii_strtoull (size + 6, NULL, 10) > limit)
    queue_reply (self, "552 5.3.4 Message size exceeds fixed limit");
  else
    {
      self->in_transaction = TRUE;
      self->n_recipients = 0;
      queue_reply (self, "250 2.1.0 Ok");
    }
}

static void
handle_rcpt (PigeonFakeServer *self)
{
  if (!self->in_transaction)
    {
      queue_reply (self, "503 5.5.1 Error: need MAIL command");
      return;
    }
  self->n_recipients++;
  queue_reply (self, "250 2.1.5 Ok");
}

/* Reads the message data up to and including the ".\r\n" line. */
static gboolean
receive_data (PigeonFakeServer *self)
{
  g_mutex_lock (&self->lock);
  g_byte_array_set_size (self->data, 0);
  g_mutex_unlock (&self->lock);
  for (;;)
    {
      g_autoptr (GBytes) raw = read_raw_line (self);
      gsize length;
      const guint8 *bytes;

      if (raw == NULL)
        return FALSE;
      bytes = g_bytes_get_data (raw, &length);
      g_mutex_lock (&self->lock);
      g_byte_array_append (self->data, bytes, length);
      g_mutex_unlock (&self->lock);
      if (length == 3 && memcmp (bytes, ".\r\n", 3) == 0)
        return TRUE;
    }
}

static gboolean
handle_data (PigeonFakeServer *self)
{
  const char *override;
  guint64 limit = size_limit (self);

  if (!self->in_transaction || self->n_recipients == 0)
    {
      queue_reply (self, "554 5.5.1 Error: no valid recipients");
      return TRUE;
    }
  queue_reply (self, "354 End data with <CR><LF>.<CR><LF>");
  if (!flush_replies (self) || !receive_data (self))
    return FALSE;
  self->in_transaction = FALSE;
  if ((override = find_override (self, ".")) != NULL)
    queue_reply (self, override);
  else if (limit > 0 && self->data->len > limit)
    queue_reply (self, "552 5.3.4 Message size exceeds fixed limit");
  else
    {
      g_mutex_lock (&self->lock);
      self->n_messages++;
      g_mutex_unlock (&self->lock);
      queue_reply (self, "250 2.0.0 Ok: queued as FAKE");
    }
  return TRUE;
}

static gboolean
handle_starttls (PigeonFakeServer *self)
{
  if (self->tls || offered (self, "STARTTLS") == NULL)
    {
      queue_reply (self, "502 5.5.1 Error: STARTTLS not offered");
      return TRUE;
    }
  queue_reply (self, "220 2.0.0 Ready to start TLS");
  self->in_transaction = FALSE;
  return flush_replies (self) && do_start_tls (self);
}

/* FALSE when the connection is over. */
static gboolean
handle_command (PigeonFakeServer *self, const char *line)
{
  g_auto (GStrv) words = g_strsplit (line, " ", -1);
  const char *verb = words[0] != NULL ? words[0] : "";
  const char *override = find_override (self, line);

  if (override != NULL)
    queue_reply (self, override);
  else if (g_ascii_strcasecmp (verb, "EHLO") == 0)
    reply_to_ehlo (self);
  else if (g_ascii_strcasecmp (verb, "HELO") == 0)
    queue_reply (self, "250 fake.test");
  else if (g_ascii_strcasecmp (verb, "STARTTLS") == 0)
    return handle_starttls (self);
  else if (g_ascii_strcasecmp (verb, "AUTH") == 0)
    return handle_auth (self, words);
  else if (g_ascii_strcasecmp (verb, "MAIL") == 0)
    handle_mail (self, line);
  else if (g_ascii_strcasecmp (verb, "RCPT") == 0)
    handle_rcpt (self);
  else if (g_ascii_strcasecmp (verb, "DATA") == 0)
    return handle_data (self);
  else if (g_ascii_strcasecmp (verb, "RSET") == 0)
    {
      self->in_transaction = FALSE;
      queue_reply (self, "250 2.0.0 Ok");
    }
  else if (g_ascii_strcasecmp (verb, "NOOP") == 0)
    queue_reply (self, "250 2.0.0 Ok");
  else if (g_ascii_strcasecmp (verb, "QUIT") != 0)
    queue_reply (self, "500 5.5.2 Error: command not recognized");
  if (g_ascii_strcasecmp (verb, "QUIT") == 0)
    {
      if (override == NULL)
        queue_reply (self, "221 2.0.0 Bye");
      flush_replies (self);
      return FALSE;
    }
  return TRUE;
}

static void
serve (PigeonFakeServer *self)
{
  for (;;)
    {
      g_autofree char *line = NULL;

      if (!flush_unless_more_input (self) || (line = read_line (self)) == NULL)
        return;
      if (!handle_command (self, line))
        return;
    }
}

/* The script. */

static gboolean
expect_line (PigeonFakeServer *self, const Step *step)
{
  g_autofree char *line = read_line (self);

  if (line == NULL)
    {
      set_failure (self, "the connection ended where \"%s\" was expected", step->glob);
      return FALSE;
    }
  if (!glob_matches (step->glob, line))
    {
      set_failure (self, "expected \"%s\", got \"%s\"", step->glob, line);
      write_bytes (self, "500 5.5.1 Unexpected command\r\n", 30);
      return FALSE;
    }
  return step->bytes == NULL || write_bytes (self, step->bytes, strlen (step->bytes));
}

/* FALSE when the connection is over. */
static gboolean
run_step (PigeonFakeServer *self, const Step *step)
{
  switch (step->kind)
    {
      case STEP_SEND:
        return write_bytes (self, step->bytes, strlen (step->bytes));
      case STEP_EXPECT:
        return expect_line (self, step);
      case STEP_START_TLS:
        return do_start_tls (self);
      case STEP_SILENCE:
        return stay_silent (self, step->ms);
      case STEP_DRIP:
        return drip (self, step->bytes, step->ms);
      case STEP_HUGE_LINE:
        return send_huge_line (self, step->bytes, step->length);
      case STEP_ENDLESS:
        return send_endless_reply (self, step->bytes);
      case STEP_SERVE:
        serve (self);
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
  while ((line = read_line (self)) != NULL)
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
      g_mutex_lock (&self->lock);
      self->connected = TRUE;
      g_mutex_unlock (&self->lock);
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
  self->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (self->lines, line_clear);
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
  add_step (self, STEP_SEND, NULL, to_crlf (reply), 0);
}

void
pigeon_fake_server_send_raw (PigeonFakeServer *self, const char *bytes)
{
  add_step (self, STEP_SEND, NULL, g_strdup (bytes), 0);
}

void
pigeon_fake_server_expect (PigeonFakeServer *self, const char *glob, const char *reply)
{
  add_step (self, STEP_EXPECT, glob, reply != NULL ? to_crlf (reply) : NULL, 0);
}

void
pigeon_fake_server_reply (PigeonFakeServer *self, const char *reply)
{
  pigeon_fake_server_expect (self, "*", reply);
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
  add_step (self, STEP_DRIP, NULL, to_crlf (reply), delay_ms);
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

void
pigeon_fake_server_set_capabilities (PigeonFakeServer *self,
                                     const char *before_tls,
                                     const char *after_tls)
{
  g_strfreev (self->caps_before_tls);
  g_strfreev (self->caps_after_tls);
  self->caps_before_tls = g_strsplit (before_tls, "\n", -1);
  self->caps_after_tls = g_strsplit (after_tls, "\n", -1);
}

void
pigeon_fake_server_set_credentials (PigeonFakeServer *self, const char *user, const char *password)
{
  g_free (self->user);
  g_free (self->password);
  self->user = g_strdup (user);
  self->password = g_strdup (password);
}

void
pigeon_fake_server_override (PigeonFakeServer *self, const char *glob, const char *reply)
{
  g_ptr_array_add (self->overrides, g_strdup (glob));
  g_ptr_array_add (self->overrides, g_strdup (reply));
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

/* Public API: what happened */

static gboolean
wait_until (PigeonFakeServer *self,
            gboolean (*ready) (PigeonFakeServer *, guint),
            guint n,
            guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean result;

  g_mutex_lock (&self->lock);
  while (!ready (self, n) && g_cond_wait_until (&self->cond, &self->lock, end))
    ;
  result = ready (self, n);
  g_mutex_unlock (&self->lock);
  return result;
}

static gboolean
is_done (PigeonFakeServer *self, guint unused)
{
  return self->done;
}

static gboolean
has_lines (PigeonFakeServer *self, guint n_lines)
{
  return self->lines->len >= n_lines;
}

gboolean
pigeon_fake_server_wait_done (PigeonFakeServer *self, guint timeout_ms)
{
  return wait_until (self, is_done, 0, timeout_ms);
}

gboolean
pigeon_fake_server_wait_lines (PigeonFakeServer *self, guint n_lines, guint timeout_ms)
{
  return wait_until (self, has_lines, n_lines, timeout_ms);
}

gboolean
pigeon_fake_server_was_connected (PigeonFakeServer *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->connected;
}

GStrv
pigeon_fake_server_get_lines (PigeonFakeServer *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GStrv lines = g_new0 (char *, self->lines->len + 1);

  for (guint i = 0; i < self->lines->len; i++)
    lines[i] = g_strdup (g_array_index (self->lines, Line, i).text);
  return lines;
}

guint
pigeon_fake_server_count (PigeonFakeServer *self, const char *glob)
{
  g_auto (GStrv) lines = pigeon_fake_server_get_lines (self);
  guint count = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    count += glob_matches (glob, lines[i]) ? 1 : 0;
  return count;
}

int
pigeon_fake_server_find (PigeonFakeServer *self, const char *glob)
{
  g_auto (GStrv) lines = pigeon_fake_server_get_lines (self);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (glob_matches (glob, lines[i]))
        return (int) i;
    }
  return -1;
}

guint
pigeon_fake_server_get_turn (PigeonFakeServer *self, guint index)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_assert_cmpuint (index, <, self->lines->len);
  return g_array_index (self->lines, Line, index).turn;
}

gboolean
pigeon_fake_server_get_line_tls (PigeonFakeServer *self, guint index)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_assert_cmpuint (index, <, self->lines->len);
  return g_array_index (self->lines, Line, index).tls;
}

GBytes *
pigeon_fake_server_get_data (PigeonFakeServer *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return g_bytes_new (self->data->data, self->data->len);
}

guint
pigeon_fake_server_get_n_messages (PigeonFakeServer *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->n_messages;
}

char *
pigeon_fake_server_get_failure (PigeonFakeServer *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return g_strdup (self->failure);
}
