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

/* Before GTK opens the display (in main(), before anything else): GDK's X11 backend would load
 * the system's OpenGL (libGL and a driver) at startup, 60–70 ms of the first frame, only to
 * pick GL-capable visuals; Pigeon draws with cairo alone. GDK_GL=disable is set for GTK to
 * read and taken out of the environment again at startup, so programs Pigeon starts do not
 * inherit it. A GDK_GL the user set is left as it is. */
void pigeon_application_skip_gl_probe (void);

G_END_DECLS
