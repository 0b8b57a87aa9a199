/* pigeon-file-part.h: a MIME part whose content is a file, written in base64 as it is read
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gmime/gmime.h>

G_BEGIN_DECLS

/* The base64 GMime writes: lines of 76 characters (57 bytes of input), a non-empty last line
 * ended with a newline, nothing at all for empty input. */
#define PIGEON_BASE64_BYTES_PER_LINE 57
#define PIGEON_BASE64_CHARS_PER_LINE 76

/* GMime 3.2 declares no autoptr cleanup; G_DECLARE_FINAL_TYPE needs its parent's. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePart, g_object_unref)

#define PIGEON_TYPE_FILE_PART (pigeon_file_part_get_type ())
G_DECLARE_FINAL_TYPE (PigeonFilePart, pigeon_file_part, PIGEON, FILE_PART, GMimePart)

/* A part of @type/@subtype with Content-Transfer-Encoding: base64 and no content yet. */
PigeonFilePart *pigeon_file_part_new (const char *type, const char *subtype);

/**
 * pigeon_file_part_set_source:
 * @source: (nullable): the file's bytes, read from where it stands to its end when the part is
 *   written; %NULL to write the headers alone
 *
 * The part is written as GMime would write a base64 part, but its content goes straight from
 * @source to the output: GMime's encoder and its newline filter go through every byte one at a
 * time, which made them half of the CPU time of sending a message with photos.
 */
void pigeon_file_part_set_source (PigeonFilePart *self, GMimeStream *source);

/* The size of the base64 written for @n bytes with a newline of @newline_length bytes. */
gint64 pigeon_base64_size (gint64 n, gsize newline_length);

/**
 * pigeon_base64_encode_lines:
 * @out: room for pigeon_base64_size (@length, strlen (@newline)) bytes
 *
 * Encodes @in as lines of 76 characters, each ended with @newline; the last line is shorter
 * when @length is not a multiple of 57. Returns the bytes written to @out.
 */
gsize pigeon_base64_encode_lines (const guint8 *in, gsize length, char *out, const char *newline);

G_END_DECLS
