/* pigeon-address-guard.c: checks of an element of an address list around GMime's reading
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-address-guard.h"

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
