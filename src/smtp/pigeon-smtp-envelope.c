/* pigeon-smtp-envelope.c: who a message is from and to, as SMTP sees it (RFC 5321)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include <stdarg.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "pigeon-smtp-envelope.h"
#include "pigeon-smtp-error.h"

/* RFC 1035 §2.3.4 */
#define MAX_LABEL_LENGTH  63
#define MAX_DOMAIN_LENGTH 255

/* Enough of the address to recognise it in an error message, which must stay readable even
 * when someone pasted a paragraph into the field. */
#define MAX_QUOTED_CHARS 64

struct _PigeonSmtpEnvelope
{
  char *sender; /* NULL until set; "" for the null reverse path */
  gboolean sender_needs_smtputf8;
  GPtrArray *recipients; /* char *, NULL-terminated, normalized */
  gboolean recipients_need_smtputf8;
};

/* ---- error messages ---- */

static void
append_printable_char (GString *out, gunichar c)
{
  if (c == '\r')
    g_string_append (out, "\\r");
  else if (c == '\n')
    g_string_append (out, "\\n");
  else if (c == '\t')
    g_string_append (out, "\\t");
  else if (c < 0x20 || c == 0x7f)
    g_string_append_printf (out, "\\x%02X", c);
  else if (!g_unichar_isprint (c))
    g_string_append_printf (out, "\\u%04X", c);
  else
    g_string_append_unichar (out, c);
}

/* The address as it can be shown to a person: control characters (which could forge more
 * text, or a command) escaped, bytes that are not UTF-8 written as \xNN, long input cut. */
static char *
make_printable (const char *address)
{
  GString *out = g_string_new (NULL);
  const char *p = address;
  guint n_chars = 0;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (n_chars++ == MAX_QUOTED_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guchar) *p);
          p++;
          continue;
        }
      append_printable_char (out, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/* Sets PIGEON_SMTP_ERROR_BAD_INPUT quoting @address, with the (translated) reason. Returns
 * FALSE so checks can end with "return bad_address (…);". */
G_GNUC_PRINTF (3, 4)
static gboolean
bad_address (GError **error, const char *address, const char *reason_format, ...)
{
  g_autofree char *printable = make_printable (address);
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, reason_format);
  reason = g_strdup_vprintf (reason_format, args);
  va_end (args);

  g_set_error (error, PIGEON_SMTP_ERROR, PIGEON_SMTP_ERROR_BAD_INPUT,
               /* Translators: the first %s is an email address, the second says what is
                * wrong with it */
               _ ("“%s” is not a valid email address: %s"), printable, reason);
  return FALSE;
}

/* ---- the whole address ---- */

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    {
      if ((guchar) *s >= 0x80)
        return FALSE;
    }
  return TRUE;
}

/* What must never reach a command line, wherever it appears. */
static gboolean
check_characters (const char *address, GError **error)
{
  gsize len = strlen (address);

  if (len == 0)
    return bad_address (error, address, _ ("it is empty"));
  if (!g_utf8_validate (address, len, NULL))
    return bad_address (error, address, _ ("it is not valid UTF-8 text"));

  for (const char *p = address; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\r' || c == '\n')
        return bad_address (error, address, _ ("it contains a line break"));
      if (g_unichar_iscntrl (c))
        return bad_address (error, address, _ ("it contains a control character"));
    }

  if (address[0] == '<' && address[len - 1] == '>')
    return bad_address (error, address, _ ("it must be given without “<” and “>”"));
  if (strpbrk (address, "<>") != NULL)
    return bad_address (error, address, _ ("it contains “<” or “>”"));
  if (strchr (address, '@') == NULL)
    return bad_address (error, address, _ ("it has no “@”"));
  return TRUE;
}

/* ---- the local part ---- */

static gboolean
is_atext (char c)
{
  return c != '\0' && (g_ascii_isalnum (c) || strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* RFC 5321 Quoted-string, with RFC 6531's UTF-8 in qtextSMTP. On success *@end is just past
 * the closing quote. */
static gboolean
parse_quoted_string (const char *address, const char **end, GError **error)
{
  const char *p = address + 1;

  while (*p != '"')
    {
      if (*p == '\0')
        return bad_address (error, address, _ ("it has an opening quote without a closing one"));
      if (*p == '\\')
        {
          p++;
          /* quoted-pairSMTP: a backslash escapes one printable ASCII character or a space */
          if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
            return bad_address (error, address,
                                _ ("it has a “\\” that is not followed by an ASCII character"));
        }
      p++;
    }

  if (p == address + 1)
    return bad_address (error, address, _ ("the part before “@” is empty"));
  *end = p + 1;
  return TRUE;
}

static gboolean
check_dot_atom_char (const char *address, const char *p, GError **error)
{
  gunichar c = g_utf8_get_char (p);

  if (c < 0x80 && is_atext (*p))
    return TRUE;
  if (g_unichar_isspace (c))
    return bad_address (error, address, _ ("it contains a space outside quotes"));
  if (c < 0x80)
    return bad_address (
      error, address, _ ("the part before “@” contains “%c”, which is only allowed in quotes"), *p);
  /* RFC 6531 allows any other UTF-8 in atext. */
  return TRUE;
}

/* RFC 5321 Dot-string: atoms separated by single dots. On success *@end is the first byte
 * after it (an "@" or something that is not allowed). */
static gboolean
parse_dot_string (const char *address, const char **end, GError **error)
{
  const char *p = address;

  if (*p == '@')
    return bad_address (error, address, _ ("the part before “@” is empty"));
  if (*p == '.')
    return bad_address (error, address, _ ("the part before “@” starts with a dot"));

  for (; *p != '@' && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p != '.')
        {
          if (!check_dot_atom_char (address, p, error))
            return FALSE;
        }
      else if (p[1] == '.')
        return bad_address (error, address, _ ("the part before “@” has two dots in a row"));
      else if (p[1] == '@')
        return bad_address (error, address, _ ("the part before “@” ends with a dot"));
    }
  *end = p;
  return TRUE;
}

/* Returns the local part; *@domain points just after its "@". */
static char *
parse_local_part (const char *address, const char **domain, GError **error)
{
  const char *end = NULL;
  gboolean ok;

  if (address[0] == '"')
    ok = parse_quoted_string (address, &end, error);
  else
    ok = parse_dot_string (address, &end, error);
  if (!ok)
    return NULL;

  if (*end == '\0')
    {
      bad_address (error, address, _ ("it has no “@”"));
      return NULL;
    }
  if (*end != '@')
    {
      /* Only a quoted local part can stop anywhere else: the "@" was inside the quotes. */
      bad_address (error, address, _ ("the closing quote must be followed by “@”"));
      return NULL;
    }
  if (end - address > PIGEON_SMTP_MAX_LOCAL_PART_LENGTH)
    {
      bad_address (error, address, _ ("the part before “@” is longer than %d bytes"),
                   PIGEON_SMTP_MAX_LOCAL_PART_LENGTH);
      return NULL;
    }

  *domain = end + 1;
  return g_strndup (address, end - address);
}

/* ---- the domain ---- */

static gboolean
check_label (const char *address, const char *label, gsize len, GError **error)
{
  if (len > MAX_LABEL_LENGTH)
    return bad_address (error, address, _ ("a part of the domain is longer than %d characters"),
                        MAX_LABEL_LENGTH);
  if (label[0] == '-' || label[len - 1] == '-')
    return bad_address (error, address, _ ("a part of the domain starts or ends with a hyphen"));

  for (gsize i = 0; i < len; i++)
    {
      if (label[i] == ' ')
        return bad_address (error, address, _ ("it contains a space outside quotes"));
      if (!g_ascii_isalnum (label[i]) && label[i] != '-')
        return bad_address (error, address,
                            _ ("the domain contains “%c”, which is not allowed in a domain name"),
                            label[i]);
    }
  return TRUE;
}

/* An ASCII host name: LDH labels (RFC 5321 sub-domain). A single label such as "localhost"
 * is accepted. */
static gboolean
check_host_name (const char *address, const char *domain, GError **error)
{
  const char *label = domain;

  if (strlen (domain) > MAX_DOMAIN_LENGTH)
    return bad_address (error, address, _ ("the domain is longer than %d characters"),
                        MAX_DOMAIN_LENGTH);

  while (TRUE)
    {
      const char *dot = strchr (label, '.');
      gsize len = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (len == 0 && label == domain)
        return bad_address (error, address, _ ("the domain starts with a dot"));
      if (len == 0 && dot == NULL)
        return bad_address (error, address, _ ("the domain ends with a dot"));
      if (len == 0)
        return bad_address (error, address, _ ("the domain has two dots in a row"));
      if (!check_label (address, label, len, error))
        return FALSE;
      if (dot == NULL)
        return TRUE;
      label = dot + 1;
    }
}

/* Hexadecimal digits and the @separators only. */
static gboolean
only_hex_and (const char *s, gsize len, const char *separators)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isxdigit (s[i]) && strchr (separators, s[i]) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_ip_address (const char *text, gsize len, GSocketFamily family)
{
  g_autofree char *copy = g_strndup (text, len);
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (copy);

  return inet != NULL && g_inet_address_get_family (inet) == family;
}

/* "[192.0.2.1]" or "[IPv6:2001:db8::1]" (RFC 5321 §4.1.3). The character checks keep out
 * what inet_pton-style parsers might accept beyond the grammar, such as IPv6 zone ids. */
static gboolean
check_address_literal (const char *address, const char *literal, GError **error)
{
  gsize len = strlen (literal);
  const char *inner = literal + 1;
  gsize inner_len = 0;

  if (len < 2 || literal[len - 1] != ']' || memchr (inner, ']', len - 2) != NULL)
    return bad_address (error, address, _ ("the address in “[ ]” is not closed properly"));
  inner_len = len - 2;

  if (inner_len > 5 && g_ascii_strncasecmp (inner, "IPv6:", 5) == 0)
    {
      if (!only_hex_and (inner + 5, inner_len - 5, ":.") ||
          !is_ip_address (inner + 5, inner_len - 5, G_SOCKET_FAMILY_IPV6))
        return bad_address (error, address, _ ("the address in “[ ]” is not a valid IPv6 address"));
      return TRUE;
    }

  if (is_ip_address (inner, inner_len, G_SOCKET_FAMILY_IPV6))
    return bad_address (error, address, _ ("an IPv6 address in “[ ]” must start with “IPv6:”"));
  if (!only_hex_and (inner, inner_len, ".") ||
      !is_ip_address (inner, inner_len, G_SOCKET_FAMILY_IPV4))
    return bad_address (error, address, _ ("the address in “[ ]” is not a valid IPv4 address"));
  return TRUE;
}

/* IDNA turns "ü-" into "xn----dha", a valid LDH label, so a hyphen at either end of a
 * label must be caught before the conversion. */
static gboolean
check_unicode_hyphens (const char *address, const char *domain, GError **error)
{
  g_auto (GStrv) labels = g_strsplit (domain, ".", -1);

  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      if (len > 0 && (labels[i][0] == '-' || labels[i][len - 1] == '-'))
        return bad_address (error, address,
                            _ ("a part of the domain starts or ends with a hyphen"));
    }
  return TRUE;
}

static gboolean
check_domain_present (const char *address, const char *domain, GError **error)
{
  if (*domain == '\0')
    return bad_address (error, address, _ ("the part after “@” is empty"));
  if (strchr (domain, '@') != NULL)
    return bad_address (error, address, _ ("it has more than one “@”"));
  return TRUE;
}

/* Returns the domain as it goes on the wire: unchanged when ASCII, else its A-labels. */
static char *
normalize_domain (const char *address, const char *domain, GError **error)
{
  g_autofree char *ascii = NULL;

  if (!check_domain_present (address, domain, error))
    return NULL;
  if (domain[0] == '[')
    return check_address_literal (address, domain, error) ? g_strdup (domain) : NULL;

  if (is_ascii (domain))
    ascii = g_strdup (domain);
  else if (!check_unicode_hyphens (address, domain, error))
    return NULL;
  else if ((ascii = g_hostname_to_ascii (domain)) == NULL)
    {
      bad_address (error, address, _ ("the domain is not a valid international domain name"));
      return NULL;
    }

  /* Also for a converted name: IDNA mapping can produce empty labels or other characters. */
  if (!check_host_name (address, ascii, error))
    return NULL;
  return g_steal_pointer (&ascii);
}

/* ---- public API ---- */

char *
pigeon_smtp_address_normalize (const char *address, gboolean *needs_smtputf8, GError **error)
{
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *result = NULL;
  const char *domain_start = NULL;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_characters (address, error))
    return NULL;
  local = parse_local_part (address, &domain_start, error);
  if (local == NULL)
    return NULL;
  domain = normalize_domain (address, domain_start, error);
  if (domain == NULL)
    return NULL;

  result = g_strconcat (local, "@", domain, NULL);
  if (strlen (result) > PIGEON_SMTP_MAX_PATH_LENGTH)
    {
      bad_address (error, address, _ ("it is longer than %d bytes"), PIGEON_SMTP_MAX_PATH_LENGTH);
      return NULL;
    }

  if (needs_smtputf8 != NULL)
    *needs_smtputf8 = !is_ascii (local);
  return g_steal_pointer (&result);
}

PigeonSmtpEnvelope *
pigeon_smtp_envelope_new (void)
{
  PigeonSmtpEnvelope *envelope = g_new0 (PigeonSmtpEnvelope, 1);

  envelope->recipients = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  return envelope;
}

void
pigeon_smtp_envelope_free (PigeonSmtpEnvelope *envelope)
{
  if (envelope == NULL)
    return;

  g_free (envelope->sender);
  g_ptr_array_unref (envelope->recipients);
  g_free (envelope);
}

gboolean
pigeon_smtp_envelope_set_sender (PigeonSmtpEnvelope *envelope, const char *address, GError **error)
{
  g_autofree char *normalized = NULL;
  gboolean needs_smtputf8 = FALSE;

  g_return_val_if_fail (envelope != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  /* The null reverse path, for bounces and other messages that must not be answered. */
  if (address[0] == '\0')
    normalized = g_strdup ("");
  else
    normalized = pigeon_smtp_address_normalize (address, &needs_smtputf8, error);
  if (normalized == NULL)
    return FALSE;

  g_free (envelope->sender);
  envelope->sender = g_steal_pointer (&normalized);
  envelope->sender_needs_smtputf8 = needs_smtputf8;
  return TRUE;
}

/* Two forward paths reach the same mailbox: the local part may be case-sensitive (RFC 5321
 * §2.4), a domain name never is. Both addresses are normalized, so the last "@" separates
 * them (a quoted local part may contain "@", a domain cannot). */
static gboolean
same_mailbox (const char *a, const char *b)
{
  const char *at_a = strrchr (a, '@');
  const char *at_b = strrchr (b, '@');

  return at_a - a == at_b - b && strncmp (a, b, at_a - a) == 0 &&
         g_ascii_strcasecmp (at_a + 1, at_b + 1) == 0;
}

gboolean
pigeon_smtp_envelope_add_recipient (PigeonSmtpEnvelope *envelope,
                                    const char *address,
                                    GError **error)
{
  g_autofree char *normalized = NULL;
  gboolean needs_smtputf8 = FALSE;

  g_return_val_if_fail (envelope != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  normalized = pigeon_smtp_address_normalize (address, &needs_smtputf8, error);
  if (normalized == NULL)
    return FALSE;

  for (guint i = 0; i < envelope->recipients->len; i++)
    {
      if (same_mailbox (g_ptr_array_index (envelope->recipients, i), normalized))
        return TRUE;
    }

  g_ptr_array_add (envelope->recipients, g_steal_pointer (&normalized));
  envelope->recipients_need_smtputf8 |= needs_smtputf8;
  return TRUE;
}

const char *
pigeon_smtp_envelope_get_sender (const PigeonSmtpEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);

  return envelope->sender;
}

const char *const *
pigeon_smtp_envelope_get_recipients (const PigeonSmtpEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);

  return (const char *const *) envelope->recipients->pdata;
}

guint
pigeon_smtp_envelope_get_n_recipients (const PigeonSmtpEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, 0);

  return envelope->recipients->len;
}

gboolean
pigeon_smtp_envelope_needs_smtputf8 (const PigeonSmtpEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, FALSE);

  return envelope->sender_needs_smtputf8 || envelope->recipients_need_smtputf8;
}
