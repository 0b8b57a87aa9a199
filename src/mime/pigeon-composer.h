/* pigeon-composer.h: turning what the user wrote into a MIME message (GMime 3)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pigeon-address.h"
#include "pigeon-composed-message.h"
#include "pigeon-mime-error.h"

G_BEGIN_DECLS

typedef enum
{
  PIGEON_RECIPIENT_TO,
  PIGEON_RECIPIENT_CC,
  PIGEON_RECIPIENT_BCC,
} PigeonRecipientKind;

typedef enum
{
  PIGEON_ATTACHMENT_INLINE,   /* an image shown in the body (multipart/related, by cid) */
  PIGEON_ATTACHMENT_ATTACHED, /* a file attached to the message (multipart/mixed) */
} PigeonAttachmentDisposition;

#define PIGEON_TYPE_COMPOSER (pigeon_composer_get_type ())
G_DECLARE_FINAL_TYPE (PigeonComposer, pigeon_composer, PIGEON, COMPOSER, GObject)

PigeonComposer *pigeon_composer_new (void);

/* One mailbox, "Name <addr>" or "addr" (see pigeon_address_parse_mailbox). */
gboolean pigeon_composer_set_from (PigeonComposer *self, const char *mailbox, GError **error);

/* A list as typed (see pigeon_address_list_parse); may be called several times. */
gboolean pigeon_composer_add_recipients (PigeonComposer *self,
                                         PigeonRecipientKind kind,
                                         const char *address_list,
                                         GError **error);

/* Refuses CR, LF and other control characters (they could start a new header) and invalid
 * UTF-8, with PIGEON_MIME_ERROR_BAD_INPUT naming the Subject field. */
gboolean pigeon_composer_set_subject (PigeonComposer *self, const char *subject, GError **error);

/* The text of the message, UTF-8; any line endings. Refuses invalid UTF-8 and NUL. */
gboolean pigeon_composer_set_body (PigeonComposer *self, const char *text, GError **error);

/**
 * pigeon_composer_add_file:
 * @display_name: (nullable): the file name the recipient sees; %NULL for the file's own name
 *
 * Adds a file by reference: only its first bytes are read now, to learn its content type from
 * the bytes (g_content_type_guess), and its size; its content is streamed when the message is
 * written. An INLINE file must really be an image (image/png, image/jpeg, image/gif, image/webp,
 * …) or it is refused with PIGEON_MIME_ERROR_BAD_INPUT; an unreadable file is
 * PIGEON_MIME_ERROR_FILE naming it. Nothing else in the composer changes on error.
 */
gboolean pigeon_composer_add_file (PigeonComposer *self,
                                   GFile *file,
                                   const char *display_name,
                                   PigeonAttachmentDisposition disposition,
                                   GCancellable *cancellable,
                                   GError **error);

/* Defaults: "Pigeon/VERSION", the time of build(). Tests set the date for reproducible output. */
void pigeon_composer_set_user_agent (PigeonComposer *self, const char *user_agent);
void pigeon_composer_set_date (PigeonComposer *self, GDateTime *date);

/**
 * pigeon_composer_build:
 *
 * Checks that there is a From and at least one recipient, then builds the message:
 * Date, Message-ID (on the From address's domain), MIME-Version, From, To, Cc (never Bcc),
 * Subject (RFC 2047 when not ASCII), User-Agent; the structure is
 * - text only: text/plain; charset=utf-8 (quoted-printable when needed; no line over 998 octets);
 * - with inline images: multipart/related { multipart/alternative { text/plain, text/html }, the
 *   images } — the HTML is the escaped text in paragraphs followed by <img src="cid:…"> for
 *   each image; each image has a globally unique Content-ID, Content-Disposition: inline with an
 *   RFC 2231 file name, base64;
 * - with attachments: all of the above inside multipart/mixed, followed by each attachment
 *   (Content-Disposition: attachment, RFC 2231 file name, base64).
 * The composer can be changed and built again afterwards.
 */
PigeonComposedMessage *pigeon_composer_build (PigeonComposer *self, GError **error);

G_END_DECLS
