#include "unicodecheck.h"

#include <QHash>
#include <QSet>
#include <algorithm>

namespace mcp::review {

namespace {

enum class Hidden { None, Tag, Bidi, Invisible };

bool isEmojiLike(char32_t c)
{
    return c >= 0x1F000 || QChar::category(c) == QChar::Symbol_Other;
}

// Joiners and variation selectors are ordinary between emoji and after symbols; next to letters they only
// hide things.
Hidden classify(const QList<uint> &cps, qsizetype i)
{
    const char32_t c = cps[i];
    if (c >= 0xE0000 && c <= 0xE007F)
        return Hidden::Tag;
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F ||
        c == 0x061C)
        return Hidden::Bidi;
    const bool afterEmoji = i > 0 && isEmojiLike(cps[i - 1]);
    if ((c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F)) && afterEmoji)
        return Hidden::None;
    if (c == 0xFEFF && i == 0)
        return Hidden::None; // a byte order mark at the start is harmless
    if (c == U'\n' || c == U'\t' || c == U'\r')
        return Hidden::None;
    return invisibleCharacterName(c).isEmpty() ? Hidden::None : Hidden::Invisible;
}

QString where(const TextSite &site)
{
    return site.item.isEmpty() ? site.field
                               : QStringLiteral("%1 %2 %3").arg(site.itemKind, site.item, site.field);
}

Finding finding(const ServerSnapshot &server, const TextSite &site, const QString &rule, Severity severity,
                const QString &title, const QString &evidence, const QString &advice)
{
    return Finding{rule,
                   Category::ToolPoisoning,
                   severity,
                   title,
                   evidence,
                   advice,
                   {server.name, site.itemKind, site.item, site.field, site.pointer}};
}

// Latin look-alikes: Cyrillic and Greek letters that render like Latin ones (Unicode confusables, the
// letters seen in homoglyph attacks on names).
const QHash<char32_t, QChar> &lookAlikes()
{
    static const QHash<char32_t, QChar> table = {
        {0x0430, u'a'}, {0x0432, u'b'}, {0x0435, u'e'}, {0x043A, u'k'}, {0x043C, u'm'}, {0x043D, u'h'},
        {0x043E, u'o'}, {0x0440, u'p'}, {0x0441, u'c'}, {0x0442, u't'}, {0x0443, u'y'}, {0x0445, u'x'},
        {0x0455, u's'}, {0x0456, u'i'}, {0x0458, u'j'}, {0x0501, u'd'}, {0x051B, u'q'}, {0x051D, u'w'},
        {0x04BB, u'h'}, {0x04CF, u'l'}, {0x0410, u'A'}, {0x0412, u'B'}, {0x0415, u'E'}, {0x041A, u'K'},
        {0x041C, u'M'}, {0x041D, u'H'}, {0x041E, u'O'}, {0x0420, u'P'}, {0x0421, u'C'}, {0x0422, u'T'},
        {0x0425, u'X'}, {0x0405, u'S'}, {0x0406, u'I'}, {0x0408, u'J'}, {0x03B1, u'a'}, {0x03BF, u'o'},
        {0x03BD, u'v'}, {0x03C1, u'p'}, {0x03C4, u't'}, {0x03B9, u'i'}, {0x03BA, u'k'}, {0x0391, u'A'},
        {0x0392, u'B'}, {0x0395, u'E'}, {0x0396, u'Z'}, {0x0397, u'H'}, {0x0399, u'I'}, {0x039A, u'K'},
        {0x039C, u'M'}, {0x039D, u'N'}, {0x039F, u'O'}, {0x03A1, u'P'}, {0x03A4, u'T'}, {0x03A5, u'Y'},
        {0x03A7, u'X'}, {0x0131, u'i'}, {0x0261, u'g'}, {0x01C3, u'!'},
    };
    return table;
}

std::optional<QChar> latinLookAlike(char32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E) // fullwidth ASCII
        return QChar(char16_t(c - 0xFF01 + 0x21));
    const auto it = lookAlikes().constFind(c);
    return it == lookAlikes().constEnd() ? std::nullopt : std::optional<QChar>(*it);
}

// The scripts of a name's letters (Common and Inherited, e.g. digits and marks, count for none).
QSet<QChar::Script> scriptsOf(const QString &name)
{
    QSet<QChar::Script> scripts;
    for (const uint c : name.toUcs4()) {
        const QChar::Script s = QChar::script(c);
        if (QChar::isLetter(c) && s != QChar::Script_Common && s != QChar::Script_Inherited)
            scripts.insert(s);
    }
    return scripts;
}

void checkHiddenCharacters(const ServerSnapshot &server, const TextSite &site, QList<Finding> *findings)
{
    const QList<uint> cps = site.text.toUcs4();
    QSet<Hidden> seen;
    for (qsizetype i = 0; i < cps.size(); ++i)
        seen.insert(classify(cps, i));
    const QString evidence = visibleText(site.text);
    if (seen.contains(Hidden::Tag))
        findings->append(finding(
            server, site, QStringLiteral("unicode.tag-characters"), Severity::Critical,
            QStringLiteral("Unicode tag characters smuggle hidden text in %1").arg(where(site)), evidence,
            QStringLiteral(
                "Tag characters are invisible to the user but read by the model. Do not approve this "
                "server; report it to its publisher.")));
    if (seen.contains(Hidden::Bidi))
        findings->append(finding(
            server, site, QStringLiteral("unicode.bidi-control"), Severity::High,
            QStringLiteral("Bidirectional control characters reorder what the user sees in %1")
                .arg(where(site)),
            evidence,
            QStringLiteral(
                "What is displayed differs from what the model reads. Ask the publisher to remove the "
                "controls; do not approve until they do.")));
    if (seen.contains(Hidden::Invisible))
        findings->append(
            finding(server, site, QStringLiteral("unicode.invisible"),
                    site.isName ? Severity::High : Severity::Medium,
                    QStringLiteral("Invisible characters in %1").arg(where(site)), evidence,
                    QStringLiteral(
                        "Zero-width and other invisible characters hide text or make two names look equal. "
                        "Compare the evidence with what the server's documentation shows.")));
}

void checkLookAlikes(const ServerSnapshot &server, const TextSite &site, QList<Finding> *findings)
{
    const QString skeleton = confusableSkeleton(site.text);
    const bool mixed = scriptsOf(site.text).size() > 1;
    const bool passesForLatin =
        skeleton != site.text &&
        std::all_of(skeleton.cbegin(), skeleton.cend(), [](QChar c) { return c.unicode() < 0x80; });
    if (!mixed && !passesForLatin)
        return; // a name in one script (Russian, Greek) is just a name
    QStringList named;
    for (const uint c : site.text.toUcs4())
        if (c > 0x7F && QChar::isLetter(c))
            named << QStringLiteral("U+%1 (%2)")
                         .arg(QString::number(c, 16).toUpper().rightJustified(4, QLatin1Char('0')))
                         .arg(QString::fromUcs4(reinterpret_cast<const char32_t *>(&c), 1));
    named.removeDuplicates();
    findings->append(finding(
        server, site, QStringLiteral("unicode.homoglyph"), Severity::High,
        QStringLiteral("The name \"%1\" %2")
            .arg(visibleText(site.text, 80),
                 mixed ? QStringLiteral("mixes scripts") : QStringLiteral("uses look-alike letters")),
        QStringLiteral("%1 reads as \"%2\"; non-Latin letters: %3")
            .arg(visibleText(site.text, 120), visibleText(skeleton, 120), named.join(QStringLiteral(", "))),
        QStringLiteral(
            "A name that imitates another one lets a server pass its tool off as a trusted one. Rename "
            "or reject it.")));
}

} // namespace

QString confusableSkeleton(const QString &name)
{
    QString out;
    for (const uint c : name.toUcs4()) {
        if (const auto latin = latinLookAlike(c))
            out += *latin;
        else
            out += QString::fromUcs4(reinterpret_cast<const char32_t *>(&c), 1);
    }
    return out;
}

void checkUnicode(const ServerSnapshot &server, QList<Finding> *findings)
{
    forEachText(server.definitions, [&](const TextSite &site) {
        checkHiddenCharacters(server, site, findings);
        if (site.isName)
            checkLookAlikes(server, site, findings);
    });
}

} // namespace mcp::review
