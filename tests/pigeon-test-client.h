/* pigeon-test-client.h: PigeonSmtpClient pointed at a PigeonFakeServer, for the tests of the
 * client (test-smtp-faults.c, test-smtp-security.c)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-fake-server.h"
#include "pigeon-smtp-client.h"

G_BEGIN_DECLS

#define USER     "alice@example.org"
#define PASSWORD "s3cret-Pa55word"
#define SIMPLE_TEXT \
  "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nHello.\r\n"
#define WAIT_MS       5000
#define FAKE_HOSTNAME "mail.fake.test"

/* g_test_init(), and a default resolver that knows only FAKE_HOSTNAME and "localhost" (as
 * 127.0.0.1) and fails all other names, so that no test ever asks DNS or a proxy. */
void pigeon_test_client_init (int *argc, char ***argv);
/* How many look-ups the test resolver has failed so far. */
int pigeon_test_client_get_failed_lookups (void);

/* A message of @text, its size declared unless @size_known is FALSE. */
PigeonSmtpMessage *pigeon_test_client_message_new (const char *text, gboolean size_known);
/* From alice@example.org to the recipients given. */
PigeonSmtpEnvelope *pigeon_test_client_envelope_new (const char *first_recipient,
                                                     ...) G_GNUC_NULL_TERMINATED;
/* Shown with --verbose (or in the test log), for whoever debugs a failure. */
void pigeon_test_client_log_transcript_cb (PigeonSmtpTranscriptKind kind,
                                           const char *line,
                                           gpointer user_data);

/* A client for 127.0.0.1 at @server's port, trusting the test CA, logging its transcript. */
PigeonSmtpClient *
pigeon_test_client_new (PigeonFakeServer *server, PigeonSmtpSecurity security, guint timeout);
/* Sends @text to bob@example.org; returns the seconds it took. */
double pigeon_test_client_send_text (PigeonSmtpClient *client, const char *text, GError **error);
/* Sends SIMPLE_TEXT to bob@, nobody@ and ghost@example.org without security, and waits for
 * the client to hang up. */
void pigeon_test_client_send_to_three (PigeonFakeServer *server, GError **error);

/* The client must hang up when it is done, whatever happened. */
void pigeon_test_client_assert_hung_up (PigeonFakeServer *server);
void pigeon_test_client_assert_no_script_failure (PigeonFakeServer *server);
void pigeon_test_client_assert_message_contains (const GError *error, const char *text);

/* The SHA-256 fingerprint of the test certificate CERT_NAME.pem, as "AB:CD:…", the way a person
 * would copy it from a certificate viewer. */
char *pigeon_test_client_fingerprint_of (const char *cert_name);

G_END_DECLS
