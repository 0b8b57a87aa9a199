/* test-mime-words.c: the encoded words Pigeon writes for Subjects and names, read back with
 * GMime's decoder as a whole, as a mail reader built on GMime does
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include <gmime/gmime.h>

#include "pigeon-mime-words.h"

#define MAX_ENCODED_WORD 75 /* RFC 2047 §2 */
#define MAX_FOLDED_LINE  78

/* Texts that GMime 3.2.13's own encoder wrote so that its reader lost part of them, or that a
 * careless encoder gets wrong: padding before another B word, characters that never sum to a
 * multiple of 3 bytes, lookalikes, long words, white space at the edges. */
static const char *const texts[] = {
  "季度报告 😀🎉 — résumé of a rather long subject that has to be folded, 日本語のテキストも",
  "Useer 38, Jrada(Subj@e田山田 <yamada(@e田 <(@e田山田 <yamada(@e田 <yamada(@exxxxxxample17.orr",
  "😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é",
  "😀😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀é😀",
  "é日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語",
  "a é é b",
  "=?utf-8?q?Bcc=3A_evil=40x.org?= Re: hi",
  "Photos de l'été 2026, with a URL: "
  "https://example.org/a/very/long/path/that/goes/on/and/on/and/on/ü",
  "  leading and trailing white space, Grüße  ",
  "tab\tbetween, Grüße\tand\t\ttabs",
  "Ω",
  "plain                                                                                      "
  "                                   words, far apart: ü",
  "日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語",
};

static char *
unfold (const char *value)
{
  g_auto (GStrv) lines = g_strsplit (value, "\n", -1);

  return g_strjoinv ("", lines);
}

static char *
squeeze_spaces (const char *text)
{
  g_autoptr (GRegex) white = g_regex_new ("[ \t]+", 0, 0, NULL);
  g_autofree char *squeezed = g_regex_replace_literal (white, text, -1, 0, " ", 0, NULL);

  return g_strdup (g_strstrip (squeezed));
}

/* Each encoded word fits RFC 2047's 75 characters; a B word with "=" padding is never followed
 * by another B word, which GMime would decode together with it and lose. */
static void
assert_words_well_formed (const char *value)
{
  g_autofree char *unfolded = unfold (value);
  g_auto (GStrv) words = g_strsplit_set (unfolded, " \t", -1);
  gboolean after_padded_b = FALSE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean encoded = g_str_has_prefix (words[i], "=?");
      gboolean b = g_str_has_prefix (words[i], "=?UTF-8?B?");

      if (words[i][0] == '\0')
        continue;
      if (encoded)
        g_assert_cmpuint (strlen (words[i]), <=, MAX_ENCODED_WORD);
      if (after_padded_b)
        g_assert_false (b);
      after_padded_b = b && g_str_has_suffix (words[i], "=?=");
    }
}

static void
test_text_read_back (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *value = pigeon_mime_words_encode_text (texts[i], "Subject");
      g_autofree char *unfolded = unfold (value);
      g_autofree char *decoded = g_mime_utils_header_decode_text (NULL, unfolded);
      g_auto (GStrv) lines = g_strsplit (value, "\n", -1);
      g_autofree char *read = squeeze_spaces (decoded);
      g_autofree char *given = squeeze_spaces (texts[i]);

      g_test_message ("%s", value);
      g_assert_cmpstr (read, ==, given);
      assert_words_well_formed (value);
      g_assert_true (g_ascii_isspace (value[0]));
      for (guint l = 0; lines[l] != NULL; l++)
        g_assert_cmpuint (strspn (lines[l], " \t"), <, strlen (lines[l]));
      for (guint l = 0; lines[l] != NULL; l++)
        g_assert_cmpuint (strlen (lines[l]) + (l == 0 ? strlen ("Subject:") : 0), <=,
                          MAX_FOLDED_LINE);
    }
}

/* What needs no encoding stays legible; encoded runs are Q unless B is much shorter. */
static void
test_text_plain_words_kept (void)
{
  g_autofree char *latin = pigeon_mime_words_encode_text ("Re: Photos de l'été 2026", "Subject");
  g_autofree char *cjk = pigeon_mime_words_encode_text ("报告 ready", "Subject");
  g_autofree char *lookalike = pigeon_mime_words_encode_text ("a=?b?= c d=e", "Subject");

  g_assert_cmpstr (latin, ==, " Re: Photos de =?UTF-8?Q?l=27=C3=A9t=C3=A9?= 2026");
  g_assert_cmpstr (cjk, ==, " =?UTF-8?B?5oql5ZGK?= ready");
  g_assert_cmpstr (lookalike, ==, " =?UTF-8?B?YT0/Yj89?= c =?UTF-8?Q?d=3De?=");
}

static char *
name_read_back (const char *encoded)
{
  g_autofree char *header = g_strdup_printf ("%s <ana@example.org>", encoded);
  InternetAddressList *list = internet_address_list_parse (NULL, header);
  char *name = NULL;

  g_assert_nonnull (list);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  name = g_strdup (internet_address_get_name (internet_address_list_get_address (list, 0)));
  g_object_unref (list);
  return name;
}

static void
test_phrase_read_back (void)
{
  const char *const names[] = {
    "José García, Jr.",
    "山田 太郎",
    "a (b) <c@d> \"e\" \\ f; g: ü",
    "=?utf-8?q?x?= Müller",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts) + G_N_ELEMENTS (names); i++)
    {
      const char *name = i < G_N_ELEMENTS (texts) ? texts[i] : names[i - G_N_ELEMENTS (texts)];
      g_autofree char *encoded = pigeon_mime_words_encode_phrase (name);
      g_autofree char *back = name_read_back (encoded);
      g_autofree char *read = squeeze_spaces (back);
      g_autofree char *given = squeeze_spaces (name);

      g_test_message ("%s", encoded);
      g_assert_null (strpbrk (encoded, "\"\r\n"));
      g_assert_cmpstr (read, ==, given);
      assert_words_well_formed (encoded);
    }
}

/* A name is encoded whole, so that wherever GMime folds it, the fold is between encoded words,
 * which readers drop (GMime's reader keeps a fold next to a plain word in the name). */
static void
test_phrase_encoded_whole (void)
{
  g_autofree char *spanish = pigeon_mime_words_encode_phrase (" Ana María López ");
  g_autofree char *comma = pigeon_mime_words_encode_phrase ("Müller, Hans");
  g_autofree char *long_name = g_strnfill (100, 'x');
  g_autofree char *long_encoded = NULL;
  g_auto (GStrv) words = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *back = NULL;

  g_assert_cmpstr (spanish, ==, "=?UTF-8?Q?Ana_Mar=C3=ADa_L=C3=B3pez?=");
  g_assert_cmpstr (comma, ==, "=?UTF-8?Q?M=C3=BCller=2C_Hans?=");
  long_name[50] = ' ';
  long_name[0] = '=';
  long_encoded = pigeon_mime_words_encode_phrase (long_name);
  /* Folded as GMime folds, at every space. */
  words = g_strsplit (long_encoded, " ", -1);
  g_assert_cmpuint (g_strv_length (words), >, 1);
  folded = g_strjoinv ("\r\n\t", words);
  back = name_read_back (folded);
  g_assert_cmpstr (back, ==, long_name);
}

static void
test_needed (void)
{
  g_assert_false (pigeon_mime_words_needed (NULL));
  g_assert_false (pigeon_mime_words_needed ("Plain (ASCII) <text>, \"quoted\""));
  g_assert_true (pigeon_mime_words_needed ("a=b"));
  g_assert_true (pigeon_mime_words_needed ("é"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  g_test_add_func ("/mime/words/text/read-back", test_text_read_back);
  g_test_add_func ("/mime/words/text/plain-words-kept", test_text_plain_words_kept);
  g_test_add_func ("/mime/words/phrase/read-back", test_phrase_read_back);
  g_test_add_func ("/mime/words/phrase/encoded-whole", test_phrase_encoded_whole);
  g_test_add_func ("/mime/words/needed", test_needed);
  return g_test_run ();
}
