/* pigeon-smtp-capabilities.h: what a server says it can do in its EHLO reply
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-smtp-reply.h"

G_BEGIN_DECLS

/* SASL mechanisms Pigeon knows, as bits so that a set of them fits in one value. */
typedef enum
{
  PIGEON_SMTP_AUTH_NONE = 0,
  PIGEON_SMTP_AUTH_PLAIN = 1 << 0,
  PIGEON_SMTP_AUTH_LOGIN = 1 << 1,
  PIGEON_SMTP_AUTH_CRAM_MD5 = 1 << 2,
  PIGEON_SMTP_AUTH_XOAUTH2 = 1 << 3,
} PigeonSmtpAuthMechanism;

#define PIGEON_SMTP_AUTH_ALL                                                     \
  (PIGEON_SMTP_AUTH_PLAIN | PIGEON_SMTP_AUTH_LOGIN | PIGEON_SMTP_AUTH_CRAM_MD5 | \
   PIGEON_SMTP_AUTH_XOAUTH2)

/**
 * PigeonSmtpCapabilities:
 * @size_declared: the server sent a SIZE keyword
 * @size_limit: its value; 0 when absent or when the server declared no fixed limit ("SIZE 0")
 * @auth: the mechanisms offered, from "AUTH …" and the legacy "AUTH=…" lines, unknown ones
 *   ignored
 */
typedef struct
{
  gboolean starttls;
  gboolean pipelining;
  gboolean eightbitmime;
  gboolean smtputf8;
  gboolean enhanced_status_codes;
  gboolean chunking;
  gboolean dsn;
  gboolean size_declared;
  guint64 size_limit;
  PigeonSmtpAuthMechanism auth;
} PigeonSmtpCapabilities;

/* Fills @caps from a positive EHLO reply: the first line (the server's name) is skipped, each
 * other line is a keyword (case-insensitive) with optional parameters. Anything unknown or
 * malformed (a SIZE that is not a number) is ignored rather than fatal: a capability we
 * cannot read is one we do not use. Clears @caps first. */
void pigeon_smtp_capabilities_parse (PigeonSmtpCapabilities *caps, const PigeonSmtpReply *ehlo);

G_END_DECLS
