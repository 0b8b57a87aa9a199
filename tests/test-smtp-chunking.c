/* test-smtp-chunking.c: BDAT (RFC 3030) against the scripted server: one burst for one
 * recipient, nothing delivered when anything is refused, and never a byte more than announced
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-test-client.h"

#define CHUNKING_CAPS "PIPELINING\nCHUNKING\n8BITMIME"

/* A leading dot (DATA would double it, BDAT must not) and bare LF line ends (made CRLF). */
#define DOTTED_TEXT \
  "From: alice@example.org\nTo: bob@example.org\nSubject: dots\n\n.hidden?\n..two\nend\n"
#define DOTTED_WIRE                                                                     \
  "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: dots\r\n\r\n.hidden?\r\n" \
  "..two\r\nend\r\n"

static PigeonFakeServer *
chunking_server (void)
{
  PigeonFakeServer *server = pigeon_fake_server_new (NULL);

  pigeon_fake_server_set_capabilities (server, CHUNKING_CAPS, "");
  pigeon_fake_server_greet_and_serve (server);
  return server;
}

static PigeonSmtpMessage *
message_with_sizes (const char *text, gint64 size, gint64 wire_size)
{
  PigeonSmtpMessage *message = pigeon_test_client_message_new (text, FALSE);

  pigeon_smtp_message_set_size (message, size);
  pigeon_smtp_message_set_wire_size (message, wire_size);
  return message;
}

static void
collect_transcript_cb (PigeonSmtpTranscriptKind kind, const char *line, gpointer user_data)
{
  if (kind != PIGEON_SMTP_TRANSCRIPT_INFO)
    g_ptr_array_add (user_data, g_strdup_printf ("%c %s", "CS"[kind], line));
}

/* Sends @message to @recipient; the client's side of the dialogue in @transcript, if given. */
static void
send_to (PigeonFakeServer *server,
         PigeonSmtpMessage *message,
         const char *recipient,
         GPtrArray *transcript,
         GError **error)
{
  g_autoptr (PigeonSmtpClient) client = NULL;
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_test_client_envelope_new (recipient, NULL);

  pigeon_fake_server_start (server);
  client = pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  if (transcript != NULL)
    pigeon_smtp_client_set_transcript_func (client, collect_transcript_cb, transcript);
  pigeon_smtp_client_send_sync (client, envelope, message, NULL, error);
  pigeon_test_client_assert_hung_up (server);
}

static guint
index_of_prefix (GPtrArray *lines, const char *prefix)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (lines, i), prefix))
      return i;
  g_error ("no line “%s…” in the transcript", prefix);
}

/* MAIL, RCPT, BDAT LAST with the content, and QUIT, all before the first reply is read; the
 * server gets the content as written, CRLF line ends and no doubled dot. */
static void
test_one_burst (void)
{
  g_autoptr (PigeonFakeServer) server = chunking_server ();
  g_autoptr (PigeonSmtpMessage) message =
    message_with_sizes (DOTTED_TEXT, strlen (DOTTED_TEXT), strlen (DOTTED_WIRE));
  g_autoptr (GBytes) data = NULL;
  g_autofree char *bdat = g_strdup_printf ("BDAT %zu LAST", strlen (DOTTED_WIRE));
  g_autoptr (GPtrArray) transcript = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  guint first = 0;
  int mail = -1;

  send_to (server, message, "bob@example.org", transcript, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
  mail = pigeon_fake_server_find (server, "MAIL FROM:*");
  g_assert_cmpint (mail, >=, 0);
  g_assert_cmpint (pigeon_fake_server_find (server, "RCPT TO:<bob@example.org>"), ==, mail + 1);
  g_assert_cmpint (pigeon_fake_server_find (server, bdat), ==, mail + 2);
  g_assert_cmpint (pigeon_fake_server_find (server, "QUIT"), ==, mail + 3);
  /* Sent before any reply was read: the client's lines come first, then the four replies. */
  first = index_of_prefix (transcript, "C MAIL FROM:");
  g_assert_cmpuint (first + 8, ==, transcript->len);
  g_assert_cmpstr (g_ptr_array_index (transcript, first + 3), ==, "C QUIT");
  for (guint i = first + 4; i < transcript->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (transcript, i), "S 2"));
  g_assert_cmpint (pigeon_fake_server_find (server, "DATA"), ==, -1);
  data = pigeon_fake_server_get_data (server);
  g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), DOTTED_WIRE,
                   strlen (DOTTED_WIRE));
}

/* One recipient refused: the server has no one to deliver to, and nothing is delivered. */
static void
test_recipient_refused (void)
{
  g_autoptr (PigeonFakeServer) server = chunking_server ();
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (SIMPLE_TEXT, TRUE);
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_override (server, "RCPT TO:<nobody@example.org>*",
                               "550 5.1.1 <nobody@example.org>: Recipient address rejected");
  send_to (server, message, "nobody@example.org", NULL, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_RECIPIENT_REJECTED);
  pigeon_test_client_assert_message_contains (error, "Recipient address rejected");
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 0);
}

/* The sender refused: its reason is what the user sees; the chunk still went as announced, so
 * QUIT was read as a command and nothing of the content was. */
static void
test_sender_refused (void)
{
  g_autoptr (PigeonFakeServer) server = chunking_server ();
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (SIMPLE_TEXT, TRUE);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  int mail = -1;

  pigeon_fake_server_override (server, "MAIL FROM:*", "553 5.7.1 Sender address rejected");
  send_to (server, message, "bob@example.org", NULL, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_UNAVAILABLE);
  pigeon_test_client_assert_message_contains (error, "Sender address rejected");
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 0);
  lines = pigeon_fake_server_get_lines (server);
  mail = pigeon_fake_server_find (server, "MAIL FROM:*");
  g_assert_cmpuint (g_strv_length (lines), ==, (guint) mail + 4);
  g_assert_cmpstr (lines[mail + 3], ==, "QUIT");
}

static void
test_content_refused (void)
{
  g_autoptr (PigeonFakeServer) server = chunking_server ();
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (SIMPLE_TEXT, TRUE);
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_override (server, "BDAT LAST", "552 5.3.4 Message size exceeds fixed limit");
  send_to (server, message, "bob@example.org", NULL, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 0);
}

/* With several recipients, LAST would commit the message before a refusal is known: DATA. */
static void
test_several_recipients (void)
{
  g_autoptr (PigeonFakeServer) server = chunking_server ();
  g_autoptr (GError) error = NULL;

  pigeon_fake_server_start (server);
  pigeon_test_client_send_to_three (server, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pigeon_fake_server_find (server, "BDAT*"), ==, -1);
  g_assert_cmpint (pigeon_fake_server_find (server, "DATA"), >, 0);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 1);
}

/* A message source that writes more (or less) than its size: the bytes beyond what BDAT
 * announced would be read by the server as commands, so none of them goes out; the connection
 * is dropped and nothing is delivered. */
static void
test_size_mismatch (gconstpointer data)
{
  gboolean longer = GPOINTER_TO_INT (data);
  const char *text = "From: a@example.org\r\n\r\nx\r\nRSET\r\nMAIL FROM:<evil@example.org>\r\n";
  gint64 announced = longer ? 25 : (gint64) strlen (text) + 10;
  g_autoptr (PigeonFakeServer) server = chunking_server ();
  g_autoptr (PigeonSmtpMessage) message = message_with_sizes (text, announced, announced);
  g_autoptr (GError) error = NULL;

  send_to (server, message, "bob@example.org", NULL, &error);
  g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);
  g_assert_cmpuint (pigeon_fake_server_get_n_messages (server), ==, 0);
  g_assert_cmpint (pigeon_fake_server_find (server, "RSET"), ==, -1);
  g_assert_cmpint (pigeon_fake_server_find (server, "MAIL FROM:<evil@example.org>"), ==, -1);
  g_assert_cmpint (pigeon_fake_server_find (server, "QUIT"), ==, -1);
}

int
main (int argc, char **argv)
{
  pigeon_test_client_init (&argc, &argv);

  g_test_add_func ("/smtp/faults/chunking/one-burst", test_one_burst);
  g_test_add_func ("/smtp/faults/chunking/recipient-refused", test_recipient_refused);
  g_test_add_func ("/smtp/faults/chunking/sender-refused", test_sender_refused);
  g_test_add_func ("/smtp/faults/chunking/content-refused", test_content_refused);
  g_test_add_func ("/smtp/faults/chunking/several-recipients", test_several_recipients);
  g_test_add_data_func ("/smtp/faults/chunking/longer-than-announced", GINT_TO_POINTER (TRUE),
                        test_size_mismatch);
  g_test_add_data_func ("/smtp/faults/chunking/shorter-than-announced", GINT_TO_POINTER (FALSE),
                        test_size_mismatch);
  return g_test_run ();
}
