#pragma once

#include "review/findings.h"

// Helpers for the tests of core/review.
namespace reviewtesting {

// ASCII as Unicode tag characters (U+E0020..U+E007E), the way ASCII smuggling hides it.
inline QString tagged(const QString &ascii)
{
    QString out;
    for (const QChar c : ascii) {
        const char32_t tag = 0xE0000 + c.unicode();
        out += QString::fromUcs4(&tag, 1);
    }
    return out;
}

// The first finding of this rule, or null.
inline const mcp::review::Finding *findRule(const QList<mcp::review::Finding> &findings, const QString &rule)
{
    for (const mcp::review::Finding &f : findings)
        if (f.ruleId == rule)
            return &f;
    return nullptr;
}

// One line a finding, for a failure message.
inline QString describeFindings(const QList<mcp::review::Finding> &findings)
{
    QString out;
    for (const mcp::review::Finding &f : findings)
        out += QStringLiteral("\n  %1 %2 [%3] %4 | %5")
                   .arg(f.ruleId, f.location.item, mcp::review::severityName(f.severity), f.title,
                        f.evidence.left(200));
    return out;
}

} // namespace reviewtesting
