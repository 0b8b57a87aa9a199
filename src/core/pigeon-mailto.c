/* pigeon-mailto.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-core"

#include <glib/gi18n.h>
#include <string.h>

#include "pigeon-mailto.h"

/* clang-format would put spaces into the quark's name */
/* clang-format off */
G_DEFINE_QUARK (pigeon-mailto-error-quark, pigeon_mailto_error)
/* clang-format on */

/* The fields of one link, decoded; lists are comma-joined as a person would type them. */
typedef struct
{
  GString *to;
  GString *cc;
  GString *bcc;
  char *subject;
  char *body;
} Mailto;

static void
mailto_clear (Mailto *mailto)
{
  g_string_free (mailto->to, TRUE);
  g_string_free (mailto->cc, TRUE);
  g_string_free (mailto->bcc, TRUE);
  g_free (mailto->subject);
  g_free (mailto->body);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Mailto, mailto_clear)

static gboolean
set_invalid (GError **error, const char *uri, const char *why)
{
  g_autofree char *shown = g_strescape (uri, NULL);

  if (g_utf8_strlen (shown, -1) > 80)
    strcpy (g_utf8_offset_to_pointer (shown, 79), "…");
  g_set_error (error, PIGEON_MAILTO_ERROR, PIGEON_MAILTO_ERROR_INVALID,
               _ ("The link “%s” cannot be opened: %s"), shown, why);
  return FALSE;
}

/* Percent-decoding that refuses what must never reach a field: invalid UTF-8 and NUL. */
static char *
decode (const char *text, gssize length)
{
  g_autofree char *escaped = length < 0 ? g_strdup (text) : g_strndup (text, (gsize) length);
  g_autofree char *plain = g_uri_unescape_string (escaped, NULL);

  /* g_uri_unescape_string() already refuses an escaped NUL ("%00"). */
  if (plain == NULL || !g_utf8_validate (plain, -1, NULL))
    return NULL;
  return g_steal_pointer (&plain);
}

static void
append_list (GString *list, const char *addresses)
{
  if (*addresses == '\0')
    return;
  if (list->len > 0)
    g_string_append (list, ", ");
  g_string_append (list, addresses);
}

/* Bodies use CRLF (RFC 6068 §5); the draft uses "\n". */
static char *
normalize_line_breaks (const char *text, const char *replacement)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r' && p[1] == '\n')
        continue;
      if (*p == '\r' || *p == '\n')
        g_string_append (out, replacement);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* One "name=value" of the query. Unknown names are ignored, as RFC 6068 allows. */
static gboolean
take_field (Mailto *mailto, const char *field)
{
  const char *equals = strchr (field, '=');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (equals == NULL)
    return TRUE;
  name = decode (field, equals - field);
  value = decode (equals + 1, -1);
  if (name == NULL || value == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (name, "to") == 0)
    append_list (mailto->to, value);
  else if (g_ascii_strcasecmp (name, "cc") == 0)
    append_list (mailto->cc, value);
  else if (g_ascii_strcasecmp (name, "bcc") == 0)
    append_list (mailto->bcc, value);
  else if (g_ascii_strcasecmp (name, "subject") == 0)
    {
      g_free (mailto->subject);
      mailto->subject = normalize_line_breaks (value, " ");
    }
  else if (g_ascii_strcasecmp (name, "body") == 0)
    {
      g_free (mailto->body);
      mailto->body = normalize_line_breaks (value, "\n");
    }
  return TRUE;
}

static gboolean
parse (Mailto *mailto, const char *uri, GError **error)
{
  const char *rest = uri + strlen ("mailto:");
  const char *query = strchr (rest, '?');
  g_autofree char *path = decode (rest, query ? query - rest : -1);
  g_auto (GStrv) fields = NULL;

  if (path == NULL)
    return set_invalid (error, uri, _ ("it is not valid text (UTF-8)"));
  append_list (mailto->to, path);
  if (query == NULL)
    return TRUE;

  fields = g_strsplit (query + 1, "&", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    if (!take_field (mailto, fields[i]))
      return set_invalid (error, uri, _ ("it is not valid text (UTF-8)"));
  return TRUE;
}

/* Adds @more to a field as typed: what was there stays first. */
static char *
joined (const char *existing, const char *more, const char *separator)
{
  if (*more == '\0')
    return g_strdup (existing);
  if (*existing == '\0')
    return g_strdup (more);
  return g_strconcat (existing, separator, more, NULL);
}

static void
merge_field (PigeonDraft *draft, const char *property, const char *more, const char *separator)
{
  g_autofree char *existing = NULL;
  g_autofree char *merged = NULL;

  if (more == NULL)
    return;
  g_object_get (draft, property, &existing, NULL);
  merged = joined (existing, more, separator);
  g_object_set (draft, property, merged, NULL);
}

gboolean
pigeon_mailto_apply (PigeonDraft *draft, const char *uri, GError **error)
{
  g_auto (Mailto) mailto = { g_string_new (NULL), g_string_new (NULL), g_string_new (NULL) };

  g_return_val_if_fail (PIGEON_IS_DRAFT (draft), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  if (g_ascii_strncasecmp (uri, "mailto:", strlen ("mailto:")) != 0)
    return set_invalid (error, uri, _ ("it is not a mailto: link"));
  if (!parse (&mailto, uri, error))
    return FALSE;

  merge_field (draft, "to", mailto.to->str, ", ");
  merge_field (draft, "cc", mailto.cc->str, ", ");
  merge_field (draft, "bcc", mailto.bcc->str, ", ");
  if (mailto.subject != NULL && *pigeon_draft_get_subject (draft) == '\0')
    g_object_set (draft, "subject", mailto.subject, NULL);
  else
    merge_field (draft, "body", mailto.subject, "\n\n");
  merge_field (draft, "body", mailto.body, "\n\n");
  return TRUE;
}
