/* pigeon-eml.c: a ready-made RFC 5322 message file, sent as it is
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-eml.h"
#include "pigeon-mime-words.h"
#include "pigeon-address.h"

#include <glib/gi18n.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)

#define STAMP_ATTRIBUTES "standard::size,time::modified,time::modified-usec"

typedef struct
{
  goffset start, end; /* [start, end) in the file */
} ByteRange;

/* What the file looked like when it was read, so that writing can tell it is the same file:
 * the Bcc ranges are only right for exactly these bytes. */
typedef struct
{
  goffset size;
  guint64 mtime;
  guint32 mtime_usec;
} FileStamp;

/* Line breaks in the bytes that will be written, for the size SMTP carries: the DATA stream
 * turns every bare LF and bare CR into CRLF, and ends a message without a final line break
 * with one. */
typedef struct
{
  guint64 lf, cr, crlf;
  guint8 last; /* the last byte counted, 0 before the first */
} LineEnds;

struct _PigeonEml
{
  GFile *file;
  FileStamp stamp;
  GArray *bcc_ranges; /* ByteRange, in file order, not overlapping */
  goffset removed;
  LineEnds line_ends; /* of the bytes written */
  char *from;
  GPtrArray *recipients; /* char *, To then Cc then Bcc (or the Resent- ones), NULL-terminated */
  gboolean is_8bit;
};

/* The address fields read. A message being resent (RFC 5322 §3.6.6) has a block of Resent-
 * fields on top, the newest first: its envelope comes from that first block, as sendmail -t
 * does, and every Resent-Bcc field is cut out, as Bcc is. */
enum
{
  FROM,
  TO,
  CC,
  BCC,
  RESENT_FROM,
  RESENT_TO,
  RESENT_CC,
  RESENT_BCC,
  N_LISTS
};

typedef enum
{
  RESENT_BLOCK_NOT_SEEN,
  RESENT_BLOCK_FIRST, /* in the newest block of Resent- fields */
  RESENT_BLOCK_PASSED /* older blocks: their addresses are history */
} ResentBlock;

/* State of the one pass pigeon_eml_open() makes over the file. */
typedef struct
{
  PigeonEml *eml;
  char *file_name;           /* for error messages */
  GPtrArray *lists[N_LISTS]; /* PigeonAddress found in each kind of field */
  GByteArray *line;          /* the header line being read, with its line ending */
  goffset line_start;
  guint line_number;
  char *field_name;     /* NULL before the first field */
  GString *field_value; /* unfolded */
  goffset field_start;
  gboolean field_8bit;
  LineEnds field_line_ends;
  ResentBlock resent_block;
  gboolean in_body;
} EmlScanner;

/* State of pigeon_eml_write(). */
typedef struct
{
  const PigeonEml *eml;
  GOutputStream *stream;
  GCancellable *cancellable;
  guint next_range; /* the first Bcc range not yet passed */
} WriteState;

/* Called for each chunk of the file in turn; @offset is where @data starts in the file. */
typedef gboolean (*ChunkFunc) (
  gpointer user_data, const guint8 *data, gsize len, goffset offset, GError **error);

static gboolean set_not_a_message (EmlScanner *s, GError **error, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
set_not_a_message (EmlScanner *s, GError **error, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT,
               _ ("“%s” is not an email message: %s"), s->file_name, reason);
  return FALSE;
}

/* Cancellation stays recognisable; anything else becomes a file error naming the file. */
static gboolean
set_read_error (GFile *file, GError *local_error, GError **error)
{
  g_autofree char *name = g_file_get_parse_name (file);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, local_error);
  else
    {
      g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE, _ ("Could not read “%s”: %s"),
                   name, local_error->message);
      g_error_free (local_error);
    }
  return FALSE;
}

static gboolean
set_changed (GFile *file, GError **error)
{
  g_autofree char *name = g_file_get_parse_name (file);

  g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE,
               _ ("“%s” changed while it was being sent"), name);
  return FALSE;
}

static GFileInputStream *
open_file (GFile *file, FileStamp *stamp, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInputStream) input = NULL;
  g_autoptr (GFileInfo) info = NULL;
  GError *local_error = NULL;

  input = g_file_read (file, cancellable, &local_error);
  if (input != NULL)
    info = g_file_input_stream_query_info (input, STAMP_ATTRIBUTES, cancellable, &local_error);
  if (info == NULL && !set_read_error (file, local_error, error))
    return NULL;
  stamp->size = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_STANDARD_SIZE);
  stamp->mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  stamp->mtime_usec = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  return g_steal_pointer (&input);
}

static gboolean
stamp_equal (const FileStamp *a, const FileStamp *b)
{
  return a->size == b->size && a->mtime == b->mtime && a->mtime_usec == b->mtime_usec;
}

/* Reads @file start to end in chunks. With @expected, the file must still be as it was then;
 * either way it must not change while it is read. */
static gboolean
read_chunks (GFile *file,
             FileStamp *stamp,
             const FileStamp *expected,
             ChunkFunc func,
             gpointer user_data,
             GCancellable *cancellable,
             GError **error)
{
  g_autoptr (GFileInputStream) input = open_file (file, stamp, cancellable, error);
  g_autofree guint8 *buffer = NULL;
  goffset offset = 0;
  gssize n = 0;
  GError *local_error = NULL;

  if (input == NULL)
    return FALSE;
  if (expected != NULL && !stamp_equal (stamp, expected))
    return set_changed (file, error);
  buffer = g_malloc (CHUNK_SIZE);
  while ((n = g_input_stream_read (G_INPUT_STREAM (input), buffer, CHUNK_SIZE, cancellable,
                                   &local_error)) > 0)
    {
      /* Grown meanwhile: stop before the extra bytes are used. */
      if (offset + n > stamp->size)
        return set_changed (file, error);
      if (!func (user_data, buffer, n, offset, error))
        return FALSE;
      offset += n;
    }
  if (n < 0)
    return set_read_error (file, local_error, error);
  return offset == stamp->size || set_changed (file, error);
}

#define HIGH_BITS 0x8080808080808080ULL
#define LOW_BITS  0x7f7f7f7f7f7f7f7fULL

/* 0x80 in each byte of @word that equals the byte repeated in @pattern, 0 elsewhere (exact:
 * no carry crosses from one byte to the next). */
static inline guint64
equal_bytes (guint64 word, guint64 pattern)
{
  guint64 x = word ^ pattern;

  return ~(((x & LOW_BITS) + LOW_BITS) | x) & HIGH_BITS;
}

static void
count_line_ends_bytewise (LineEnds *ends, const guint8 *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      ends->lf += data[i] == '\n';
      ends->cr += data[i] == '\r';
      ends->crlf += data[i] == '\n' && ends->last == '\r';
      ends->last = data[i];
    }
}

/* Adds the line breaks of @data, which follows the bytes already counted in @ends. Eight bytes
 * at a time: a byte-at-a-time loop was 44 % of sending a 137 MB .eml. (Without -mpopcnt the
 * popcounts are calls, hence the test for a word without any.) */
static void
count_line_ends (LineEnds *ends, const guint8 *data, gsize len)
{
  gsize i = 0;

  if (G_BYTE_ORDER == G_LITTLE_ENDIAN)
    for (; i + 8 <= len; i += 8)
      {
        guint64 word, cr, lf;

        memcpy (&word, data + i, 8);
        cr = equal_bytes (word, 0x0d0d0d0d0d0d0d0dULL);
        lf = equal_bytes (word, 0x0a0a0a0a0a0a0a0aULL);
        if ((cr | lf) == 0) /* most words: lines are longer than 8 bytes */
          {
            ends->last = data[i + 7];
            continue;
          }
        ends->cr += (guint64) __builtin_popcountll (cr);
        ends->lf += (guint64) __builtin_popcountll (lf);
        /* A CR whose next byte (one byte up: 8 bits up, little-endian) is an LF; and the CR
         * that ended the previous bytes with an LF first here. */
        ends->crlf +=
          (guint64) __builtin_popcountll (cr & (lf >> 8)) + (ends->last == '\r' && data[i] == '\n');
        ends->last = data[i + 7];
      }
  count_line_ends_bytewise (ends, data + i, len - i);
}

static void
add_line_ends (LineEnds *total, const LineEnds *part)
{
  total->lf += part->lf;
  total->cr += part->cr;
  total->crlf += part->crlf;
  if (part->last != 0)
    total->last = part->last;
}

/* The parser's message names the field and quotes the value; the file is named before it. */
static gboolean
parse_address_field (
  EmlScanner *s, const char *name, const char *value, GPtrArray *out, GError **error)
{
  g_autoptr (GPtrArray) addresses = pigeon_address_list_parse_header (value, name, error);

  if (addresses == NULL)
    {
      g_prefix_error (error, _ ("“%s”: "), s->file_name);
      return FALSE;
    }
  g_ptr_array_extend_and_steal (out, g_steal_pointer (&addresses));
  return TRUE;
}

static guint
field_list (const char *name)
{
  static const char *const list_names[N_LISTS] = { "From",      "To",          "Cc",
                                                   "Bcc",       "Resent-From", "Resent-To",
                                                   "Resent-Cc", "Resent-Bcc" };
  guint list = 0;

  while (list < N_LISTS && g_ascii_strcasecmp (name, list_names[list]) != 0)
    list++;
  return list;
}

/* Where the field stands among the blocks of Resent- fields; whether its addresses count. */
static gboolean
follow_resent_blocks (EmlScanner *s, const char *name)
{
  gboolean is_resent = g_ascii_strncasecmp (name, "Resent-", 7) == 0;

  if (is_resent && s->resent_block == RESENT_BLOCK_NOT_SEEN)
    s->resent_block = RESENT_BLOCK_FIRST;
  else if (!is_resent && s->resent_block == RESENT_BLOCK_FIRST)
    s->resent_block = RESENT_BLOCK_PASSED;
  return !is_resent || s->resent_block == RESENT_BLOCK_FIRST;
}

static gboolean
finish_field (EmlScanner *s, goffset end, GError **error)
{
  g_autofree char *name = g_steal_pointer (&s->field_name);
  gboolean counts = FALSE;
  guint list = 0;

  if (name == NULL)
    return TRUE;
  list = field_list (name);
  counts = follow_resent_blocks (s, name);
  if (list == BCC || list == RESENT_BCC)
    {
      ByteRange range = { s->field_start, end };

      g_array_append_val (s->eml->bcc_ranges, range);
      s->eml->removed += end - s->field_start;
    }
  else
    {
      add_line_ends (&s->eml->line_ends, &s->field_line_ends);
      s->eml->is_8bit = s->eml->is_8bit || s->field_8bit;
    }
  return list == N_LISTS || !counts ||
         parse_address_field (s, name, s->field_value->str, s->lists[list], error);
}

/* A field name is printable US-ASCII without ':'; "Bcc :" (space before the colon) is the
 * obsolete syntax, still accepted. */
static gboolean
start_field (EmlScanner *s, const char *line, gsize len, GError **error)
{
  gsize name_len = 0, colon = 0;

  while (name_len < len && line[name_len] >= 33 && line[name_len] <= 126 && line[name_len] != ':')
    name_len++;
  for (colon = name_len; colon < len && (line[colon] == ' ' || line[colon] == '\t'); colon++)
    ;
  if (name_len == 0 || colon == len || line[colon] != ':')
    return set_not_a_message (s, error, _ ("line %u is not a header field"), s->line_number);
  s->field_name = g_strndup (line, name_len);
  s->field_start = s->line_start;
  s->field_8bit = FALSE;
  memset (&s->field_line_ends, 0, sizeof s->field_line_ends);
  g_string_truncate (s->field_value, 0);
  g_string_append_len (s->field_value, line + colon + 1, len - colon - 1);
  return TRUE;
}

static gboolean
handle_header_line (EmlScanner *s, GError **error)
{
  const char *line = (const char *) s->line->data;
  gsize len = s->line->len;

  /* The line ending is no part of the value: unfolding removes it. */
  if (len > 0 && line[len - 1] == '\n')
    len -= len > 1 && line[len - 2] == '\r' ? 2 : 1;
  s->line_number++;
  if (memchr (line, '\0', s->line->len) != NULL)
    return set_not_a_message (s, error, _ ("its header section contains a NUL byte"));
  if (len == 0 && s->line->len > 0 && s->line_number > 1)
    {
      s->in_body = TRUE;
      count_line_ends (&s->eml->line_ends, s->line->data, s->line->len);
      return finish_field (s, s->line_start, error);
    }
  if ((line[0] == ' ' || line[0] == '\t') && s->field_name != NULL)
    g_string_append_len (s->field_value, line, len);
  else if (!finish_field (s, s->line_start, error) || !start_field (s, line, len, error))
    return FALSE;
  s->field_8bit = s->field_8bit || pigeon_mime_has_8bit (s->line->data, s->line->len);
  count_line_ends (&s->field_line_ends, s->line->data, s->line->len);
  return TRUE;
}

/* The header section is read line by line; the body is only looked at for 8-bit bytes. */
static gboolean
scan_chunk (gpointer user_data, const guint8 *data, gsize len, goffset offset, GError **error)
{
  EmlScanner *s = user_data;
  gsize pos = 0;

  while (pos < len && !s->in_body)
    {
      const guint8 *lf = memchr (data + pos, '\n', len - pos);
      gsize take = lf != NULL ? (gsize) (lf - (data + pos)) + 1 : len - pos;

      g_byte_array_append (s->line, data + pos, take);
      pos += take;
      /* The limit counts the empty line too; checked before the line ends, to bound memory. */
      if (s->line_start + (goffset) s->line->len > PIGEON_EML_MAX_HEADER_BYTES)
        return set_not_a_message (s, error, _ ("its header section is longer than %d KiB"),
                                  PIGEON_EML_MAX_HEADER_BYTES / 1024);
      if (lf == NULL)
        break;
      if (!handle_header_line (s, error))
        return FALSE;
      s->line_start += s->line->len;
      g_byte_array_set_size (s->line, 0);
    }
  if (!s->eml->is_8bit && pigeon_mime_has_8bit (data + pos, len - pos))
    s->eml->is_8bit = TRUE;
  if (s->in_body)
    count_line_ends (&s->eml->line_ends, data + pos, len - pos);
  return TRUE;
}

/* A message with no body ends its header section at the end of the file. */
static gboolean
finish_scan (EmlScanner *s, GError **error)
{
  if (s->eml->stamp.size == 0)
    return set_not_a_message (s, error, _ ("the file is empty"));
  if (s->in_body)
    return TRUE;
  return (s->line->len == 0 || handle_header_line (s, error)) &&
         finish_field (s, s->eml->stamp.size, error);
}

/* Each address once (see pigeon_address_equal()), the first spelling kept. */
static void
merge_recipients (PigeonEml *eml, GPtrArray *lists[], guint n_lists)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (pigeon_address_hash, pigeon_address_equal);

  for (guint l = 0; l < n_lists; l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const PigeonAddress *address = lists[l]->pdata[i];

        if (g_hash_table_add (seen, (gpointer) address))
          g_ptr_array_add (eml->recipients, g_strdup (address->address));
      }
  g_ptr_array_add (eml->recipients, NULL);
}

static gboolean
is_being_resent (GPtrArray *lists[])
{
  return lists[RESENT_TO]->len + lists[RESENT_CC]->len + lists[RESENT_BCC]->len > 0;
}

static void
take_envelope (PigeonEml *eml, GPtrArray *lists[])
{
  gboolean resent = is_being_resent (lists);
  GPtrArray *from = resent && lists[RESENT_FROM]->len > 0 ? lists[RESENT_FROM] : lists[FROM];

  if (from->len > 0)
    eml->from = g_strdup (((PigeonAddress *) from->pdata[0])->address);
  if (resent)
    merge_recipients (eml, lists + RESENT_TO, RESENT_BCC - RESENT_TO + 1);
  else
    merge_recipients (eml, lists + TO, BCC - TO + 1);
}

static void
scanner_clear (EmlScanner *s)
{
  g_clear_pointer (&s->file_name, g_free);
  for (guint i = 0; i < N_LISTS; i++)
    g_clear_pointer (&s->lists[i], g_ptr_array_unref);
  g_clear_pointer (&s->line, g_byte_array_unref);
  g_clear_pointer (&s->field_name, g_free);
  if (s->field_value != NULL)
    g_string_free (g_steal_pointer (&s->field_value), TRUE);
}

PigeonEml *
pigeon_eml_open (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (PigeonEml) eml = NULL;
  EmlScanner s = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  eml = g_new0 (PigeonEml, 1);
  eml->file = g_object_ref (file);
  eml->bcc_ranges = g_array_new (FALSE, FALSE, sizeof (ByteRange));
  eml->recipients = g_ptr_array_new_with_free_func (g_free);
  s.eml = eml;
  s.file_name = g_file_get_parse_name (file);
  for (guint i = 0; i < N_LISTS; i++)
    s.lists[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) pigeon_address_free);
  s.line = g_byte_array_new ();
  s.field_value = g_string_new (NULL);
  ok = read_chunks (file, &eml->stamp, NULL, scan_chunk, &s, cancellable, error) &&
       finish_scan (&s, error);
  if (ok)
    take_envelope (eml, s.lists);
  scanner_clear (&s);
  return ok ? g_steal_pointer (&eml) : NULL;
}

void
pigeon_eml_free (PigeonEml *eml)
{
  if (eml == NULL)
    return;
  g_clear_object (&eml->file);
  g_clear_pointer (&eml->bcc_ranges, g_array_unref);
  g_clear_pointer (&eml->recipients, g_ptr_array_unref);
  g_clear_pointer (&eml->from, g_free);
  g_free (eml);
}

const char *
pigeon_eml_get_from (const PigeonEml *eml)
{
  g_return_val_if_fail (eml != NULL, NULL);
  return eml->from;
}

const char *const *
pigeon_eml_get_recipients (const PigeonEml *eml)
{
  g_return_val_if_fail (eml != NULL, NULL);
  return (const char *const *) eml->recipients->pdata;
}

gint64
pigeon_eml_get_size (const PigeonEml *eml)
{
  g_return_val_if_fail (eml != NULL, 0);
  return eml->stamp.size - eml->removed;
}

gint64
pigeon_eml_get_wire_size (const PigeonEml *eml)
{
  const LineEnds *ends = NULL;
  gint64 size = 0;
  gboolean ends_with_break = FALSE;

  g_return_val_if_fail (eml != NULL, 0);
  ends = &eml->line_ends;
  size = pigeon_eml_get_size (eml);
  ends_with_break = size == 0 || ends->last == '\n' || ends->last == '\r';
  return size + (gint64) (ends->lf - ends->crlf) + (gint64) (ends->cr - ends->crlf) +
         (ends_with_break ? 0 : 2);
}

gboolean
pigeon_eml_is_8bit (const PigeonEml *eml)
{
  g_return_val_if_fail (eml != NULL, FALSE);
  return eml->is_8bit;
}

/* Writes the bytes of @data that lie outside the Bcc ranges. */
static gboolean
write_chunk (gpointer user_data, const guint8 *data, gsize len, goffset offset, GError **error)
{
  WriteState *w = user_data;
  GArray *ranges = w->eml->bcc_ranges;
  goffset pos = offset, end = offset + len;

  while (pos < end)
    {
      const ByteRange *r = NULL;
      goffset stop = end;

      if (w->next_range < ranges->len)
        r = &g_array_index (ranges, ByteRange, w->next_range);
      if (r != NULL)
        stop = CLAMP (r->start, pos, end);
      if (stop > pos && !g_output_stream_write_all (w->stream, data + (pos - offset), stop - pos,
                                                    NULL, w->cancellable, error))
        return FALSE;
      pos = stop;
      if (r != NULL && pos >= r->start)
        {
          pos = MIN (r->end, end);
          w->next_range += r->end <= end;
        }
    }
  return TRUE;
}

/* Errors of @stream are passed on as they are: they are about where the bytes go (the
 * server, usually), not about the file. */
gboolean
pigeon_eml_write (const PigeonEml *eml,
                  GOutputStream *stream,
                  GCancellable *cancellable,
                  GError **error)
{
  WriteState w = { eml, stream, cancellable, 0 };
  FileStamp stamp = { 0 };

  g_return_val_if_fail (eml != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  return read_chunks (eml->file, &stamp, &eml->stamp, write_chunk, &w, cancellable, error);
}
