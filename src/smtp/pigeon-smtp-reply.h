/* pigeon-smtp-reply.h: SMTP replies and their parser
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A hostile server must not make us allocate without bound: a reply has at most this many
 * lines, and the line reader refuses longer lines (RFC 5321 allows 512 octets per reply line;
 * we accept more for real-world servers that ignore it). */
#define PIGEON_SMTP_REPLY_MAX_LINES       256
#define PIGEON_SMTP_REPLY_MAX_LINE_LENGTH 4096

/**
 * PigeonSmtpReply:
 * @code: the three-digit reply code, 200..599
 * @enhanced: the RFC 3463 enhanced status code of the first line ("5.7.8"), or "" if none
 * @lines: the text of each line, without the code, separator and enhanced code; always valid
 *   UTF-8 (invalid bytes replaced); never %NULL (an empty text gives an empty string)
 */
typedef struct
{
  guint code;
  char enhanced[16];
  GStrv lines;
} PigeonSmtpReply;

void pigeon_smtp_reply_free (PigeonSmtpReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonSmtpReply, pigeon_smtp_reply_free)

/* The whole reply on one line for people: "535 5.7.8 Authentication failed", lines joined by
 * a space. */
char *pigeon_smtp_reply_to_string (const PigeonSmtpReply *reply);

static inline gboolean
pigeon_smtp_reply_is_positive (const PigeonSmtpReply *reply)
{
  return reply->code >= 200 && reply->code < 300;
}

static inline gboolean
pigeon_smtp_reply_is_intermediate (const PigeonSmtpReply *reply)
{
  return reply->code >= 300 && reply->code < 400;
}

static inline gboolean
pigeon_smtp_reply_is_transient (const PigeonSmtpReply *reply)
{
  return reply->code >= 400 && reply->code < 500;
}

typedef enum
{
  PIGEON_SMTP_REPLY_PARSE_MORE, /* a continuation line: feed the next one */
  PIGEON_SMTP_REPLY_PARSE_DONE, /* the reply is complete: take it */
  PIGEON_SMTP_REPLY_PARSE_ERROR,
} PigeonSmtpReplyParseStatus;

typedef struct _PigeonSmtpReplyParser PigeonSmtpReplyParser;

PigeonSmtpReplyParser *pigeon_smtp_reply_parser_new (void);
void pigeon_smtp_reply_parser_free (PigeonSmtpReplyParser *parser);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonSmtpReplyParser, pigeon_smtp_reply_parser_free)

/* Feeds one reply line without its line ending. On error (a missing or malformed code, a code
 * that differs from the first line's, a NUL byte, too many lines) sets a PIGEON_SMTP_ERROR_PROTOCOL
 * error that quotes the offending line (made printable) and resets the parser. */
PigeonSmtpReplyParseStatus pigeon_smtp_reply_parser_feed (PigeonSmtpReplyParser *parser,
                                                          const char *line,
                                                          gsize length,
                                                          GError **error);

/* After PIGEON_SMTP_REPLY_PARSE_DONE: the finished reply; the parser is ready for the next. */
PigeonSmtpReply *pigeon_smtp_reply_parser_take_reply (PigeonSmtpReplyParser *parser);

G_END_DECLS
