#include "jsonhighlighter.h"

#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QSyntaxHighlighter>
#include <QTextDocument>

#ifdef MCPWB_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

namespace mcpui {

namespace {

bool darkPalette()
{
    return isDarkPalette(QApplication::palette());
}

#ifndef MCPWB_KSYNTAXHIGHLIGHTING
// Keys, strings, numbers, literals and punctuation, one line at a time: JSON strings never span lines, so no
// state is carried between blocks.
class BuiltinJsonHighlighter : public QSyntaxHighlighter
{
public:
    explicit BuiltinJsonHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
    {
        const bool dark = darkPalette();
        const auto format = [](QColor colour, bool bold = false) {
            QTextCharFormat f;
            f.setForeground(colour);
            if (bold)
                f.setFontWeight(QFont::DemiBold);
            return f;
        };
        m_key = format(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x04, 0x51, 0xa5), true);
        m_string = format(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
        m_number = format(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
        m_literal = format(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x00, 0x00, 0xff));
        m_punctuation = format(QApplication::palette().color(QPalette::Disabled, QPalette::Text));
    }

protected:
    void highlightBlock(const QString &text) override
    {
        const qsizetype n = text.size();
        for (qsizetype i = 0; i < n;) {
            const QChar c = text[i];
            if (c == QLatin1Char('"')) {
                qsizetype end = i + 1;
                while (end < n && text[end] != QLatin1Char('"'))
                    end += text[end] == QLatin1Char('\\') ? 2 : 1;
                end = qMin(end + 1, n);
                qsizetype next = end;
                while (next < n && text[next].isSpace())
                    ++next;
                const bool key = next < n && text[next] == QLatin1Char(':');
                setFormat(int(i), int(end - i), key ? m_key : m_string);
                i = end;
            } else if (c.isDigit() || c == QLatin1Char('-')) {
                qsizetype end = i + 1;
                while (end < n && (text[end].isDigit() || QStringView(u".eE+-").contains(text[end])))
                    ++end;
                setFormat(int(i), int(end - i), m_number);
                i = end;
            } else if (c.isLetter()) {
                qsizetype end = i + 1;
                while (end < n && text[end].isLetter())
                    ++end;
                setFormat(int(i), int(end - i), m_literal);
                i = end;
            } else {
                if (!c.isSpace())
                    setFormat(int(i), 1, m_punctuation);
                ++i;
            }
        }
    }

private:
    QTextCharFormat m_key, m_string, m_number, m_literal, m_punctuation;
};
#endif

} // namespace

QObject *highlightJson(QTextDocument *document)
{
    for (QSyntaxHighlighter *old : document->findChildren<QSyntaxHighlighter *>(Qt::FindDirectChildrenOnly))
        delete old;
#ifdef MCPWB_KSYNTAXHIGHLIGHTING
    static KSyntaxHighlighting::Repository repository;
    auto *highlighter = new KSyntaxHighlighting::SyntaxHighlighter(document);
    highlighter->setTheme(repository.defaultTheme(darkPalette()
                                                      ? KSyntaxHighlighting::Repository::DarkTheme
                                                      : KSyntaxHighlighting::Repository::LightTheme));
    highlighter->setDefinition(repository.definitionForName(QStringLiteral("JSON")));
    return highlighter;
#else
    return new BuiltinJsonHighlighter(document);
#endif
}

QString jsonHighlighterName()
{
#ifdef MCPWB_KSYNTAXHIGHLIGHTING
    return QStringLiteral("KSyntaxHighlighting (KF%1)").arg(MCPWB_KSYNTAXHIGHLIGHTING);
#else
    return QStringLiteral("built-in JSON highlighter (KSyntaxHighlighting not found at build time)");
#endif
}

} // namespace mcpui
