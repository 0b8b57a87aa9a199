/* pigeon-mime-words.h: RFC 2047 encoded words where GMime's own encoder goes wrong
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether Pigeon writes @text's encoded words itself rather than GMime 3.2.13: when it has a
 * non-ASCII character or a "=". GMime writes text that merely looks like encoded words
 * ("=?utf-8?q?…?=") as it is, so every reader shows it decoded, not as typed; writes long runs
 * of "=" in a name unescaped; and ends base64 words with "=" padding even when another base64
 * word follows, which GMime's own reader (jstedfast/gmime#133, so Geary, among others) decodes
 * by dropping what comes after the padding. Plain ASCII is left to GMime, which quotes and
 * folds it well. */
gboolean pigeon_mime_words_needed (const char *text);

/* @text (UTF-8, no CR or LF) as a display name: "=?UTF-8?Q?…?=" words, or "=?UTF-8?B?…?="
 * where much shorter, separated by spaces for GMime to fold. All of the name is encoded: where
 * GMime folds between a plain word and an encoded one, its reader keeps the line break in the
 * name; between two encoded words, readers drop it. */
char *pigeon_mime_words_encode_phrase (const char *text);

/* @text (UTF-8, no CR or LF) as the unstructured value of a field named @field_name, words of
 * printable ASCII as they are and runs of other words encoded as for a name, folded
 * ("\n" then white space) so that lines stay within 78 characters where words allow: a raw
 * header value, starting with white space, without the last line break. */
char *pigeon_mime_words_encode_text (const char *text, const char *field_name);

/* Whether any byte of @data is above 127 (8-bit content needs BODY=8BITMIME). Eight bytes at a
 * time: it runs over every byte of a message. */
gboolean pigeon_mime_has_8bit (const void *data, gsize length);

G_END_DECLS
