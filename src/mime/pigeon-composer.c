/* pigeon-composer.c: turning what the user wrote into a MIME message (GMime 3)
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-mime"

#include "pigeon-composer.h"

#include <glib/gi18n.h>
#include <gmime/gmime.h>
#include <string.h>
#include <sys/random.h>

#include "pigeon-composed-message-private.h"
#include "pigeon-mime-init.h"
#include "pigeon-mime-words.h"

#define MAX_7BIT_LINE     998 /* octets, without the CRLF (RFC 5322 2.1.1) */
#define N_RANDOM_BYTES    16  /* in a Message-ID or Content-ID: 128 bits */
#define N_RECIPIENT_KINDS 3

struct _PigeonComposer
{
  GObject parent_instance;

  PigeonAddress *from;
  char *from_domain;                        /* A-label form, for Message-ID and Content-IDs */
  GPtrArray *recipients[N_RECIPIENT_KINDS]; /* PigeonAddress, by PigeonRecipientKind */
  char *subject;                            /* NULL: no Subject field */
  char *body;                               /* LF line endings, ends with LF unless empty */
  GPtrArray *attachments;                   /* PigeonComposedFile, in the order added */
  char *user_agent;
  GDateTime *date; /* NULL: the time of build() */
};

/* What build() puts together, besides the message itself. */
typedef struct
{
  GPtrArray *files; /* PigeonComposedFile */
  GPtrArray *inline_parts;
  GPtrArray *attached_parts;
  GString *images_html; /* an <img> for each inline image */
} BuildState;

static gboolean set_bad_input (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

G_DEFINE_TYPE (PigeonComposer, pigeon_composer, G_TYPE_OBJECT)

static void
build_state_clear (BuildState *state)
{
  g_clear_pointer (&state->files, g_ptr_array_unref);
  g_clear_pointer (&state->inline_parts, g_ptr_array_unref);
  g_clear_pointer (&state->attached_parts, g_ptr_array_unref);
  if (state->images_html != NULL)
    g_string_free (g_steal_pointer (&state->images_html), TRUE);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BuildState, build_state_clear)

static gboolean
set_bad_input (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (
    error, g_error_new_valist (PIGEON_MIME_ERROR, PIGEON_MIME_ERROR_BAD_INPUT, format, args));
  va_end (args);
  return FALSE;
}

static void
replace_string (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* Tabs are harmless; any other control character could end a header field or hide text. */
static gboolean
has_control_chars (const char *text, gboolean allow_line_breaks)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t' || (allow_line_breaks && (c == '\n' || c == '\r')))
        continue;
      if (g_unichar_iscntrl (c))
        return TRUE;
    }
  return FALSE;
}

/* CRLF and lone CR become LF (GMime writes each as CRLF); a last line gets its line break. */
static char *
normalize_line_breaks (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 1);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/* A domain as it may appear in a header: A-labels for an IDN; an address literal as it is. */
static char *
domain_to_ascii (const char *domain)
{
  if (domain[0] == '[')
    return g_strdup (domain);
  return g_hostname_to_ascii (domain);
}

static char *
random_id (const char *domain)
{
  guint8 bytes[N_RANDOM_BYTES];
  GString *id = g_string_new (NULL);

  /* getrandom() only fails where the kernel lacks it; GRand is still seeded randomly. */
  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    for (gsize i = 0; i < sizeof bytes; i++)
      bytes[i] = (guint8) g_random_int_range (0, 256);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (id, "%02x", bytes[i]);
  g_string_append_printf (id, "@%s", domain);
  return g_string_free (id, FALSE);
}

/* Quoted-printable only when 7bit would not do: plain text stays readable as it is. */
static gboolean
needs_quoted_printable (const char *text)
{
  gsize line_length = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p > 127)
        return TRUE;
      line_length = *p == '\n' ? 0 : line_length + 1;
      if (line_length > MAX_7BIT_LINE)
        return TRUE;
    }
  return FALSE;
}

static GMimeObject *
text_part_new (const char *subtype, const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  GMimeDataWrapper *wrapper =
    g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

  /* Not g_mime_text_part_set_text(): it would convert the text to another charset. */
  g_mime_part_set_content (GMIME_PART (part), wrapper);
  g_mime_text_part_set_charset (part, "utf-8");
  g_mime_part_set_content_encoding (GMIME_PART (part), needs_quoted_printable (text)
                                                         ? GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
                                                         : GMIME_CONTENT_ENCODING_7BIT);
  g_object_unref (wrapper);
  g_object_unref (stream);
  return GMIME_OBJECT (part);
}

static gboolean
is_blank (const char *line)
{
  return line[strspn (line, " \t")] == '\0';
}

/* The text as HTML: paragraphs where the text has blank lines, <br> for other line breaks. */
static void
append_paragraphs (GString *html, const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_paragraph = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *escaped = NULL;

      if (is_blank (lines[i]))
        {
          if (in_paragraph)
            g_string_append (html, "</p>\n");
          in_paragraph = FALSE;
          continue;
        }
      g_string_append (html, in_paragraph ? "<br>\n" : "<p>");
      in_paragraph = TRUE;
      escaped = g_markup_escape_text (lines[i], -1);
      g_string_append (html, escaped);
    }
  if (in_paragraph)
    g_string_append (html, "</p>\n");
}

static char *
html_new (const char *text, const char *images_html)
{
  GString *html = g_string_new ("<!DOCTYPE html>\n<html>\n<head>\n"
                                "<meta http-equiv=\"Content-Type\" "
                                "content=\"text/html; charset=utf-8\">\n"
                                "</head>\n<body>\n");

  append_paragraphs (html, text);
  g_string_append (html, images_html);
  g_string_append (html, "</body>\n</html>\n");
  return g_string_free (html, FALSE);
}

static GMimeMultipart *
multipart_new_with_parts (const char *subtype, GMimeObject *first, GPtrArray *more)
{
  GMimeMultipart *multipart = g_mime_multipart_new_with_subtype (subtype);

  /* Chosen now, so that measuring and writing the message give the same bytes. */
  g_mime_multipart_set_boundary (multipart, NULL);
  g_mime_multipart_add (multipart, first);
  for (guint i = 0; i < more->len; i++)
    g_mime_multipart_add (multipart, g_ptr_array_index (more, i));
  return multipart;
}

static void
append_image_html (GString *html, const char *content_id, const char *file_name)
{
  g_autofree char *src = g_uri_escape_string (content_id, "@", FALSE);
  g_autofree char *alt = g_markup_escape_text (file_name, -1);

  g_string_append_printf (html, "<div><img src=\"cid:%s\" alt=\"%s\"></div>\n", src, alt);
}

static void
add_file_parts (PigeonComposer *self, BuildState *state)
{
  for (guint i = 0; i < self->attachments->len; i++)
    {
      PigeonComposedFile *file =
        pigeon_composed_file_copy_with_part (g_ptr_array_index (self->attachments, i));
      GMimePart *part = g_object_ref (file->part);

      if (file->is_inline)
        {
          g_autofree char *content_id = random_id (self->from_domain);

          g_mime_object_set_content_id (GMIME_OBJECT (part), content_id);
          append_image_html (state->images_html, content_id, file->display_name);
          g_ptr_array_add (state->inline_parts, part);
        }
      else
        g_ptr_array_add (state->attached_parts, part);
      g_ptr_array_add (state->files, file);
    }
}

/* text/plain, or related { alternative { plain, html }, images }, inside mixed { …, files }
 * when there are attachments. */
static GMimeObject *
body_new (PigeonComposer *self, BuildState *state)
{
  GMimeObject *body = NULL;

  add_file_parts (self, state);
  body = text_part_new ("plain", self->body);
  if (state->inline_parts->len > 0)
    {
      g_autofree char *html_text = html_new (self->body, state->images_html->str);
      g_autoptr (GPtrArray) html = g_ptr_array_new_with_free_func (g_object_unref);
      GMimeMultipart *alternative = NULL;

      g_ptr_array_add (html, text_part_new ("html", html_text));
      alternative = multipart_new_with_parts ("alternative", body, html);
      g_object_unref (body);
      body = GMIME_OBJECT (
        multipart_new_with_parts ("related", GMIME_OBJECT (alternative), state->inline_parts));
      g_object_unref (alternative);
      /* RFC 2387: the type of the root part. */
      g_mime_object_set_content_type_parameter (body, "type", "multipart/alternative");
    }
  if (state->attached_parts->len > 0)
    {
      GMimeObject *mixed =
        GMIME_OBJECT (multipart_new_with_parts ("mixed", body, state->attached_parts));

      g_object_unref (body);
      body = mixed;
    }
  return body;
}

/* The address as a header carries it: the domain in A-labels, so that only a non-ASCII local
 * part needs raw UTF-8. */
static InternetAddress *
header_mailbox_new (const PigeonAddress *address)
{
  const char *at = strrchr (address->address, '@');
  g_autofree char *local = g_strndup (address->address, at - address->address);
  g_autofree char *domain = domain_to_ascii (at + 1);
  g_autofree char *ascii = NULL;
  g_autofree char *name = NULL;

  if (pigeon_mime_words_needed (address->display_name))
    name = pigeon_mime_words_encode_phrase (address->display_name);
  else
    name = g_strdup (address->display_name);
  if (domain == NULL)
    return internet_address_mailbox_new (name, address->address);
  ascii = g_strconcat (local, "@", domain, NULL);
  return internet_address_mailbox_new (name, ascii);
}

static void
add_addresses (GMimeMessage *message, GMimeAddressType type, GPtrArray *addresses)
{
  InternetAddressList *list = g_mime_message_get_addresses (message, type);

  for (guint i = 0; i < addresses->len; i++)
    {
      InternetAddress *mailbox = header_mailbox_new (g_ptr_array_index (addresses, i));

      internet_address_list_add (list, mailbox);
      g_object_unref (mailbox);
    }
}

static void
set_subject (GMimeMessage *message, const char *subject)
{
  g_autofree char *words = NULL;
  g_autofree char *raw = NULL;

  g_mime_message_set_subject (message, subject, "utf-8");
  if (!pigeon_mime_words_needed (subject))
    return;
  words = pigeon_mime_words_encode_text (subject, "Subject");
  raw = g_strconcat (words, "\n", NULL);
  g_mime_header_set_raw_value (g_mime_header_list_get_header (
                                 g_mime_object_get_header_list (GMIME_OBJECT (message)), "Subject"),
                               raw);
}

static GMimeMessage *
message_new (PigeonComposer *self, const char *message_id)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  g_autoptr (GDateTime) date =
    self->date != NULL ? g_date_time_ref (self->date) : g_date_time_new_now_local ();
  g_autoptr (GPtrArray) from = g_ptr_array_new ();

  g_mime_message_set_date (message, date);
  g_mime_message_set_message_id (message, message_id);
  g_ptr_array_add (from, self->from);
  add_addresses (message, GMIME_ADDRESS_TYPE_FROM, from);
  add_addresses (message, GMIME_ADDRESS_TYPE_TO, self->recipients[PIGEON_RECIPIENT_TO]);
  add_addresses (message, GMIME_ADDRESS_TYPE_CC, self->recipients[PIGEON_RECIPIENT_CC]);
  if (self->subject != NULL && self->subject[0] != '\0')
    set_subject (message, self->subject);
  g_mime_object_set_header (GMIME_OBJECT (message), "User-Agent", self->user_agent, NULL);
  return message;
}

/* To, Cc, Bcc in that order, each mailbox once. */
static GStrv
envelope_recipients (PigeonComposer *self)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (pigeon_address_hash, pigeon_address_equal);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint kind = 0; kind < N_RECIPIENT_KINDS; kind++)
    for (guint i = 0; i < self->recipients[kind]->len; i++)
      {
        PigeonAddress *address = g_ptr_array_index (self->recipients[kind], i);

        if (g_hash_table_add (seen, address))
          g_strv_builder_add (builder, address->address);
      }
  return g_strv_builder_end (builder);
}

static gboolean
check_display_name (GFile *file, const char *display_name, GError **error)
{
  g_autofree char *name = NULL;

  if (g_utf8_validate (display_name, -1, NULL) && !has_control_chars (display_name, FALSE))
    return TRUE;
  name = g_file_get_parse_name (file);
  return set_bad_input (
    error, _ ("The name given to the file “%s” is not valid text or has control characters."),
    name);
}

static void
pigeon_composer_finalize (GObject *object)
{
  PigeonComposer *self = PIGEON_COMPOSER (object);

  g_clear_pointer (&self->from, pigeon_address_free);
  g_clear_pointer (&self->from_domain, g_free);
  for (guint kind = 0; kind < N_RECIPIENT_KINDS; kind++)
    g_clear_pointer (&self->recipients[kind], g_ptr_array_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_pointer (&self->user_agent, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);

  G_OBJECT_CLASS (pigeon_composer_parent_class)->finalize (object);
}

static void
pigeon_composer_class_init (PigeonComposerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pigeon_composer_finalize;
}

static void
pigeon_composer_init (PigeonComposer *self)
{
  for (guint kind = 0; kind < N_RECIPIENT_KINDS; kind++)
    self->recipients[kind] = g_ptr_array_new_with_free_func ((GDestroyNotify) pigeon_address_free);
  self->body = g_strdup ("");
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) pigeon_composed_file_free);
  self->user_agent = g_strdup ("Pigeon/" PACKAGE_VERSION);
}

PigeonComposer *
pigeon_composer_new (void)
{
  pigeon_mime_init ();
  return g_object_new (PIGEON_TYPE_COMPOSER, NULL);
}

gboolean
pigeon_composer_set_from (PigeonComposer *self, const char *mailbox, GError **error)
{
  g_autoptr (PigeonAddress) from = NULL;
  g_autofree char *domain = NULL;

  g_return_val_if_fail (PIGEON_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  from = pigeon_address_parse_mailbox (mailbox, _ ("From"), error);
  if (from == NULL)
    return FALSE;
  domain = domain_to_ascii (strrchr (from->address, '@') + 1);
  if (domain == NULL)
    return set_bad_input (error, _ ("The From address “%s” does not end in a valid domain name."),
                          from->address);
  g_clear_pointer (&self->from, pigeon_address_free);
  self->from = g_steal_pointer (&from);
  g_free (self->from_domain);
  self->from_domain = g_steal_pointer (&domain);
  return TRUE;
}

gboolean
pigeon_composer_add_recipients (PigeonComposer *self,
                                PigeonRecipientKind kind,
                                const char *address_list,
                                GError **error)
{
  static const char *const fields[N_RECIPIENT_KINDS] = { N_ ("To"), N_ ("Cc"), N_ ("Bcc") };
  g_autoptr (GPtrArray) parsed = NULL;
  GPtrArray *list = NULL;

  g_return_val_if_fail (PIGEON_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (kind < N_RECIPIENT_KINDS, FALSE);
  g_return_val_if_fail (address_list != NULL, FALSE);

  parsed = pigeon_address_list_parse (address_list, _ (fields[kind]), error);
  if (parsed == NULL)
    return FALSE;
  list = self->recipients[kind];
  for (guint i = 0; i < parsed->len; i++)
    {
      PigeonAddress *address = g_ptr_array_index (parsed, i);
      gboolean known = FALSE;

      for (guint j = 0; j < list->len && !known; j++)
        known = pigeon_address_equal (g_ptr_array_index (list, j), address);
      if (!known)
        g_ptr_array_add (list, pigeon_address_copy (address));
    }
  return TRUE;
}

gboolean
pigeon_composer_set_subject (PigeonComposer *self, const char *subject, GError **error)
{
  g_return_val_if_fail (PIGEON_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  if (!g_utf8_validate (subject, -1, NULL) || has_control_chars (subject, FALSE))
    return set_bad_input (
      error, _ ("The Subject cannot contain line breaks, control characters or invalid "
                "text."));
  replace_string (&self->subject, subject);
  return TRUE;
}

gboolean
pigeon_composer_set_body (PigeonComposer *self, const char *text, GError **error)
{
  g_return_val_if_fail (PIGEON_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  /* A NUL cannot reach here: the text ends at the first one. */
  if (!g_utf8_validate (text, -1, NULL))
    return set_bad_input (error, _ ("The text of the message is not valid UTF-8."));
  g_free (self->body);
  self->body = normalize_line_breaks (text);
  return TRUE;
}

gboolean
pigeon_composer_add_file (PigeonComposer *self,
                          GFile *file,
                          const char *display_name,
                          PigeonAttachmentDisposition disposition,
                          GCancellable *cancellable,
                          GError **error)
{
  PigeonComposedFile *attachment = NULL;

  g_return_val_if_fail (PIGEON_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (
    disposition == PIGEON_ATTACHMENT_INLINE || disposition == PIGEON_ATTACHMENT_ATTACHED, FALSE);

  if (display_name != NULL && display_name[0] == '\0')
    display_name = NULL;
  if (display_name != NULL && !check_display_name (file, display_name, error))
    return FALSE;
  attachment = pigeon_composed_file_new (
    file, display_name, disposition == PIGEON_ATTACHMENT_INLINE, cancellable, error);
  if (attachment == NULL)
    return FALSE;
  g_ptr_array_add (self->attachments, attachment);
  return TRUE;
}

void
pigeon_composer_set_user_agent (PigeonComposer *self, const char *user_agent)
{
  g_return_if_fail (PIGEON_IS_COMPOSER (self));
  g_return_if_fail (user_agent != NULL);

  replace_string (&self->user_agent, user_agent);
}

void
pigeon_composer_set_date (PigeonComposer *self, GDateTime *date)
{
  g_return_if_fail (PIGEON_IS_COMPOSER (self));

  g_clear_pointer (&self->date, g_date_time_unref);
  if (date != NULL)
    self->date = g_date_time_ref (date);
}

static gboolean
check_ready (PigeonComposer *self, GError **error)
{
  if (self->from == NULL)
    return set_bad_input (error, _ ("The message has no sender: fill in the From field."));
  for (guint kind = 0; kind < N_RECIPIENT_KINDS; kind++)
    if (self->recipients[kind]->len > 0)
      return TRUE;
  return set_bad_input (error, _ ("The message has no recipients: fill in To, Cc or Bcc."));
}

PigeonComposedMessage *
pigeon_composer_build (PigeonComposer *self, GError **error)
{
  g_auto (BuildState) state = { NULL };
  g_autofree char *id = NULL;
  g_autofree char *message_id = NULL;
  GMimeMessage *message = NULL;
  GMimeObject *body = NULL;

  g_return_val_if_fail (PIGEON_IS_COMPOSER (self), NULL);

  if (!check_ready (self, error))
    return NULL;
  state.files = g_ptr_array_new_with_free_func ((GDestroyNotify) pigeon_composed_file_free);
  state.inline_parts = g_ptr_array_new_with_free_func (g_object_unref);
  state.attached_parts = g_ptr_array_new_with_free_func (g_object_unref);
  state.images_html = g_string_new (NULL);

  id = random_id (self->from_domain);
  message_id = g_strdup_printf ("<%s>", id);
  message = message_new (self, id);
  body = body_new (self, &state);
  g_mime_message_set_mime_part (message, body);
  g_object_unref (body);
  return pigeon_composed_message_new (message, g_steal_pointer (&state.files), self->from->address,
                                      envelope_recipients (self), message_id);
}
