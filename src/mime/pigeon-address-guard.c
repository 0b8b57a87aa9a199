/* pigeon-address-guard.c: checks of an element of an address list around GMime's reading
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-address-guard.h"

#include <string.h>

#define HIDDEN_COMMA '\x1f'

gboolean
pigeon_address_has_bare_backslash (const char *element)
{
  gboolean quoted = FALSE;
  guint comment_depth = 0;

  for (const char *p = element; *p != '\0'; p++)
    {
      if (*p == '\\' && (quoted || comment_depth > 0) && p[1] != '\0')
        p++;
      else if (*p == '\\')
        return TRUE;
      else if (quoted)
        quoted = *p != '"';
      else if (comment_depth > 0)
        comment_depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == '(')
        comment_depth = 1;
    }
  return FALSE;
}

guint
pigeon_address_count_quoted_commas (const char *element)
{
  gboolean quoted = FALSE;
  guint commas = 0;

  for (const char *p = element; *p != '\0'; p++)
    {
      if (*p == '\\' && quoted && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == ',' && quoted)
        commas++;
    }
  return commas;
}

char *
pigeon_address_hide_commas (const char *element)
{
  char *hidden = g_strdup (element);
  gboolean quoted = FALSE;
  guint comment_depth = 0;

  for (char *p = hidden; *p != '\0'; p++)
    {
      if (*p == '\\' && (quoted || comment_depth > 0) && p[1] != '\0')
        p++;
      else if (*p == ',' && (quoted || comment_depth > 0))
        *p = HIDDEN_COMMA;
      else if (quoted)
        quoted = *p != '"';
      else if (comment_depth > 0)
        comment_depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == '(')
        comment_depth = 1;
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
