#pragma once

#include "findings.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace mcp::review {

// A finished review as a reader or a CI pipeline takes it. Every text from a server goes out through
// visibleText already (in the findings) and is escaped again for the format, so nothing a server wrote
// becomes markup, a link or a script.
struct Report
{
    QStringList servers;
    QList<Finding> findings;
    Acceptances accepted;
};

enum class ReportFormat { Markdown, Html, Sarif };
std::optional<ReportFormat> reportFormatFromString(const QString &name); // "markdown" ("md"), "html", "sarif"

QByteArray renderMarkdown(const Report &report);
QByteArray renderHtml(const Report &report);
// SARIF 2.1.0: one run, a rule per check, a result per finding with its fingerprint, its OWASP category as a
// tag, and a suppression (status accepted, the reviewer's reason) where it was accepted.
QByteArray renderSarif(const Report &report);
QByteArray render(const Report &report, ReportFormat format);

} // namespace mcp::review
