#pragma once

#include "common/theme.h"

#include <QColor>
#include <QPalette>

namespace mcpui {

// The two colours the auth views share: a failed step or exchange, and a tampered one. Both stay readable
// on the light and the dark theme.
inline QColor failedColor(const QPalette &palette)
{
    return isDarkPalette(palette) ? QColor(0xef, 0x53, 0x50) : QColor(0xc6, 0x28, 0x28);
}
inline QColor tamperedColor(const QPalette &palette)
{
    return isDarkPalette(palette) ? QColor(0xff, 0xb7, 0x4d) : QColor(0xb2, 0x5e, 0x00);
}
inline QColor passedColor(const QPalette &palette)
{
    return isDarkPalette(palette) ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32);
}

} // namespace mcpui
