/* pigeon-log-dialog.c: the SMTP transcript of the current or last send
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-log-dialog.h"

#include <glib/gi18n.h>

/* Pixels from the end that still count as "at the end": a user a line's fraction away from it
 * is reading the newest lines and wants to keep seeing them. */
#define FOLLOW_SLACK 8.0

struct _PigeonLogDialog
{
  GtkDialog parent_instance;

  GtkWidget *info_row;
  GtkWidget *copy_button;
  GtkWidget *scrolled_window;
  GtkWidget *text_view;

  GtkTextBuffer *buffer;
  gboolean follow;     /* the user is at the end, reading the newest lines */
  guint scroll_source; /* a move to the end, once the view has laid out what came */
  gboolean scrolling;  /* that move is under way */
  double last_value;
};

G_DEFINE_FINAL_TYPE (PigeonLogDialog, pigeon_log_dialog, GTK_TYPE_DIALOG)

/* Prefixes keep the three kinds apart in copied text, where the tags are gone. */
static const struct
{
  const char *prefix;
  const char *tag;
} kinds[] = {
  [PIGEON_SMTP_TRANSCRIPT_CLIENT] = { "C: ", "client" },
  [PIGEON_SMTP_TRANSCRIPT_SERVER] = { "S: ", "server" },
  [PIGEON_SMTP_TRANSCRIPT_INFO] = { "* ", "info" },
};

static gboolean
is_at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - FOLLOW_SLACK;
}

static GdkRGBA
mix (const GdkRGBA *colour, const GdkRGBA *other, double amount)
{
  return (GdkRGBA){ colour->red + (other->red - colour->red) * amount,
                    colour->green + (other->green - colour->green) * amount,
                    colour->blue + (other->blue - colour->blue) * amount, 1.0 };
}

static double
lightness (const GdkRGBA *colour)
{
  return 0.2126 * colour->red + 0.7152 * colour->green + 0.0722 * colour->blue;
}

/* The theme's own colours, so that the log reads as well in a dark theme as in a light one:
 * our lines in the accent colour (lighter on dark backgrounds, a little deeper on light ones,
 * for contrast), events dimmed towards the background, the server's lines as plain text. */
static void
update_tag_colours (PigeonLogDialog *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (self->text_view);
  GtkTextTagTable *tags = gtk_text_buffer_get_tag_table (self->buffer);
  const GdkRGBA white = { 1.0, 1.0, 1.0, 1.0 }, black = { 0.0, 0.0, 0.0, 1.0 };
  GdkRGBA text, accent, base, client, info;
  gboolean dark = FALSE;

  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &text);
  dark = lightness (&text) > 0.5;
  if (!gtk_style_context_lookup_color (context, "theme_selected_bg_color", &accent))
    accent = text;
  if (!gtk_style_context_lookup_color (context, "theme_base_color", &base))
    base = dark ? black : white;
  client = dark ? mix (&accent, &white, 0.45) : mix (&accent, &black, 0.2);
  info = mix (&text, &base, 0.35);
  g_object_set (gtk_text_tag_table_lookup (tags, "client"), "foreground-rgba", &client, NULL);
  g_object_set (gtk_text_tag_table_lookup (tags, "info"), "foreground-rgba", &info, NULL);
}

static gboolean
scroll_to_end_cb (gpointer user_data)
{
  PigeonLogDialog *self = user_data;
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled_window));

  self->scroll_source = 0;
  self->scrolling = TRUE;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                          gtk_adjustment_get_page_size (adjustment));
  self->scrolling = FALSE;
  self->last_value = gtk_adjustment_get_value (adjustment);
  return G_SOURCE_REMOVE;
}

/* The text grew (or the window changed size). Not gtk_text_view_scroll_to_mark(), nor moving
 * the view from here: either way the view is still laying out, moves itself back, and lines
 * arriving meanwhile find it "not at the end". So: once the view has laid out the new lines
 * (its own idle work runs at GDK_PRIORITY_REDRAW + 5). */
static void
adjustment_changed_cb (PigeonLogDialog *self, GtkAdjustment *adjustment)
{
  if (self->follow && self->scroll_source == 0)
    self->scroll_source = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, scroll_to_end_cb, self, NULL);
}

/* The user scrolled: up to read (stop following), or back down to the end (follow again).
 * What the view does by itself while it lays out new lines, and our own move, do not count. */
static void
adjustment_value_changed_cb (PigeonLogDialog *self, GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  if (self->scrolling || self->scroll_source != 0)
    return;
  if (is_at_end (adjustment))
    self->follow = TRUE;
  else if (value < self->last_value)
    self->follow = FALSE;
  self->last_value = value;
}

static void
copy_button_clicked_cb (PigeonLogDialog *self)
{
  GtkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  text = gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
  gtk_clipboard_set_text (clipboard, text, -1);
}

static void
text_view_style_updated_cb (PigeonLogDialog *self)
{
  if (self->buffer != NULL)
    update_tag_colours (self);
}

static void
pigeon_log_dialog_constructed (GObject *object)
{
  PigeonLogDialog *self = PIGEON_LOG_DIALOG (object);
  GtkWidget *header_bar = NULL;

  G_OBJECT_CLASS (pigeon_log_dialog_parent_class)->constructed (object);

  /* A dialog's actions go in its header bar, when it has one; not as an action widget, which
   * would emit "response" and might close the dialog. */
  header_bar = gtk_dialog_get_header_bar (GTK_DIALOG (self));
  if (GTK_IS_HEADER_BAR (header_bar))
    {
      g_object_ref (self->copy_button);
      gtk_container_remove (GTK_CONTAINER (self->info_row), self->copy_button);
      gtk_header_bar_pack_start (GTK_HEADER_BAR (header_bar), self->copy_button);
      g_object_unref (self->copy_button);
    }
}

static void
pigeon_log_dialog_dispose (GObject *object)
{
  PigeonLogDialog *self = PIGEON_LOG_DIALOG (object);

  g_clear_handle_id (&self->scroll_source, g_source_remove);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (pigeon_log_dialog_parent_class)->dispose (object);
}

static void
pigeon_log_dialog_class_init (PigeonLogDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pigeon_log_dialog_constructed;
  object_class->dispose = pigeon_log_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pigeonmail/Pigeon/pigeon-log-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PigeonLogDialog, info_row);
  gtk_widget_class_bind_template_child (widget_class, PigeonLogDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, PigeonLogDialog, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PigeonLogDialog, text_view);
  gtk_widget_class_bind_template_callback (widget_class, copy_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_view_style_updated_cb);
}

static void
pigeon_log_dialog_init (PigeonLogDialog *self)
{
  GtkAdjustment *adjustment = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Opened after a send, the end says how it went. */
  self->follow = TRUE;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled_window));
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

GtkWidget *
pigeon_log_dialog_new (GtkWindow *parent, GtkTextBuffer *buffer)
{
  PigeonLogDialog *self = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);

  self =
    g_object_new (PIGEON_TYPE_LOG_DIALOG, "use-header-bar", TRUE, "transient-for", parent, NULL);
  self->buffer = g_object_ref (buffer);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->text_view), buffer);
  update_tag_colours (self);
  return GTK_WIDGET (self);
}

GtkTextBuffer *
pigeon_log_buffer_new (void)
{
  GtkTextBuffer *buffer = gtk_text_buffer_new (NULL);

  /* Colours come from the dialog showing the buffer, which knows the theme. */
  gtk_text_buffer_create_tag (buffer, "client", NULL);
  gtk_text_buffer_create_tag (buffer, "server", NULL);
  gtk_text_buffer_create_tag (buffer, "info", "style", PANGO_STYLE_ITALIC, NULL);
  return buffer;
}

void
pigeon_log_buffer_append (GtkTextBuffer *buffer, PigeonSmtpTranscriptKind kind, const char *line)
{
  g_autofree char *valid = NULL;
  g_autofree char *text = NULL;
  GtkTextIter end;

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (kinds));

  /* A hostile server's bytes are shown, not obeyed: no invalid UTF-8, no control characters. */
  valid = g_utf8_make_valid (line ? line : "", -1);
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 && *p != '\t')
      *p = '?';
  gtk_text_buffer_get_end_iter (buffer, &end);
  text = g_strconcat (gtk_text_iter_is_start (&end) ? "" : "\n", kinds[kind].prefix, valid, NULL);
  gtk_text_buffer_insert_with_tags_by_name (buffer, &end, text, -1, kinds[kind].tag, NULL);
}
