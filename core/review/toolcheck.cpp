#include "toolcheck.h"

#include <QRegularExpression>
#include <QSet>

namespace mcp::review {

namespace {

struct Invitation
{
    const char *rule;
    Category category;
    Severity severity;
    const char *what;
    QSet<QString> words; // any word of the parameter's name
    const char *advice;
};

const QList<Invitation> &invitations()
{
    static const QList<Invitation> list = {
        {"parameters.secret",
         Category::TokenMismanagement,
         Severity::Medium,
         "secrets",
         {QStringLiteral("password"), QStringLiteral("passwd"), QStringLiteral("secret"),
          QStringLiteral("token"), QStringLiteral("apikey"), QStringLiteral("key"),
          QStringLiteral("credential"), QStringLiteral("credentials"), QStringLiteral("auth"),
          QStringLiteral("cookie"), QStringLiteral("otp"), QStringLiteral("passphrase")},
         "A secret given as a tool argument passes through the model's context and the server's logs. The "
         "server "
         "should hold its credentials itself (configuration, OAuth)."},
        {"parameters.command",
         Category::CommandInjection,
         Severity::High,
         "shell commands or code",
         {QStringLiteral("command"), QStringLiteral("cmd"), QStringLiteral("commands"),
          QStringLiteral("shell"), QStringLiteral("script"), QStringLiteral("exec"), QStringLiteral("bash"),
          QStringLiteral("powershell"), QStringLiteral("eval"), QStringLiteral("sql")},
         "A model that can be steered by any text it reads can be made to run anything through this "
         "parameter. "
         "Confirm the server confines what it runs (allow-list, sandbox), and require approval of each "
         "call."},
        {"parameters.path",
         Category::ScopeCreep,
         Severity::Info,
         "file system paths",
         {QStringLiteral("path"), QStringLiteral("paths"), QStringLiteral("file"), QStringLiteral("filename"),
          QStringLiteral("filepath"), QStringLiteral("dir"), QStringLiteral("directory"),
          QStringLiteral("folder")},
         "Confirm the server confines paths to the directories it was given, and give it no more than "
         "needed."},
        {"parameters.url",
         Category::ContextOverSharing,
         Severity::Low,
         "URLs",
         {QStringLiteral("url"), QStringLiteral("urls"), QStringLiteral("uri"), QStringLiteral("endpoint"),
          QStringLiteral("webhook"), QStringLiteral("href"), QStringLiteral("callback")},
         "A URL chosen by the model can fetch attacker content or carry data out in its query. Confirm the "
         "server restricts the hosts it reaches."},
    };
    return list;
}

// A free-form string (or list of them): no enum, const or pattern narrows it.
bool unconstrainedString(const Json &schema)
{
    if (!schema.is_object() || schema.contains("enum") || schema.contains("const") ||
        schema.contains("pattern"))
        return false;
    const Json type = valueOr(schema, "type", Json());
    if (type == "array")
        return unconstrainedString(valueOr(schema, "items", Json()));
    return type.is_null() || type == "string" ||
           (type.is_array() && std::find(type.begin(), type.end(), "string") != type.end());
}

void checkParameters(const ServerSnapshot &server, const Json &tool, size_t index, QList<Finding> *findings)
{
    const QString name = stringOr(tool, "name");
    const Json properties =
        valueOr(valueOr(tool, "inputSchema", Json::object()), "properties", Json::object());
    for (const Invitation &inv : invitations()) {
        QStringList hits;
        for (const auto &[param, schema] : properties.items()) {
            const QStringList words = nameWords(toQString(param));
            const bool named = std::any_of(words.cbegin(), words.cend(),
                                           [&](const QString &w) { return inv.words.contains(w); });
            if (named && unconstrainedString(schema))
                hits << toQString(param);
        }
        if (hits.isEmpty())
            continue;
        findings->append(
            {QLatin1String(inv.rule),
             inv.category,
             inv.severity,
             QStringLiteral("Tool %1 takes %2 as free text")
                 .arg(visibleText(name, 80), QLatin1String(inv.what)),
             QStringLiteral("parameters: %1").arg(visibleText(hits.join(QStringLiteral(", ")))),
             QLatin1String(inv.advice),
             {server.name, QStringLiteral("tool"), name, QStringLiteral("inputSchema.properties"),
              QStringLiteral("/tools/%1/inputSchema/properties").arg(index)}});
    }
}

void checkAnnotations(const ServerSnapshot &server, const Json &tool, size_t index, QList<Finding> *findings)
{
    if (!looksDestructive(tool))
        return;
    const QString name = stringOr(tool, "name");
    const Json annotations = valueOr(tool, "annotations", Json::object());
    const Json readOnly = valueOr(annotations, "readOnlyHint", Json());
    const Json destructive = valueOr(annotations, "destructiveHint", Json());
    const QString pointer = QStringLiteral("/tools/%1/annotations").arg(index);
    const Location location{server.name, QStringLiteral("tool"), name, QStringLiteral("annotations"),
                            pointer};
    const QString evidence =
        QStringLiteral("%1: annotations %2")
            .arg(visibleText(name, 80), visibleText(QString::fromUtf8(dumpCompact(annotations))));
    if (readOnly == true || destructive == false) {
        findings->append(
            {QStringLiteral("annotations.claims-safe"), Category::ToolPoisoning, Severity::High,
             QStringLiteral("Tool %1 looks destructive but its annotations say %2")
                 .arg(visibleText(name, 80), readOnly == true ? QStringLiteral("readOnlyHint: true")
                                                              : QStringLiteral("destructiveHint: false")),
             evidence,
             QStringLiteral("Clients skip confirmation for read-only, non-destructive tools. Treat "
                            "the tool as destructive and ask the publisher to correct the hints."),
             location});
    } else if (destructive.is_null()) {
        findings->append(
            {QStringLiteral("annotations.no-destructive-hint"), Category::ScopeCreep, Severity::Low,
             QStringLiteral("Destructive-looking tool %1 does not say destructiveHint")
                 .arg(visibleText(name, 80)),
             evidence,
             QStringLiteral("Without the hint a client cannot tell a reviewer which calls destroy "
                            "data; require confirmation for this tool."),
             location});
    }
}

} // namespace

bool looksDestructive(const Json &tool)
{
    static const QSet<QString> verbs = {
        QStringLiteral("delete"),    QStringLiteral("remove"),    QStringLiteral("rm"),
        QStringLiteral("drop"),      QStringLiteral("destroy"),   QStringLiteral("erase"),
        QStringLiteral("purge"),     QStringLiteral("wipe"),      QStringLiteral("kill"),
        QStringLiteral("truncate"),  QStringLiteral("overwrite"), QStringLiteral("revoke"),
        QStringLiteral("terminate"), QStringLiteral("uninstall"), QStringLiteral("reset")};
    static const QRegularExpression said(
        QStringLiteral(R"(\b(deletes?|overwrites?|permanently|erases?|destroys?|wipes?)\b)"),
        QRegularExpression::CaseInsensitiveOption);
    const QStringList words = nameWords(stringOr(tool, "name"));
    return std::any_of(words.cbegin(), words.cend(), [](const QString &w) { return verbs.contains(w); }) ||
           said.match(stringOr(tool, "description")).hasMatch();
}

void checkTools(const ServerSnapshot &server, QList<Finding> *findings)
{
    const Json tools = valueOr(server.definitions, "tools", Json::array());
    for (size_t i = 0; i < tools.size(); ++i) {
        checkParameters(server, tools[i], i, findings);
        checkAnnotations(server, tools[i], i, findings);
    }
}

} // namespace mcp::review
