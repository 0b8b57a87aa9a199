/* pigeon-address-guard.h: what pigeon-address.c checks in an element of a list before and after
 * GMime reads it, where GMime would read something else than was typed
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A '\\' outside quoted strings and comments: GMime reads "ann@x\\y.org" as "ann@x", dropping
 * the rest without a word. */
gboolean pigeon_address_has_bare_backslash (const char *element);

/* The ',' inside quoted strings of @element. GMime skips text it cannot read up to the next ','
 * even inside quotes, and reads on from there: ".\"d,bob@x.org\"" came back as bob@x.org. A
 * reading that shows fewer commas than the quoted strings held has dropped some of the text. */
guint pigeon_address_count_quoted_commas (const char *element);

G_END_DECLS
