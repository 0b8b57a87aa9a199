/* pigeon-test-client.c: what the client's tests against PigeonFakeServer share
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include "pigeon-test-client.h"

#include <string.h>

/* A resolver that knows one name and fails all others, so no test ever asks DNS. */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static int n_lookups_failed; /* atomic */

static GList *
test_resolve (const char *hostname, GError **error)
{
  if (g_ascii_strcasecmp (hostname, FAKE_HOSTNAME) == 0 ||
      g_ascii_strcasecmp (hostname, "localhost") == 0)
    return g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  g_atomic_int_inc (&n_lookups_failed);
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "%s is not a name the test resolver knows", hostname);
  return NULL;
}

static GList *
test_resolver_lookup_by_name (GResolver *resolver,
                              const char *hostname,
                              GCancellable *cancellable,
                              GError **error)
{
  return test_resolve (hostname, error);
}

static GList *
test_resolver_lookup_by_name_with_flags (GResolver *resolver,
                                         const char *hostname,
                                         GResolverNameLookupFlags flags,
                                         GCancellable *cancellable,
                                         GError **error)
{
  return test_resolve (hostname, error);
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver *resolver,
                                               const char *hostname,
                                               GResolverNameLookupFlags flags,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  GList *addresses = test_resolve (hostname, &error);

  if (addresses != NULL)
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
test_resolver_lookup_by_name_async (GResolver *resolver,
                                    const char *hostname,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  test_resolver_lookup_by_name_with_flags_async (resolver, hostname, 0, cancellable, callback,
                                                 user_data);
}

static GList *
test_resolver_lookup_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_finish;
  resolver_class->lookup_by_name_with_flags = test_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

/* Helpers */

static gboolean
write_text_cb (GOutputStream *stream, gpointer user_data, GCancellable *cancellable, GError **error)
{
  return g_output_stream_write_all (stream, user_data, strlen (user_data), NULL, cancellable,
                                    error);
}

/* Public API */

void
pigeon_test_client_init (int *argc, char ***argv)
{
  g_autoptr (GResolver) resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);

  /* No proxy look-ups either: nothing in these tests may leave the machine. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (argc, argv, NULL);
  g_resolver_set_default (resolver);
}

int
pigeon_test_client_get_failed_lookups (void)
{
  return g_atomic_int_get (&n_lookups_failed);
}

/* A message of @text, its size declared unless @size_known is FALSE. */
PigeonSmtpMessage *
pigeon_test_client_message_new (const char *text, gboolean size_known)
{
  PigeonSmtpMessage *message = pigeon_smtp_message_new (write_text_cb, g_strdup (text), g_free);

  if (size_known)
    pigeon_smtp_message_set_size (message, strlen (text));
  return message;
}

PigeonSmtpEnvelope *
pigeon_test_client_envelope_new (const char *first_recipient, ...)
{
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_smtp_envelope_new ();
  g_autoptr (GError) error = NULL;
  va_list args;

  pigeon_smtp_envelope_set_sender (envelope, "alice@example.org", &error);
  g_assert_no_error (error);
  va_start (args, first_recipient);
  for (const char *r = first_recipient; r != NULL; r = va_arg (args, const char *))
    {
      pigeon_smtp_envelope_add_recipient (envelope, r, &error);
      g_assert_no_error (error);
    }
  va_end (args);
  return g_steal_pointer (&envelope);
}

/* Shown with --verbose (or in the test log), for whoever debugs a failure. */
void
pigeon_test_client_log_transcript_cb (PigeonSmtpTranscriptKind kind,
                                      const char *line,
                                      gpointer user_data)
{
  g_test_message ("%c: %s", "CS*"[kind], line);
}

PigeonSmtpClient *
pigeon_test_client_new (PigeonFakeServer *server, PigeonSmtpSecurity security, guint timeout)
{
  g_autofree char *ca = g_test_build_filename (G_TEST_BUILT, "ca.pem", NULL);
  g_autoptr (GError) error = NULL;
  PigeonSmtpClient *client;

  client = pigeon_smtp_client_new ("127.0.0.1", pigeon_fake_server_get_port (server), security);
  pigeon_smtp_client_set_ca_file (client, ca, &error);
  g_assert_no_error (error);
  pigeon_smtp_client_set_timeout (client, timeout);
  pigeon_smtp_client_set_helo_name (client, "client.test");
  pigeon_smtp_client_set_transcript_func (client, pigeon_test_client_log_transcript_cb, NULL);
  return client;
}

/* Sends @text to bob@example.org; returns the seconds it took. */
double
pigeon_test_client_send_text (PigeonSmtpClient *client, const char *text, GError **error)
{
  g_autoptr (PigeonSmtpEnvelope) envelope =
    pigeon_test_client_envelope_new ("bob@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (text, TRUE);
  gint64 start = g_get_monotonic_time ();

  pigeon_smtp_client_send_sync (client, envelope, message, NULL, error);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* The client must hang up when it is done, whatever happened. */
void
pigeon_test_client_assert_hung_up (PigeonFakeServer *server)
{
  g_assert_true (pigeon_fake_server_wait_done (server, WAIT_MS));
}

void
pigeon_test_client_assert_no_script_failure (PigeonFakeServer *server)
{
  g_autofree char *failure = pigeon_fake_server_get_failure (server);

  g_assert_null (failure);
}

void
pigeon_test_client_assert_message_contains (const GError *error, const char *text)
{
  if (strstr (error->message, text) == NULL)
    g_error ("error message \"%s\" does not contain \"%s\"", error->message, text);
}

void
pigeon_test_client_send_to_three (PigeonFakeServer *server, GError **error)
{
  g_autoptr (PigeonSmtpClient) client =
    pigeon_test_client_new (server, PIGEON_SMTP_SECURITY_NONE, 2);
  g_autoptr (PigeonSmtpEnvelope) envelope = pigeon_test_client_envelope_new (
    "bob@example.org", "nobody@example.org", "ghost@example.org", NULL);
  g_autoptr (PigeonSmtpMessage) message = pigeon_test_client_message_new (SIMPLE_TEXT, TRUE);

  pigeon_smtp_client_send_sync (client, envelope, message, NULL, error);
  pigeon_test_client_assert_hung_up (server);
}

/* "AB:CD:…", the way a person would copy it from a certificate viewer. */
char *
pigeon_test_client_fingerprint_of (const char *cert_name)
{
  g_autofree char *name = g_strconcat (cert_name, ".pem", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, &error);
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GString) pretty = g_string_new (NULL);
  const char *hex;

  g_assert_no_error (error);
  g_object_get (certificate, "certificate", &der, NULL);
  g_checksum_update (checksum, der->data, der->len);
  hex = g_checksum_get_string (checksum);
  for (guint i = 0; hex[i] != '\0'; i += 2)
    g_string_append_printf (pretty, "%s%c%c", i ? ":" : "", g_ascii_toupper (hex[i]),
                            g_ascii_toupper (hex[i + 1]));
  return g_string_free (g_steal_pointer (&pretty), FALSE);
}
