/* pigeon-mime-words.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include <string.h>

#include "pigeon-mime-words.h"

/* 39 bytes of text are 52 base64 characters: with "=?UTF-8?B?" and "?=", 64 in all. */
#define MAX_B_CHUNK_BYTES 39
/* With "=?UTF-8?Q?" and "?=", 69: a word fits a line after "Subject: " (RFC 2047 §2 allows 75). */
#define MAX_Q_CHUNK_CHARS 57
/* A longer word would make a line that cannot be folded: it is encoded, and split. */
#define MAX_PLAIN_WORD 62
/* Longer white space goes inside encoded words (see tokenize). */
#define MAX_PLAIN_SPACE 8
#define MAX_LINE        78

typedef struct
{
  char *separator; /* the white space before the word */
  char *word;
} Token;

static void
token_free (Token *token)
{
  g_free (token->separator);
  g_free (token->word);
  g_free (token);
}

static void
add_token (GPtrArray *tokens, char *separator, char *word)
{
  Token *token = g_new (Token, 1);

  token->separator = separator;
  token->word = word;
  g_ptr_array_add (tokens, token);
}

gboolean
pigeon_mime_words_needed (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p > 127 || *p == '=')
      return TRUE;
  return FALSE;
}

/* Characters a Q word may carry as they are even in a phrase (RFC 2047 §5 (3)). */
static gboolean
is_q_safe (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!*+-/", c) != NULL);
}

static gsize
q_encoded_length (const char *text, gsize length)
{
  gsize encoded = 0;

  for (gsize i = 0; i < length; i++)
    encoded += text[i] == ' ' || is_q_safe (text[i]) ? 1 : 3;
  return encoded;
}

/* The longest run of whole characters from @start whose Q form fits a word: never empty, as
 * one character takes at most 12. */
static gsize
q_chunk_length (const char *start, const char *end)
{
  const char *p = start;
  gsize encoded = 0;

  while (p < end)
    {
      const char *next = g_utf8_next_char (p);
      gsize more = q_encoded_length (p, next - p);

      if (encoded + more > MAX_Q_CHUNK_CHARS)
        break;
      encoded += more;
      p = next;
    }
  return p - start;
}

/* The longest run of whole characters from @start that fits a B word and, unless it reaches
 * @end, is a multiple of 3 bytes long: its base64 then needs no "=" padding, which GMime's
 * reader cannot take before another B word (gmime#133). 0 when no such length exists (four-
 * and two-byte characters in turn never sum to a multiple of 3). */
static gsize
b_chunk_length (const char *start, const char *end)
{
  const char *p = start;
  gsize unpadded = 0;

  while (p < end)
    {
      const char *next = g_utf8_next_char (p);

      if (next - start > MAX_B_CHUNK_BYTES)
        break;
      p = next;
      if ((p - start) % 3 == 0)
        unpadded = (gsize) (p - start);
    }
  return p == end ? (gsize) (end - start) : unpadded;
}

static char *
q_word (const char *text, gsize length)
{
  GString *word = g_string_new ("=?UTF-8?Q?");

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == ' ')
        g_string_append_c (word, '_');
      else if (is_q_safe (text[i]))
        g_string_append_c (word, text[i]);
      else
        g_string_append_printf (word, "=%02X", (guchar) text[i]);
    }
  g_string_append (word, "?=");
  return g_string_free (word, FALSE);
}

static char *
b_word (const char *text, gsize length)
{
  g_autofree char *base64 = g_base64_encode ((const guchar *) text, length);

  return g_strdup_printf ("=?UTF-8?B?%s?=", base64);
}

/* Text from @start to @end as encoded words: Q, which stays legible in a transcript, unless B
 * is a good deal shorter for the whole run (CJK: 9 characters against 4 for 3 bytes); a B stretch
 * that cannot end unpadded goes in a Q word, which also ends GMime's run of B words. Readers drop
 * the white space between encoded words, so the run's own white space is inside them. */
static void
add_encoded_run (GPtrArray *tokens, const char *separator, const char *start, const char *end)
{
  gsize length = (gsize) (end - start);
  gboolean use_q = 2 * q_encoded_length (start, length) <= 3 * 4 * ((length + 2) / 3);

  for (const char *p = start; p < end;)
    {
      gsize chunk = use_q ? 0 : b_chunk_length (p, end);
      char *word = NULL;

      if (chunk > 0)
        word = b_word (p, chunk);
      else
        {
          chunk = q_chunk_length (p, end);
          word = q_word (p, chunk);
        }
      add_token (tokens, g_strdup (p == start ? separator : " "), word);
      p += chunk;
    }
}

/* A word that readers take as it is: short, and printable ASCII without "=" (so never an
 * encoded word lookalike). */
static gboolean
is_plain_word (const char *start, const char *end)
{
  if (end - start > MAX_PLAIN_WORD)
    return FALSE;
  for (const char *p = start; p < end; p++)
    if (*p < 33 || *p > 126 || *p == '=')
      return FALSE;
  return TRUE;
}

/* @text as plain words and encoded words, each with the white space typed before it. White
 * space after the last word is kept only inside an encoded run: a reader drops it otherwise.
 * A run of white space longer than MAX_PLAIN_SPACE goes inside encoded words but for its first
 * character: folding it would leave lines of white space alone, which RFC 5322 forbids. */
static GPtrArray *
tokenize (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) token_free);
  g_autofree char *run_separator = NULL;
  const char *run_start = NULL;
  const char *p = text;

  while (*p != '\0')
    {
      const char *word = p + strspn (p, " \t");
      const char *word_end = word + strcspn (word, " \t");
      gsize space = (gsize) (word - p);
      gboolean plain =
        word != word_end && space <= MAX_PLAIN_SPACE && is_plain_word (word, word_end);

      if (plain)
        {
          if (run_start != NULL)
            add_encoded_run (tokens, run_separator, run_start, p);
          run_start = NULL;
          g_clear_pointer (&run_separator, g_free);
          add_token (tokens, g_strndup (p, space), g_strndup (word, word_end - word));
        }
      else if (run_start == NULL && word != word_end)
        {
          gsize kept = space > MAX_PLAIN_SPACE ? 1 : space;

          run_separator = g_strndup (p, kept);
          run_start = p + kept;
        }
      p = word_end;
    }
  if (run_start != NULL)
    add_encoded_run (tokens, run_separator, run_start, p);
  return tokens;
}

char *
pigeon_mime_words_encode_phrase (const char *text)
{
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) token_free);
  g_autofree char *name = g_strstrip (g_strdup (text));
  GString *out = g_string_new (NULL);

  add_encoded_run (tokens, "", name, name + strlen (name));
  for (guint i = 0; i < tokens->len; i++)
    {
      Token *token = g_ptr_array_index (tokens, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, token->word);
    }
  return g_string_free (out, FALSE);
}

char *
pigeon_mime_words_encode_text (const char *text, const char *field_name)
{
  g_autoptr (GPtrArray) tokens = tokenize (text);
  GString *out = g_string_new (NULL);
  gsize line = strlen (field_name) + 1;

  for (guint i = 0; i < tokens->len; i++)
    {
      Token *token = g_ptr_array_index (tokens, i);
      const char *separator = token->separator[0] != '\0' ? token->separator : " ";

      /* Folded before the white space, which then starts the next line. */
      if (i > 0 && line + strlen (separator) + strlen (token->word) > MAX_LINE)
        {
          g_string_append_c (out, '\n');
          line = 0;
        }
      g_string_append (out, separator);
      g_string_append (out, token->word);
      line += strlen (separator) + strlen (token->word);
    }
  return g_string_free (out, FALSE);
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
