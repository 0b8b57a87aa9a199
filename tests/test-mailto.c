/* test-mailto.c: mailto: links (RFC 6068) into a draft
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-test"

#include <string.h>

#include "pigeon-mailto.h"

typedef struct
{
  const char *uri;
  const char *to, *cc, *bcc, *subject, *body;
} Case;

static void
assert_draft (PigeonDraft *draft, const Case *c)
{
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, c->to);
  g_assert_cmpstr (pigeon_draft_get_cc (draft), ==, c->cc);
  g_assert_cmpstr (pigeon_draft_get_bcc (draft), ==, c->bcc);
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, c->subject);
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, c->body);
}

static void
test_fields (void)
{
  static const Case cases[] = {
    { "mailto:ana@example.org", "ana@example.org", "", "", "", "" },
    { "MAILTO:ana@example.org,bob@example.org", "ana@example.org,bob@example.org", "", "", "", "" },
    { "mailto:ana@example.org?cc=carol@example.org&bcc=dave@example.org&subject=Hello",
      "ana@example.org", "carol@example.org", "dave@example.org", "Hello", "" },
    { "mailto:?to=ana@example.org&to=bob@example.org", "ana@example.org, bob@example.org", "", "",
      "", "" },
    { "mailto:ana@example.org?to=bob@example.org", "ana@example.org, bob@example.org", "", "", "",
      "" },
    /* percent-encoding, UTF-8, "+" is a plus */
    { "mailto:%22Doe%2C%20John%22%20%3Cjohn@example.org%3E?subject=1+1%3D2",
      "\"Doe, John\" <john@example.org>", "", "", "1+1=2", "" },
    { "mailto:ana@example.org?subject=%E7%85%A7%E7%89%87%20%F0%9F%93%B7&body=Gr%C3%BC%C3%9Fe",
      "ana@example.org", "", "", "照片 📷", "Grüße" },
    { "mailto:ana@b%C3%BCcher.example?body=line%201%0D%0Aline%202%0A%0Aend", "ana@bücher.example",
      "", "", "", "line 1\nline 2\n\nend" },
    /* case-insensitive field names; unknown and dangerous ones ignored */
    { "mailto:ana@example.org?SUBJECT=Hi&In-Reply-To=%3Cx@y%3E&attach=/etc/passwd"
      "&attachment=~/.ssh/id_rsa",
      "ana@example.org", "", "", "Hi", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", cases[i].uri);
      g_assert_true (pigeon_mailto_apply (draft, cases[i].uri, &error));
      g_assert_no_error (error);
      assert_draft (draft, &cases[i]);
      g_assert_cmpuint (g_list_model_get_n_items (pigeon_draft_get_attachments (draft)), ==, 0);
    }
}

/* A link can never add a header: line breaks in the subject become spaces. */
static void
test_subject_injection (void)
{
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (GError) error = NULL;

  pigeon_mailto_apply (draft, "mailto:a@example.org?subject=Hi%0D%0ABcc:%20evil@example.com%0A!",
                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, "Hi Bcc: evil@example.com !");
  g_assert_cmpstr (pigeon_draft_get_bcc (draft), ==, "");
}

/* A link opened while a message is being written adds to it; nothing is lost. */
static void
test_merged (void)
{
  g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (draft, "to", "ana@example.org", "subject", "Plans", "body", "Hello,", NULL);
  g_assert_true (pigeon_mailto_apply (
    draft, "mailto:bob@example.org?cc=carol@example.org&subject=Tickets&body=See%20you", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pigeon_draft_get_to (draft), ==, "ana@example.org, bob@example.org");
  g_assert_cmpstr (pigeon_draft_get_cc (draft), ==, "carol@example.org");
  g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, "Plans");
  g_assert_cmpstr (pigeon_draft_get_body (draft), ==, "Hello,\n\nTickets\n\nSee you");
}

static void
test_refused (void)
{
  static const char *const uris[] = {
    "http://example.org/",       "mailto:ana@example.org?subject=%FF%FE",
    "mailto:ana%00@example.org", "mailto:ana@example.org?body=a%00b",
    "mailto:%C3%28@example.org",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr (PigeonDraft) draft = pigeon_draft_new ();
      g_autoptr (GError) error = NULL;

      g_object_set (draft, "to", "kept@example.org", "subject", "kept", NULL);
      g_assert_false (pigeon_mailto_apply (draft, uris[i], &error));
      g_assert_error (error, PIGEON_MAILTO_ERROR, PIGEON_MAILTO_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "cannot be opened"));
      g_assert_cmpstr (pigeon_draft_get_to (draft), ==, "kept@example.org");
      g_assert_cmpstr (pigeon_draft_get_subject (draft), ==, "kept");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/mailto/fields", test_fields);
  g_test_add_func ("/core/mailto/subject-injection", test_subject_injection);
  g_test_add_func ("/core/mailto/merged", test_merged);
  g_test_add_func ("/core/mailto/refused", test_refused);
  return g_test_run ();
}
