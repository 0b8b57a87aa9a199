/* pigeon-address.h: email addresses as people type them (RFC 5322 mailboxes)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pigeon-mime-error.h"

G_BEGIN_DECLS

/**
 * PigeonAddress:
 * @display_name: the name shown with the address ("Ana Núñez"), decoded from encoded words,
 *   UTF-8; %NULL when there is none
 * @address: the bare address, local@domain, UTF-8 as typed (an internationalized domain stays in
 *   Unicode here: the SMTP envelope converts it to its A-label form)
 */
typedef struct
{
  char *display_name;
  char *address;
} PigeonAddress;

PigeonAddress *pigeon_address_new (const char *display_name, const char *address);
PigeonAddress *pigeon_address_copy (const PigeonAddress *address);
void pigeon_address_free (PigeonAddress *address);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PigeonAddress, pigeon_address_free)

/* "Ana Núñez <ana@example.org>" or "ana@example.org", for showing to people (not a header). */
char *pigeon_address_to_display_string (const PigeonAddress *address);

/**
 * pigeon_address_list_parse:
 * @text: what the user typed, e.g. `Ana Núñez <ana@example.org>, "Doe, John" <john@x.org>,
 * bob@x.org`
 * @field: the field's name for error messages ("To", "Cc", "From"…), already translated
 *
 * Parses a comma-separated list of mailboxes with GMime: display names (quoted, with commas,
 * with encoded words), angle-bracketed or bare addresses, and groups ("Team: a@x.org, b@x.org;",
 * whose members are taken; an empty group gives none). Refuses, with PIGEON_MIME_ERROR_BAD_INPUT
 * naming @field and quoting the offending part (made printable, shortened): CR, LF, NUL or other
 * control characters anywhere; invalid UTF-8; an element that is not a mailbox; an address that
 * is not local@domain; and anything GMime would silently drop (e.g. "a@b; c@d" must not lose c@d).
 *
 * Returns: (transfer full) (element-type PigeonAddress): the mailboxes in order, without
 * duplicates (same local part, same domain ignoring case); empty for blank @text.
 */
GPtrArray *pigeon_address_list_parse (const char *text, const char *field, GError **error);

/* Exactly one mailbox (for From). An empty text or more than one mailbox is an error. */
PigeonAddress *pigeon_address_parse_mailbox (const char *text, const char *field, GError **error);

G_END_DECLS
