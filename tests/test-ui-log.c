/* test-ui-log.c: the SMTP log dialog: lines with their prefixes and tags, Copy, following the
 * end (and not yanking back a user who scrolled up), colours readable in light and dark themes
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <gtk/gtk.h>
#include <string.h>

#include "pigeon-log-dialog.h"
#include "pigeon-resources.h"

typedef gboolean (*Condition) (gpointer data);

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds, for at most @timeout_ms. */
static gboolean
wait_until (Condition condition, gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);
  gboolean met = FALSE;

  while (!(met = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return met;
}

/* Lets GTK finish what it queued (layout validation, scrolling, drawing). */
static void
settle (void)
{
  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  GType type;
  const char *text; /* a button's label or a label's text contains it; NULL: any */
  GtkWidget *found;
} Search;

static void
search_cb (GtkWidget *widget, gpointer data)
{
  Search *search = data;
  const char *text = NULL;

  if (search->found != NULL)
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, search->type))
    {
      if (GTK_IS_BUTTON (widget))
        text = gtk_button_get_label (GTK_BUTTON (widget));
      else if (GTK_IS_LABEL (widget))
        text = gtk_label_get_text (GTK_LABEL (widget));
      if (search->text == NULL || (text != NULL && strstr (text, search->text) != NULL))
        {
          search->found = widget;
          return;
        }
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), search_cb, search);
}

/* What a user would look for: a widget of @type showing @text, anywhere in the window. */
static GtkWidget *
find (GtkWidget *window, GType type, const char *text)
{
  Search search = { type, text, NULL };

  gtk_container_forall (GTK_CONTAINER (window), search_cb, &search);
  /* The header bar is the window's titlebar, outside its child. */
  if (search.found == NULL && GTK_IS_DIALOG (window) &&
      gtk_dialog_get_header_bar (GTK_DIALOG (window)) != NULL)
    search_cb (gtk_dialog_get_header_bar (GTK_DIALOG (window)), &search);
  g_assert_nonnull (search.found);
  return search.found;
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
assert_line_tag (GtkTextBuffer *buffer, int line, const char *tag_name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter start, end;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_iter_at_line (buffer, &start, line);
  end = start;
  gtk_text_iter_forward_to_line_end (&end);
  g_assert_true (gtk_text_iter_has_tag (&start, tag));
  g_assert_true (gtk_text_iter_forward_to_tag_toggle (&start, tag));
  g_assert_cmpint (gtk_text_iter_compare (&start, &end), >=, 0);
}

static void
test_append (void)
{
  g_autoptr (GtkTextBuffer) buffer = pigeon_log_buffer_new ();
  g_autofree char *text = NULL;

  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_INFO, "Connected to 127.0.0.1:2525");
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_SERVER, "220 mail.example.org ESMTP");
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_CLIENT, "EHLO [127.0.0.1]");
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_CLIENT, "AUTH PLAIN ********");
  /* What a hostile server sends is shown, never breaks the buffer. */
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_SERVER, "250 caf\xe9\r\x1b[31m");

  text = buffer_text (buffer);
  g_assert_cmpstr (text, ==,
                   "* Connected to 127.0.0.1:2525\n"
                   "S: 220 mail.example.org ESMTP\n"
                   "C: EHLO [127.0.0.1]\n"
                   "C: AUTH PLAIN ********\n"
                   "S: 250 caf\xef\xbf\xbd??[31m");
  assert_line_tag (buffer, 0, "info");
  assert_line_tag (buffer, 1, "server");
  assert_line_tag (buffer, 2, "client");
  assert_line_tag (buffer, 3, "client");
  assert_line_tag (buffer, 4, "server");
}

static GtkWidget *
show_dialog (GtkTextBuffer *buffer, GtkWidget **parent)
{
  GtkWidget *dialog = NULL;

  *parent = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  dialog = pigeon_log_dialog_new (GTK_WINDOW (*parent), buffer);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 500, 300);
  gtk_widget_show (*parent);
  gtk_widget_show (dialog);
  g_assert_true (wait_until ((Condition) gtk_widget_get_mapped, dialog, 5000));
  settle ();
  return dialog;
}

static void
test_dialog (void)
{
  g_autoptr (GtkTextBuffer) buffer = pigeon_log_buffer_new ();
  GtkWidget *parent = NULL;
  GtkWidget *dialog = show_dialog (buffer, &parent);
  GtkTextView *view = GTK_TEXT_VIEW (find (dialog, GTK_TYPE_TEXT_VIEW, NULL));

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "SMTP Log");
  g_assert_false (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (parent));
  g_assert_nonnull (gtk_dialog_get_header_bar (GTK_DIALOG (dialog)));
  g_assert_true (gtk_text_view_get_buffer (view) == buffer);
  g_assert_false (gtk_text_view_get_editable (view));
  g_assert_true (gtk_text_view_get_monospace (view));
  g_assert_cmpint (gtk_text_view_get_wrap_mode (view), ==, GTK_WRAP_WORD_CHAR);
  g_assert_true (gtk_widget_is_visible (find (dialog, GTK_TYPE_LABEL, "Passwords are hidden")));
  /* Copy sits in the header bar, where a dialog's actions are. */
  g_assert_true (gtk_widget_is_ancestor (find (dialog, GTK_TYPE_BUTTON, "_Copy"),
                                         gtk_dialog_get_header_bar (GTK_DIALOG (dialog))));

  /* Lines keep coming while it is open. */
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_CLIENT, "QUIT");
  g_assert_cmpint (gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (view)), ==, 7);

  gtk_widget_destroy (dialog);
  gtk_widget_destroy (parent);
  /* The buffer outlives the dialog, and takes lines without it. */
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_SERVER, "221 Bye");
  g_assert_cmpint (gtk_text_buffer_get_line_count (buffer), ==, 2);
}

static void
test_copy (void)
{
  g_autoptr (GtkTextBuffer) buffer = pigeon_log_buffer_new ();
  GtkWidget *parent = NULL;
  GtkWidget *dialog = show_dialog (buffer, &parent);
  GtkClipboard *clipboard = gtk_widget_get_clipboard (dialog, GDK_SELECTION_CLIPBOARD);
  g_autofree char *copied = NULL;

  gtk_clipboard_set_text (clipboard, "something else", -1);
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_SERVER, "220 ready");
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_CLIENT, "EHLO été.example");
  pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_INFO, "TLS 1.3 established");

  gtk_button_clicked (GTK_BUTTON (find (dialog, GTK_TYPE_BUTTON, "_Copy")));
  copied = gtk_clipboard_wait_for_text (clipboard);
  g_assert_cmpstr (copied, ==, "S: 220 ready\nC: EHLO été.example\n* TLS 1.3 established");
  /* Copying is no reason to close the log. */
  g_assert_true (gtk_widget_get_visible (dialog));

  gtk_widget_destroy (dialog);
  gtk_widget_destroy (parent);
}

typedef struct
{
  GtkTextView *view;
  GtkAdjustment *adjustment;
  double upper;
} Follow;

/* The last line is on screen. */
static gboolean
end_visible_cb (gpointer data)
{
  Follow *follow = data;
  GdkRectangle visible, end_location;
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (follow->view), &end);
  gtk_text_view_get_visible_rect (follow->view, &visible);
  gtk_text_view_get_iter_location (follow->view, &end, &end_location);
  return gtk_adjustment_get_upper (follow->adjustment) >
           gtk_adjustment_get_page_size (follow->adjustment) &&
         end_location.y >= visible.y &&
         end_location.y + end_location.height <= visible.y + visible.height;
}

static gboolean
grown_cb (gpointer data)
{
  Follow *follow = data;

  return gtk_adjustment_get_upper (follow->adjustment) > follow->upper;
}

static void
append_lines (GtkTextBuffer *buffer, guint first, guint n)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *line = g_strdup_printf ("250-line %u of a long reply", i);

      pigeon_log_buffer_append (buffer, PIGEON_SMTP_TRANSCRIPT_SERVER, line);
      /* Some lines arrive alone, some together, as from a real server. */
      if (i % 7 == 0)
        settle ();
    }
}

static void
test_follow (void)
{
  g_autoptr (GtkTextBuffer) buffer = pigeon_log_buffer_new ();
  GtkWidget *parent = NULL;
  GtkWidget *dialog = show_dialog (buffer, &parent);
  GtkTextView *view = GTK_TEXT_VIEW (find (dialog, GTK_TYPE_TEXT_VIEW, NULL));
  Follow follow = { view, gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)), 0 };

  /* At the end (as it opens), new lines are followed. */
  append_lines (buffer, 0, 200);
  g_assert_true (wait_until (end_visible_cb, &follow, 5000));

  /* Scrolled up to read: new lines do not move the view. */
  gtk_adjustment_set_value (follow.adjustment, 0);
  settle ();
  follow.upper = gtk_adjustment_get_upper (follow.adjustment);
  append_lines (buffer, 200, 50);
  g_assert_true (wait_until (grown_cb, &follow, 5000));
  settle ();
  g_assert_cmpfloat (gtk_adjustment_get_value (follow.adjustment), ==, 0);
  g_assert_false (end_visible_cb (&follow));

  /* Back at the end: followed again. */
  gtk_adjustment_set_value (follow.adjustment, gtk_adjustment_get_upper (follow.adjustment) -
                                                 gtk_adjustment_get_page_size (follow.adjustment));
  settle ();
  append_lines (buffer, 250, 50);
  g_assert_true (wait_until (end_visible_cb, &follow, 5000));

  gtk_widget_destroy (dialog);
  gtk_widget_destroy (parent);
}

/* Relative luminance, with a gamma of 2 for sRGB's 2.2 curve: close enough to tell readable
 * from not, and no libm. */
static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * c->red * c->red + 0.7152 * c->green * c->green + 0.0722 * c->blue * c->blue;
}

/* WCAG's contrast ratio. */
static double
contrast (const GdkRGBA *a, const GdkRGBA *b)
{
  double la = luminance (a) + 0.05, lb = luminance (b) + 0.05;

  return la > lb ? la / lb : lb / la;
}

typedef struct
{
  GtkWidget *view;
  gboolean dark;
} Theme;

static gboolean
theme_applied_cb (gpointer data)
{
  Theme *theme = data;
  GdkRGBA base;

  gtk_style_context_lookup_color (gtk_widget_get_style_context (theme->view), "theme_base_color",
                                  &base);
  return (luminance (&base) < 0.5) == theme->dark;
}

static void
assert_readable (GtkTextBuffer *buffer, GtkWidget *view, const char *tag_name, double minimum)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkStyleContext *context = gtk_widget_get_style_context (view);
  g_autoptr (GdkRGBA) colour = NULL;
  GdkRGBA base, text;
  gboolean set = FALSE;

  g_object_get (tag, "foreground-rgba", &colour, "foreground-set", &set, NULL);
  g_assert_true (set);
  g_assert_true (gtk_style_context_lookup_color (context, "theme_base_color", &base));
  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &text);
  g_test_message ("%s: contrast %.1f (text %.1f)", tag_name, contrast (colour, &base),
                  contrast (&text, &base));
  g_assert_cmpfloat (contrast (colour, &base), >=, minimum);
  /* …and told apart from the server's lines. */
  g_assert_false (gdk_rgba_equal (colour, &text));
}

static void
test_colours (void)
{
  g_autoptr (GtkTextBuffer) buffer = pigeon_log_buffer_new ();
  GtkWidget *parent = NULL;
  GtkWidget *dialog = show_dialog (buffer, &parent);
  Theme theme = { find (dialog, GTK_TYPE_TEXT_VIEW, NULL), FALSE };

  for (int dark = 0; dark <= 1; dark++)
    {
      theme.dark = dark;
      g_test_message ("Adwaita%s", dark ? ":dark" : "");
      g_object_set (gtk_settings_get_default (), "gtk-theme-name", "Adwaita",
                    "gtk-application-prefer-dark-theme", dark, NULL);
      g_assert_true (wait_until (theme_applied_cb, &theme, 5000));
      settle ();
      assert_readable (buffer, theme.view, "client", 4.5);
      assert_readable (buffer, theme.view, "info", 3.0);
    }

  gtk_widget_destroy (dialog);
  gtk_widget_destroy (parent);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* Referencing the resource links in its object file, whose constructor registers it. */
  g_assert_nonnull (pigeon_get_resource ());
  /* The theme under test, whatever the desktop running the tests prefers. */
  g_object_set (gtk_settings_get_default (), "gtk-theme-name", "Adwaita", NULL);

  g_test_add_func ("/ui/log/append", test_append);
  g_test_add_func ("/ui/log/dialog", test_dialog);
  g_test_add_func ("/ui/log/copy", test_copy);
  g_test_add_func ("/ui/log/follow", test_follow);
  g_test_add_func ("/ui/log/colours", test_colours);

  return g_test_run ();
}
