#include "instructioncheck.h"

#include <QRegularExpression>

namespace mcp::review {

namespace {

struct Pattern
{
    const char *kind;
    QRegularExpression re;
};

const QList<Pattern> &patterns()
{
    const auto ci =
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption;
    static const QList<Pattern> list = {
        {"pseudo-tag",
         QRegularExpression(
             QStringLiteral(
                 R"(<\s*/?\s*(important|system|instructions?|secret|hidden|admin|critical|)"
                 R"(note[_ ]?to[_ ]?(ai|assistant|model)|assistant|context|override)\b[^>]{0,40}>)"),
             ci)},
        {"override",
         QRegularExpression(
             QStringLiteral(R"(\b(ignore|disregard|forget|override|supersede)\b.{0,40}?\b(previous|prior|)"
                            R"(above|earlier|all|other|system|any|existing)\b.{0,30}?\b(instructions?|)"
                            R"(rules?|prompts?|guidelines|directions|tools?)\b)"),
             ci)},
        {"secrecy",
         QRegularExpression(
             QStringLiteral(R"(\b(do not|don't|never)\s+(\w+\s+){0,2}?(mention|reveal|disclose|tell)\b|)"
                            R"(\bwithout\s+(telling|informing|notifying|alerting|asking)\s+(the\s+)?user\b|)"
                            R"(\b(keep|remain)\s+(this|it|these)\s+(secret|hidden|confidential)\b|)"
                            R"(\buser\s+(must|should)\s+not\s+(know|see|be told)\b)"),
             ci)},
        {"other tools",
         QRegularExpression(
             QStringLiteral(R"(\bbefore\s+(using|calling|invoking|running)\s+(any|every|all|each)\s+)"
                            R"((other\s+)?tools?\b|\b(instead of|rather than)\s+(using|calling)\s+)"
                            R"((the\s+)?[`'"]?[\w.-]+[`'"]?\s+tool\b|\bwhen\s+this\s+tool\s+is\s+)"
                            R"(available\b|\b(all|every)\s+(other\s+)?tools?\s+(must|should|shall)\b)"),
             ci)},
        {"sensitive data",
         QRegularExpression(
             QStringLiteral(
                 R"(\b(read|send|include|pass|provide|attach|upload|share|append|forward|)"
                 R"(copy|cat|print|extract|collect|leak|contents? of)\b.{0,60}?(~/\.ssh|id_rsa|id_ed25519|)"
                 R"(\.aws/credentials|\.env\b|mcp\.json|claude_desktop_config|/etc/passwd|)"
                 R"(/etc/shadow|\.netrc|\.npmrc|private keys?|api[ _-]?keys?|access tokens?|)"
                 R"(passwords?|credentials|conversation history|chat history|previous )"
                 R"(messages|system prompt)\b)"),
             ci)},
        {"send data out",
         QRegularExpression(
             QStringLiteral(R"(\b(send|post|upload|forward|report|submit|exfiltrate|transmit|bcc|cc)\b)"
                            R"(.{0,80}?\b(https?://\S+|\S+@\S+\.\w+))"),
             ci)},
    };
    return list;
}

constexpr int kContext = 60;

// Longer than this, a description has room for more than its function (600 plus 200 per parameter).
qsizetype descriptionBudget(const Json &tool)
{
    const Json properties =
        valueOr(valueOr(tool, "inputSchema", Json::object()), "properties", Json::object());
    return 600 + 200 * qsizetype(properties.size());
}

QString excerpt(const QString &text, qsizetype start, qsizetype length)
{
    const qsizetype from = std::max<qsizetype>(0, start - kContext);
    const qsizetype to = std::min(text.size(), start + length + kContext);
    return (from > 0 ? QStringLiteral("…") : QString()) + visibleText(text.mid(from, to - from), 600) +
           (to < text.size() ? QStringLiteral("…") : QString());
}

} // namespace

QString InstructionMatch::evidence() const
{
    return tagRun.isEmpty() ? excerpt : QStringLiteral("%1, decoded: %2").arg(tagRun, excerpt);
}

QList<InstructionMatch> findInstructionText(const QString &text)
{
    QList<InstructionMatch> matches;
    const auto match = [&matches](const QString &in, const QString &tagRun) {
        for (const Pattern &p : patterns()) {
            const QRegularExpressionMatch m = p.re.match(in);
            if (m.hasMatch())
                matches.append(
                    {QLatin1String(p.kind), excerpt(in, m.capturedStart(), m.capturedLength()), tagRun});
        }
    };
    match(text, {});
    for (const TagRun &run : tagRuns(text))
        match(run.decoded, run.describe());
    return matches;
}

QString instructionRuleId(const QString &prefix, const InstructionMatch &match)
{
    return prefix + (match.tagRun.isEmpty() ? QString() : QStringLiteral("tag-smuggled-")) +
           QString(match.kind).replace(QLatin1Char(' '), QLatin1Char('-'));
}

void checkInstructions(const ServerSnapshot &server, QList<Finding> *findings)
{
    forEachText(server.definitions, [&](const TextSite &site) {
        if (site.isName)
            return;
        const Location location{server.name, site.itemKind, site.item, site.field, site.pointer};
        for (const InstructionMatch &m : findInstructionText(site.text))
            findings->append(
                {instructionRuleId(QStringLiteral("instructions."), m), Category::ToolPoisoning,
                 m.tagRun.isEmpty() ? Severity::High : Severity::Critical,
                 QStringLiteral("%1 (%2) in %3 %4 %5")
                     .arg(m.tagRun.isEmpty() ? QStringLiteral("Text aimed at the model")
                                             : QStringLiteral("Orders hidden in Unicode tag characters"),
                          m.kind, site.itemKind, visibleText(site.item, 80), site.field),
                 m.evidence(),
                 QStringLiteral(
                     "Definitions are read by the model as instructions. Read the whole text; do not "
                     "approve a server whose definitions give the model orders the user does not see."),
                 location});
    });
    const Json tools = valueOr(server.definitions, "tools", Json::array());
    for (size_t i = 0; i < tools.size(); ++i) {
        const QString description = stringOr(tools[i], "description");
        const qsizetype budget = descriptionBudget(tools[i]);
        if (description.size() <= budget)
            continue;
        const QString name = stringOr(tools[i], "name");
        findings->append(
            {QStringLiteral("instructions.long-description"),
             Category::ToolPoisoning,
             Severity::Low,
             QStringLiteral("The description of tool %1 is %2 characters, more than its %3 "
                            "parameter(s) need (%4)")
                 .arg(visibleText(name, 80))
                 .arg(description.size())
                 .arg((budget - 600) / 200)
                 .arg(budget),
             visibleText(description.left(300)),
             QStringLiteral("Long descriptions are where poisoning hides. Read it in full before "
                            "approving."),
             {server.name, QStringLiteral("tool"), name, QStringLiteral("description"),
              QStringLiteral("/tools/%1/description").arg(i)}});
    }
}

} // namespace mcp::review
