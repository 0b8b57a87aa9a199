/* pigeon-mime-words.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include <string.h>

#include "pigeon-mime-words.h"

/* 39 bytes of text are 52 base64 characters: with "=?UTF-8?B?" and "?=", 64 in all. */
#define MAX_CHUNK_BYTES 39

gboolean
pigeon_mime_words_needed (const char *text)
{
  return text != NULL && strchr (text, '=') != NULL;
}

/* The longest run of whole characters from @start that fits in a word, preferring a length
 * that is a multiple of 3: its base64 then needs no "=" padding. GMime 3.2.13 loses everything
 * after a padded word when it decodes adjacent words (its bug #133), so only the last word of
 * a text may end padded. */
static gsize
chunk_length (const char *start)
{
  const char *end = start;
  gsize unpadded = 0;

  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);

      if (next - start > MAX_CHUNK_BYTES)
        break;
      end = next;
      if ((end - start) % 3 == 0)
        unpadded = (gsize) (end - start);
    }
  return *end != '\0' && unpadded > 0 ? unpadded : (gsize) (end - start);
}

char *
pigeon_mime_words_encode (const char *text, const char *separator)
{
  GString *words = g_string_new (NULL);

  for (const char *p = text; *p != '\0';)
    {
      gsize length = chunk_length (p);
      g_autofree char *base64 = g_base64_encode ((const guchar *) p, length);

      if (words->len > 0)
        g_string_append (words, separator);
      g_string_append_printf (words, "=?UTF-8?B?%s?=", base64);
      p += length;
    }
  return g_string_free (words, FALSE);
}

gboolean
pigeon_mime_has_8bit (const void *data, gsize length)
{
  const guint8 *bytes = data;
  gsize i = 0;

  for (; i + sizeof (guint64) <= length; i += sizeof (guint64))
    {
      guint64 word;

      memcpy (&word, bytes + i, sizeof word); /* no alignment assumed */
      if (word & G_GUINT64_CONSTANT (0x8080808080808080))
        return TRUE;
    }
  for (; i < length; i++)
    if (bytes[i] & 0x80)
      return TRUE;
  return FALSE;
}
