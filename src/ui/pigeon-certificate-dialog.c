/* pigeon-certificate-dialog.c: a server certificate Pigeon does not trust, for the user to judge
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include "pigeon-certificate-dialog.h"

#include <glib/gi18n.h>

#include "pigeon-resources.h"

/* Fingerprint groups (bytes) per line: 32 in one line would not fit a narrow screen, and
 * lines of 8 are easy to compare against a printed fingerprint. */
#define GROUPS_PER_LINE 8

struct _PigeonCertificateDialog
{
  GtkDialog parent_instance;

  GtkLabel *heading_label;
  GtkLabel *reasons_label;
  GtkLabel *subject_label;
  GtkLabel *issuer_label;
  GtkLabel *valid_from_label;
  GtkLabel *valid_until_label;
  GtkLabel *fingerprint_label;

  char *fingerprint; /* lower-case hex, no colons */
};

G_DEFINE_FINAL_TYPE (PigeonCertificateDialog, pigeon_certificate_dialog, GTK_TYPE_DIALOG)

/* A fixed table, walked in order: each flag set adds its sentence. */
static const struct
{
  GTlsCertificateFlags flag;
  const char *reason;
} reasons[] = {
  { G_TLS_CERTIFICATE_UNKNOWN_CA, N_ ("It is not signed by an authority you trust.") },
  { G_TLS_CERTIFICATE_BAD_IDENTITY, N_ ("It was issued for a different server name.") },
  { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_ ("It is not valid yet.") },
  { G_TLS_CERTIFICATE_EXPIRED, N_ ("It has expired.") },
  { G_TLS_CERTIFICATE_REVOKED, N_ ("It has been revoked by its issuer.") },
  { G_TLS_CERTIFICATE_INSECURE, N_ ("It uses an algorithm that is no longer safe.") },
  { G_TLS_CERTIFICATE_GENERIC_ERROR, N_ ("It could not be checked.") },
};

static char *
describe_errors (GTlsCertificateFlags errors)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if ((errors & reasons[i].flag) == 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "• %s", _ (reasons[i].reason));
    }
  if (text->len == 0)
    g_string_append (text, _ ("It was not accepted."));
  return g_string_free (text, FALSE);
}

static char *
sha256_of (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return g_strdup ("");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

/* "AB:CD:…", GROUPS_PER_LINE bytes to a line. */
static char *
format_fingerprint (const char *hex)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; hex[i] != '\0' && hex[i + 1] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (text, (i / 2) % GROUPS_PER_LINE == 0 ? '\n' : ':');
      g_string_append_c (text, g_ascii_toupper (hex[i]));
      g_string_append_c (text, g_ascii_toupper (hex[i + 1]));
    }
  return g_string_free (text, FALSE);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr (GDateTime) local = NULL;

  if (date == NULL)
    return g_strdup (_ ("Unknown"));
  local = g_date_time_to_local (date);
  /* Translators: a certificate's validity date, see g_date_time_format() */
  return g_date_time_format (local, _ ("%-d %B %Y, %H:%M"));
}

static void
set_text (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : _ ("Unknown"));
}

static void
show_certificate (PigeonCertificateDialog *self,
                  const char *host,
                  GTlsCertificate *certificate,
                  GTlsCertificateFlags errors)
{
  g_autofree char *heading = NULL;
  g_autofree char *why = describe_errors (errors);
  g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);
  g_autofree char *issuer = g_tls_certificate_get_issuer_name (certificate);
  g_autoptr (GDateTime) not_before = g_tls_certificate_get_not_valid_before (certificate);
  g_autoptr (GDateTime) not_after = g_tls_certificate_get_not_valid_after (certificate);
  g_autofree char *from = format_date (not_before);
  g_autofree char *until = format_date (not_after);
  g_autofree char *pretty = NULL;

  heading = g_strdup_printf (_ ("Pigeon does not trust the certificate of %s"), host);
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->reasons_label, why);
  set_text (self->subject_label, subject);
  set_text (self->issuer_label, issuer);
  gtk_label_set_text (self->valid_from_label, from);
  gtk_label_set_text (self->valid_until_label, until);

  self->fingerprint = sha256_of (certificate);
  pretty = format_fingerprint (self->fingerprint);
  gtk_label_set_text (self->fingerprint_label, pretty);
}

static void
pigeon_certificate_dialog_finalize (GObject *object)
{
  PigeonCertificateDialog *self = PIGEON_CERTIFICATE_DIALOG (object);

  g_free (self->fingerprint);

  G_OBJECT_CLASS (pigeon_certificate_dialog_parent_class)->finalize (object);
}

static void
pigeon_certificate_dialog_class_init (PigeonCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pigeon_certificate_dialog_finalize;

  /* Referring to the GResource links it into any program using this dialog; its constructor
   * registers the templates. */
  g_return_if_fail (pigeon_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/pigeonmail/Pigeon/pigeon-certificate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PigeonCertificateDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, PigeonCertificateDialog, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, PigeonCertificateDialog, subject_label);
  gtk_widget_class_bind_template_child (widget_class, PigeonCertificateDialog, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, PigeonCertificateDialog, valid_from_label);
  gtk_widget_class_bind_template_child (widget_class, PigeonCertificateDialog, valid_until_label);
  gtk_widget_class_bind_template_child (widget_class, PigeonCertificateDialog, fingerprint_label);
}

static void
pigeon_certificate_dialog_init (PigeonCertificateDialog *self)
{
  GtkWidget *trust = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_dialog_add_button (GTK_DIALOG (self), _ ("_Cancel"), GTK_RESPONSE_CANCEL);
  trust = gtk_dialog_add_button (GTK_DIALOG (self), _ ("_Trust and Retry"),
                                 PIGEON_CERTIFICATE_RESPONSE_TRUST);
  gtk_style_context_add_class (gtk_widget_get_style_context (trust), "destructive-action");
  /* Enter must never trust by accident. */
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_CANCEL);
}

GtkWidget *
pigeon_certificate_dialog_new (GtkWindow *parent,
                               const char *host,
                               GTlsCertificate *certificate,
                               GTlsCertificateFlags errors)
{
  PigeonCertificateDialog *self = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (PIGEON_TYPE_CERTIFICATE_DIALOG, "transient-for", parent, "use-header-bar",
                       TRUE, NULL);
  show_certificate (self, host, certificate, errors);
  return GTK_WIDGET (self);
}

const char *
pigeon_certificate_dialog_get_fingerprint (PigeonCertificateDialog *self)
{
  g_return_val_if_fail (PIGEON_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->fingerprint;
}
