/* pigeon-fake-server-record.c: what a PigeonFakeServer saw, written by its thread and read by
 * the tests under its lock
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-fake-server-private.h"

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

/* Private API: recording, from the server thread */

void
pigeon_fake_server_line_clear (gpointer data)
{
  g_free (((PigeonFakeLine *) data)->text);
}

void
pigeon_fake_server_set_failure (PigeonFakeServer *self, const char *format, ...)
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

void
pigeon_fake_server_record_line (PigeonFakeServer *self, const char *text)
{
  PigeonFakeLine line = { g_strdup (text), 0, self->tls };

  g_mutex_lock (&self->lock);
  line.turn = self->turn;
  g_array_append_val (self->lines, line);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Public API: what happened */

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

GStrv
pigeon_fake_server_get_lines (PigeonFakeServer *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GStrv lines = g_new0 (char *, self->lines->len + 1);

  for (guint i = 0; i < self->lines->len; i++)
    lines[i] = g_strdup (g_array_index (self->lines, PigeonFakeLine, i).text);
  return lines;
}

guint
pigeon_fake_server_count (PigeonFakeServer *self, const char *glob)
{
  g_auto (GStrv) lines = pigeon_fake_server_get_lines (self);
  guint count = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    count += pigeon_fake_server_glob_matches (glob, lines[i]) ? 1 : 0;
  return count;
}

int
pigeon_fake_server_find (PigeonFakeServer *self, const char *glob)
{
  g_auto (GStrv) lines = pigeon_fake_server_get_lines (self);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (pigeon_fake_server_glob_matches (glob, lines[i]))
        return (int) i;
    }
  return -1;
}

guint
pigeon_fake_server_get_turn (PigeonFakeServer *self, guint index)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_assert_cmpuint (index, <, self->lines->len);
  return g_array_index (self->lines, PigeonFakeLine, index).turn;
}

gboolean
pigeon_fake_server_get_line_tls (PigeonFakeServer *self, guint index)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_assert_cmpuint (index, <, self->lines->len);
  return g_array_index (self->lines, PigeonFakeLine, index).tls;
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
