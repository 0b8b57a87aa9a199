/* pigeon-send-options.h: pigeon-send's command line
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-smtp-client.h"

G_BEGIN_DECLS

typedef struct
{
  /* the server and logging in */
  char *account;
  char *server;
  char *security;
  char *user;
  char *password_file;
  char *auth;
  gboolean insecure_auth;
  char *ca_file;
  int timeout;

  /* the envelope and the message */
  char *from;
  char **to;
  char **cc;
  char **bcc;
  char *eml;
  char *subject;
  char *body;
  char *body_file;
  char **attach;
  char **inline_images;

  /* what to show */
  gboolean dry_run;
  gboolean transcript;
  gboolean quiet;
  gboolean version;
} PigeonSendOptions;

void pigeon_send_options_clear (PigeonSendOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PigeonSendOptions, pigeon_send_options_clear)

/* Parses and checks the combination (G_OPTION_ERROR on a usage mistake). */
gboolean
pigeon_send_options_parse (PigeonSendOptions *options, int *argc, char ***argv, GError **error);

/* Whether the message is composed from --subject/--body/--attach/--inline (not --eml). */
gboolean pigeon_send_options_composes (const PigeonSendOptions *options);

/* "host", "host:port", "[v6]:port" or "[v6]". */
gboolean pigeon_send_parse_server (const char *text, char **host, guint16 *port, GError **error);

gboolean
pigeon_send_parse_security (const char *text, PigeonSmtpSecurity *security, GError **error);

/* The first line of @path; the file's contents are wiped from memory once read. */
char *pigeon_send_read_password_file (const char *path, GError **error);

/* Asks on the terminal, without echo. NULL (and an error) when there is no terminal. */
char *pigeon_send_ask_password (const char *prompt, GError **error);

/* Overwrites and frees a secret. */
void pigeon_send_wipe_free (char *secret);

G_END_DECLS
