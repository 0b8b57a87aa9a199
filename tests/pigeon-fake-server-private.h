/* pigeon-fake-server-private.h: what the parts of PigeonFakeServer share (the script runner
 * and its I/O in pigeon-fake-server.c, the record in pigeon-fake-server-record.c, the normal
 * server in pigeon-fake-smtpd.c); tests include pigeon-fake-server.h only
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-fake-server.h"

G_BEGIN_DECLS

/* A line the client sent, as recorded. */
typedef struct
{
  char *text;
  guint turn;
  gboolean tls;
} PigeonFakeLine;

struct _PigeonFakeServer
{
  GObject parent_instance;

  /* Set before start, then read only by the server thread. */
  GTlsCertificate *certificate;
  GArray *script; /* of Step */
  char **caps_before_tls;
  char **caps_after_tls;
  char *user;
  char *password;
  GPtrArray *overrides; /* glob, reply, glob, reply, … */

  GSocketListener *listener;
  GCancellable *cancellable;
  GThread *thread;
  guint16 port;

  /* Server thread only. */
  GIOStream *stream;
  GSocket *socket;
  GByteArray *input;
  GString *pending;
  gboolean tls;
  gboolean in_transaction;
  gboolean in_chunks; /* BDAT chunks came, not yet the LAST one */
  guint n_recipients;

  /* Under lock: what the tests read. */
  GMutex lock;
  GCond cond;
  GArray *lines; /* of PigeonFakeLine */
  GByteArray *data;
  guint turn;
  guint n_messages;
  gboolean done;
  char *failure;
};

/* Helpers of pigeon-fake-server.c. The I/O ones run on the server thread only; they return
 * FALSE (or NULL) when the connection is over. */
char *pigeon_fake_server_to_crlf (const char *reply);
gboolean pigeon_fake_server_glob_matches (const char *glob, const char *text);
gboolean pigeon_fake_server_write (PigeonFakeServer *self, const void *bytes, gsize length);
GBytes *pigeon_fake_server_read_raw_line (PigeonFakeServer *self);
char *pigeon_fake_server_read_line (PigeonFakeServer *self);
gboolean pigeon_fake_server_read_exact (PigeonFakeServer *self, guint64 length, GByteArray *out);
gboolean pigeon_fake_server_wait_input (PigeonFakeServer *self, guint ms);
gboolean pigeon_fake_server_handshake (PigeonFakeServer *self);

/* pigeon-fake-server-record.c: recording, from the server thread. */
void pigeon_fake_server_line_clear (gpointer data);
void pigeon_fake_server_set_failure (PigeonFakeServer *self, const char *format, ...)
  G_GNUC_PRINTF (2, 3);
void pigeon_fake_server_record_line (PigeonFakeServer *self, const char *text);

/* pigeon-fake-smtpd.c: the normal server, until the connection is over. */
void pigeon_fake_smtpd_serve (PigeonFakeServer *self);

G_END_DECLS
