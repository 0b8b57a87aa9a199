/* pigeon-test-servers.h: what the tests of pigeon-send against real SMTP servers (Postfix +
 * Dovecot SASL, aiosmtpd) on loopback share. tests/servers/start starts the servers and
 * writes the servers.ini that PIGEON_TEST_SERVERS names.
 *
 * Test messages are written with CRLF line endings; the test of each server checks that what
 * it stored is what was sent.
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DELIVERY_DEADLINE_S 15
#define POLL_INTERVAL_US    20000
#define SENDER              "alice@example.org"
#define TO_ADDR             "bob@example.org"
#define CC_ADDR             "carol@example.net"
#define BCC_ADDR            "dave@example.com"
/* Everyone a test message goes to. */
#define ALL_RCPTS ((const gchar *const[]){ TO_ADDR, CC_ADDR, BCC_ADDR, NULL })

typedef struct
{
  gchar *id;    /* Message-ID, without angle brackets */
  gchar *path;  /* the .eml given to pigeon-send */
  GBytes *wire; /* what the server must receive: the file without its Bcc header */
  GBytes *blob; /* the random bytes in the base64 attachment */
} PigeonTestMessage;

typedef struct
{
  gint status;
  gchar *out;
  gchar *err;
} PigeonTestSendResult;

void pigeon_test_message_free (PigeonTestMessage *msg);
void pigeon_test_send_result_free (PigeonTestSendResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonTestMessage, pigeon_test_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonTestSendResult, pigeon_test_send_result_free)

/* g_test_init(), and reads PIGEON_TEST_SERVERS and PIGEON_SEND. */
void pigeon_test_servers_init (int *argc, char ***argv);
/* g_test_run(), then cleans up. */
int pigeon_test_servers_run (void);
/* FALSE, and the test failed (not skipped), when the servers are not there. */
gboolean pigeon_test_servers_require (void);
/* A value from servers.ini; the test fails when it is not there. */
gchar *pigeon_test_servers_ini_get (const gchar *group, const gchar *key);
/* A file in a temporary folder that is removed after the next pigeon-send run. */
gchar *pigeon_test_servers_write_tmp_file (const gchar *name, const gchar *data, gsize len);

/* Writes TAG.eml with To, Cc and a Bcc header; msg->wire is the file minus its Bcc line. */
PigeonTestMessage *pigeon_test_servers_make_message (const gchar *tag, const gchar *to);
/* The attachment as received decodes to the random bytes that were sent. */
void pigeon_test_servers_assert_attachment_intact (const gchar *received,
                                                   const PigeonTestMessage *msg);
/* @got (sorted in place) holds the same strings as @want. */
void pigeon_test_servers_assert_same_set (GPtrArray *got, const gchar *const *want);

/* pigeon-send's arguments for the server in @group of servers.ini, with its credentials. */
GPtrArray *pigeon_test_servers_send_args (const gchar *group, gboolean with_ca);
void pigeon_test_servers_add_args (GPtrArray *args, ...) G_GNUC_NULL_TERMINATED;
/* Replaces the value that follows @option (e.g. a different --password-file). */
void pigeon_test_servers_replace_arg (GPtrArray *args, const gchar *option, const gchar *value);
/* Runs pigeon-send, bounded in time, and collects its exit status and output. */
PigeonTestSendResult *pigeon_test_servers_run_send (GPtrArray *args);
void pigeon_test_servers_assert_exit (const PigeonTestSendResult *result, gint expected);
gboolean pigeon_test_servers_contains_nocase (const gchar *haystack, const gchar *needle);

/* A wrong password is refused with exit status 77, and the message does not show it; @data
 * is the group of servers.ini. */
void pigeon_test_servers_test_wrong_password (gconstpointer data);

G_END_DECLS
