/* pigeon-test-mime.h: what the tests of the composer (test-composer.c, test-composer-size.c)
 * share: a composer with a fixed sender, recipients and date, files in a temporary folder, and
 * messages written, checked and read back with GMime's parser
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

#include "pigeon-composer.h"

G_BEGIN_DECLS

#define MAX_LINE 998 /* octets, without CRLF */

/* Magic numbers, so that sniffing knows the content. */
#define PNG_MAGIC "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
#define GIF_MAGIC "GIF89a"
#define PDF_MAGIC "%PDF-1.4\n"

/* GMime 3.2 declares none; the tests may, being the only ones to. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

/* g_test_run(), then removes the temporary folder and all in it; returns the status. */
int pigeon_test_mime_run (void);
/* A fresh folder for the files the tests write, made on first use. */
const char *pigeon_test_mime_get_tmp_dir (void);

/* @size bytes that start as @magic does, varied by @seed. */
GBytes *pigeon_test_mime_make_content (const char *magic, gsize size, guint seed);
/* Writes @content to @name in the temporary folder. */
GFile *pigeon_test_mime_write_file (const char *name, GBytes *content);

/* From Ana to Bob and Carol, subject "Hello", a short body, dated 2026-03-01 12:30 UTC. */
PigeonComposer *pigeon_test_mime_composer_new (void);
void pigeon_test_mime_add_file (PigeonComposer *composer,
                                GFile *file,
                                const char *name,
                                PigeonAttachmentDisposition disposition);

/* Writes @message, checks it is exactly the announced size and well formed. */
GBytes *pigeon_test_mime_write_message (PigeonComposedMessage *message);
/* Builds and writes; the message itself in @out_message, if not NULL. */
GBytes *pigeon_test_mime_build_and_write (PigeonComposer *composer,
                                          PigeonComposedMessage **out_message);

GMimeMessage *pigeon_test_mime_parse (GBytes *bytes);
void pigeon_test_mime_assert_type (GMimeObject *object, const char *mime_type);
/* The part's content, transfer encoding undone. */
GBytes *pigeon_test_mime_decoded (GMimeObject *part);
/* A base64 file part with this disposition, file name and content. */
void pigeon_test_mime_assert_file_part (GMimeObject *part,
                                        const char *disposition,
                                        const char *name,
                                        GBytes *content);
gboolean pigeon_test_mime_contains (GBytes *bytes, const char *needle);

G_END_DECLS
