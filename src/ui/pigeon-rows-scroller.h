/* pigeon-rows-scroller.h: a scrolled window as tall as the rows of its flow box, up to a limit
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PIGEON_TYPE_ROWS_SCROLLER (pigeon_rows_scroller_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonRowsScroller, pigeon_rows_scroller, PIGEON, ROWS_SCROLLER, GtkScrolledWindow)

/**
 * PigeonRowsScroller:
 *
 * GTK 3's scrolled window asks its child's height without a width, and a flow box answers with
 * the height of one item per line: three photos took the whole 260 px the attachments area
 * allows, with room for ten on a line. This one asks the height its content needs at the width
 * it is given, so that it is as tall as its rows, up to #GtkScrolledWindow:max-content-height,
 * and scrolls beyond.
 */

GtkWidget *pigeon_rows_scroller_new (void);

G_END_DECLS
