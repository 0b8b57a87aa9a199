/* pigeon-probe-rows.c: what "Test connection" found, as rows of a grid
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-probe-rows.h"

static void
add_row (GtkGrid *grid, guint row, const char *name, const char *value)
{
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *value_label = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (name_label), 1);
  gtk_label_set_yalign (GTK_LABEL (name_label), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (name_label), "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_line_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (value_label), 30);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_hexpand (value_label, TRUE);
  gtk_grid_attach (grid, name_label, 0, row, 1, 1);
  gtk_grid_attach (grid, value_label, 1, row, 1, 1);
  gtk_widget_show (name_label);
  gtk_widget_show (value_label);
}

void
pigeon_probe_rows_add (GtkGrid *grid, const PigeonAccountProbe *probe)
{
  g_auto (GStrv) rows = NULL;
  g_autoptr (GList) cells = NULL;
  guint first = 0;

  g_return_if_fail (GTK_IS_GRID (grid));
  g_return_if_fail (probe != NULL);

  rows = pigeon_account_presets_describe_probe (probe);
  /* Two cells a row, and nothing else in the grid. */
  cells = gtk_container_get_children (GTK_CONTAINER (grid));
  first = g_list_length (cells) / 2;
  for (guint i = 0; rows[i] != NULL && rows[i + 1] != NULL; i += 2)
    add_row (grid, first + i / 2, rows[i], rows[i + 1]);
  gtk_widget_set_visible (GTK_WIDGET (grid), rows[0] != NULL);
}

void
pigeon_probe_rows_clear (GtkGrid *grid)
{
  g_autoptr (GList) cells = NULL;

  g_return_if_fail (GTK_IS_GRID (grid));

  cells = gtk_container_get_children (GTK_CONTAINER (grid));
  for (GList *l = cells; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  gtk_widget_hide (GTK_WIDGET (grid));
}
