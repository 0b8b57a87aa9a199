/* pigeon-address-guard.h: what pigeon-address.c checks in an element of a list before and after
 * GMime reads it, where GMime would read something else than was typed
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gmime/gmime.h>

G_BEGIN_DECLS

/* A '\\' outside quoted strings and comments: GMime reads "ann@x\\y.org" as "ann@x", dropping
 * the rest without a word. */
gboolean pigeon_address_has_bare_backslash (const char *element);

/* The ',' inside quoted strings of @element. GMime skips text it cannot read up to the next ','
 * even inside quotes, and reads on from there: ".\"d,bob@x.org\"" came back as bob@x.org. A
 * reading that shows fewer commas than the quoted strings held has dropped some of the text. */
guint pigeon_address_count_quoted_commas (const char *element);

/* @element with each ',' inside a quoted string or a comment replaced by a control character,
 * which GMime cannot skip to: handed this, GMime never skips into a quoted string (see below).
 * Skipping there, GMime 3.2.13 also leaked the address it read next when an unclosed comment
 * followed it (fuzz-address). Control characters are refused in what was typed, so the
 * replacement stands for a ',' only. */
char *pigeon_address_hide_commas (const char *element);
/* The commas pigeon_address_hide_commas() replaced, back in the name and address of the one
 * mailbox GMime read (nothing when it read anything else: that is refused anyway). */
void pigeon_address_unhide_commas (InternetAddressList *list);

G_END_DECLS
