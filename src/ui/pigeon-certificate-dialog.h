/* pigeon-certificate-dialog.h: a server certificate Pigeon does not trust, for the user to judge
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PIGEON_TYPE_CERTIFICATE_DIALOG (pigeon_certificate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
  PigeonCertificateDialog, pigeon_certificate_dialog, PIGEON, CERTIFICATE_DIALOG, GtkDialog)

/* Shows why the certificate of @host is not trusted (@errors), who it was issued to and by,
 * its validity and its SHA-256 fingerprint. Responses: PIGEON_CERTIFICATE_RESPONSE_TRUST
 * ("Trust and Retry": the caller pins pigeon_certificate_dialog_get_fingerprint() to the
 * account and sends again) or GTK_RESPONSE_CANCEL (nothing changes). */
#define PIGEON_CERTIFICATE_RESPONSE_TRUST 1

GtkWidget *pigeon_certificate_dialog_new (GtkWindow *parent,
                                          const char *host,
                                          GTlsCertificate *certificate,
                                          GTlsCertificateFlags errors);

/* Lower-case hex, no colons: what PigeonAccount's "pinned-fingerprint" takes. */
const char *pigeon_certificate_dialog_get_fingerprint (PigeonCertificateDialog *self);

G_END_DECLS
