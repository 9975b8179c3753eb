#pragma once

#include <QIcon>
#include <QString>
#include <QStyle>

class QPalette;

namespace mcpui {

// System is the platform's own style and palette, followed when they change while the workbench runs.
enum class Theme { System, Light, Dark };

// System: the platform's style and palette. Light and Dark: the Fusion style with our palette, so every
// widget follows the same colours. Widgets that compute colours from the palette recompute them on
// QEvent::ApplicationPaletteChange.
void applyTheme(Theme theme);

// The settings value of a theme ("system", "light", "dark") and back; anything else is System.
QString themeName(Theme theme);
Theme themeFromName(const QString &name);

// Whether colours drawn on this palette need the dark variant.
bool isDarkPalette(const QPalette &palette);

// A monochrome standard icon (play, stop, ...) drawn in the palette's button text colour: the style's own
// glyphs are black, invisible on the dark theme. Build it again after a theme change.
QIcon glyphIcon(QStyle::StandardPixmap glyph, const QPalette &palette);

} // namespace mcpui
