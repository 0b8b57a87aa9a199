/* pigeon-stall-probe.h: a test-only record of the main loop's stalls and the first frame, for
 * bench/ui-responsiveness
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * The stall probe
 *
 * GTK draws a frame only when the main loop gets to it: a dispatch (a signal handler, an idle,
 * a finished GTask's callback) that runs long makes every other source late, the frame clock's
 * included. At 60 Hz a frame is due every 16.7 ms, so a main thread busy for more than 16 ms
 * in one go is a frame the user did not see: typing lags, the progress bar jumps, the spinner
 * stops. The probe measures exactly that, from inside, without a compositor.
 *
 * It does nothing (one getenv at start, and a NULL check per mark) unless PIGEON_STALL_PROBE
 * names a file. Then it writes to that file, one line per event, each flushed at once so that a
 * benchmark can read it while Pigeon runs. Times are g_get_monotonic_time() in microseconds:
 * CLOCK_MONOTONIC, the clock of Python's time.monotonic().
 *
 *   first-frame T              the first "after-paint" of the first application window's
 *                              GdkFrameClock: the window is on screen
 *   stall T_START DURATION_US  the main loop did not come back for DURATION_US (> 8 ms) from
 *                              T_START: a source at G_PRIORITY_HIGH due every millisecond ran
 *                              that much later than due, so whatever was dispatched then held
 *                              the thread that long
 *   mark EVENT T               pigeon_stall_probe_mark (EVENT), to put stalls in context
 *
 * Stalls are counted from the loop's first turn: before it, nothing can be on screen, and that
 * time is part of first-frame. Everything here runs on the main thread.
 */

/* Reads PIGEON_STALL_PROBE; when it names a file, starts recording and watches the first window
 * @app gets for its first frame. Called once, from the application's startup. */
void pigeon_stall_probe_start (GtkApplication *app);

/* Writes "mark @event T" (@event is one word, e.g. "send-started"); nothing when inactive. */
void pigeon_stall_probe_mark (const char *event);

G_END_DECLS
