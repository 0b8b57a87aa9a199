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
 *   Unicode here, and one typed in its A-label form "xn--…" comes back in Unicode: the SMTP
 *   envelope converts it to its A-label form)
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

/* "Ana Núñez <ana@example.org>" or "ana@example.org", for showing to people (not a header). A
 * name with a character that would split it when typed back ("Doe, John") is shown in double
 * quotes, so that pigeon_address_list_parse() reads the string back as the same address. */
char *pigeon_address_to_display_string (const PigeonAddress *address);

/* For a GHashTable of PigeonAddress: two are the same mailbox when their local parts are equal
 * and their domains equal ignoring case (RFC 5321 leaves a local part's case to the receiving
 * server); display names do not count. */
guint pigeon_address_hash (gconstpointer address);
gboolean pigeon_address_equal (gconstpointer a, gconstpointer b);

/**
 * pigeon_address_list_parse:
 * @text: what the user typed, e.g. `Ana Núñez <ana@example.org>, "Doe, John" <john@x.org>,
 * bob@x.org`
 * @field: the field's name for error messages ("To", "Cc", "From"…), already translated
 *
 * Parses a comma-separated list of mailboxes with GMime: display names (quoted, with commas,
 * with encoded words), angle-bracketed or bare addresses, and groups ("Team: a@x.org, b@x.org;",
 * whose members are taken; an empty group gives none). Since people type them, a ';' outside a
 * group separates addresses as a ',' does ("a@b; c@d" is two), and empty elements are skipped
 * ("a@b, , c@d," is two; ",,," is none, not an error). Refuses, with PIGEON_MIME_ERROR_BAD_INPUT
 * naming @field and quoting the offending part (made printable, shortened): CR, LF or other
 * control characters anywhere (tabs are spaces; @text ends at a NUL), also in a name decoded
 * from encoded words; invalid UTF-8; an element that is not exactly one mailbox ("bob",
 * "<a@b> junk", "a@b c@d"); an address that is not local@domain; and anything GMime would
 * silently drop (e.g. "a@b@c" must not become a@b).
 *
 * Returns: (transfer full) (element-type PigeonAddress): the mailboxes in order, without
 * duplicates (pigeon_address_equal(): the first spelling is kept); empty for blank @text.
 */
GPtrArray *pigeon_address_list_parse (const char *text, const char *field, GError **error);

/* As pigeon_address_list_parse(), for a header field read from a message file, where RFC 5322
 * holds and nothing is guessed: a ';' only ends a group ("a@b; c@d" is an error, not two), and
 * a field with separators but no address at all (",,,") is an error. Empty elements between
 * addresses are still skipped (RFC 5322's obsolete syntax allows them). */
GPtrArray *pigeon_address_list_parse_header (const char *text, const char *field, GError **error);

/* Exactly one mailbox (for From), as pigeon_address_list_parse() reads it. An empty text or
 * more than one mailbox (even the same one twice) is an error. */
PigeonAddress *pigeon_address_parse_mailbox (const char *text, const char *field, GError **error);

G_END_DECLS
