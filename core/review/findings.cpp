#include "findings.h"

#include "jsonfile.h"

#include <QCryptographicHash>
#include <algorithm>

namespace mcp::review {

QString categoryId(Category c)
{
    return QStringLiteral("MCP%1").arg(int(c), 2, 10, QLatin1Char('0'));
}

QString categoryName(Category c)
{
    switch (c) {
    case Category::TokenMismanagement:
        return QStringLiteral("Token mismanagement and secret exposure");
    case Category::ScopeCreep:
        return QStringLiteral("Privilege escalation via scope creep");
    case Category::ToolPoisoning:
        return QStringLiteral("Tool poisoning");
    case Category::SupplyChain:
        return QStringLiteral("Supply chain attacks and dependency tampering");
    case Category::CommandInjection:
        return QStringLiteral("Command injection and execution");
    case Category::IntentFlowSubversion:
        return QStringLiteral("Intent flow subversion");
    case Category::InsufficientAuth:
        return QStringLiteral("Insufficient authentication and authorization");
    case Category::LackOfAudit:
        return QStringLiteral("Lack of audit and telemetry");
    case Category::ShadowServers:
        return QStringLiteral("Shadow MCP servers");
    case Category::ContextOverSharing:
        return QStringLiteral("Context injection and over-sharing");
    }
    return {};
}

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Low:
        return QStringLiteral("low");
    case Severity::Medium:
        return QStringLiteral("medium");
    case Severity::High:
        return QStringLiteral("high");
    case Severity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

QString Finding::fingerprint() const
{
    const QString key =
        QStringList{ruleId, location.server, location.itemKind, location.item, location.field, evidence}.join(
            QChar(0x1f));
    return QString::fromLatin1(
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
}

namespace {

bool isTag(char32_t c)
{
    return c >= 0xE0000 && c <= 0xE007F;
}

QString codePoint(char32_t c)
{
    return QStringLiteral("U+%1").arg(
        QString::number(uint(c), 16).toUpper().rightJustified(4, QLatin1Char('0')));
}

TagRun tagRunAt(const QList<uint> &codePoints, qsizetype start)
{
    TagRun run;
    run.start = start;
    run.first = codePoints[start];
    qsizetype end = start;
    while (end < codePoints.size() && isTag(codePoints[end])) {
        if (codePoints[end] >= 0xE0020 && codePoints[end] <= 0xE007E)
            run.decoded += QChar(char16_t(codePoints[end] - 0xE0000));
        ++end;
    }
    run.last = codePoints[end - 1];
    run.length = end - start;
    const auto isFlagLetter = [](uint c) {
        return (c >= 0xE0061 && c <= 0xE007A) || (c >= 0xE0030 && c <= 0xE0039);
    };
    run.emojiFlag = start > 0 && codePoints[start - 1] == 0x1F3F4 && run.last == 0xE007F &&
                    std::all_of(codePoints.begin() + start, codePoints.begin() + end - 1, isFlagLetter);
    return run;
}

} // namespace

QString TagRun::describe() const
{
    return QStringLiteral("%1..%2: %3 TAG characters").arg(codePoint(first), codePoint(last)).arg(length);
}

QList<TagRun> tagRuns(const QString &text)
{
    QList<TagRun> runs;
    if (!text.contains(QChar(0xDB40))) // every tag character's high surrogate: most texts have none
        return runs;
    const QList<uint> codePoints = text.toUcs4();
    for (qsizetype i = 0; i < codePoints.size(); ++i) {
        if (isTag(codePoints[i])) {
            runs.append(tagRunAt(codePoints, i));
            i += runs.last().length - 1;
        }
    }
    return runs;
}

QString invisibleCharacterName(char32_t c)
{
    switch (c) {
    case 0x00AD:
        return QStringLiteral("SOFT HYPHEN");
    case 0x034F:
        return QStringLiteral("COMBINING GRAPHEME JOINER");
    case 0x061C:
        return QStringLiteral("ARABIC LETTER MARK");
    case 0x115F:
        return QStringLiteral("HANGUL CHOSEONG FILLER");
    case 0x1160:
        return QStringLiteral("HANGUL JUNGSEONG FILLER");
    case 0x180E:
        return QStringLiteral("MONGOLIAN VOWEL SEPARATOR");
    case 0x200B:
        return QStringLiteral("ZERO WIDTH SPACE");
    case 0x200C:
        return QStringLiteral("ZERO WIDTH NON-JOINER");
    case 0x200D:
        return QStringLiteral("ZERO WIDTH JOINER");
    case 0x200E:
        return QStringLiteral("LEFT-TO-RIGHT MARK");
    case 0x200F:
        return QStringLiteral("RIGHT-TO-LEFT MARK");
    case 0x202A:
        return QStringLiteral("LEFT-TO-RIGHT EMBEDDING");
    case 0x202B:
        return QStringLiteral("RIGHT-TO-LEFT EMBEDDING");
    case 0x202C:
        return QStringLiteral("POP DIRECTIONAL FORMATTING");
    case 0x202D:
        return QStringLiteral("LEFT-TO-RIGHT OVERRIDE");
    case 0x202E:
        return QStringLiteral("RIGHT-TO-LEFT OVERRIDE");
    case 0x2060:
        return QStringLiteral("WORD JOINER");
    case 0x2061:
        return QStringLiteral("FUNCTION APPLICATION");
    case 0x2062:
        return QStringLiteral("INVISIBLE TIMES");
    case 0x2063:
        return QStringLiteral("INVISIBLE SEPARATOR");
    case 0x2064:
        return QStringLiteral("INVISIBLE PLUS");
    case 0x2066:
        return QStringLiteral("LEFT-TO-RIGHT ISOLATE");
    case 0x2067:
        return QStringLiteral("RIGHT-TO-LEFT ISOLATE");
    case 0x2068:
        return QStringLiteral("FIRST STRONG ISOLATE");
    case 0x2069:
        return QStringLiteral("POP DIRECTIONAL ISOLATE");
    case 0x3164:
        return QStringLiteral("HANGUL FILLER");
    case 0xFEFF:
        return QStringLiteral("ZERO WIDTH NO-BREAK SPACE");
    case 0xFFA0:
        return QStringLiteral("HALFWIDTH HANGUL FILLER");
    case 0xE0001:
        return QStringLiteral("LANGUAGE TAG");
    case 0xE007F:
        return QStringLiteral("CANCEL TAG");
    default:
        break;
    }
    if (c >= 0xFE00 && c <= 0xFE0F)
        return QStringLiteral("VARIATION SELECTOR-%1").arg(c - 0xFE00 + 1);
    if (c >= 0xE0100 && c <= 0xE01EF)
        return QStringLiteral("VARIATION SELECTOR-%1").arg(c - 0xE0100 + 17);
    if (isTag(c))
        return QStringLiteral("TAG");
    if (c < 0x20 || (c >= 0x7F && c < 0xA0))
        return QStringLiteral("CONTROL");
    if (QChar::category(c) == QChar::Other_Format)
        return QStringLiteral("FORMAT CHARACTER");
    if (QChar::category(c) == QChar::Other_PrivateUse)
        return QStringLiteral("PRIVATE USE");
    if (QChar::category(c) == QChar::Other_NotAssigned)
        return QStringLiteral("UNASSIGNED");
    return {};
}

QString visibleText(const QString &text, int maxChars)
{
    QString out;
    const QList<uint> codePoints = text.toUcs4();
    for (qsizetype i = 0; i < codePoints.size() && out.size() < maxChars; ++i) {
        const char32_t c = codePoints[i];
        if (c == U'\n') {
            out += QStringLiteral("\\n");
        } else if (c == U'\t') {
            out += QStringLiteral("\\t");
        } else if (isTag(c)) { // one bracket for the run, with the ASCII it smuggles
            const TagRun run = tagRunAt(codePoints, i);
            out += QStringLiteral("[%1, decoded \"%2\"]")
                       .arg(run.describe(), visibleText(run.decoded, maxChars));
            i += run.length - 1;
        } else if (const QString name = invisibleCharacterName(c); !name.isEmpty()) {
            out += QStringLiteral("[%1 %2]").arg(codePoint(c), name);
        } else {
            out += QString::fromUcs4(&c, 1);
        }
    }
    if (out.size() >= maxChars)
        out = out.left(maxChars) + QStringLiteral("…");
    return out;
}

void Acceptances::accept(const QString &fingerprint, const QString &reason)
{
    m_reasons.insert(fingerprint, reason);
}

void Acceptances::revoke(const QString &fingerprint)
{
    m_reasons.remove(fingerprint);
}

Json Acceptances::toJson() const
{
    Json accepted = Json::object();
    QStringList keys = m_reasons.keys();
    keys.sort();
    for (const QString &fp : keys)
        accepted[toStd(fp)] = {{"reason", toStd(m_reasons.value(fp))}};
    return {{"mcpwbAcceptedFindings", 1}, {"accepted", accepted}};
}

bool Acceptances::fromJson(const Json &json, Acceptances *out, QString *error)
{
    const Json accepted = valueOr(json, "accepted", Json());
    if (valueOr(json, "mcpwbAcceptedFindings", 0) != 1 || !accepted.is_object()) {
        *error = QStringLiteral("not an accepted-findings document (version 1 with an \"accepted\" object)");
        return false;
    }
    Acceptances result;
    for (const auto &[fp, entry] : accepted.items()) {
        if (!entry.is_object() || !entry.contains("reason") || !entry["reason"].is_string()) {
            *error = QStringLiteral("accepted finding %1 has no reason").arg(toQString(fp));
            return false;
        }
        result.accept(toQString(fp), stringOr(entry, "reason"));
    }
    *out = std::move(result);
    return true;
}

bool Acceptances::save(const QString &path, QString *error) const
{
    return saveDocument(path, *this, error);
}

bool Acceptances::load(const QString &path, Acceptances *out, QString *error)
{
    return loadDocument(path, 16 * 1024 * 1024, out, error);
}

std::optional<Severity> highestOpenSeverity(const QList<Finding> &findings, const Acceptances &accepted)
{
    std::optional<Severity> highest;
    for (const Finding &f : findings)
        if (!accepted.isAccepted(f.fingerprint()) && (!highest || f.severity > *highest))
            highest = f.severity;
    return highest;
}

} // namespace mcp::review
