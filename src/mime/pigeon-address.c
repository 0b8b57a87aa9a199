/* pigeon-address.c: email addresses as people type them (RFC 5322 mailboxes)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-address.h"
#include "pigeon-address-guard.h"
#include "pigeon-mime-init.h"

#include <glib/gi18n.h>
#include <gmime/gmime.h>
#include <string.h>

#define QUOTE_MAX_CHARS 60 /* of a value in an error message: enough to recognise it */

/* Characters that would cut a display name in two, or make it something else, if it were
 * typed back unquoted. */
#define NAME_SPECIALS "()<>[]:;@\\,\""

/* State of one pass over a list of addresses. */
typedef struct
{
  const char *field; /* for error messages */
  gboolean strict;   /* a header field of a message file, not something typed */
  GPtrArray *addresses;
  GHashTable *seen;  /* the PigeonAddress already in @addresses */
  guint n_items;     /* mailboxes and groups, before duplicates are removed */
  guint n_mailboxes; /* the same, without the groups */
} ListParser;

/* A value as it can be shown in a message: valid UTF-8, no control characters, short. */
static char *
quote_for_people (const char *value)
{
  g_autofree char *valid = g_strstrip (g_utf8_make_valid (value, -1));
  GString *out = g_string_new (NULL);
  guint n_chars = 0;

  for (const char *p = valid; *p != '\0' && n_chars++ < QUOTE_MAX_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, g_unichar_isspace (c)   ? ' '
                                    : g_unichar_isprint (c) ? c
                                                            : 0xFFFD);
    }
  if (n_chars > QUOTE_MAX_CHARS)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static gboolean
set_bad_address (ListParser *lp, const char *part, const char *reason, GError **error)
{
  g_autofree char *quoted = quote_for_people (part);

  g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT,
               _ ("The %s field: “%s” is not a valid address: %s"), lp->field, quoted, reason);
  return FALSE;
}

/* Tabs are let through: an unfolded header line keeps those that began its continuation lines,
 * and a tab in a typed list is only space. C1 controls are refused as C0 ones are. */
static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) && c != '\t')
        return TRUE;
    }
  return FALSE;
}

/* Checked before anything else reads @text: the rest may then assume valid UTF-8. */
static const char *
check_text (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return _ ("it is not valid UTF-8 text");
  if (has_control_chars (text))
    return _ ("it contains a control character, such as a line break");
  return NULL;
}

/* Walks @p up to the first ',' or ':' (and ';' if @semicolon_stops) that stands outside quoted
 * strings, comments, domain literals and angle brackets, or to the end. On the way, counts in
 * @ats the '@' signs that separate a local part from a domain: those in quoted strings,
 * comments, domain literals and obsolete source routes ("<@a,@b:x@y>") do not. Returns NULL
 * when the text ends inside one of those: what follows an unclosed '"' or '<' could hide
 * addresses that GMime would then drop. */
static const char *
scan_address_text (const char *p, gboolean semicolon_stops, guint *ats)
{
  guint comment_depth = 0;
  gboolean quoted = FALSE, literal = FALSE, route = FALSE, angle = FALSE;

  for (; *p != '\0'; p++)
    {
      if (*p == '\\' && (quoted || comment_depth > 0) && p[1] != '\0')
        p++;
      else if (quoted)
        quoted = *p != '"';
      else if (comment_depth > 0)
        comment_depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
      else if (literal)
        literal = *p != ']';
      else if (route)
        {
          /* "<@x.org>" ends without its ':' */
          route = *p != ':' && *p != '>';
          angle = *p != '>';
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == '(')
        comment_depth = 1;
      else if (*p == '[')
        literal = TRUE;
      else if (*p == '<')
        {
          angle = TRUE;
          route = p[strspn (p + 1, " \t") + 1] == '@';
        }
      else if (*p == '>')
        angle = FALSE;
      else if (*p == '@')
        (*ats)++;
      else if (!angle && (*p == ',' || *p == ':' || (*p == ';' && semicolon_stops)))
        break;
    }
  return quoted || comment_depth > 0 || literal || angle ? NULL : p;
}

#define MAX_LOCAL_PART_LENGTH 64
#define MAX_ADDRESS_LENGTH    254

/* The '@' between the local part and the domain: the last one outside a quoted string. GMime
 * takes a lone quoted string ("a@b c") as an address whose '@'s are all quoted: it has none. */
static const char *
find_domain_separator (const char *addr)
{
  const char *at = NULL;
  gboolean quoted = FALSE;

  for (const char *p = addr; *p != '\0'; p++)
    {
      if (quoted && *p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == '@')
        at = p;
    }
  return at;
}

/* An address literal, RFC 5321 §4.1.3: printable US-ASCII between the brackets, no '[', ']'
 * or '\\' ("[192.0.2.1]", "[IPv6:2001:db8::1]"). */
static gboolean
is_address_literal (const char *domain)
{
  gsize length = strlen (domain);

  if (length < 3 || domain[0] != '[' || domain[length - 1] != ']')
    return FALSE;
  for (gsize i = 1; i + 1 < length; i++)
    if (domain[i] < 33 || domain[i] > 126 || strchr ("[]\\", domain[i]) != NULL)
      return FALSE;
  return TRUE;
}

static gboolean
has_host_name_chars (const char *domain)
{
  for (const char *p = domain; *p != '\0'; p++)
    if ((guchar) *p < 128 && !g_ascii_isalnum (*p) && strchr ("-._", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* Whether GLib and GMime (libidn2) both write @unicode as @a_labels. */
static gboolean
both_write_as (const char *unicode, const char *a_labels)
{
  g_autofree char *glib_ascii = g_hostname_to_ascii (unicode);
  g_autofree char *addr = g_strconcat ("x@", unicode, NULL);
  InternetAddress *mailbox = internet_address_mailbox_new (NULL, addr);
  const char *idn = internet_address_mailbox_get_idn_addr (INTERNET_ADDRESS_MAILBOX (mailbox));
  gboolean same = glib_ascii != NULL && g_ascii_strcasecmp (glib_ascii, a_labels) == 0 &&
                  idn != NULL && g_ascii_strcasecmp (idn + 2, a_labels) == 0;

  g_object_unref (mailbox);
  return same;
}

/* A host name: letters, digits, '-', '.', non-ASCII for an IDN ('_' too, which RFC 5321 forbids
 * but some private networks use), and every "xn--" label a real A-label, one that both GLib
 * and GMime would write for the Unicode it stands for: GMime writes an invalid one as if it
 * were ("xn--x.org"), and reads "xn--m2e1z", a variation selector and a letter, as the letter
 * alone (fuzz-compose found both), so they are refused. */
static gboolean
is_plausible_domain (const char *domain)
{
  g_autofree char *lower = NULL;
  g_autofree char *unicode = NULL;
  g_autofree char *ascii = NULL;

  if (domain[0] == '[')
    return is_address_literal (domain);
  /* GLib takes only a lower-case "xn--" for an A-label; GMime any case. (The characters are
   * checked once IDNA has mapped them, in idn_agrees().) */
  lower = g_ascii_strdown (domain, -1);
  unicode = g_hostname_to_unicode (lower);
  if (unicode == NULL || strstr (lower, "xn--") == NULL)
    return unicode != NULL;
  ascii = g_hostname_to_ascii (lower);
  return ascii != NULL && both_write_as (unicode, ascii);
}

/* GMime accepts "foo" as an address; a server needs local@domain. */
static const char *
check_address (const char *addr)
{
  const char *at = find_domain_separator (addr);

  if (at == NULL)
    return _ ("it has no “@”: an address looks like name@example.org");
  if (at == addr)
    return _ ("nothing comes before its “@”");
  if (at[1] == '\0')
    return _ ("no domain comes after its “@”");
  if (!is_plausible_domain (at + 1))
    return _ ("what comes after its “@” is not a domain like example.org");
  /* RFC 5321 §4.5.3.1: no server takes more, and a longer one could not be folded into a
   * header line either. */
  if (at - addr > MAX_LOCAL_PART_LENGTH || strlen (addr) > MAX_ADDRESS_LENGTH)
    return _ ("it is too long: an address has at most 64 characters before the “@” and 254 in "
              "all");
  return check_text (addr);
}

/* RFC 1035: labels of at most 63 octets, 253 in all (A-labels, as they go on the wire). */
static gboolean
has_dns_lengths (const char *ascii_domain)
{
  g_auto (GStrv) labels = g_strsplit (ascii_domain, ".", -1);

  for (guint i = 0; labels[i] != NULL; i++)
    if (strlen (labels[i]) > 63)
      return FALSE;
  return strlen (ascii_domain) <= 253;
}

/* The composer writes the domain in A-labels as GLib's IDNA gives them, GMime as libidn2 does;
 * both must say the same, or the header and the envelope would name different hosts. They
 * disagree only on what IDNA2008 forbids (symbols such as "⒢╩", which libidn2 cannot encode
 * and GLib encodes as "xn--(g)-434ae"; variation selectors, which one drops and the other
 * keeps): found by fuzz-compose, refused. */
static gboolean
idn_agrees (InternetAddressMailbox *mailbox)
{
  const char *addr = internet_address_mailbox_get_addr (mailbox);
  const char *idn = internet_address_mailbox_get_idn_addr (mailbox);
  const char *at = find_domain_separator (addr);
  const char *idn_at = idn != NULL ? find_domain_separator (idn) : NULL;
  g_autofree char *glib_ascii = NULL;

  if (at == NULL || idn_at == NULL || at[1] == '[')
    return at != NULL && idn_at != NULL;
  glib_ascii = g_hostname_to_ascii (at + 1);
  /* Checked again once mapped: U+037E, the Greek question mark, becomes a ';'. */
  return glib_ascii != NULL && g_str_is_ascii (idn_at + 1) &&
         g_ascii_strcasecmp (glib_ascii, idn_at + 1) == 0 && has_dns_lengths (glib_ascii) &&
         has_host_name_chars (glib_ascii);
}

static guint
count_char (const char *text, char c)
{
  guint n = 0;

  for (; text != NULL && (text = strchr (text, c)) != NULL; text++)
    n++;
  return n;
}

/* What is wrong with the one element @list was parsed from, or NULL if it is one good mailbox.
 * @ats counts the '@' signs of the element's own text, @commas the ',' of its quoted strings,
 * to notice what GMime silently dropped. */
static const char *
check_parsed (InternetAddressList *list, guint ats, guint commas)
{
  InternetAddress *first = NULL;
  const char *name = NULL, *addr = NULL, *reason = NULL;
  guint seen_ats = 0;

  if (list == NULL || internet_address_list_length (list) == 0)
    return _ ("it is not an address like name@example.org");
  if (internet_address_list_length (list) > 1)
    return _ ("it holds more than one address: separate them with commas");
  first = internet_address_list_get_address (list, 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX (first))
    return _ ("it is not an address like name@example.org");
  addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (first));
  reason = check_address (addr);
  if (reason == NULL && !idn_agrees (INTERNET_ADDRESS_MAILBOX (first)))
    reason = _ ("what comes after its “@” is not a domain like example.org");
  if (reason != NULL)
    return reason;
  name = internet_address_get_name (first);
  if (name != NULL && check_text (name) != NULL)
    return _ ("its name contains a control character, such as a line break");
  if (count_char (name, ',') + count_char (addr, ',') < commas)
    return _ ("it is not an address like name@example.org");
  seen_ats = count_char (name, '@');
  scan_address_text (addr, FALSE, &seen_ats);
  if (seen_ats < ats)
    return _ ("it has an “@” too many");
  return NULL;
}

static void
add_mailbox (ListParser *lp, InternetAddress *mailbox)
{
  PigeonAddress *address =
    pigeon_address_new (internet_address_get_name (mailbox),
                        internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (mailbox)));

  lp->n_items++;
  lp->n_mailboxes++;
  /* Not g_hash_table_add() alone: it would put the new key in place of the old. */
  if (g_hash_table_contains (lp->seen, address))
    {
      pigeon_address_free (address);
      return;
    }
  g_hash_table_add (lp->seen, address);
  g_ptr_array_add (lp->addresses, address);
}

/* One element of the list, between separators, stripped, not empty. GMime 3.2 declares no
 * g_autoptr() cleanup for its types, hence the explicit unref. */
static gboolean
parse_element (ListParser *lp, const char *element, GError **error)
{
  InternetAddressList *list = NULL;
  g_autofree char *hidden = NULL;
  const char *reason = NULL;
  guint ats = 0;
  const char *end = scan_address_text (element, TRUE, &ats);

  if (end != NULL && *end == ';')
    return set_bad_address (lp, element, _ ("a “;” may only end a group"), error);
  if (pigeon_address_has_bare_backslash (element))
    return set_bad_address (lp, element, _ ("a “\\” may only stand inside quotes"), error);
  hidden = pigeon_address_hide_commas (element);
  list = internet_address_list_parse (NULL, hidden);
  pigeon_address_unhide_commas (list);
  reason = check_parsed (list, ats, pigeon_address_count_quoted_commas (element));
  if (reason == NULL)
    add_mailbox (lp, internet_address_list_get_address (list, 0));
  g_clear_object (&list);
  return reason == NULL || set_bad_address (lp, element, reason, error);
}

/* @name is what stood before a ':' outside quotes and brackets: a group's name, unless it is
 * something a person meant as an address. */
static gboolean
start_group (ListParser *lp, const char *name, gboolean in_group, GError **error)
{
  guint ats = 0;
  const char *end = scan_address_text (name, TRUE, &ats);

  if (in_group)
    return set_bad_address (lp, name, _ ("a group cannot hold another group"), error);
  if ((end != NULL && *end == ';') || ats > 0)
    return set_bad_address (lp, name, _ ("it is followed by “:” as a group’s name would be"),
                            error);
  lp->n_items++;
  return TRUE;
}

/* Splits the list at the separators and reads each element. In a header field a ';' outside a
 * group stays in its element, whose parsing then refuses it; typed, it is a separator. */
static gboolean
split_list (ListParser *lp, const char *text, GError **error)
{
  gboolean in_group = FALSE;
  const char *p = text;

  while (TRUE)
    {
      guint ignored = 0;
      const char *end = scan_address_text (p, in_group || !lp->strict, &ignored);
      g_autofree char *part = NULL;

      if (end == NULL)
        return set_bad_address (lp, p, _ ("a quote, parenthesis or bracket in it is not closed"),
                                error);
      part = g_strstrip (g_strndup (p, end - p));
      if (*end == ':')
        {
          if (!start_group (lp, part, in_group, error))
            return FALSE;
          in_group = TRUE;
        }
      else if (*part != '\0' && !parse_element (lp, part, error))
        return FALSE;
      else if (*end == ';')
        in_group = FALSE;
      if (*end == '\0')
        return TRUE;
      p = end + 1;
    }
}

static gboolean
read_list (ListParser *lp, const char *text, GError **error)
{
  const char *reason = check_text (text);

  if (reason != NULL)
    return set_bad_address (lp, text, reason, error);
  if (!split_list (lp, text, error))
    return FALSE;
  if (lp->strict && lp->n_items == 0 && text[strspn (text, " \t")] != '\0')
    return set_bad_address (lp, text, _ ("it has separators but no address"), error);
  return TRUE;
}

static GPtrArray *
parse_list (
  const char *text, const char *field, gboolean strict, guint *n_mailboxes, GError **error)
{
  g_autoptr (GPtrArray) addresses = NULL;
  g_autoptr (GHashTable) seen = NULL;
  ListParser lp = { field, strict, NULL, NULL, 0, 0 };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  pigeon_mime_init ();
  addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) pigeon_address_free);
  seen = g_hash_table_new (pigeon_address_hash, pigeon_address_equal);
  lp.addresses = addresses;
  lp.seen = seen;
  if (!read_list (&lp, text, error))
    return NULL;
  if (n_mailboxes != NULL)
    *n_mailboxes = lp.n_mailboxes;
  return g_steal_pointer (&addresses);
}

/* Local parts keep their case; domains have none (ASCII or not). */
static char *
address_key (const PigeonAddress *address)
{
  const char *at = strrchr (address->address, '@');
  g_autofree char *domain = NULL;

  if (at == NULL)
    return g_strdup (address->address);
  domain = g_utf8_strdown (at, -1);
  return g_strdup_printf ("%.*s%s", (int) (at - address->address), address->address, domain);
}

void
pigeon_mime_init (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      g_mime_init ();
      g_once_init_leave (&initialised, 1);
    }
}

PigeonAddress *
pigeon_address_new (const char *display_name, const char *address)
{
  PigeonAddress *self = NULL;

  g_return_val_if_fail (address != NULL, NULL);
  self = g_new0 (PigeonAddress, 1);
  /* "" and NULL mean the same, and callers test for NULL. */
  self->display_name =
    display_name != NULL && *display_name != '\0' ? g_strdup (display_name) : NULL;
  self->address = g_strdup (address);
  return self;
}

PigeonAddress *
pigeon_address_copy (const PigeonAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);
  return pigeon_address_new (address->display_name, address->address);
}

void
pigeon_address_free (PigeonAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->display_name);
  g_free (address->address);
  g_free (address);
}

char *
pigeon_address_to_display_string (const PigeonAddress *address)
{
  GString *out = NULL;

  g_return_val_if_fail (address != NULL, NULL);
  if (address->display_name == NULL)
    return g_strdup (address->address);
  /* "John Q. Public" may stay bare, but a name cannot start with "." (RFC 5322 obs-phrase). */
  if (strpbrk (address->display_name, NAME_SPECIALS) == NULL && address->display_name[0] != '.')
    return g_strdup_printf ("%s <%s>", address->display_name, address->address);
  out = g_string_new ("\"");
  for (const char *p = address->display_name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_printf (out, "\" <%s>", address->address);
  return g_string_free (out, FALSE);
}

guint
pigeon_address_hash (gconstpointer address)
{
  g_autofree char *key = address_key (address);

  return g_str_hash (key);
}

gboolean
pigeon_address_equal (gconstpointer a, gconstpointer b)
{
  g_autofree char *key_a = address_key (a);
  g_autofree char *key_b = address_key (b);

  return strcmp (key_a, key_b) == 0;
}

GPtrArray *
pigeon_address_list_parse (const char *text, const char *field, GError **error)
{
  return parse_list (text, field, FALSE, NULL, error);
}

GPtrArray *
pigeon_address_list_parse_header (const char *text, const char *field, GError **error)
{
  return parse_list (text, field, TRUE, NULL, error);
}

PigeonAddress *
pigeon_address_parse_mailbox (const char *text, const char *field, GError **error)
{
  g_autoptr (GPtrArray) addresses = NULL;
  ListParser lp = { field, FALSE, NULL, NULL, 0, 0 };
  guint n_mailboxes = 0;

  addresses = parse_list (text, field, FALSE, &n_mailboxes, error);
  if (addresses == NULL)
    return NULL;
  if (n_mailboxes == 0)
    {
      g_set_error (error, PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT,
                   _ ("The %s field is empty: it needs an address like name@example.org"), field);
      return NULL;
    }
  if (n_mailboxes > 1)
    {
      set_bad_address (&lp, text, _ ("it holds more than one address, and only one may be given"),
                       error);
      return NULL;
    }
  return g_ptr_array_steal_index (addresses, 0);
}
