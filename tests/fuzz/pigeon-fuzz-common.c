/* pigeon-fuzz-common.c: what the libFuzzer targets share
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-fuzz"

#include "pigeon-fuzz-common.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define FATAL_LEVELS (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)

/* GLib ends a fatal message with G_BREAKPOINT (SIGTRAP), which libFuzzer does not catch: the
 * run went on, counted a crash and kept no input. abort() here comes first, and SIGABRT is a
 * crash libFuzzer saves the input of. */
static GLogWriterOutput
abort_on_fatal_writer (GLogLevelFlags level,
                       const GLogField *fields,
                       gsize n_fields,
                       gpointer user_data)
{
  g_log_writer_default (level, fields, n_fields, user_data);
  if (level & FATAL_LEVELS)
    abort ();
  return G_LOG_WRITER_HANDLED;
}

/* A g_return_if_fail() or a g_warning() reached from an input is a bug the fuzzer must
 * report, not a message it scrolls past: both abort, which libFuzzer records as a crash. */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_log_set_always_fatal (FATAL_LEVELS);
  g_log_set_writer_func (abort_on_fatal_writer, NULL, NULL);
  return 0;
}

void
pigeon_fuzz_foreach_line (const guint8 *data,
                          gsize size,
                          PigeonFuzzLineFunc func,
                          gpointer user_data)
{
  const char *p = (const char *) data;
  const char *end = p + size;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;
      gsize length = line_end - p;

      if (newline != NULL && length > 0 && p[length - 1] == '\r')
        length--;
      func (p, length, user_data);
      p = newline != NULL ? newline + 1 : end;
    }
}

char *
pigeon_fuzz_cstring (const guint8 *data, gsize size)
{
  return g_strndup ((const char *) data, size);
}

gboolean
pigeon_fuzz_has_line_break (const char *text, gsize length)
{
  return memchr (text, '\r', length) != NULL || memchr (text, '\n', length) != NULL ||
         memchr (text, '\0', length) != NULL;
}
