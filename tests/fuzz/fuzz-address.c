/* fuzz-address.c: address lists as people type them and as message files hold them
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input, cut at its first NUL, goes to the three address parsers and to the SMTP
 * envelope's normalizer. What is checked: every address a parser returns is one a server can
 * take (local@domain, valid UTF-8, no control character), shows as text that reads back as the
 * same address, and is never turned into an SMTP path holding a line break.
 */
#define G_LOG_DOMAIN "pigeon-fuzz"

#include <string.h>

#include "pigeon-address.h"
#include "pigeon-fuzz-common.h"
#include "pigeon-smtp-envelope.h"
#include "pigeon-smtp-error.h"

#define FIELD "To"

static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)) && *p != '\t')
      return TRUE;
  return FALSE;
}

static void
check_error (const GError *error)
{
  g_assert_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_false (has_control_chars (error->message));
}

static void
assert_same_address (const PigeonAddress *a, const PigeonAddress *b)
{
  g_assert_cmpstr (a->address, ==, b->address);
  g_assert_cmpstr (a->display_name, ==, b->display_name);
}

/* What goes on the wire must never end a command early; what comes back must be stable. */
static void
check_normalized (const char *input)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = pigeon_smtp_address_normalize (input, NULL, &error);
  g_autofree char *again = NULL;

  if (path == NULL)
    {
      g_assert_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT);
      g_assert_null (strpbrk (error->message, "\r\n"));
      return;
    }
  g_assert_null (strpbrk (input, "\r\n"));
  g_assert_null (strpbrk (path, "\r\n<>"));
  g_assert_false (has_control_chars (path));
  g_assert_true (g_utf8_validate (path, -1, NULL));
  g_assert_cmpuint (strlen (path), <=, PIGEON_SMTP_MAX_PATH_LENGTH);
  again = pigeon_smtp_address_normalize (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, path);
}

static void
check_address (const PigeonAddress *address)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autofree char *shown = NULL;
  const char *at = strrchr (address->address, '@');

  g_assert_true (g_utf8_validate (address->address, -1, NULL));
  g_assert_false (has_control_chars (address->address));
  g_assert_nonnull (at);
  g_assert_true (at != address->address && at[1] != '\0');
  if (address->display_name != NULL)
    {
      g_assert_cmpstr (address->display_name, !=, "");
      g_assert_true (g_utf8_validate (address->display_name, -1, NULL));
      g_assert_false (has_control_chars (address->display_name));
    }

  shown = pigeon_address_to_display_string (address);
  again = pigeon_address_list_parse (shown, FIELD, &error);
  if (again == NULL)
    g_error ("“%s” does not read back: %s", shown, error->message);
  g_assert_cmpuint (again->len, ==, 1);
  assert_same_address (g_ptr_array_index (again, 0), address);

  check_normalized (address->address);
}

static GPtrArray *
check_list (GPtrArray *addresses, const GError *error)
{
  if (addresses == NULL)
    {
      check_error (error);
      return NULL;
    }
  g_assert_no_error (error);
  for (guint i = 0; i < addresses->len; i++)
    {
      check_address (g_ptr_array_index (addresses, i));
      for (guint j = 0; j < i; j++)
        g_assert_false (pigeon_address_equal (g_ptr_array_index (addresses, i),
                                              g_ptr_array_index (addresses, j)));
    }
  return addresses;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = pigeon_fuzz_cstring (data, size);
  g_autoptr (GError) typed_error = NULL;
  g_autoptr (GError) header_error = NULL;
  g_autoptr (GError) mailbox_error = NULL;
  g_autoptr (GPtrArray) typed = NULL;
  g_autoptr (GPtrArray) header = NULL;
  g_autoptr (PigeonAddress) mailbox = NULL;

  typed = check_list (pigeon_address_list_parse (text, FIELD, &typed_error), typed_error);
  header = check_list (pigeon_address_list_parse_header (text, FIELD, &header_error), header_error);
  mailbox = pigeon_address_parse_mailbox (text, FIELD, &mailbox_error);

  /* RFC 5322 as a message file holds it is a stricter reading of what people type. */
  if (header != NULL)
    {
      g_assert_nonnull (typed);
      g_assert_cmpuint (header->len, ==, typed->len);
      for (guint i = 0; i < header->len; i++)
        assert_same_address (g_ptr_array_index (header, i), g_ptr_array_index (typed, i));
    }
  /* One mailbox is a list of one, read the same way. */
  if (mailbox != NULL)
    {
      g_assert_nonnull (typed);
      g_assert_cmpuint (typed->len, ==, 1);
      assert_same_address (mailbox, g_ptr_array_index (typed, 0));
    }
  else
    check_error (mailbox_error);

  check_normalized (text);
  return 0;
}
