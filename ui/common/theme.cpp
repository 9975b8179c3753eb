#include "theme.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace mcpui {

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Theme themeFromName(const QString &name)
{
    for (Theme t : {Theme::Light, Theme::Dark})
        if (name == themeName(t))
            return t;
    return Theme::System;
}

QIcon glyphIcon(QStyle::StandardPixmap glyph, const QPalette &palette)
{
    const QIcon source = QApplication::style()->standardIcon(glyph);
    QIcon icon;
    for (const int size : {16, 24, 32})
        for (const auto &[mode, group] :
             {std::pair{QIcon::Normal, QPalette::Active}, std::pair{QIcon::Disabled, QPalette::Disabled}}) {
            QPixmap pixmap = source.pixmap(size);
            QPainter painter(&pixmap);
            painter.setCompositionMode(QPainter::CompositionMode_SourceIn); // keep the shape, take the colour
            painter.fillRect(pixmap.rect(), palette.color(group, QPalette::ButtonText));
            painter.end();
            icon.addPixmap(pixmap, mode);
        }
    return icon;
}

void applyTheme(Theme theme)
{
    // What the platform gave, taken before the first theme replaces it: its style, and the palette the
    // application started with (the platform's, unless the application set one).
    static const QString platformStyle = QApplication::style()->name();
    static const QPalette platformPalette = QApplication::palette();
    static const bool platformPaletteWasSet = QCoreApplication::testAttribute(Qt::AA_SetPalette);
    if (theme == Theme::System) {
        if (QApplication::style()->name() != platformStyle)
            QApplication::setStyle(platformStyle);
        // An empty palette resolves to the platform's, and Qt keeps following the platform's changes (a
        // desktop switched to dark while the workbench runs) only while none is set.
        QApplication::setPalette(platformPaletteWasSet ? platformPalette : QPalette());
        return;
    }
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = QApplication::style()->standardPalette();
    if (theme == Theme::Dark) {
        const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5),
            disabled(0x80, 0x84, 0x8a);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, window);
        p.setColor(QPalette::ToolTipBase, base);
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, disabled);
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, window);
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x6a, 0xb0, 0xf3));
        p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Light, window.lighter(130));
        p.setColor(QPalette::Midlight, window.lighter(115));
        p.setColor(QPalette::Mid, window.darker(120));
        p.setColor(QPalette::Dark, window.darker(150));
        p.setColor(QPalette::Shadow, Qt::black);
        for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            p.setColor(QPalette::Disabled, role, disabled);
    }
    QApplication::setPalette(p);
}

} // namespace mcpui
