/* pigeon-application.h: the application: one instance, its actions and its window
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PIGEON_APPLICATION_ID "io.github.pigeonmail.Pigeon"

#define PIGEON_TYPE_APPLICATION (pigeon_application_get_type ())
G_DECLARE_FINAL_TYPE (PigeonApplication, pigeon_application, PIGEON, APPLICATION, GtkApplication)

/* The application (id PIGEON_APPLICATION_ID, single instance). Actions: app.quit (Ctrl+Q; asks
 * first only when a message is being sent), app.accounts, app.about, app.shortcuts; each
 * window adds win.send (Ctrl+Return), win.attach (Ctrl+Shift+A) and win.show-log. */
PigeonApplication *pigeon_application_new (void);

G_END_DECLS
