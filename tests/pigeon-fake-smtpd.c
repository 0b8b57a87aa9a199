/* pigeon-fake-smtpd.c: the normal server of PigeonFakeServer (EHLO, STARTTLS, AUTH, MAIL,
 * RCPT, DATA), run by the script step pigeon_fake_server_serve()
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-fake-server-private.h"

#include <string.h>

#define PIPELINING_HOLD_MS 500

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
  g_autofree char *bytes = pigeon_fake_server_to_crlf (reply);

  g_string_append (self->pending, bytes);
}

static gboolean
flush_replies (PigeonFakeServer *self)
{
  gboolean ok;

  if (self->pending->len == 0)
    return TRUE;
  ok = pigeon_fake_server_write (self, self->pending->str, self->pending->len);
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
  if (self->pending->len > 0 && pigeon_fake_server_wait_input (self, hold_ms))
    return TRUE;
  return flush_replies (self);
}

static char *
ask (PigeonFakeServer *self, const char *challenge)
{
  queue_reply (self, challenge);
  if (!flush_replies (self))
    return NULL;
  return pigeon_fake_server_read_line (self);
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
      if (pigeon_fake_server_glob_matches (self->overrides->pdata[i], line))
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
      g_autoptr (GBytes) raw = pigeon_fake_server_read_raw_line (self);
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

/* BDAT (RFC 3030): the chunk is read whatever the answer, so that its bytes are never taken for
 * commands; the message is complete with LAST. */
static gboolean
handle_bdat (PigeonFakeServer *self, char **words)
{
  guint64 size = words[1] != NULL ? g_ascii_strtoull (words[1], NULL, 10) : 0;
  gboolean last =
    words[1] != NULL && words[2] != NULL && g_ascii_strcasecmp (words[2], "LAST") == 0;
  g_autoptr (GByteArray) chunk = g_byte_array_new ();
  const char *override = NULL;

  if (!pigeon_fake_server_read_exact (self, size, chunk))
    return FALSE;
  if (!self->in_transaction || self->n_recipients == 0)
    {
      queue_reply (self, "554 5.5.1 Error: no valid recipients");
      return TRUE;
    }
  g_mutex_lock (&self->lock);
  if (!self->in_chunks)
    g_byte_array_set_size (self->data, 0);
  g_byte_array_append (self->data, chunk->data, chunk->len);
  g_mutex_unlock (&self->lock);
  self->in_chunks = !last;
  if (!last)
    queue_reply (self, "250 2.0.0 Ok: chunk received");
  else if ((override = find_override (self, "BDAT LAST")) != NULL)
    queue_reply (self, override);
  else
    {
      g_mutex_lock (&self->lock);
      self->n_messages++;
      g_mutex_unlock (&self->lock);
      queue_reply (self, "250 2.0.0 Ok: queued as FAKE");
    }
  self->in_transaction = !last;
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
  return flush_replies (self) && pigeon_fake_server_handshake (self);
}

/* FALSE when the connection is over. */
static gboolean
handle_command (PigeonFakeServer *self, const char *line)
{
  g_auto (GStrv) words = g_strsplit (line, " ", -1);
  const char *verb = words[0] != NULL ? words[0] : "";
  /* A BDAT's answer comes after its chunk is read: overridden as "BDAT LAST" there. */
  const char *override = g_ascii_strcasecmp (verb, "BDAT") == 0 ? NULL : find_override (self, line);

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
  else if (g_ascii_strcasecmp (verb, "BDAT") == 0)
    return handle_bdat (self, words);
  else if (g_ascii_strcasecmp (verb, "RSET") == 0)
    {
      self->in_transaction = FALSE;
      self->in_chunks = FALSE;
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

/* Private API */

void
pigeon_fake_smtpd_serve (PigeonFakeServer *self)
{
  for (;;)
    {
      g_autofree char *line = NULL;

      if (!flush_unless_more_input (self) || (line = pigeon_fake_server_read_line (self)) == NULL)
        return;
      if (!handle_command (self, line))
        return;
    }
}

/* Public API */

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
