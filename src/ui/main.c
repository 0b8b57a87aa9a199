/* main.c: starts Pigeon
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-ui"

#include <glib/gi18n.h>
#include <locale.h>

#include "pigeon-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (PigeonApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* PIGEON_LOCALEDIR: translations from a build folder (build-aux/run), before installing. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("PIGEON_LOCALEDIR") ? g_getenv ("PIGEON_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  pigeon_application_skip_gl_probe ();
  app = pigeon_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
