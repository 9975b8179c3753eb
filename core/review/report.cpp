#include "report.h"

#include <QRegularExpression>

namespace mcp::review {

namespace {

QString sarifLevel(Severity s)
{
    switch (s) {
    case Severity::Critical:
    case Severity::High:
        return QStringLiteral("error");
    case Severity::Medium:
        return QStringLiteral("warning");
    case Severity::Low:
    case Severity::Info:
        break;
    }
    return QStringLiteral("note");
}

QString place(const Location &l)
{
    QString where = l.item.isEmpty() ? l.itemKind : QStringLiteral("%1 %2").arg(l.itemKind, l.item);
    if (!l.field.isEmpty())
        where += QStringLiteral(", %1").arg(l.field);
    if (l.frame >= 0) // numbered from 1, as `mcpwb trace show` lists frames
        where += QStringLiteral(", frame %1").arg(l.frame + 1) +
                 (l.messageId.isEmpty() ? QString() : QStringLiteral(" (id %1)").arg(l.messageId));
    return where;
}

QString summary(const Report &r)
{
    int open = 0;
    for (const Finding &f : r.findings)
        open += r.accepted.isAccepted(f.fingerprint()) ? 0 : 1;
    const auto highest = highestOpenSeverity(r.findings, r.accepted);
    return QStringLiteral("%1 finding(s), %2 open, %3 accepted; highest open severity: %4")
        .arg(r.findings.size())
        .arg(open)
        .arg(r.findings.size() - open)
        .arg(highest ? severityName(*highest) : QStringLiteral("none"));
}

// Markdown that shows these characters as themselves (a server's name is not markup).
QString mdEscape(const QString &text)
{
    static const QRegularExpression special(QStringLiteral(R"(([\\`*_\[\]<>#|]))"));
    return QString(text).replace(special, QStringLiteral("\\\\1"));
}

// A fenced block whose fence is longer than any backtick run in the text, so the text cannot close it.
QString mdBlock(const QString &text)
{
    int longest = 0;
    int run = 0;
    for (const QChar c : text) {
        run = c == QLatin1Char('`') ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const QString fence(std::max(3, longest + 1), QLatin1Char('`'));
    return QStringLiteral("%1text\n%2\n%1\n").arg(fence, text);
}

} // namespace

std::optional<ReportFormat> reportFormatFromString(const QString &name)
{
    if (name == QStringLiteral("markdown") || name == QStringLiteral("md"))
        return ReportFormat::Markdown;
    if (name == QStringLiteral("html"))
        return ReportFormat::Html;
    if (name == QStringLiteral("sarif"))
        return ReportFormat::Sarif;
    return std::nullopt;
}

QByteArray renderMarkdown(const Report &r)
{
    QString out = QStringLiteral("# MCP security review\n\nServers: %1  \n%2\n")
                      .arg(mdEscape(r.servers.join(QStringLiteral(", "))), summary(r));
    for (const Finding &f : r.findings) {
        const QString fp = f.fingerprint();
        out +=
            QStringLiteral("\n## %1 %2 · %3 %4\n\n%5\n\n")
                .arg(severityName(f.severity).toUpper(), categoryId(f.category),
                     mdEscape(categoryName(f.category)),
                     r.accepted.isAccepted(fp) ? QStringLiteral("(accepted)") : QString(), mdEscape(f.title));
        out += QStringLiteral("- Server: %1\n- Where: %2 (`%3`)\n- Check: `%4`, fingerprint `%5`\n")
                   .arg(mdEscape(f.location.server), mdEscape(place(f.location)),
                        QString(f.location.pointer).remove(QLatin1Char('`')), f.ruleId, fp);
        if (r.accepted.isAccepted(fp))
            out += QStringLiteral("- Accepted: %1\n").arg(mdEscape(r.accepted.reason(fp)));
        out += QStringLiteral("\nEvidence:\n\n") + mdBlock(f.evidence) + QStringLiteral("\nAdvice: ") +
               mdEscape(f.advice) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

QByteArray renderHtml(const Report &r)
{
    const auto esc = [](const QString &s) { return s.toHtmlEscaped(); };
    QString out =
        QStringLiteral(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
            "'unsafe-inline'\"><title>MCP security review</title><style>body{font-family:sans-serif;"
            "max-width:60em;margin:auto}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5em}"
            ".critical,.high{color:#b00}.medium{color:#a60}.low,.info{color:#555}</style></head><body>\n"
            "<h1>MCP security review</h1>\n<p>Servers: %1<br>%2</p>\n")
            .arg(esc(r.servers.join(QStringLiteral(", "))), esc(summary(r)));
    for (const Finding &f : r.findings) {
        const QString fp = f.fingerprint();
        const QString sev = severityName(f.severity);
        out += QStringLiteral("<section><h2><span class=\"%1\">%2</span> %3 · %4%5</h2>\n<p>%6</p>\n<ul>"
                              "<li>Server: %7</li><li>Where: %8 (<code>%9</code>)</li>"
                              "<li>Check: <code>%10</code>, fingerprint <code>%11</code></li>")
                   .arg(sev, sev.toUpper(), categoryId(f.category), esc(categoryName(f.category)),
                        r.accepted.isAccepted(fp) ? QStringLiteral(" (accepted)") : QString(), esc(f.title),
                        esc(f.location.server), esc(place(f.location)), esc(f.location.pointer),
                        esc(f.ruleId), fp);
        if (r.accepted.isAccepted(fp))
            out += QStringLiteral("<li>Accepted: %1</li>").arg(esc(r.accepted.reason(fp)));
        out += QStringLiteral("</ul>\n<p>Evidence:</p><pre>%1</pre>\n<p>Advice: %2</p></section>\n")
                   .arg(esc(f.evidence), esc(f.advice));
    }
    out += QStringLiteral("</body></html>\n");
    return out.toUtf8();
}

QByteArray renderSarif(const Report &r)
{
    Json rules = Json::array();
    QHash<QString, int> ruleIndex;
    Json results = Json::array();
    for (const Finding &f : r.findings) {
        if (!ruleIndex.contains(f.ruleId)) {
            ruleIndex.insert(f.ruleId, int(rules.size()));
            rules.push_back(
                {{"id", toStd(f.ruleId)},
                 {"shortDescription",
                  {{"text", toStd(QStringLiteral("%1 %2: %3")
                                      .arg(categoryId(f.category), categoryName(f.category), f.ruleId))}}},
                 {"properties", {{"tags", {"security", toStd(categoryId(f.category))}}}}});
        }
        const QString fp = f.fingerprint();
        Json logical = {
            {"name", toStd(f.location.item.isEmpty() ? f.location.itemKind : f.location.item)},
            {"fullyQualifiedName", toStd(QStringLiteral("%1/%2").arg(f.location.server, place(f.location)))},
            {"kind", f.location.itemKind == QStringLiteral("tool") ? "function" : "object"}};
        Json result = {
            {"ruleId", toStd(f.ruleId)},
            {"ruleIndex", ruleIndex.value(f.ruleId)},
            {"level", toStd(sarifLevel(f.severity))},
            {"message", {{"text", toStd(QStringLiteral("%1\nEvidence: %2").arg(f.title, f.evidence))}}},
            {"locations", {{{"logicalLocations", {logical}}}}},
            {"partialFingerprints", {{"mcpwbFinding/v1", toStd(fp)}}},
            {"properties",
             {{"owaspMcp", toStd(categoryId(f.category))},
              {"category", toStd(categoryName(f.category))},
              {"severity", toStd(severityName(f.severity))},
              {"server", toStd(f.location.server)},
              {"jsonPointer", toStd(f.location.pointer)},
              {"evidence", toStd(f.evidence)},
              {"advice", toStd(f.advice)}}}};
        if (f.location.frame >= 0)
            result["properties"]["frame"] = f.location.frame + 1;
        if (r.accepted.isAccepted(fp))
            result["suppressions"] = {{{"kind", "external"},
                                       {"status", "accepted"},
                                       {"justification", toStd(r.accepted.reason(fp))}}};
        results.push_back(std::move(result));
    }
    const Json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                      {"version", "2.1.0"},
                      {"runs",
                       {{{"tool",
                          {{"driver",
                            {{"name", "mcpwb"},
                             {"version", MCPWB_VERSION},
                             {"semanticVersion", MCPWB_VERSION},
                             {"rules", rules}}}}},
                         {"results", results}}}}};
    return QByteArray::fromStdString(log.dump(2, ' ', false, Json::error_handler_t::replace)) + '\n';
}

QByteArray render(const Report &report, ReportFormat format)
{
    switch (format) {
    case ReportFormat::Markdown:
        return renderMarkdown(report);
    case ReportFormat::Html:
        return renderHtml(report);
    case ReportFormat::Sarif:
        break;
    }
    return renderSarif(report);
}

} // namespace mcp::review
