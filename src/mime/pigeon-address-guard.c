/* pigeon-address-guard.c: checks of an element of an address list around GMime's reading
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-address-guard.h"

#include <string.h>

#define HIDDEN_COMMA '\x1f'

/* Where a character of an element stands: in a quoted string, in a comment, or outside. */
typedef struct
{
  gboolean quoted;
  guint comment_depth;
} Context;

static gboolean
is_inside (const Context *context)
{
  return context->quoted || context->comment_depth > 0;
}

/* Past the unescaped character @c. */
static void
step (Context *context, char c)
{
  if (context->quoted)
    context->quoted = c != '"';
  else if (context->comment_depth > 0)
    context->comment_depth += c == '(' ? 1 : c == ')' ? -1 : 0;
  else if (c == '"')
    context->quoted = TRUE;
  else if (c == '(')
    context->comment_depth = 1;
}

gboolean
pigeon_address_has_bare_backslash (const char *element)
{
  Context context = { FALSE, 0 };

  for (const char *p = element; *p != '\0'; p++)
    {
      if (*p == '\\' && is_inside (&context) && p[1] != '\0')
        p++;
      else if (*p == '\\')
        return TRUE;
      else
        step (&context, *p);
    }
  return FALSE;
}

guint
pigeon_address_count_quoted_commas (const char *element)
{
  Context context = { FALSE, 0 };
  guint commas = 0;

  for (const char *p = element; *p != '\0'; p++)
    {
      if (*p == '\\' && is_inside (&context) && p[1] != '\0')
        p++;
      else if (*p == ',' && context.quoted)
        commas++;
      else
        step (&context, *p);
    }
  return commas;
}

char *
pigeon_address_hide_commas (const char *element)
{
  char *hidden = g_strdup (element);
  Context context = { FALSE, 0 };

  for (char *p = hidden; *p != '\0'; p++)
    {
      if (*p == '\\' && is_inside (&context) && p[1] != '\0')
        p++;
      else if (*p == ',' && is_inside (&context))
        *p = HIDDEN_COMMA;
      else
        step (&context, *p);
    }
  return hidden;
}

static char *
unhide (const char *text)
{
  if (text == NULL || strchr (text, HIDDEN_COMMA) == NULL)
    return NULL;
  return g_strdelimit (g_strdup (text), "\x1f", ',');
}

void
pigeon_address_unhide_commas (InternetAddressList *list)
{
  InternetAddress *first = NULL;
  g_autofree char *name = NULL;
  g_autofree char *addr = NULL;

  if (list == NULL || internet_address_list_length (list) != 1)
    return;
  first = internet_address_list_get_address (list, 0);
  if ((name = unhide (internet_address_get_name (first))) != NULL)
    internet_address_set_name (first, name);
  if (INTERNET_ADDRESS_IS_MAILBOX (first) &&
      (addr = unhide (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (first)))) !=
        NULL)
    internet_address_mailbox_set_addr (INTERNET_ADDRESS_MAILBOX (first), addr);
}
