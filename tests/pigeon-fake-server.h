/* pigeon-fake-server.h: a scripted SMTP server on loopback, for fault injection in tests
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A test writes the dialogue it wants, step by step, then starts the server and points a
 * client at 127.0.0.1:port. The server runs the script on one connection in its own thread and
 * records everything the client sent, so that the test can check what reached the wire:
 *
 *   pigeon_fake_server_send (server, "220 fake.test ESMTP");
 *   pigeon_fake_server_expect (server, "EHLO *", "250-fake.test\nSTARTTLS");
 *   pigeon_fake_server_expect (server, "STARTTLS", "220 2.0.0 Go ahead");
 *   pigeon_fake_server_start_tls (server);
 *   pigeon_fake_server_serve (server);
 *
 * Replies are given as text with lines separated by "\n"; each line is sent with CRLF and a
 * whole reply goes out in one write. Globs know "*" and "?" and are matched, ASCII case
 * ignored, against a line without its line ending. When the script runs out, the
 * server keeps reading (and recording) until the client closes the connection.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PIGEON_TYPE_FAKE_SERVER (pigeon_fake_server_get_type ())
G_DECLARE_FINAL_TYPE (PigeonFakeServer, pigeon_fake_server, PIGEON, FAKE_SERVER, GObject)

/* @cert_name: NULL for a server without TLS, else the base name of a certificate made by
 * tests/make-test-certs ("server", "untrusted", "wrong-host", "expired"): NAME.pem and
 * NAME-key.pem in the tests build directory. */
PigeonFakeServer *pigeon_fake_server_new (const char *cert_name);

/* The script, in order. */
void pigeon_fake_server_send (PigeonFakeServer *self, const char *reply);
void pigeon_fake_server_send_raw (PigeonFakeServer *self, const char *bytes);
/* Reads one line; if it does not match @glob the script fails (see get_failure) and the
 * connection is closed. @reply may be NULL: read without answering. */
void pigeon_fake_server_expect (PigeonFakeServer *self, const char *glob, const char *reply);
void pigeon_fake_server_start_tls (PigeonFakeServer *self);
void pigeon_fake_server_close (PigeonFakeServer *self);
/* Sends nothing for @ms milliseconds (still recording what arrives). */
void pigeon_fake_server_silence (PigeonFakeServer *self, guint ms);
/* Sends @reply (CRLF added) one byte at a time, @delay_ms apart. */
void pigeon_fake_server_drip (PigeonFakeServer *self, const char *reply, guint delay_ms);
/* Sends @prefix followed by @length bytes of "x" and CRLF, streamed in chunks. */
void pigeon_fake_server_huge_line (PigeonFakeServer *self, const char *prefix, gsize length);
/* Sends "@prefix-…" continuation lines until the client goes away (or a million lines). */
void pigeon_fake_server_endless_reply (PigeonFakeServer *self, const char *prefix);
/* Behaves like a normal submission server for the rest of the connection (no greeting). */
void pigeon_fake_server_serve (PigeonFakeServer *self);
/* A "220" greeting, then pigeon_fake_server_serve(). */
void pigeon_fake_server_greet_and_serve (PigeonFakeServer *self);

/* The normal server. @before_tls and @after_tls are the EHLO keywords ("PIPELINING\nSIZE
 * 1000\nAUTH PLAIN LOGIN") offered before and after TLS; it honours STARTTLS, SIZE,
 * PIPELINING and AUTH PLAIN/LOGIN as offered. With PIPELINING offered it holds its replies to
 * MAIL and RCPT while more commands are on their way (up to half a second), as a server
 * may (RFC 2920), so that get_turn() shows which commands were sent without waiting. */
void pigeon_fake_server_set_capabilities (PigeonFakeServer *self,
                                          const char *before_tls,
                                          const char *after_tls);
void
pigeon_fake_server_set_credentials (PigeonFakeServer *self, const char *user, const char *password);
/* In the normal server, a command matching @glob gets @reply instead and changes nothing.
 * The glob "." stands for the end of the message data, "BDAT LAST" for the last BDAT chunk (a
 * BDAT is answered after its chunk is read). A QUIT override closes afterwards. */
void pigeon_fake_server_override (PigeonFakeServer *self, const char *glob, const char *reply);

/* Starts listening and serving; returns the port on 127.0.0.1. */
guint16 pigeon_fake_server_start (PigeonFakeServer *self);
/* The same on another loopback address ("::1"); 0 if it cannot listen there. */
guint16 pigeon_fake_server_start_on (PigeonFakeServer *self, const char *address, GError **error);
guint16 pigeon_fake_server_get_port (PigeonFakeServer *self);

/* What happened; all thread-safe. The waits return FALSE when @timeout_ms passed first. */
gboolean pigeon_fake_server_wait_done (PigeonFakeServer *self, guint timeout_ms);
gboolean pigeon_fake_server_wait_lines (PigeonFakeServer *self, guint n_lines, guint timeout_ms);
/* Every line the client sent outside message data, without line endings. */
GStrv pigeon_fake_server_get_lines (PigeonFakeServer *self);
guint pigeon_fake_server_count (PigeonFakeServer *self, const char *glob);
/* The index of the first line matching @glob, or -1. */
int pigeon_fake_server_find (PigeonFakeServer *self, const char *glob);
/* How many times the server had written to the client when line @index arrived: lines with
 * the same turn were sent without waiting for a reply in between. */
guint pigeon_fake_server_get_turn (PigeonFakeServer *self, guint index);
/* Whether line @index arrived over TLS. */
gboolean pigeon_fake_server_get_line_tls (PigeonFakeServer *self, guint index);
/* The message data of the last DATA as it came on the wire (dot-stuffed, with the final
 * ".\r\n" when it arrived), and the number of messages accepted with 250. */
GBytes *pigeon_fake_server_get_data (PigeonFakeServer *self);
guint pigeon_fake_server_get_n_messages (PigeonFakeServer *self);
/* What went wrong on the server's side (a script mismatch, a failed TLS handshake), or NULL. */
char *pigeon_fake_server_get_failure (PigeonFakeServer *self);

/* A loopback port nothing listens on (bound, then closed): connecting is refused. */
guint16 pigeon_fake_server_closed_port (void);

G_END_DECLS
