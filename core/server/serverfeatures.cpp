// ServerSession: the feature requests (lists, tools, resources, subscriptions, prompts, completion,
// logging), each checked against what the version allows.
#include "../session/protocolversion.h"
#include "mcpserver.h"
#include "schema/schemavalidator.h"

#include <QRegularExpression>
#include <QUrl>

namespace mcp {

using jsonrpc::Message;
namespace Code = jsonrpc::ErrorCode;

namespace {

const QStringList LogLevels = {QStringLiteral("debug"),  QStringLiteral("info"),
                               QStringLiteral("notice"), QStringLiteral("warning"),
                               QStringLiteral("error"),  QStringLiteral("critical"),
                               QStringLiteral("alert"),  QStringLiteral("emergency")};

// RFC 6570 level 1 templates ({var} between literals), as resource templates use them.
std::optional<QHash<QString, QString>> matchTemplate(const QString &uriTemplate, const QString &uri)
{
    static const QRegularExpression var(QStringLiteral("\\{([A-Za-z0-9_]+)\\}"));
    QString pattern = QStringLiteral("^");
    QStringList names;
    qsizetype last = 0;
    for (auto it = var.globalMatch(uriTemplate); it.hasNext();) {
        const auto m = it.next();
        pattern += QRegularExpression::escape(uriTemplate.mid(last, m.capturedStart() - last));
        pattern += QStringLiteral("([^/?#]+)");
        names << m.captured(1);
        last = m.capturedEnd();
    }
    pattern += QRegularExpression::escape(uriTemplate.mid(last)) + QStringLiteral("$");
    const auto m = QRegularExpression(pattern).match(uri);
    if (!m.hasMatch())
        return std::nullopt;
    QHash<QString, QString> vars;
    for (int i = 0; i < names.size(); ++i)
        vars.insert(names[i], QUrl::fromPercentEncoding(m.captured(i + 1).toUtf8()));
    return vars;
}

QString encodeCursor(int offset)
{
    return QString::fromLatin1(QByteArray("o:" + QByteArray::number(offset)).toBase64());
}

std::optional<int> decodeCursor(const QString &cursor)
{
    const QByteArray raw = QByteArray::fromBase64(cursor.toLatin1());
    bool ok = false;
    const int offset = raw.startsWith("o:") ? raw.mid(2).toInt(&ok) : -1;
    if (!ok || offset < 0)
        return std::nullopt;
    return offset;
}

} // namespace

void ServerSession::onList(const RequestContext::Ptr &ctx, const QString &listKey)
{
    QList<Json> all;
    if (listKey == QStringLiteral("tools"))
        for (const auto &t : std::as_const(m_server->m_tools))
            all << t.definition;
    else if (listKey == QStringLiteral("resources"))
        for (const auto &r : std::as_const(m_server->m_resources))
            all << r.definition;
    else if (listKey == QStringLiteral("resourceTemplates"))
        for (const auto &t : std::as_const(m_server->m_templates))
            all << t.definition;
    else
        for (const auto &p : std::as_const(m_server->m_prompts))
            all << p.definition;
    int offset = 0;
    if (ctx->m_params.contains("cursor")) {
        const Json &c = ctx->m_params["cursor"];
        const auto decoded = c.is_string() ? decodeCursor(toQString(c.get<std::string>())) : std::nullopt;
        if (!decoded || *decoded > all.size()) {
            respondError(*ctx, Code::InvalidParams,
                         QStringLiteral("invalid cursor %1: pass back a nextCursor this server gave")
                             .arg(toQString(c.dump())));
            return;
        }
        offset = *decoded;
    }
    const int pageSize = m_server->options().pageSize;
    Json items = Json::array();
    for (int i = offset; i < all.size() && i < offset + pageSize; ++i)
        items.push_back(all[i]);
    Json result = {{toStd(listKey), items}};
    if (offset + pageSize < all.size())
        result["nextCursor"] = toStd(encodeCursor(offset + pageSize));
    respond(*ctx, std::move(result));
}

void ServerSession::onCallTool(const RequestContext::Ptr &ctx)
{
    const QString name = stringOr(ctx->m_params, "name");
    if (name.isEmpty()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("tools/call needs params.name (a string)"));
        return;
    }
    const auto tool =
        std::find_if(m_server->m_tools.cbegin(), m_server->m_tools.cend(),
                     [&](const McpServer::Tool &t) { return stringOr(t.definition, "name") == name; });
    if (tool == m_server->m_tools.cend()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("unknown tool: %1").arg(name));
        return;
    }
    const Json arguments = valueOr(ctx->m_params, "arguments", Json::object());
    if (!arguments.is_object()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("tools/call params.arguments must be an object"));
        return;
    }
    const schema::ValidationResult check =
        schema::validate(arguments, valueOr(tool->definition, "inputSchema", Json::object()));
    if (check.status == schema::ValidationResult::Status::Invalid) {
        const QString problem = check.lines().constFirst();
        // The spec reports bad tool input as a tool error, so that a model can correct itself.
        respond(*ctx,
                {{"content",
                  {{{"type", "text"},
                    {"text", toStd(QStringLiteral("Invalid arguments for %1: %2.").arg(name, problem))}}}},
                 {"isError", true}});
        return;
    }
    if (ctx->m_modern && !restoreRequestState(ctx))
        return;
    const ToolHandler handler = tool->handler; // the registry may change while the tool runs
    handler(arguments, ctx);
}

void ServerSession::onReadResource(const RequestContext::Ptr &ctx)
{
    const QString uri = stringOr(ctx->m_params, "uri");
    if (uri.isEmpty()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("resources/read needs params.uri (a string)"));
        return;
    }
    std::optional<Json> contents;
    bool known = false;
    for (const auto &r : std::as_const(m_server->m_resources))
        if (stringOr(r.definition, "uri") == uri) {
            known = true;
            contents = r.reader(uri);
            break;
        }
    for (int i = 0; !known && i < m_server->m_templates.size(); ++i) {
        const auto &t = m_server->m_templates[i];
        if (auto vars = matchTemplate(stringOr(t.definition, "uriTemplate"), uri)) {
            known = true;
            contents = t.reader(uri, *vars);
        }
    }
    if (!contents) {
        respondError(*ctx, ServerErrorCode::ResourceNotFound,
                     QStringLiteral("resource not found: %1").arg(uri), {{"uri", toStd(uri)}});
        return;
    }
    respond(*ctx, {{"contents", *contents}});
}

void ServerSession::onSubscribe(const RequestContext::Ptr &ctx, bool subscribe)
{
    const QString uri = stringOr(ctx->m_params, "uri");
    if (uri.isEmpty()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("%1 needs params.uri (a string)").arg(ctx->m_method));
        return;
    }
    if (subscribe && !m_subscriptions.contains(uri)) {
        m_subscriptions << uri;
        m_server->addSubscriber(uri, +1);
    } else if (!subscribe && m_subscriptions.removeOne(uri)) {
        m_server->addSubscriber(uri, -1);
    }
    respond(*ctx, Json::object());
}

void ServerSession::onListen(const RequestContext::Ptr &ctx)
{
    const Json wanted = valueOr(ctx->m_params, "notifications", Json());
    if (!wanted.is_object()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("subscriptions/listen needs params.notifications (a filter object)"));
        return;
    }
    const Json caps = m_server->capabilities();
    Json accepted = Json::object();
    for (const char *k : {"toolsListChanged", "promptsListChanged", "resourcesListChanged"}) {
        const std::string area = std::string(k).substr(0, std::string(k).find("ListChanged"));
        if (wanted.value(k, false) == true && caps.contains(area))
            accepted[k] = true;
    }
    if (wanted.contains("resourceSubscriptions") && caps.contains("resources")) {
        accepted["resourceSubscriptions"] = Json::array();
        for (const auto &uri : wanted["resourceSubscriptions"])
            if (uri.is_string()) {
                accepted["resourceSubscriptions"].push_back(uri);
                m_server->addSubscriber(toQString(uri.get<std::string>()), +1);
            }
    }
    // The stream stays open without a response until the client cancels or the server shuts down.
    ctx->m_done = true;
    m_active.remove(ctx->m_key);
    m_listeners.insert(ctx->m_key, {ctx->m_id, accepted});
    send(Message::notification("notifications/subscriptions/acknowledged",
                               {{"_meta", {{"io.modelcontextprotocol/subscriptionId", ctx->m_id}}},
                                {"notifications", accepted}}),
         ctx->m_key);
}

void ServerSession::onGetPrompt(const RequestContext::Ptr &ctx)
{
    const QString name = stringOr(ctx->m_params, "name");
    if (name.isEmpty()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("prompts/get needs params.name (a string)"));
        return;
    }
    const auto prompt =
        std::find_if(m_server->m_prompts.cbegin(), m_server->m_prompts.cend(),
                     [&](const McpServer::Prompt &p) { return stringOr(p.definition, "name") == name; });
    if (prompt == m_server->m_prompts.cend()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("unknown prompt: %1").arg(name));
        return;
    }
    const Json arguments = valueOr(ctx->m_params, "arguments", Json::object());
    if (!arguments.is_object()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("prompts/get params.arguments must be an object"));
        return;
    }
    for (const auto &a : valueOr(prompt->definition, "arguments", Json::array())) {
        const std::string argName = valueOr(a, "name", "");
        if (valueOr(a, "required", false) && !arguments.contains(argName)) {
            respondError(*ctx, Code::InvalidParams,
                         QStringLiteral("prompt %1 needs the argument \"%2\"").arg(name, toQString(argName)));
            return;
        }
        if (arguments.contains(argName) && !arguments[argName].is_string()) {
            respondError(*ctx, Code::InvalidParams,
                         QStringLiteral("prompt argument \"%1\" must be a string").arg(toQString(argName)));
            return;
        }
    }
    QString error;
    Json result = prompt->handler(arguments, &error);
    if (!error.isEmpty()) {
        respondError(*ctx, Code::InvalidParams, error);
        return;
    }
    respond(*ctx, std::move(result));
}

void ServerSession::onComplete(const RequestContext::Ptr &ctx)
{
    const Json ref = valueOr(ctx->m_params, "ref", Json::object());
    const QString refType = stringOr(ref, "type");
    const QString refName = refType == QStringLiteral("ref/prompt")     ? stringOr(ref, "name")
                            : refType == QStringLiteral("ref/resource") ? stringOr(ref, "uri")
                                                                        : QString();
    const Json argument = valueOr(ctx->m_params, "argument", Json::object());
    const QString argName = stringOr(argument, "name");
    if (refName.isEmpty() || argName.isEmpty()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("completion/complete needs ref ({type: \"ref/prompt\", name} or "
                                    "{type: \"ref/resource\", uri}) and argument {name, value}"));
        return;
    }
    if (refType == QStringLiteral("ref/prompt") &&
        std::none_of(m_server->m_prompts.cbegin(), m_server->m_prompts.cend(),
                     [&](const McpServer::Prompt &p) { return stringOr(p.definition, "name") == refName; })) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("unknown prompt: %1").arg(refName));
        return;
    }
    const QString value = stringOr(argument, "value");
    const Completer completer =
        m_server->m_completers.value(refType + QLatin1Char('\n') + refName + QLatin1Char('\n') + argName);
    QStringList matches;
    if (completer) {
        const Json context = valueOr(ctx->m_params, "context", Json::object());
        const Json contextArguments =
            context.is_object() ? valueOr(context, "arguments", Json::object()) : Json::object();
        for (const QString &candidate : completer(value, contextArguments))
            if (candidate.startsWith(value, Qt::CaseInsensitive))
                matches << candidate;
    }
    Json values = Json::array();
    for (const QString &m : matches.mid(0, 100))
        values.push_back(toStd(m));
    respond(*ctx, {{"completion",
                    {{"values", values}, {"total", matches.size()}, {"hasMore", matches.size() > 100}}}});
}

void ServerSession::onSetLevel(const RequestContext::Ptr &ctx)
{
    const QString level = stringOr(ctx->m_params, "level");
    if (!LogLevels.contains(level)) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("level must be one of %1").arg(LogLevels.join(QStringLiteral(", "))));
        return;
    }
    m_logLevel = level;
    respond(*ctx, Json::object());
}

void ServerSession::sendLog(const QString &level, const QString &logger, const Json &data,
                            const QString &threshold, const QString &related)
{
    if (threshold.isEmpty() || LogLevels.indexOf(level) < LogLevels.indexOf(threshold))
        return;
    Json params = {{"level", toStd(level)}};
    if (!logger.isEmpty())
        params["logger"] = toStd(logger);
    params["data"] = data;
    send(Message::notification("notifications/message", std::move(params)), related);
}

} // namespace mcp
