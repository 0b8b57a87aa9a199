/* pigeon-stall-probe.c: a test-only record of the main loop's stalls and the first frame
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-stall-probe.h"

#include <errno.h>
#include <glib/gstdio.h>

/* The tick: often enough that a stall is measured to the millisecond. */
#define TICK_MS 1
/* Half a frame at 60 Hz: shorter delays are the poll's own jitter, not worth a line. */
#define STALL_THRESHOLD_US 8000

/* NULL while inactive: the only thing pigeon_stall_probe_mark() looks at then. */
static FILE *probe_out;
static gint64 last_tick; /* 0 until the main loop's first turn */

static void G_GNUC_PRINTF (1, 2) write_line (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (probe_out, format, args);
  va_end (args);
  fputc ('\n', probe_out);
  /* The benchmark reads the file while Pigeon runs. */
  fflush (probe_out);
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 due = last_tick + TICK_MS * 1000;

  /* The first turn only starts the clock: until the loop runs, nothing is on screen anyway. */
  if (last_tick != 0 && now - due > STALL_THRESHOLD_US)
    write_line ("stall %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, due, now - due);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
start_ticking (void)
{
  GSource *source = g_timeout_source_new (TICK_MS);

  /* Above every other source: it runs as soon as the dispatch in progress returns, so its
   * lateness is how long that dispatch held the thread. */
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, tick_cb, NULL, NULL);
  g_source_set_name (source, "[pigeon] stall probe");
  g_source_attach (source, NULL);
  g_source_unref (source);
}

static void
after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
  write_line ("first-frame %" G_GINT64_FORMAT, g_get_monotonic_time ());
}

/* The frame clock exists once the window has its GdkWindow. */
static void
window_realized_cb (GtkWidget *window, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (window, window_realized_cb, user_data);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb),
                    NULL);
}

static void
window_added_cb (GtkApplication *app, GtkWindow *window, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (app, window_added_cb, user_data);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    window_realized_cb (GTK_WIDGET (window), NULL);
  else
    g_signal_connect_after (window, "realize", G_CALLBACK (window_realized_cb), NULL);
}

void
pigeon_stall_probe_start (GtkApplication *app)
{
  const char *path = g_getenv ("PIGEON_STALL_PROBE");

  g_return_if_fail (GTK_IS_APPLICATION (app));

  if (path == NULL || *path == '\0' || probe_out != NULL)
    return;
  /* "e": the file is not handed on to programs Pigeon starts. */
  probe_out = g_fopen (path, "we");
  if (probe_out == NULL)
    {
      g_warning ("The stall probe cannot write to %s: %s", path, g_strerror (errno));
      return;
    }
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  start_ticking ();
}

void
pigeon_stall_probe_mark (const char *event)
{
  if (probe_out == NULL)
    return;
  write_line ("mark %s %" G_GINT64_FORMAT, event, g_get_monotonic_time ());
}
