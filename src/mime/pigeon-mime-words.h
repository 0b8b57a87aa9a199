/* pigeon-mime-words.h: RFC 2047 encoded words where GMime's own encoder goes wrong
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* GMime 3.2.13 writes text that merely looks like encoded words ("=?utf-8?q?…?=") as it is —
 * so every reader shows it decoded, not as typed — may fold inside such a word, and writes long
 * runs of "=" in a name unescaped. Text with a "=" in it is therefore encoded by Pigeon. */
gboolean pigeon_mime_words_needed (const char *text);

/* @text (UTF-8) as "=?UTF-8?B?…?=" words separated by @separator (" " in a phrase, "\n " to fold
 * a header), each word under 76 characters and split between characters. */
char *pigeon_mime_words_encode (const char *text, const char *separator);

/* Whether any byte of @data is above 127 (8-bit content needs BODY=8BITMIME). Eight bytes at a
 * time: it runs over every byte of a message. */
gboolean pigeon_mime_has_8bit (const void *data, gsize length);

G_END_DECLS
