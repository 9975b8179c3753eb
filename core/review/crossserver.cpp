#include "crossserver.h"

#include "unicodecheck.h"

#include <QRegularExpression>

namespace mcp::review {

namespace {

struct ToolRef
{
    int server;
    size_t index;
    QString name;
};

QList<ToolRef> toolsOf(const QList<ServerSnapshot> &servers)
{
    QList<ToolRef> tools;
    for (int s = 0; s < servers.size(); ++s) {
        const Json list = valueOr(servers[s].definitions, "tools", Json::array());
        for (size_t i = 0; i < list.size(); ++i)
            if (const QString name = stringOr(list[i], "name"); !name.isEmpty())
                tools.append({int(s), i, name});
    }
    return tools;
}

// What a name is once look-alike letters, case and separators no longer tell names apart.
QString collisionKey(const QString &name)
{
    return nameWords(confusableSkeleton(name)).join(QString());
}

// A distinctive name (read_file, sendEmail) counts wherever it stands as a word; a plain word (fetch) only
// where it is written as a tool's name: quoted, or "the fetch tool".
QRegularExpression mentionOf(const QString &name)
{
    const QString n = QRegularExpression::escape(name);
    const bool distinctive = name.contains(QRegularExpression(QStringLiteral("[_.\\-]|[a-z][A-Z]")));
    const QString pattern = distinctive
                                ? QStringLiteral(R"((?<![\w.-])%1(?![\w-]))").arg(n)
                                : QStringLiteral(R"([`'"]%1[`'"]|\b%1\s+tool\b|\btool\s+[`'"]?%1\b)").arg(n);
    return QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}

void checkCollisions(const QList<ServerSnapshot> &servers, const QList<ToolRef> &tools,
                     QList<Finding> *findings)
{
    for (qsizetype a = 0; a < tools.size(); ++a) {
        for (qsizetype b = a + 1; b < tools.size(); ++b) {
            const ToolRef &x = tools[a];
            const ToolRef &y = tools[b];
            if (x.server == y.server || collisionKey(x.name) != collisionKey(y.name))
                continue;
            const bool identical = x.name == y.name;
            const QString other =
                QStringLiteral("%1 on %2").arg(visibleText(y.name, 80), servers[y.server].name);
            findings->append(
                {identical ? QStringLiteral("shadowing.same-name")
                           : QStringLiteral("shadowing.look-alike-name"),
                 Category::IntentFlowSubversion,
                 identical ? Severity::Medium : Severity::High,
                 QStringLiteral("Tool %1 on %2 %3 tool %4")
                     .arg(visibleText(x.name, 80), servers[x.server].name,
                          identical ? QStringLiteral("has the same name as") : QStringLiteral("can pass for"),
                          other),
                 QStringLiteral("\"%1\" (%2) and \"%3\" (%4)")
                     .arg(visibleText(x.name, 80), servers[x.server].name, visibleText(y.name, 80),
                          servers[y.server].name),
                 QStringLiteral(
                     "The model may call either server's tool for the other. Use one of the servers, or "
                     "a client that prefixes tool names with their server."),
                 {servers[x.server].name, QStringLiteral("tool"), x.name, QStringLiteral("name"),
                  QStringLiteral("/tools/%1/name").arg(x.index)}});
        }
    }
}

void checkMentions(const QList<ServerSnapshot> &servers, const QList<ToolRef> &tools,
                   QList<Finding> *findings)
{
    QList<QRegularExpression> mentions;
    for (const ToolRef &t : tools)
        mentions.append(mentionOf(t.name));
    for (int s = 0; s < servers.size(); ++s) {
        forEachText(servers[s].definitions, [&](const TextSite &site) {
            if (site.isName)
                return;
            for (qsizetype t = 0; t < tools.size(); ++t) {
                if (tools[t].server == s)
                    continue;
                const QRegularExpressionMatch m = mentions[t].match(site.text);
                if (!m.hasMatch())
                    continue;
                const qsizetype from = std::max<qsizetype>(0, m.capturedStart() - 80);
                // The server's own texts (its instructions) have no item to name.
                const QString speaker =
                    site.item.isEmpty()
                        ? QStringLiteral("The %1 of %2 speak").arg(site.field, servers[s].name)
                        : QStringLiteral("%1 %2 on %3 speaks")
                              .arg(site.itemKind, visibleText(site.item, 80), servers[s].name);
                findings->append(
                    {QStringLiteral("shadowing.mentions-other-tool"),
                     Category::ToolPoisoning,
                     Severity::High,
                     QStringLiteral("%1 of tool %2 of %3")
                         .arg(speaker, visibleText(tools[t].name, 80), servers[tools[t].server].name),
                     visibleText(site.text.mid(from, m.capturedEnd() - from + 80), 400),
                     QStringLiteral(
                         "A server's definitions have no reason to instruct the model about another "
                         "server's tools: this is how shadowing redirects them. Do not connect both."),
                     {servers[s].name, site.itemKind, site.item, site.field, site.pointer}});
            }
        });
    }
}

} // namespace

void checkAcrossServers(const QList<ServerSnapshot> &servers, QList<Finding> *findings)
{
    const QList<ToolRef> tools = toolsOf(servers);
    checkCollisions(servers, tools, findings);
    checkMentions(servers, tools, findings);
}

} // namespace mcp::review
