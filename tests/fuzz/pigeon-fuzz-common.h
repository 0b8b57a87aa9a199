/* pigeon-fuzz-common.h: what the libFuzzer targets share
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* libFuzzer's entry points, declared here because no system header does. */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Called for each line of the input: @line is not NUL-terminated and has no line ending. */
typedef void (*PigeonFuzzLineFunc) (const char *line, gsize length, gpointer user_data);

/* Cuts @data at each LF, as the SMTP connection's line reader does: a CR before the LF goes
 * with it, and a last line without LF is a line too. */
void pigeon_fuzz_foreach_line (const guint8 *data,
                               gsize size,
                               PigeonFuzzLineFunc func,
                               gpointer user_data);

/* The input as a C string, cut at its first NUL as a caller's string would be. */
char *pigeon_fuzz_cstring (const guint8 *data, gsize size);

/* Whether @text has a CR, LF or (within @length) NUL byte. */
gboolean pigeon_fuzz_has_line_break (const char *text, gsize length);

G_END_DECLS
