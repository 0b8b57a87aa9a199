/* pigeon-draft-import.c: data dropped or pasted without a file of its own (an image from a
 * browser, the clipboard), kept as a file in the draft's folder so that it survives too
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-core"

#include "pigeon-draft-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

#define MAX_NAME_BYTES      200
#define MAX_EXTENSION_BYTES 16
#define MAX_UNIQUE_ATTEMPTS 1000

/* What is usually dropped or pasted without a name, and the extension it should have. */
static const struct
{
  const char *mime_type;
  const char *extension;
} extensions[] = {
  { "image/png", ".png" },       { "image/jpeg", ".jpg" },    { "image/gif", ".gif" },
  { "image/webp", ".webp" },     { "image/svg+xml", ".svg" }, { "image/bmp", ".bmp" },
  { "application/pdf", ".pdf" }, { "text/html", ".html" },    { "text/plain", ".txt" },
};

static const char *
extension_of (GBytes *data)
{
  gsize length = 0;
  const guchar *bytes = g_bytes_get_data (data, &length);
  g_autofree char *type = g_content_type_guess (NULL, bytes, length, NULL);
  g_autofree char *mime_type = g_content_type_get_mime_type (type);

  for (gsize i = 0; mime_type != NULL && i < G_N_ELEMENTS (extensions); i++)
    if (g_str_equal (mime_type, extensions[i].mime_type))
      return extensions[i].extension;
  return "";
}

/* One file in the folder whatever the hint says ("../x", ".bashrc", "a\\b", control
 * characters), with an extension so that the recipient's program knows the type. */
static char *
safe_name (const char *hint, GBytes *data)
{
  g_autofree char *valid = g_utf8_make_valid (hint ? hint : "", -1);
  char *base = MAX (strrchr (valid, '/'), strrchr (valid, '\\'));
  const char *dot = NULL, *extension = NULL, *end = NULL;

  base = base ? base + 1 : valid;
  for (char *p = g_strstrip (base); *p != '\0'; p++)
    *p = (guchar) *p < 0x20 || *p == 0x7f ? '_' : *p;
  base += strspn (base, ".");
  if (base[0] == '\0')
    base = _ ("attachment");
  dot = strrchr (base, '.');
  extension =
    dot && dot[1] != '\0' && strlen (dot) <= MAX_EXTENSION_BYTES ? dot : extension_of (data);
  end = extension == dot ? dot : base + strlen (base);
  /* Within a file system's 255 bytes, with room for " (999)"; cut between characters. */
  if (end - base > MAX_NAME_BYTES)
    for (end = base + MAX_NAME_BYTES; (*end & 0xc0) == 0x80; end--)
      ;
  return g_strdup_printf ("%.*s%s", (int) (end - base), base, extension);
}

/* Creates an empty file under a name nobody has, so that two imports never share one. */
GFile *
pigeon_draft_import_reserve_name (GFile *folder, const char *name, GError **error)
{
  const char *dot = strrchr (name, '.');
  const char *extension = dot != NULL ? dot : "";
  g_autofree char *stem = g_strndup (name, strlen (name) - strlen (extension));

  for (guint i = 1; i <= MAX_UNIQUE_ATTEMPTS; i++)
    {
      g_autofree char *candidate =
        i == 1 ? g_strdup (name) : g_strdup_printf ("%s (%u)%s", stem, i, extension);
      g_autoptr (GFile) file = g_file_get_child (folder, candidate);
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GFileOutputStream) stream =
        g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, &local_error);

      if (stream != NULL)
        return g_steal_pointer (&file);
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _ ("Too many files named “%s”."), name);
  return NULL;
}

GFile *
pigeon_draft_store_import_bytes (PigeonDraftStore *self,
                                 GBytes *data,
                                 const char *name_hint,
                                 GError **error)
{
  g_autofree char *name = NULL;
  g_autoptr (GFile) file = NULL;
  GFile *folder = NULL;
  const char *bytes = NULL;
  gsize length = 0;

  g_return_val_if_fail (PIGEON_IS_DRAFT_STORE (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  folder = pigeon_draft_store_get_imported_folder (self);
  name = safe_name (name_hint, data);
  if (!pigeon_draft_store_ensure_folder (folder, error))
    return NULL;
  file = pigeon_draft_import_reserve_name (folder, name, error);
  if (file == NULL)
    return NULL;
  bytes = g_bytes_get_data (data, &length);
  if (!pigeon_draft_store_write_atomically (file, bytes, length, error))
    {
      g_file_delete (file, NULL, NULL);
      return NULL;
    }
  return g_steal_pointer (&file);
}
