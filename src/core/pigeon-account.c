/* pigeon-account.c: a sending account: settings in GSettings, password in the Secret Service
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-core"

#include "pigeon-account.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pigeon-address.h"
#include "pigeon-smtp-sasl.h"

#define DEFAULT_PORT       587
#define FINGERPRINT_DIGITS 64 /* hex digits of a SHA-256 digest */

/* The string settings; their property names are their GSettings keys. */
typedef enum
{
  STR_DISPLAY_NAME,
  STR_ADDRESS,
  STR_HOST,
  STR_USER,
  STR_AUTH_MECHANISM,
  STR_CA_FILE,
  STR_PINNED_FINGERPRINT,
  STR_DESCRIPTION,
  N_STRINGS
} StringSetting;

struct _PigeonAccount
{
  GObject parent_instance;

  char *id;
  char *strings[N_STRINGS]; /* never NULL */
  guint port;               /* checked to fit in 16 bits by pigeon_account_validate() */
  PigeonSmtpSecurity security;
  gboolean allow_insecure_auth;
  guint64 size_limit; /* learnt from the server, not edited: see pigeon_account_set_size_limit() */
};

G_DEFINE_FINAL_TYPE (PigeonAccount, pigeon_account, G_TYPE_OBJECT)
/* clang-format would put spaces into the quark's name */
/* clang-format off */
G_DEFINE_QUARK (pigeon-account-error-quark, pigeon_account_error)
/* clang-format on */

enum
{
  PROP_0,
  PROP_ID,
  PROP_PORT,
  PROP_SECURITY,
  PROP_ALLOW_INSECURE_AUTH,
  PROP_SIZE_LIMIT,
  PROP_FIRST_STRING,
  N_PROPS = PROP_FIRST_STRING + N_STRINGS
};

static GParamSpec *properties[N_PROPS];

static const char *const string_keys[N_STRINGS] = {
  "display-name",       "address",     "host", "user", "auth-mechanism", "ca-file",
  "pinned-fingerprint", "description",
};

static const GEnumValue security_values[] = {
  { PIGEON_SMTP_SECURITY_STARTTLS, "PIGEON_SMTP_SECURITY_STARTTLS", "starttls" },
  { PIGEON_SMTP_SECURITY_TLS, "PIGEON_SMTP_SECURITY_TLS", "tls" },
  { PIGEON_SMTP_SECURITY_NONE, "PIGEON_SMTP_SECURITY_NONE", "none" },
  { 0, NULL, NULL },
};

GType
pigeon_account_security_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_enum_register_static ("PigeonAccountSecurity", security_values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

static void
set_string (PigeonAccount *self, StringSetting which, const char *value)
{
  if (g_strcmp0 (self->strings[which], value ? value : "") == 0)
    return;
  g_free (self->strings[which]);
  self->strings[which] = g_strdup (value ? value : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_STRING + which]);
}

/* Whether @text is UTF-8 without control characters (CR and LF above all: in a header or an
 * SMTP command they would start a new one). With @no_spaces, without white space either. */
static gboolean
text_is_clean (const char *text, gboolean no_spaces)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (no_spaces && g_unichar_isspace (c)))
        return FALSE;
    }
  return TRUE;
}

/* Made printable for an error message: a value with a line break must not break the message. */
static char *
printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *shown = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (shown, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (shown, *p);
    }
  return g_string_free (shown, FALSE);
}

static gboolean G_GNUC_PRINTF (2, 3) invalid (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (
    error, g_error_new_valist (PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID, format, args));
  va_end (args);
  return FALSE;
}

static gboolean
validate_host (PigeonAccount *self, GError **error)
{
  const char *host = self->strings[STR_HOST];

  if (*host == '\0')
    {
      g_set_error_literal (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID,
                           _ ("The outgoing server’s name is missing."));
      return FALSE;
    }
  if (!text_is_clean (host, TRUE))
    {
      g_autofree char *shown = printable (host);

      return invalid (error, _ ("The outgoing server “%s” has spaces or line breaks."), shown);
    }
  if (self->port > G_MAXUINT16)
    return invalid (error, _ ("The port %u is not between 1 and 65535 (or 0 for the usual port)."),
                    self->port);
  return TRUE;
}

static gboolean
validate_address (PigeonAccount *self, GError **error)
{
  const char *text = self->strings[STR_ADDRESS];
  g_autoptr (PigeonAddress) address = NULL;
  g_autoptr (GError) local_error = NULL;

  if (*text == '\0')
    {
      g_set_error_literal (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID,
                           _ ("The account’s email address is missing."));
      return FALSE;
    }
  address = pigeon_address_parse_mailbox (text, C_ ("account field", "Address"), &local_error);
  if (address == NULL)
    {
      g_set_error_literal (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID,
                           local_error->message);
      return FALSE;
    }
  /* The name has its own setting; here a name or brackets would be doubled in From. */
  if (address->display_name != NULL || strchr (text, '<') != NULL)
    {
      g_autofree char *shown = printable (text);

      return invalid (error, _ ("“%s” is not a bare email address like name@example.org."), shown);
    }
  return TRUE;
}

static gboolean
fingerprint_is_valid (const char *fingerprint)
{
  guint digits = 0;

  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        digits++;
      else if (*p != ':')
        return FALSE;
    }
  return digits == FINGERPRINT_DIGITS;
}

static gboolean
validate_login (PigeonAccount *self, GError **error)
{
  const char *mechanism = self->strings[STR_AUTH_MECHANISM];
  const char *fingerprint = self->strings[STR_PINNED_FINGERPRINT];

  if (!text_is_clean (self->strings[STR_DISPLAY_NAME], FALSE))
    return invalid (error, _ ("The name has line breaks or control characters."));
  if (!text_is_clean (self->strings[STR_USER], FALSE))
    return invalid (error, _ ("The user name has line breaks or control characters."));
  if (*mechanism != '\0' && !pigeon_smtp_sasl_mechanism_from_name (mechanism, NULL))
    {
      g_autofree char *shown = printable (mechanism);

      return invalid (error, _ ("“%s” is not an authentication mechanism Pigeon knows."), shown);
    }
  if (*fingerprint != '\0' && !fingerprint_is_valid (fingerprint))
    {
      g_autofree char *shown = printable (fingerprint);

      return invalid (error, _ ("“%s” is not a SHA-256 certificate fingerprint."), shown);
    }
  return TRUE;
}

static void
pigeon_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PigeonAccount *self = PIGEON_ACCOUNT (object);

  if (prop_id >= PROP_FIRST_STRING && prop_id < N_PROPS)
    {
      g_value_set_string (value, self->strings[prop_id - PROP_FIRST_STRING]);
      return;
    }
  switch (prop_id)
    {
      case PROP_ID:
        g_value_set_string (value, self->id);
        break;
      case PROP_PORT:
        g_value_set_uint (value, self->port);
        break;
      case PROP_SECURITY:
        g_value_set_enum (value, self->security);
        break;
      case PROP_ALLOW_INSECURE_AUTH:
        g_value_set_boolean (value, self->allow_insecure_auth);
        break;
      case PROP_SIZE_LIMIT:
        g_value_set_uint64 (value, self->size_limit);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pigeon_account_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PigeonAccount *self = PIGEON_ACCOUNT (object);

  if (prop_id >= PROP_FIRST_STRING && prop_id < N_PROPS)
    {
      set_string (self, prop_id - PROP_FIRST_STRING, g_value_get_string (value));
      return;
    }
  switch (prop_id)
    {
      case PROP_ID:
        g_assert (self->id == NULL);
        self->id = g_value_dup_string (value);
        break;
      case PROP_PORT:
        self->port = g_value_get_uint (value);
        break;
      case PROP_SECURITY:
        self->security = g_value_get_enum (value);
        break;
      case PROP_ALLOW_INSECURE_AUTH:
        self->allow_insecure_auth = g_value_get_boolean (value);
        break;
      case PROP_SIZE_LIMIT:
        if (self->size_limit == g_value_get_uint64 (value))
          break;
        self->size_limit = g_value_get_uint64 (value);
        g_object_notify_by_pspec (object, pspec);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pigeon_account_finalize (GObject *object)
{
  PigeonAccount *self = PIGEON_ACCOUNT (object);

  g_free (self->id);
  for (guint i = 0; i < N_STRINGS; i++)
    g_free (self->strings[i]);

  G_OBJECT_CLASS (pigeon_account_parent_class)->finalize (object);
}

static void
pigeon_account_class_init (PigeonAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = pigeon_account_get_property;
  object_class->set_property = pigeon_account_set_property;
  object_class->finalize = pigeon_account_finalize;

  properties[PROP_ID] = g_param_spec_string (
    "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Wider than 16 bits so that a bad number typed somewhere is refused with a message by
   * pigeon_account_validate() rather than by a critical warning. */
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT, DEFAULT_PORT,
                                             flags & ~G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL, PIGEON_TYPE_ACCOUNT_SECURITY,
                       PIGEON_SMTP_SECURITY_STARTTLS, flags & ~G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ALLOW_INSECURE_AUTH] = g_param_spec_boolean (
    "allow-insecure-auth", NULL, NULL, FALSE, flags & ~G_PARAM_EXPLICIT_NOTIFY);
  /* Setting the property changes only this object; pigeon_account_set_size_limit() keeps it. */
  properties[PROP_SIZE_LIMIT] =
    g_param_spec_uint64 ("size-limit", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  for (guint i = 0; i < N_STRINGS; i++)
    properties[PROP_FIRST_STRING + i] = g_param_spec_string (string_keys[i], NULL, NULL, "", flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pigeon_account_init (PigeonAccount *self)
{
  for (guint i = 0; i < N_STRINGS; i++)
    self->strings[i] = g_strdup ("");
  self->port = DEFAULT_PORT;
  self->security = PIGEON_SMTP_SECURITY_STARTTLS;
}

gboolean
pigeon_account_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  /* The id becomes a GSettings path element: nothing that could change the path. */
  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

PigeonAccount *
pigeon_account_new (const char *id)
{
  g_autofree char *new_id = NULL;

  g_return_val_if_fail (id == NULL || pigeon_account_id_is_valid (id), NULL);

  if (id == NULL)
    new_id = g_uuid_string_random ();
  return g_object_new (PIGEON_TYPE_ACCOUNT, "id", id ? id : new_id, NULL);
}

gboolean
pigeon_account_validate (PigeonAccount *self, GError **error)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), FALSE);

  return validate_host (self, error) && validate_address (self, error) &&
         validate_login (self, error);
}

const char *
pigeon_account_get_id (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  return self->id;
}

const char *
pigeon_account_get_display_name (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  return self->strings[STR_DISPLAY_NAME];
}

const char *
pigeon_account_get_address (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  return self->strings[STR_ADDRESS];
}

const char *
pigeon_account_get_host (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  return self->strings[STR_HOST];
}

guint
pigeon_account_get_port (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), 0);
  return self->port;
}

PigeonSmtpSecurity
pigeon_account_get_security (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), PIGEON_SMTP_SECURITY_STARTTLS);
  return self->security;
}

const char *
pigeon_account_get_user (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  return self->strings[STR_USER];
}

const char *
pigeon_account_get_auth_mechanism (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  return self->strings[STR_AUTH_MECHANISM];
}

const char *
pigeon_account_get_ca_file (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  return self->strings[STR_CA_FILE];
}

const char *
pigeon_account_get_pinned_fingerprint (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);
  return self->strings[STR_PINNED_FINGERPRINT];
}

const char *
pigeon_account_get_description (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);

  /* build-aux/run's local test inbox is described in the user's language. */
  if (*self->strings[STR_DESCRIPTION] == '\0' &&
      g_strcmp0 (self->id, PIGEON_ACCOUNT_TEST_INBOX_ID) == 0)
    return _ ("Local test inbox — messages stay on this computer");
  return self->strings[STR_DESCRIPTION];
}

gboolean
pigeon_account_get_allow_insecure_auth (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), FALSE);
  return self->allow_insecure_auth;
}

guint64
pigeon_account_get_size_limit (PigeonAccount *self)
{
  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), 0);
  return self->size_limit;
}

char *
pigeon_account_get_from_mailbox (PigeonAccount *self)
{
  const char *name = NULL;
  g_autoptr (GString) mailbox = g_string_new (NULL);

  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);

  name = self->strings[STR_DISPLAY_NAME];
  if (*name == '\0')
    return g_strdup (self->strings[STR_ADDRESS]);

  /* RFC 5322 specials (and a quote or backslash) only parse inside a quoted string. */
  if (strpbrk (name, "()<>[]:;@\\,.\"") == NULL)
    g_string_append (mailbox, name);
  else
    {
      g_string_append_c (mailbox, '"');
      for (const char *p = name; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (mailbox, '\\');
          g_string_append_c (mailbox, *p);
        }
      g_string_append_c (mailbox, '"');
    }
  g_string_append_printf (mailbox, " <%s>", self->strings[STR_ADDRESS]);
  return g_string_free (g_steal_pointer (&mailbox), FALSE);
}

static gboolean
configure_trust (PigeonAccount *self, PigeonSmtpClient *client, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  const char *ca_file = self->strings[STR_CA_FILE];

  if (*ca_file != '\0' && !pigeon_smtp_client_set_ca_file (client, ca_file, &local_error))
    {
      g_set_error_literal (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_INVALID,
                           local_error->message);
      return FALSE;
    }
  if (*self->strings[STR_PINNED_FINGERPRINT] != '\0')
    pigeon_smtp_client_set_pinned_fingerprint (client, self->strings[STR_PINNED_FINGERPRINT]);
  return TRUE;
}

PigeonSmtpClient *
pigeon_account_create_client (PigeonAccount *self, const char *password, GError **error)
{
  g_autoptr (PigeonSmtpClient) client = NULL;
  PigeonSmtpAuthMechanism mechanisms = PIGEON_SMTP_AUTH_ALL;
  const char *user = NULL;

  g_return_val_if_fail (PIGEON_IS_ACCOUNT (self), NULL);

  if (!pigeon_account_validate (self, error))
    return NULL;
  user = self->strings[STR_USER];
  if (*user != '\0' && password == NULL)
    {
      g_set_error (error, PIGEON_ACCOUNT_ERROR, PIGEON_ACCOUNT_ERROR_NO_PASSWORD,
                   _ ("The password for %s on %s is needed."), user, self->strings[STR_HOST]);
      return NULL;
    }

  client = pigeon_smtp_client_new (self->strings[STR_HOST], self->port, self->security);
  if (*user != '\0')
    pigeon_smtp_client_set_credentials (client, user, password);
  pigeon_smtp_sasl_mechanism_from_name (self->strings[STR_AUTH_MECHANISM], &mechanisms);
  pigeon_smtp_client_set_allowed_mechanisms (client, mechanisms);
  pigeon_smtp_client_set_allow_insecure_auth (client, self->allow_insecure_auth);
  if (!configure_trust (self, client, error))
    return NULL;
  return g_steal_pointer (&client);
}
