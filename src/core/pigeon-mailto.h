/* pigeon-mailto.h: mailto: links (RFC 6068) into a new draft
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pigeon-draft.h"

G_BEGIN_DECLS

/**
 * pigeon_mailto_apply:
 * @uri: e.g. "mailto:ana@example.org,bob@example.org?cc=carol@example.org&subject=Hi%20there"
 *
 * Adds a mailto: link (RFC 6068) to @draft: the addresses of the path and of "to" to To, "cc"
 * and "bcc" to theirs, the subject to Subject, the body to the text (percent-decoded UTF-8; "+"
 * is a plus, not a space). Nothing already written is lost: addresses are added after those
 * there, the text after the text; when the draft already has a subject, the link's goes at the
 * top of the added text instead. Line breaks in the body become "\n"; in the subject they
 * become spaces, so a link can never add a header. Other fields are ignored — notably
 * "attach"/"attachment", which some mail programs once honoured to send local files. A link
 * that is not mailto:, or decodes to invalid UTF-8 or NUL, is PIGEON_MAILTO_ERROR_INVALID and
 * leaves @draft unchanged. The addresses are not checked here: the window checks them as if
 * typed.
 */
gboolean pigeon_mailto_apply (PigeonDraft *draft, const char *uri, GError **error);

#define PIGEON_MAILTO_ERROR (pigeon_mailto_error_quark ())
typedef enum
{
  PIGEON_MAILTO_ERROR_INVALID,
} PigeonMailtoError;
GQuark pigeon_mailto_error_quark (void);

G_END_DECLS
