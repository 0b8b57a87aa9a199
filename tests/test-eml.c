/* test-eml.c: sending a ready-made message file as it is, without its Bcc fields
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <glib/gstdio.h>
#include <string.h>

#include "pigeon-eml.h"
#include "pigeon-smtp-data-stream.h"

/* The chunk size pigeon-eml.c reads with; the boundary tests put fields across it. */
#define CHUNK (64 * 1024)

typedef enum
{
  CHANGE_GROW,
  CHANGE_SHRINK,
  CHANGE_EDIT, /* the same size */
  N_CHANGES
} FileChange;

/* Changes @file where it is, as another program could while it is being sent. The time is
 * moved ahead by hand: file times can be too coarse to tell two quick writes apart. */
static void
change_file (GFile *file, FileChange change)
{
  g_autoptr (GFileIOStream) io = g_file_open_readwrite (file, NULL, NULL);
  g_autoptr (GFileInfo) info =
    g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, 0, NULL, NULL);
  guint64 mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);

  if (change == CHANGE_GROW)
    g_assert_true (g_seekable_seek (G_SEEKABLE (io), 0, G_SEEK_END, NULL, NULL));
  if (change == CHANGE_SHRINK)
    g_assert_true (g_seekable_truncate (G_SEEKABLE (io), 1000, NULL, NULL));
  else
    g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (io)),
                                              "From: bob", 9, NULL, NULL, NULL));
  g_assert_true (g_io_stream_close (G_IO_STREAM (io), NULL, NULL));
  g_assert_true (
    g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, mtime + 10, 0, NULL, NULL));
}

/* An output stream that only counts and checksums what it is given, so that big messages
 * need no memory; it can also change the file being sent, on request. */
#define TEST_TYPE_COUNTING_STREAM (test_counting_stream_get_type ())
G_DECLARE_FINAL_TYPE (
  TestCountingStream, test_counting_stream, TEST, COUNTING_STREAM, GOutputStream)

struct _TestCountingStream
{
  GOutputStream parent_instance;
  guint64 count;
  GChecksum *checksum;
  GFile *change_on_write; /* changed on the first write, as said by @change */
  FileChange change;
};

G_DEFINE_TYPE (TestCountingStream, test_counting_stream, G_TYPE_OUTPUT_STREAM)

static gssize
test_counting_stream_write (
  GOutputStream *stream, const void *buffer, gsize count, GCancellable *cancellable, GError **error)
{
  TestCountingStream *self = TEST_COUNTING_STREAM (stream);

  if (self->change_on_write != NULL)
    change_file (self->change_on_write, self->change);
  g_clear_object (&self->change_on_write);
  g_checksum_update (self->checksum, buffer, count);
  self->count += count;
  return count;
}

static void
test_counting_stream_finalize (GObject *object)
{
  TestCountingStream *self = TEST_COUNTING_STREAM (object);

  g_checksum_free (self->checksum);
  g_clear_object (&self->change_on_write);
  G_OBJECT_CLASS (test_counting_stream_parent_class)->finalize (object);
}

static void
test_counting_stream_class_init (TestCountingStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_counting_stream_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = test_counting_stream_write;
}

static void
test_counting_stream_init (TestCountingStream *self)
{
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
}

/* Every file the tests make is in here, under one of these two names. */
static char *tmp_dir;
#define MESSAGE_NAME "message.eml"
#define LARGE_NAME   "large.eml"

static GFile *
make_file (const char *data, gssize len)
{
  g_autofree char *path = g_build_filename (tmp_dir, MESSAGE_NAME, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static PigeonEml *
open_ok (GFile *file)
{
  g_autoptr (GError) error = NULL;
  PigeonEml *eml = pigeon_eml_open (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (eml);
  return eml;
}

/* Writes @eml to memory and checks that get_size() announced exactly that many bytes. */
static GBytes *
write_to_bytes (PigeonEml *eml)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  GBytes *bytes = NULL;

  g_assert_true (pigeon_eml_write (eml, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpint (pigeon_eml_get_size (eml), ==, g_bytes_get_size (bytes));
  return bytes;
}

static void
assert_written (PigeonEml *eml, const char *expected, gsize expected_len)
{
  g_autoptr (GBytes) bytes = write_to_bytes (eml);

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected,
                   expected_len);
}

/* A message as pieces, each marked as a Bcc field or not: the test knows which bytes must go
 * out without asking the code under test. */
typedef struct
{
  const char *path;
  const char *pieces[8]; /* one starting with '-' is a Bcc field (the '-' not included) */
  const char *from;
  const char *recipients[6]; /* NULL-terminated */
} MessageCase;

static const MessageCase message_cases[] = {
  { "/eml/write/lf",
    { "From: ann@example.org\n", "To: bob@example.org\n", "\n", "Hi\n" },
    "ann@example.org",
    { "bob@example.org" } },
  { "/eml/write/crlf",
    { "From: ann@example.org\r\n", "To: Bob\r\n <bob@example.org>\r\n", "\r\n", "Hi\r\n.\r\n" },
    "ann@example.org",
    { "bob@example.org" } },
  { "/eml/write/no-body",
    { "From: ann@example.org\n", "To: bob@example.org,\n c@example.org" },
    "ann@example.org",
    { "bob@example.org", "c@example.org" } },
  { "/eml/address/none",
    { "Subject: nobody\n", "To: undisclosed-recipients:;\n", "Cc:   \n", "\n", "Hello\n" },
    NULL },
  { "/eml/bcc/single",
    { "From: ann@example.org\n", "To: bob@example.org\n", "-Bcc: carl@example.org\n",
      "Subject: hi\n", "\n", "Body\n" },
    "ann@example.org",
    { "bob@example.org", "carl@example.org" } },
  { "/eml/bcc/folded",
    { "From: ann@example.org\n", "To: bob@example.org\n",
      "-Bcc: Carl <carl@example.org>,\n  dora@example.org,\n\teve@example.org\n", "Subject: hi\n",
      "\n", "Body\n" },
    "ann@example.org",
    { "bob@example.org", "carl@example.org", "dora@example.org", "eve@example.org" } },
  { "/eml/bcc/first",
    { "-Bcc: carl@example.org\r\n", "From: ann@example.org\r\n", "To: bob@example.org\r\n", "\r\n",
      "Body\r\n" },
    "ann@example.org",
    { "bob@example.org", "carl@example.org" } },
  { "/eml/bcc/last",
    { "From: ann@example.org\r\n", "To: bob@example.org\r\n", "-Bcc: carl@example.org,\r\n",
      "- dora@example.org\r\n", "\r\n", "Body\r\n" },
    "ann@example.org",
    { "bob@example.org", "carl@example.org", "dora@example.org" } },
  { "/eml/bcc/lower-case",
    { "From: ann@example.org\n", "-bcc: carl@example.org\n", "To: bob@example.org\n", "\n",
      "Body\n" },
    "ann@example.org",
    { "bob@example.org", "carl@example.org" } },
  { "/eml/bcc/two",
    { "From: ann@example.org\n", "-Bcc: carl@example.org\n", "To: bob@example.org\n",
      "-BCC : dora@example.org\n", "\n", "Body\n" },
    "ann@example.org",
    { "bob@example.org", "carl@example.org", "dora@example.org" } },
  { "/eml/bcc/not-in-body",
    { "From: ann@example.org\n", "To: bob@example.org\n", "X-Bcc: x@example.org\n", "-Bcc:\n", "\n",
      "Bcc: in-body@example.org\n", "\n", "Bcc: again@example.org\n" },
    "ann@example.org",
    { "bob@example.org" } },
  { "/eml/bcc/end-of-file",
    { "From: ann@example.org\n", "To: bob@example.org\n", "-Bcc: carl@example.org" },
    "ann@example.org",
    { "bob@example.org", "carl@example.org" } },
};

static void
test_message (gconstpointer data)
{
  const MessageCase *message_case = data;
  g_autoptr (GString) message = g_string_new (NULL);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GFile) file = NULL;
  g_autoptr (PigeonEml) eml = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (message_case->pieces) && message_case->pieces[i]; i++)
    {
      const char *piece = message_case->pieces[i];

      g_string_append (message, piece[0] == '-' ? piece + 1 : piece);
      if (piece[0] != '-')
        g_string_append (expected, piece);
    }
  file = make_file (message->str, message->len);
  eml = open_ok (file);
  assert_written (eml, expected->str, expected->len);
  g_assert_cmpstrv (pigeon_eml_get_recipients (eml), message_case->recipients);
  g_assert_cmpstr (pigeon_eml_get_from (eml), ==, message_case->from);
  g_assert_false (pigeon_eml_is_8bit (eml));
}

static void
test_nul_in_body (void)
{
  const char message[] = "From: ann@example.org\n\nBinary\0body\n";
  g_autoptr (GFile) file = make_file (message, sizeof message - 1);
  g_autoptr (PigeonEml) eml = open_ok (file);

  assert_written (eml, message, sizeof message - 1);
}

/* Header lines of exactly @len bytes in all, to move what follows to a chosen offset. */
static void
append_filler (GString *s, gsize len, const char *eol)
{
  gsize overhead = strlen ("X-Filler: ") + strlen (eol);

  g_assert_cmpuint (len, >, overhead);
  while (len > 0)
    {
      gsize line = len >= 2 * 500 ? 500 : len;

      g_string_append (s, "X-Filler: ");
      for (gsize i = overhead; i < line; i++)
        g_string_append_c (s, 'a' + i % 26);
      g_string_append (s, eol);
      len -= line;
    }
}

/* A Bcc field, and then the empty line, moved across the boundary between two reads. */
static void
test_chunk_boundaries (void)
{
  const char *head = "From: ann@example.org\r\nTo: bob@example.org\r\n";
  const char *tail = "Subject: x\r\n\r\nBcc: body@example.org\r\n\r\nText\r\n";
  const char *recipients[] = { "bob@example.org", "carl@example.org", "dora@example.org", NULL };

  for (int shift = -45; shift <= 45; shift++)
    {
      g_autoptr (GString) message = g_string_new (head);
      g_autoptr (GString) expected = NULL;
      g_autoptr (GFile) file = NULL;
      g_autoptr (PigeonEml) eml = NULL;

      append_filler (message, CHUNK - strlen (head) + shift - 30, "\r\n");
      expected = g_string_new (message->str);
      g_string_append_printf (message, "Bcc: carl@example.org,\r\n dora@example.org\r\n%s", tail);
      g_string_append (expected, tail);
      file = make_file (message->str, message->len);
      eml = open_ok (file);
      assert_written (eml, expected->str, expected->len);
      g_assert_cmpstrv (pigeon_eml_get_recipients (eml), recipients);
    }
}

static void
test_addresses (void)
{
  const char *message =
    "Bcc: =?utf-8?b?U8O2cmVu?= <soren@example.org>, John@X.ORG\n"
    "Cc: Team: amy@example.org, \"Ben B.\" <ben@example.org>;, john@x.org,\n"
    "  undisclosed-recipients:;, Kim (kim@home) <kim@example.org>\n"
    "From: \"Ann Example\" <ann@example.org>, other@example.org\n"
    "To: \"Doe, John\" <john@x.org>, =?utf-8?q?J=C3=B6rg_M=C3=BCller=2C_Jr?= <joerg@x.org>\n"
    "Subject: addresses\n"
    "\n"
    "To: body@example.org\n";
  const char *recipients[] = { "john@x.org",      "joerg@x.org",
                               "amy@example.org", "ben@example.org",
                               "kim@example.org", "soren@example.org",
                               "John@X.ORG",      NULL };
  g_autoptr (GFile) file = make_file (message, -1);
  g_autoptr (PigeonEml) eml = open_ok (file);

  g_assert_cmpstr (pigeon_eml_get_from (eml), ==, "ann@example.org");
  /* To, Cc and Bcc in that order whatever the order in the file; john@x.org once, since a
   * domain has no case, but John@X.ORG kept apart: the local part may have one. */
  g_assert_cmpstrv (pigeon_eml_get_recipients (eml), recipients);
}

static void
test_8bit (void)
{
  const char *messages[] = {
    "From: ann@example.org\nTo: bob@example.org\n\nPlain text\n",
    "From: ann@example.org\nTo: bob@example.org\n\nGrüße\n",
    "From: ann@example.org\nSubject: Grüße\n\nPlain\n",
    "From: ann@example.org\nBcc: Jörg <joerg@example.org>\nTo: bob@example.org\n\nPlain\n",
    "From: ann@example.org\nBcc: joerg@example.org,\n Sørén <s@example.org>\n\nPlain\n",
  };
  const gboolean expected[G_N_ELEMENTS (messages)] = { FALSE, TRUE, TRUE, FALSE, FALSE };

  for (gsize i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr (GFile) file = make_file (messages[i], -1);
      g_autoptr (PigeonEml) eml = open_ok (file);
      g_autoptr (GBytes) bytes = write_to_bytes (eml);
      g_autofree char *written =
        g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpint (pigeon_eml_is_8bit (eml), ==, expected[i]);
      g_assert_cmpint (!g_str_is_ascii (written), ==, expected[i]);
    }
}

/* 20 MB through a stream that keeps nothing: the size and the checksum of the bytes must be
 * those the test computed while making the file. */
static void
test_large (void)
{
  const char *head =
    "From: ann@example.org\r\nBcc: carl@example.org\r\nTo: bob@example.org\r\n\r\n";
  const char *kept = "From: ann@example.org\r\nTo: bob@example.org\r\n\r\n";
  g_autoptr (GChecksum) expected = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GString) block = g_string_new (NULL);
  g_autofree char *path = g_build_filename (tmp_dir, LARGE_NAME, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileOutputStream) out = g_file_replace (file, NULL, FALSE, 0, NULL, NULL);
  g_autoptr (TestCountingStream) counter = g_object_new (TEST_TYPE_COUNTING_STREAM, NULL);
  g_autoptr (PigeonEml) eml = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (
    g_output_stream_write_all (G_OUTPUT_STREAM (out), head, strlen (head), NULL, NULL, NULL));
  g_checksum_update (expected, (const guchar *) kept, -1);
  for (int i = 0; i < 12500; i++)
    g_string_append_printf (block, "%078d\r\n", i);
  for (int i = 0; i < 20; i++)
    {
      g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (out), block->str, block->len, NULL,
                                                NULL, NULL));
      g_checksum_update (expected, (const guchar *) block->str, block->len);
    }
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL));

  eml = open_ok (file);
  g_assert_cmpint (pigeon_eml_get_size (eml), ==, strlen (kept) + 20 * block->len);
  g_assert_false (pigeon_eml_is_8bit (eml));
  g_assert_true (pigeon_eml_write (eml, G_OUTPUT_STREAM (counter), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter->count, ==, strlen (kept) + 20 * block->len);
  g_assert_cmpstr (g_checksum_get_string (counter->checksum), ==, g_checksum_get_string (expected));
}

static void
assert_open_fails (GFile *file, int code, const char *part)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonEml) eml = pigeon_eml_open (file, NULL, &error);
  g_autofree char *name = g_file_get_parse_name (file);

  g_assert_null (eml);
  g_assert_error (error, PIGEON_MIME_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, part));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_error_file (void)
{
  g_autoptr (GFile) dir = g_file_new_for_path (tmp_dir);
  g_autoptr (GFile) missing = g_file_get_child (dir, "missing.eml");

  assert_open_fails (missing, PIGEON_MIME_ERROR_FILE, "Could not read");
  /* Root may read a file without permissions, so a folder is the unreadable file here. */
  assert_open_fails (dir, PIGEON_MIME_ERROR_FILE, "Could not read");
}

static void
test_error_not_message (void)
{
  const char *cases[] = {
    "",
    "From ann@example.org Mon Jan  5 10:00:00 2026\nFrom: ann@example.org\n\nBody\n",
    "Hello Bob,\n\nhow are you?\n",
    " To: bob@example.org\n\nBody\n",
    "\nTo: bob@example.org\n",
    "\r\nBody\r\n",
    ": no name\n\nBody\n",
    "Sub ject: x\n\nBody\n",
    "Sübject: x\n\nBody\n",
    "From: ann@example.org\nTo: bob@example.org\nHello Bob\nBcc: carl@example.org\n\nBody\n",
    "From: ann@example.org\nSubject: a\0b\n\nBody\n",
  };
  const gsize lengths[G_N_ELEMENTS (cases)] = { [10] = 41 };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gssize len = lengths[i] > 0 ? (gssize) lengths[i] : -1;
      g_autoptr (GFile) file = make_file (cases[i], len);

      assert_open_fails (file, PIGEON_MIME_ERROR_BAD_INPUT, "is not an email message");
    }
}

/* A message whose header section, the empty line included, is @size bytes long. */
static GFile *
make_header_of_size (gsize size)
{
  g_autoptr (GString) message = g_string_new ("From: ann@example.org\r\n");

  append_filler (message, size - message->len - 2, "\r\n");
  g_string_append (message, "\r\nBody\r\n");
  return make_file (message->str, message->len);
}

static void
test_error_header_too_long (void)
{
  g_autoptr (GFile) just_fits = make_header_of_size (PIGEON_EML_MAX_HEADER_BYTES);
  g_autoptr (PigeonEml) eml = open_ok (just_fits);
  g_autoptr (GFile) too_long = make_header_of_size (PIGEON_EML_MAX_HEADER_BYTES + 1);
  g_autofree char *one_line = g_strnfill (3 * PIGEON_EML_MAX_HEADER_BYTES, 'x');
  g_autoptr (GFile) endless = NULL;

  assert_open_fails (too_long, PIGEON_MIME_ERROR_BAD_INPUT, "is not an email message");
  memcpy (one_line, "Subject: ", 9);
  endless = make_file (one_line, -1);
  assert_open_fails (endless, PIGEON_MIME_ERROR_BAD_INPUT, "is not an email message");
}

static void
test_error_address (void)
{
  /* GMime reads some of these as something else: "foo" as an address without a domain,
   * "a@b; c@d" and "a@b@c" as only a@b, "<a@b> junk" as a@b and "junk". */
  g_auto (GStrv) values =
    g_strsplit (",,,|<<>>|a@|foo|<>|John Doe|<bob@example.org> junk|"
                "bob@example.org; carl@example.org|bob@example.org@evil.example",
                "|", -1);
  const char *fields[] = { "To", "cc", "Bcc", "From" };

  for (gsize i = 0; values[i] != NULL; i++)
    for (gsize j = 0; j < G_N_ELEMENTS (fields); j++)
      {
        g_autofree char *message =
          g_strdup_printf ("Subject: x\n%s: %s\n\nBody\n", fields[j], values[i]);
        g_autofree char *quoted = g_strdup_printf ("“%s”", values[i]);
        g_autofree char *field = g_strdup_printf (" %s ", fields[j]);
        g_autoptr (GFile) file = make_file (message, -1);

        assert_open_fails (file, PIGEON_MIME_ERROR_BAD_INPUT, quoted);
        assert_open_fails (file, PIGEON_MIME_ERROR_BAD_INPUT, field);
      }
}

/* What the message quotes can be shown: no control characters, and not too long. */
static void
test_error_address_quoted (void)
{
  g_autofree char *garbage = g_strnfill (500, '<');
  g_autofree char *message = g_strdup_printf ("To: \x01\x02 %s\n\nBody\n", garbage);
  g_autoptr (GFile) file = make_file (message, -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (PigeonEml) eml = pigeon_eml_open (file, NULL, &error);

  g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "<<<<<"));
  g_assert_null (strstr (error->message, garbage));
  g_assert_nonnull (strstr (error->message, "…"));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, ' ');
}

/* Bigger than a few chunks, so that a change can come between two reads. */
static GFile *
make_changing_file (PigeonEml **eml)
{
  g_autoptr (GString) message = g_string_new ("From: ann@example.org\nTo: bob@example.org\n");
  GFile *file = NULL;

  append_filler (message, 3 * CHUNK, "\n");
  g_string_append (message, "\nBody\n");
  file = make_file (message->str, message->len);
  *eml = open_ok (file);
  return file;
}

/* The Bcc ranges found at open are only right for the same bytes: changed before the write,
 * or while it goes on, the file must not go out. */
static void
test_error_changed (void)
{
  for (FileChange change = 0; change < N_CHANGES; change++)
    for (int during = 0; during < 2; during++)
      {
        g_autoptr (PigeonEml) eml = NULL;
        g_autoptr (GFile) file = make_changing_file (&eml);
        g_autoptr (TestCountingStream) counter = g_object_new (TEST_TYPE_COUNTING_STREAM, NULL);
        g_autoptr (GError) error = NULL;

        /* While writing, only the size is checked: an edit of the same size goes unnoticed. */
        if (during && change == CHANGE_EDIT)
          continue;
        counter->change = change;
        if (during)
          counter->change_on_write = g_object_ref (file);
        else
          change_file (file, change);
        g_assert_false (pigeon_eml_write (eml, G_OUTPUT_STREAM (counter), NULL, &error));
        g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_FILE);
        g_assert_nonnull (strstr (error->message, "changed while it was being sent"));
        /* Nothing beyond what was announced may have gone out; before the write, nothing. */
        g_assert_cmpuint (counter->count, <=, during ? pigeon_eml_get_size (eml) : 0);
      }
}

/* The stream's own error comes back unchanged: it is about where the bytes go, not the file. */
static void
test_write_error (void)
{
  g_autoptr (PigeonEml) eml = NULL;
  g_autoptr (GFile) file = make_changing_file (&eml);
  g_autofree char *buffer = g_malloc (CHUNK + 10);
  g_autoptr (GOutputStream) full = g_memory_output_stream_new (buffer, CHUNK + 10, NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (pigeon_eml_write (eml, full, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
}

/* What the DATA stream makes of @bytes (line breaks made CRLF, leading dots doubled, a final
 * line break when missing), without its closing ".\r\n" and the doubled dots: the size that
 * SIZE= must declare (RFC 1870). */
static gsize
carried_size (GBytes *bytes)
{
  g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) data = pigeon_smtp_data_stream_new (sink);
  g_autoptr (GError) error = NULL;
  gsize size = 0, dots = 0;
  const char *wire = NULL;

  g_assert_true (g_output_stream_write_all (data, g_bytes_get_data (bytes, NULL),
                                            g_bytes_get_size (bytes), NULL, NULL, &error));
  g_assert_true (pigeon_smtp_data_stream_finish (PIGEON_SMTP_DATA_STREAM (data), NULL, &error));
  g_assert_no_error (error);
  wire = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink));
  g_assert_cmpuint (size, >=, 3);
  for (gsize i = 0; i + 1 < size - 3; i++)
    dots += wire[i] == '.' && wire[i + 1] == '.' && (i == 0 || wire[i - 1] == '\n');
  return size - 3 - dots;
}

/* A file with LF line ends travels with CRLF: SIZE= must count the CRs the DATA stream adds
 * (and its final line break), not the file's bytes, or a server at its limit refuses it late. */
static void
test_wire_size (void)
{
  static const char *const inputs[] = {
    "From: a@example.org\r\nTo: b@example.org\r\n\r\nCRLF throughout.\r\n",
    "From: a@example.org\nTo: b@example.org\n\nLF throughout.\nTwo lines.\n",
    "From: a@example.org\nBcc: hidden@example.org,\n  second@example.org\nTo: b@example.org\n\nx\n",
    "From: a@example.org\r\nTo: b@example.org\n\r\nmixed\rbare CR\n\r\n",
    "From: a@example.org\nTo: b@example.org\n\nno final line break",
    "From: a@example.org\nTo: b@example.org\n\nends in a bare CR\r",
    "From: a@example.org\nTo: b@example.org\n\n.leading dot\n..two\n",
    "From: a@example.org\nTo: b@example.org\nBcc: last@example.org\n",
    "To: b@example.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GFile) file = make_file (inputs[i], -1);
      g_autoptr (PigeonEml) eml = open_ok (file);
      g_autoptr (GBytes) written = write_to_bytes (eml);

      g_test_message ("input %u", i);
      g_assert_cmpint (pigeon_eml_get_wire_size (eml), ==, carried_size (written));
    }
}

/* Bare CR and LF on either side of the 64 KiB read boundary, and a CR at its very end with the
 * LF just after it: one line break, not two. */
static void
test_wire_size_chunk_boundaries (void)
{
  static const char *const breaks[] = { "\r\n", "\n", "\r" };

  for (gsize at = 65530; at < 65540; at++)
    for (guint shape = 0; shape < G_N_ELEMENTS (breaks); shape++)
      {
        g_autoptr (GString) text = g_string_new ("From: a@example.org\nTo: b@example.org\n\n");
        g_autoptr (GFile) file = NULL;
        g_autoptr (PigeonEml) eml = NULL;
        g_autoptr (GBytes) written = NULL;

        while (text->len < at)
          g_string_append_c (text, 'x');
        g_string_append (text, breaks[shape]);
        g_string_append (text, "after\n");
        file = make_file (text->str, (gssize) text->len);
        eml = open_ok (file);
        written = write_to_bytes (eml);
        g_assert_cmpint (pigeon_eml_get_wire_size (eml), ==, carried_size (written));
      }
}

/* A message being resent: the newest Resent- block gives the envelope; an older block and the
 * original To/Bcc are history; every Bcc and Resent-Bcc field is cut out. */
static void
test_resent (void)
{
  const char *input = "Resent-From: Rita <rita@example.org>\r\n"
                      "Resent-To: new@example.org\r\n"
                      "Resent-Bcc: secret@example.org\r\n"
                      "Resent-Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n"
                      "Received: from somewhere\r\n"
                      "Resent-From: old-resender@example.org\r\n"
                      "Resent-To: old-target@example.org\r\n"
                      "Resent-Bcc: old-secret@example.org\r\n"
                      "From: ann@example.org\r\n"
                      "To: bob@example.org\r\n"
                      "Bcc: original-secret@example.org\r\n"
                      "Subject: hello\r\n"
                      "\r\n"
                      "Body.\r\n";
  const char *expected = "Resent-From: Rita <rita@example.org>\r\n"
                         "Resent-To: new@example.org\r\n"
                         "Resent-Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n"
                         "Received: from somewhere\r\n"
                         "Resent-From: old-resender@example.org\r\n"
                         "Resent-To: old-target@example.org\r\n"
                         "From: ann@example.org\r\n"
                         "To: bob@example.org\r\n"
                         "Subject: hello\r\n"
                         "\r\n"
                         "Body.\r\n";
  const char *recipients[] = { "new@example.org", "secret@example.org", NULL };
  g_autoptr (GFile) file = make_file (input, -1);
  g_autoptr (PigeonEml) eml = open_ok (file);

  g_assert_cmpstr (pigeon_eml_get_from (eml), ==, "rita@example.org");
  g_assert_cmpstrv (pigeon_eml_get_recipients (eml), recipients);
  assert_written (eml, expected, strlen (expected));
}

int
main (int argc, char *argv[])
{
  g_autofree char *message = NULL, *large = NULL;
  int status = 0;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("pigeon-eml-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  for (gsize i = 0; i < G_N_ELEMENTS (message_cases); i++)
    g_test_add_data_func (message_cases[i].path, &message_cases[i], test_message);
  g_test_add_func ("/eml/write/nul-in-body", test_nul_in_body);
  g_test_add_func ("/eml/write/large", test_large);
  g_test_add_func ("/eml/write/error", test_write_error);
  g_test_add_func ("/eml/address/fields", test_addresses);
  g_test_add_func ("/eml/bcc/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/eml/8bit", test_8bit);
  g_test_add_func ("/eml/wire-size", test_wire_size);
  g_test_add_func ("/eml/wire-size/chunk-boundaries", test_wire_size_chunk_boundaries);
  g_test_add_func ("/eml/resent", test_resent);
  g_test_add_func ("/eml/error/file", test_error_file);
  g_test_add_func ("/eml/error/not-a-message", test_error_not_message);
  g_test_add_func ("/eml/error/header-too-long", test_error_header_too_long);
  g_test_add_func ("/eml/error/address", test_error_address);
  g_test_add_func ("/eml/error/address-quoted", test_error_address_quoted);
  g_test_add_func ("/eml/error/changed", test_error_changed);
  status = g_test_run ();

  g_remove (message = g_build_filename (tmp_dir, MESSAGE_NAME, NULL));
  g_remove (large = g_build_filename (tmp_dir, LARGE_NAME, NULL));
  g_assert_cmpint (g_rmdir (tmp_dir), ==, 0);
  g_free (tmp_dir);
  return status;
}
