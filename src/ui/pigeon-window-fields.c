/* pigeon-window-fields.c: the window's fields (From, To, Cc, Bcc, Subject, the body), kept in
 * step with the draft, and checked as the user types
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-window.h"

#include <glib/gi18n.h>

#include "pigeon-address.h"
#include "pigeon-ui-config.h"

#ifdef HAVE_GSPELL
#include <gspell/gspell.h>
#endif

#define SETTINGS_SCHEMA      "io.github.pigeonmail.Pigeon"
#define SEND_ANYWAY_RESPONSE 2

/* Words that promise an attachment, casefolded: "attach" also finds "attached" and
 * "attachment". */
static const char *const attachment_words[] = {
  "attach", "anhang", "angehängt", "附件", "pièce jointe", "adjunto", "allegat",
};

/* Helpers ------------------------------------------------------------------------------------ */

static void
notify_changed (PigeonWindowFields *fields)
{
  if (fields->changed_func != NULL)
    ((void (*) (gpointer)) fields->changed_func) (fields->changed_data);
}

static gboolean
combo_has_id (GtkComboBoxText *combo, const char *id)
{
  GtkTreeModel *model = gtk_combo_box_get_model (GTK_COMBO_BOX (combo));
  int id_column = gtk_combo_box_get_id_column (GTK_COMBO_BOX (combo));
  GtkTreeIter iter;
  gboolean found = FALSE;

  if (id == NULL || *id == '\0' || !gtk_tree_model_get_iter_first (model, &iter))
    return FALSE;
  do
    {
      g_autofree char *row_id = NULL;

      gtk_tree_model_get (model, &iter, id_column, &row_id, -1);
      found = g_strcmp0 (row_id, id) == 0;
    }
  while (!found && gtk_tree_model_iter_next (model, &iter));
  return found;
}

/* "Ana Núñez <ana@example.org>", the account's own description when it has one (the local test
 * inbox), or the id when the account cannot be read. */
static char *
account_label (const char *id)
{
  g_autoptr (PigeonAccount) account = pigeon_account_load (id, NULL);

  if (account == NULL || *pigeon_account_get_address (account) == '\0')
    return g_strdup (id);
  if (*pigeon_account_get_description (account) != '\0')
    return g_strdup (pigeon_account_get_description (account));
  return pigeon_account_get_from_mailbox (account);
}

/* The draft's account when it still exists, else the default one. */
static void
select_account (PigeonWindowFields *fields)
{
  g_autofree char *default_id = NULL;
  const char *wanted = NULL;

  if (fields->draft != NULL)
    wanted = pigeon_draft_get_from (fields->draft);
  if (!combo_has_id (fields->from_combo, wanted))
    wanted = default_id = pigeon_account_get_default_id ();
  if (wanted == NULL)
    return;
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (fields->from_combo), wanted);
  if (fields->draft != NULL && g_strcmp0 (pigeon_draft_get_from (fields->draft), wanted) != 0)
    g_object_set (fields->draft, "from", wanted, NULL);
}

static void
refresh_accounts (PigeonWindowFields *fields)
{
  g_auto (GStrv) ids = pigeon_account_list ();

  fields->refreshing = TRUE;
  gtk_combo_box_text_remove_all (fields->from_combo);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *label = account_label (ids[i]);

      gtk_combo_box_text_append (fields->from_combo, ids[i], label);
    }
  gtk_stack_set_visible_child_name (fields->from_stack, ids[0] != NULL ? "accounts" : "add");
  select_account (fields);
  fields->refreshing = FALSE;
  notify_changed (fields);
}

/* An address field: NULL when it is valid (or blank), else the parser's message; the field
 * is marked either way. @n_addresses is increased by what it holds. */
static char *
check_address_field (GtkEntry *entry, const char *field, guint *n_addresses)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) addresses = NULL;
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (entry));

  addresses = pigeon_address_list_parse (gtk_entry_get_text (entry), field, &error);
  if (addresses == NULL)
    {
      gtk_style_context_add_class (style, GTK_STYLE_CLASS_ERROR);
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), error->message);
      return g_strdup (error->message);
    }
  gtk_style_context_remove_class (style, GTK_STYLE_CLASS_ERROR);
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), NULL);
  *n_addresses += addresses->len;
  return NULL;
}

static void
show_row (PigeonWindowFields *fields, GtkToggleButton *button, gboolean show)
{
  gtk_toggle_button_set_active (button, show || gtk_toggle_button_get_active (button));
}

static void
bind (PigeonWindowFields *fields, const char *property, gpointer target, const char *target_prop)
{
  GBinding *binding = g_object_bind_property (fields->draft, property, target, target_prop,
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_ptr_array_add (fields->bindings, g_object_ref (binding));
}

static gboolean
mentions_attachment (PigeonWindowFields *fields)
{
  const char *body = fields->draft != NULL ? pigeon_draft_get_body (fields->draft) : "";
  g_autofree char *normal = g_utf8_normalize (body, -1, G_NORMALIZE_NFC);
  g_autofree char *folded = normal != NULL ? g_utf8_casefold (normal, -1) : NULL;

  for (guint i = 0; folded != NULL && i < G_N_ELEMENTS (attachment_words); i++)
    {
      if (strstr (folded, attachment_words[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The spell checker -------------------------------------------------------------------------- */

#ifdef HAVE_GSPELL
/* Each GspellChecker has its own Enchant broker, so the thread is the only one using it. */
static void
spell_checker_thread_cb (GTask *task,
                         gpointer source_object,
                         gpointer task_data,
                         GCancellable *cancellable)
{
  g_task_return_pointer (task, gspell_checker_new (NULL), g_object_unref);
}

/* Set up as gspell_text_view_basic_setup() does, but with this checker: that function makes
 * its own, and would load the dictionary again on the main thread. */
static void
spell_checker_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GspellChecker) checker = g_task_propagate_pointer (G_TASK (result), NULL);
  PigeonWindowFields *fields = user_data;
  GtkTextBuffer *buffer = NULL;
  GspellTextView *spell_view = NULL;

  /* NULL only when cancelled: the fields are gone. */
  if (checker == NULL)
    return;
  g_debug ("Spell checker loaded: %s",
           gspell_checker_get_language (checker)
             ? gspell_language_get_code (gspell_checker_get_language (checker))
             : "no dictionary");
  g_clear_object (&fields->spell_cancellable);
  buffer = gtk_text_view_get_buffer (fields->body_view);
  spell_view = gspell_text_view_get_from_gtk_text_view (fields->body_view);
  gspell_text_buffer_set_spell_checker (gspell_text_buffer_get_from_gtk_text_buffer (buffer),
                                        checker);
  /* This checks what was typed before, too. */
  gspell_text_view_set_inline_spell_checking (spell_view, TRUE);
  gspell_text_view_set_enable_language_menu (spell_view, TRUE);
}
#endif

static gboolean
load_spell_checker_cb (gpointer user_data)
{
  PigeonWindowFields *fields = user_data;

  fields->spell_idle_id = 0;
#ifdef HAVE_GSPELL
  {
    g_autoptr (GTask) task = NULL;

    fields->spell_cancellable = g_cancellable_new ();
    task = g_task_new (NULL, fields->spell_cancellable, spell_checker_loaded_cb, fields);
    g_task_set_source_tag (task, load_spell_checker_cb);
    g_task_set_name (task, "[pigeon] load spell checker");
    g_task_run_in_thread (task, spell_checker_thread_cb);
  }
#endif
  return G_SOURCE_REMOVE;
}

/* Loading a Hunspell dictionary keeps a core busy for about 100 ms: it starts once the window
 * is on screen, so that it takes nothing from the first frame. A tick callback runs while the
 * first frame is made; the idle after it, once that frame is painted. */
static gboolean
body_first_tick_cb (GtkWidget *body, GdkFrameClock *clock, gpointer user_data)
{
  PigeonWindowFields *fields = user_data;

  if (fields->spell_idle_id == 0 && fields->spell_cancellable == NULL)
    fields->spell_idle_id = g_idle_add_full (G_PRIORITY_LOW, load_spell_checker_cb, fields, NULL);
  return G_SOURCE_REMOVE;
}

/* Signal callbacks --------------------------------------------------------------------------- */

static void
accounts_changed_cb (GSettings *settings, const char *key, gpointer user_data)
{
  refresh_accounts (user_data);
}

static void
from_combo_changed_cb (GtkComboBox *combo, gpointer user_data)
{
  PigeonWindowFields *fields = user_data;
  const char *id = gtk_combo_box_get_active_id (combo);

  /* Emptying the list to refill it is not the user choosing nobody. */
  if (fields->refreshing || fields->draft == NULL || id == NULL)
    return;
  if (g_strcmp0 (pigeon_draft_get_from (fields->draft), id) != 0)
    g_object_set (fields->draft, "from", id, NULL);
}

static void
draft_from_changed_cb (PigeonDraft *draft, GParamSpec *pspec, gpointer user_data)
{
  PigeonWindowFields *fields = user_data;

  if (combo_has_id (fields->from_combo, pigeon_draft_get_from (draft)))
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (fields->from_combo), pigeon_draft_get_from (draft));
}

static void
draft_notify_cb (PigeonDraft *draft, GParamSpec *pspec, gpointer user_data)
{
  notify_changed (user_data);
}

static void
row_button_toggled_cb (GtkToggleButton *button, gpointer user_data)
{
  PigeonWindowFields *fields = user_data;
  gboolean cc = button == fields->cc_button;
  gboolean show = gtk_toggle_button_get_active (button);
  GtkWidget *entry = GTK_WIDGET (cc ? fields->cc_entry : fields->bcc_entry);

  gtk_widget_set_visible (cc ? fields->cc_label : fields->bcc_label, show);
  gtk_widget_set_visible (entry, show);
  if (show)
    gtk_widget_grab_focus (entry);
}

static void
question_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  PigeonWindowFields *fields = user_data;

  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response == SEND_ANYWAY_RESPONSE)
    ((void (*) (gpointer)) fields->send_func) (fields->send_data);
}

static void
ask_about_attachment (PigeonWindowFields *fields, GtkWindow *parent)
{
  GtkWidget *dialog = NULL;

  dialog =
    gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                            GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, _ ("Send without attachment?"));
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog),
    _ ("The message mentions an attachment, but nothing is attached."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _ ("_Cancel"), GTK_RESPONSE_CANCEL,
                          _ ("_Send Anyway"), SEND_ANYWAY_RESPONSE, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect (dialog, "response", G_CALLBACK (question_response_cb), fields);
  g_set_weak_pointer (&fields->question, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Public API --------------------------------------------------------------------------------- */

void
pigeon_window_fields_init (PigeonWindowFields *fields,
                           GCallback changed_func,
                           gpointer changed_data)
{
  g_autoptr (GList) cells = NULL;

  fields->changed_func = changed_func;
  fields->changed_data = changed_data;
  fields->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  fields->settings = g_settings_new (SETTINGS_SCHEMA);
  g_signal_connect (fields->settings, "changed::accounts", G_CALLBACK (accounts_changed_cb),
                    fields);
  g_signal_connect (fields->settings, "changed::default-account", G_CALLBACK (accounts_changed_cb),
                    fields);
  g_signal_connect (fields->from_combo, "changed", G_CALLBACK (from_combo_changed_cb), fields);
  /* A long "Name <address>" must not make the window wider than a phone. */
  cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (fields->from_combo));
  if (cells != NULL && GTK_IS_CELL_RENDERER_TEXT (cells->data))
    g_object_set (cells->data, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
  g_signal_connect (fields->cc_button, "toggled", G_CALLBACK (row_button_toggled_cb), fields);
  g_signal_connect (fields->bcc_button, "toggled", G_CALLBACK (row_button_toggled_cb), fields);

  gtk_widget_add_tick_callback (GTK_WIDGET (fields->body_view), body_first_tick_cb, fields, NULL);
  refresh_accounts (fields);
}

void
pigeon_window_fields_clear (PigeonWindowFields *fields)
{
  pigeon_window_fields_set_draft (fields, NULL);
  if (fields->settings != NULL)
    g_signal_handlers_disconnect_by_data (fields->settings, fields);
  g_clear_object (&fields->settings);
  g_clear_pointer (&fields->bindings, g_ptr_array_unref);
  g_clear_handle_id (&fields->spell_idle_id, g_source_remove);
  if (fields->spell_cancellable != NULL)
    g_cancellable_cancel (fields->spell_cancellable);
  g_clear_object (&fields->spell_cancellable);
  if (fields->question != NULL)
    gtk_widget_destroy (fields->question);
  g_clear_weak_pointer (&fields->question);
}

void
pigeon_window_fields_set_draft (PigeonWindowFields *fields, PigeonDraft *draft)
{
  if (fields->draft != NULL)
    {
      for (guint i = 0; i < fields->bindings->len; i++)
        g_binding_unbind (g_ptr_array_index (fields->bindings, i));
      g_ptr_array_set_size (fields->bindings, 0);
      g_signal_handlers_disconnect_by_data (fields->draft, fields);
    }
  g_set_object (&fields->draft, draft);
  if (draft == NULL)
    return;

  bind (fields, "to", fields->to_entry, "text");
  bind (fields, "cc", fields->cc_entry, "text");
  bind (fields, "bcc", fields->bcc_entry, "text");
  bind (fields, "subject", fields->subject_entry, "text");
  bind (fields, "body", gtk_text_view_get_buffer (fields->body_view), "text");
  g_signal_connect (draft, "notify::from", G_CALLBACK (draft_from_changed_cb), fields);
  g_signal_connect (draft, "notify", G_CALLBACK (draft_notify_cb), fields);
  show_row (fields, fields->cc_button, *pigeon_draft_get_cc (draft) != '\0');
  show_row (fields, fields->bcc_button, *pigeon_draft_get_bcc (draft) != '\0');
  select_account (fields);
  notify_changed (fields);
}

void
pigeon_window_fields_set_editable (PigeonWindowFields *fields, gboolean editable)
{
  GtkWidget *widgets[] = {
    GTK_WIDGET (fields->from_stack),    GTK_WIDGET (fields->to_entry),
    GTK_WIDGET (fields->cc_entry),      GTK_WIDGET (fields->bcc_entry),
    GTK_WIDGET (fields->cc_button),     GTK_WIDGET (fields->bcc_button),
    GTK_WIDGET (fields->subject_entry),
  };

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    gtk_widget_set_sensitive (widgets[i], editable);
  /* Insensitive would grey the text out; read-only keeps it readable while it goes out. */
  gtk_text_view_set_editable (fields->body_view, editable);
  gtk_text_view_set_cursor_visible (fields->body_view, editable);
}

PigeonAccount *
pigeon_window_fields_get_account (PigeonWindowFields *fields, GError **error)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (fields->from_combo));

  if (id == NULL)
    {
      g_set_error_literal (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NOT_FOUND,
                           _ ("Add an account to send from"));
      return NULL;
    }
  return pigeon_account_load (id, error);
}

char *
pigeon_window_fields_validate (PigeonWindowFields *fields)
{
  g_autofree char *to_error = NULL;
  g_autofree char *cc_error = NULL;
  g_autofree char *bcc_error = NULL;
  guint n_addresses = 0;

  to_error = check_address_field (fields->to_entry, _ ("To"), &n_addresses);
  cc_error = check_address_field (fields->cc_entry, _ ("Cc"), &n_addresses);
  bcc_error = check_address_field (fields->bcc_entry, _ ("Bcc"), &n_addresses);
  if (fields->draft == NULL)
    return g_strdup (_ ("Opening the draft…"));
  if (gtk_combo_box_get_active_id (GTK_COMBO_BOX (fields->from_combo)) == NULL)
    return g_strdup (_ ("Add an account to send from"));
  if (to_error != NULL)
    return g_steal_pointer (&to_error);
  if (cc_error != NULL)
    return g_steal_pointer (&cc_error);
  if (bcc_error != NULL)
    return g_steal_pointer (&bcc_error);
  if (n_addresses == 0)
    return g_strdup (_ ("Add a recipient"));
  return NULL;
}

void
pigeon_window_fields_confirm_send (PigeonWindowFields *fields,
                                   GtkWindow *parent,
                                   guint n_attachments,
                                   GCallback send_func,
                                   gpointer send_data)
{
  if (fields->question != NULL)
    {
      gtk_window_present (GTK_WINDOW (fields->question));
      return;
    }
  fields->send_func = send_func;
  fields->send_data = send_data;
  if (n_attachments == 0 && mentions_attachment (fields))
    ask_about_attachment (fields, parent);
  else
    ((void (*) (gpointer)) send_func) (send_data);
}

char *
pigeon_window_fields_describe_recipients (PigeonWindowFields *fields)
{
  GtkEntry *entries[] = { fields->to_entry, fields->cc_entry, fields->bcc_entry };
  g_autofree char *first = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      const char *text = gtk_entry_get_text (entries[i]);
      g_autoptr (GPtrArray) addresses = pigeon_address_list_parse (text, "", NULL);
      const PigeonAddress *address = NULL;

      if (addresses == NULL || addresses->len == 0)
        continue;
      address = g_ptr_array_index (addresses, 0);
      if (first == NULL)
        first = g_strdup (address->display_name != NULL ? address->display_name : address->address);
      n += addresses->len;
    }
  if (n <= 1)
    return g_steal_pointer (&first);
  return g_strdup_printf (ngettext ("%s and %u other", "%s and %u others", n - 1), first, n - 1);
}
