#include "toxicflow.h"

#include <QSet>

namespace mcp::review {

namespace {

QString matchedWord(const QStringList &words, const QSet<QString> &set)
{
    for (const QString &w : words)
        if (set.contains(w))
            return w;
    return {};
}

struct Tool
{
    int server;
    QString name;
    ToolRoles roles;
};

} // namespace

ToolRoles classifyTool(const Json &tool)
{
    static const QSet<QString> untrustedWords = {
        QStringLiteral("fetch"),  QStringLiteral("browse"),   QStringLiteral("scrape"),
        QStringLiteral("crawl"),  QStringLiteral("web"),      QStringLiteral("url"),
        QStringLiteral("http"),   QStringLiteral("inbox"),    QStringLiteral("issue"),
        QStringLiteral("issues"), QStringLiteral("comments"), QStringLiteral("rss"),
        QStringLiteral("tweets"), QStringLiteral("webpage"),  QStringLiteral("download")};
    static const QSet<QString> privateWords = {
        QStringLiteral("file"),        QStringLiteral("files"),    QStringLiteral("directory"),
        QStringLiteral("env"),         QStringLiteral("secret"),   QStringLiteral("secrets"),
        QStringLiteral("credentials"), QStringLiteral("password"), QStringLiteral("database"),
        QStringLiteral("db"),          QStringLiteral("sql"),      QStringLiteral("graph"),
        QStringLiteral("memory"),      QStringLiteral("notes"),    QStringLiteral("calendar"),
        QStringLiteral("contacts"),    QStringLiteral("messages"), QStringLiteral("history"),
        QStringLiteral("repo"),        QStringLiteral("private")};
    static const QSet<QString> readVerbs = {
        QStringLiteral("read"),  QStringLiteral("get"),    QStringLiteral("list"), QStringLiteral("search"),
        QStringLiteral("query"), QStringLiteral("open"),   QStringLiteral("find"), QStringLiteral("show"),
        QStringLiteral("dump"),  QStringLiteral("export"), QStringLiteral("tree")};
    static const QSet<QString> sendWords = {
        QStringLiteral("send"),    QStringLiteral("post"),   QStringLiteral("email"),
        QStringLiteral("mail"),    QStringLiteral("upload"), QStringLiteral("publish"),
        QStringLiteral("webhook"), QStringLiteral("notify"), QStringLiteral("share"),
        QStringLiteral("tweet"),   QStringLiteral("reply"),  QStringLiteral("comment"),
        QStringLiteral("message"), QStringLiteral("push"),   QStringLiteral("sms"),
        QStringLiteral("slack")};

    ToolRoles roles;
    const QStringList words = nameWords(stringOr(tool, "name"));
    const Json annotations = valueOr(tool, "annotations", Json::object());
    const bool openWorld = valueOr(annotations, "openWorldHint", false);
    const bool readOnly = valueOr(annotations, "readOnlyHint", false);

    if (const QString w = matchedWord(words, untrustedWords); !w.isEmpty())
        roles.untrusted = QStringLiteral("its name says \"%1\"").arg(w);
    else if (openWorld)
        roles.untrusted = QStringLiteral("openWorldHint: it reaches outside the local system");

    const QString verb = matchedWord(words, readVerbs);
    if (const QString w = matchedWord(words, privateWords);
        !w.isEmpty() && (!verb.isEmpty() || words.size() == 1))
        roles.privateData = QStringLiteral("its name says \"%1\" \"%2\"")
                                .arg(verb, w)
                                .replace(QStringLiteral("\"\" "), QString());

    if (const QString w = matchedWord(words, sendWords); !w.isEmpty() && verb.isEmpty())
        roles.sendsOut = QStringLiteral("its name says \"%1\"").arg(w);
    else if (openWorld && !readOnly)
        roles.sendsOut =
            QStringLiteral("openWorldHint without readOnlyHint: it can act on the outside world");
    return roles;
}

void checkToxicFlows(const QList<ServerSnapshot> &servers, QList<Finding> *findings, int maxFlows)
{
    QList<Tool> untrusted, privateData, sendsOut;
    for (int s = 0; s < servers.size(); ++s) {
        const Json tools = valueOr(servers[s].definitions, "tools", Json::array());
        for (const Json &t : tools) {
            const Tool tool{s, stringOr(t, "name"), classifyTool(t)};
            if (!tool.roles.untrusted.isEmpty())
                untrusted.append(tool);
            if (!tool.roles.privateData.isEmpty())
                privateData.append(tool);
            if (!tool.roles.sendsOut.isEmpty())
                sendsOut.append(tool);
        }
    }
    const auto label = [&](const Tool &t) {
        return QStringLiteral("%1/%2").arg(servers[t.server].name, visibleText(t.name, 80));
    };
    qsizetype total = 0;
    for (const Tool &in : untrusted) {
        for (const Tool &secret : privateData) {
            for (const Tool &out : sendsOut) {
                if (++total > maxFlows)
                    continue;
                findings->append(
                    {QStringLiteral("flow.toxic"),
                     Category::IntentFlowSubversion,
                     Severity::High,
                     QStringLiteral("Toxic flow: %1 → %2 → %3").arg(label(in), label(secret), label(out)),
                     QStringLiteral("untrusted content: %1 (%2); private data: %3 (%4); sends out: %5 (%6)")
                         .arg(label(in), in.roles.untrusted, label(secret), secret.roles.privateData,
                              label(out), out.roles.sendsOut),
                     QStringLiteral(
                         "Text brought in by the first tool can steer the model to read private data "
                         "with the second and send it out with the third. Do not enable all three in "
                         "one agent, or require approval of each call of the last."),
                     {servers[secret.server].name, QStringLiteral("tool"),
                      QStringLiteral("%1 → %2 → %3").arg(in.name, secret.name, out.name),
                      QStringLiteral("tools"), QStringLiteral("/tools")}});
            }
        }
    }
    if (total > maxFlows)
        findings->append(
            {QStringLiteral("flow.toxic-more"),
             Category::IntentFlowSubversion,
             Severity::High,
             QStringLiteral("%1 more toxic flows like the ones above").arg(total - maxFlows),
             QStringLiteral("%1 untrusted-content, %2 private-data and %3 sending tools in all")
                 .arg(untrusted.size())
                 .arg(privateData.size())
                 .arg(sendsOut.size()),
             QStringLiteral("Split these servers across agents."),
             {QString(), QStringLiteral("tool"), QString(), QStringLiteral("tools"), QString()}});
}

} // namespace mcp::review
