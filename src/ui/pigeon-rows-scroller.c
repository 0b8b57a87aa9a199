/* pigeon-rows-scroller.c: a scrolled window as tall as the rows of its flow box, up to a limit
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-rows-scroller.h"

struct _PigeonRowsScroller
{
  GtkScrolledWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (PigeonRowsScroller, pigeon_rows_scroller, GTK_TYPE_SCROLLED_WINDOW)

static GtkSizeRequestMode
pigeon_rows_scroller_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
pigeon_rows_scroller_get_preferred_height_for_width (GtkWidget *widget,
                                                     int width,
                                                     int *minimum,
                                                     int *natural)
{
  int max_height = gtk_scrolled_window_get_max_content_height (GTK_SCROLLED_WINDOW (widget));
  GtkWidget *child = gtk_bin_get_child (GTK_BIN (widget));
  int content = 0;
  int smallest = 0;

  if (child != NULL && gtk_widget_get_visible (child))
    gtk_widget_get_preferred_height_for_width (child, width, NULL, &content);
  /* As small as a scrolled window can be, so that a short window still fits: it scrolls. */
  GTK_WIDGET_CLASS (pigeon_rows_scroller_parent_class)
    ->get_preferred_height (widget, &smallest, NULL);
  *natural = max_height < 0 ? content : MIN (content, max_height);
  *minimum = MIN (smallest, *natural);
}

static void
pigeon_rows_scroller_get_preferred_height (GtkWidget *widget, int *minimum, int *natural)
{
  int width = 0;

  gtk_widget_get_preferred_width (widget, &width, NULL);
  pigeon_rows_scroller_get_preferred_height_for_width (widget, width, minimum, natural);
}

static void
pigeon_rows_scroller_class_init (PigeonRowsScrollerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->get_request_mode = pigeon_rows_scroller_get_request_mode;
  widget_class->get_preferred_height = pigeon_rows_scroller_get_preferred_height;
  widget_class->get_preferred_height_for_width =
    pigeon_rows_scroller_get_preferred_height_for_width;
}

static void
pigeon_rows_scroller_init (PigeonRowsScroller *self)
{
}

GtkWidget *
pigeon_rows_scroller_new (void)
{
  return g_object_new (PIGEON_TYPE_ROWS_SCROLLER, NULL);
}
