// McpServer (what it serves, its capabilities, its signed request state), RequestContext (one request as a
// handler sees it) and adaptForVersion (a result as an older version may carry it).
#include "mcpserver.h"

#include "../session/protocolversion.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QTimer>

namespace mcp {

using jsonrpc::Message;

namespace {

Json adaptContent(Json block, const QString &version)
{
    const QString type = stringOr(block, "type");
    if (type == QStringLiteral("resource_link") && version < protocol::V2025_06_18)
        return {{"type", "text"},
                {"text", toStd(QStringLiteral("Resource: %1 (%2)")
                                   .arg(stringOr(block, "uri"), stringOr(block, "name")))}};
    if (type == QStringLiteral("audio") && version < protocol::V2025_03_26)
        return {{"type", "text"},
                {"text",
                 toStd(QStringLiteral("[%1 audio omitted: audio content needs protocol 2025-03-26 or later]")
                           .arg(stringOr(block, "mimeType")))}};
    return block;
}

void adaptFeature(Json &item, const QString &version)
{
    if (version < protocol::V2025_06_18) {
        item.erase("title");
        item.erase("outputSchema");
        item.erase("_meta");
        if (item.contains("arguments") && item["arguments"].is_array())
            for (auto &a : item["arguments"])
                a.erase("title");
    }
    if (version < protocol::V2025_03_26)
        item.erase("annotations");
    if (version < protocol::V2025_11_25) {
        item.erase("icons");
        item.erase("execution");
    }
}

} // namespace

Json adaptForVersion(const QString &method, Json result, const QString &version)
{
    if (version.isEmpty() || !result.is_object())
        return result;
    static const QHash<QString, const char *> listKeys = {
        {QStringLiteral("tools/list"), "tools"},
        {QStringLiteral("resources/list"), "resources"},
        {QStringLiteral("resources/templates/list"), "resourceTemplates"},
        {QStringLiteral("prompts/list"), "prompts"}};
    if (auto k = listKeys.find(method); k != listKeys.end() && result.contains(*k))
        for (auto &item : result[*k])
            adaptFeature(item, version);
    if (method == QStringLiteral("initialize") && version < protocol::V2025_06_18)
        result["serverInfo"].erase("title");
    if (method == QStringLiteral("initialize") && version < protocol::V2025_03_26)
        result["capabilities"].erase("completions");
    if (method == QStringLiteral("tools/call")) {
        for (auto &block : result["content"])
            block = adaptContent(block, version);
        if (version < protocol::V2025_06_18)
            result.erase("structuredContent");
    }
    if (method == QStringLiteral("prompts/get") && result.contains("messages"))
        for (auto &message : result["messages"])
            message["content"] = adaptContent(message["content"], version);
    if (method == QStringLiteral("notifications/progress") && version < protocol::V2025_03_26)
        result.erase("message");
    if (method == QStringLiteral("elicitation/create") && version < protocol::V2025_11_25)
        result.erase("mode");
    return result;
}

// ---- RequestContext ---------------------------------------------------------------------------------

void RequestContext::progress(double progress, double total, const QString &message)
{
    if (isDone() || !m_session || m_progressToken.is_null())
        return;
    Json params = {{"progressToken", m_progressToken}, {"progress", progress}};
    if (total >= 0)
        params["total"] = total;
    if (!message.isEmpty())
        params["message"] = toStd(message);
    m_session->send(
        Message::notification("notifications/progress",
                              adaptForVersion(QStringLiteral("notifications/progress"), params, m_version)),
        m_key);
}

void RequestContext::log(const QString &level, const QString &logger, const Json &data)
{
    if (!isDone() && m_session)
        m_session->sendLog(level, logger, data, m_logLevel, m_key);
}

void RequestContext::ask(const QString &key, const QString &method, Json params, AnswerHandler handler)
{
    if (isDone() || !m_session)
        return;
    const char *capability = method == QStringLiteral("elicitation/create")       ? "elicitation"
                             : method == QStringLiteral("sampling/createMessage") ? "sampling"
                                                                                  : "roots";
    if (method == QStringLiteral("elicitation/create") && !protocol::hasElicitation(m_version)) {
        handler({}, makeError(Error::Category::Usage, method,
                              QStringLiteral("elicitation needs protocol 2025-06-18 or later (this is %1)")
                                  .arg(m_version)));
        return;
    }
    if (!m_clientCapabilities.contains(capability)) {
        handler({}, makeError(Error::Category::Usage, method,
                              QStringLiteral("the client did not declare the %1 capability")
                                  .arg(QLatin1String(capability))));
        return;
    }
    if (!m_modern) {
        m_session->sendRequestToClient(*this, method, std::move(params), std::move(handler));
        return;
    }
    if (m_inputResponses.is_object() && m_inputResponses.contains(toStd(key)) &&
        m_inputResponses[toStd(key)].is_object()) {
        handler(m_inputResponses[toStd(key)], {});
        return;
    }
    // Collect every question of this run, then end the request once the handler has returned.
    const bool first = m_inputRequests.is_null();
    if (first)
        m_inputRequests = Json::object();
    m_inputRequests[toStd(key)] = {{"method", toStd(method)}, {"params", std::move(params)}};
    if (first)
        QTimer::singleShot(0, m_session, [session = m_session, k = m_key] {
            if (session)
                session->finishInputRequired(k);
        });
}

void RequestContext::finish(Json result)
{
    if (m_session && m_inputRequests.is_null())
        m_session->respond(*this, std::move(result));
}

void RequestContext::fail(int code, const QString &message, Json data)
{
    if (m_session && m_inputRequests.is_null())
        m_session->respondError(*this, code, message, std::move(data));
}

// ---- McpServer ----------------------------------------------------------------------------------------

McpServer::McpServer(ServerOptions options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_stateKey.resize(32);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(m_stateKey.data()), 8);
}

McpServer::~McpServer() = default;

void McpServer::addTool(Json definition, ToolHandler handler)
{
    m_tools.append({std::move(definition), std::move(handler)});
}

bool McpServer::replaceToolDefinition(const QString &name, Json definition)
{
    for (Tool &t : m_tools) {
        if (stringOr(t.definition, "name") == name) {
            t.definition = std::move(definition);
            return true;
        }
    }
    return false;
}

void McpServer::addResource(Json definition, ResourceReader reader)
{
    m_resources.append({std::move(definition), std::move(reader)});
}

void McpServer::removeResource(const QString &uri)
{
    m_resources.removeIf([&](const Resource &r) { return stringOr(r.definition, "uri") == uri; });
}

void McpServer::addResourceTemplate(Json definition, TemplateReader reader)
{
    m_templates.append({std::move(definition), std::move(reader)});
}

void McpServer::addPrompt(Json definition, PromptHandler handler)
{
    m_prompts.append({std::move(definition), std::move(handler)});
}

void McpServer::addCompletion(const QString &refType, const QString &refName, const QString &argument,
                              Completer completer)
{
    m_completers.insert(refType + QLatin1Char('\n') + refName + QLatin1Char('\n') + argument,
                        std::move(completer));
}

Json McpServer::capabilities() const
{
    Json caps = {{"logging", Json::object()}};
    if (!m_completers.isEmpty())
        caps["completions"] = Json::object();
    if (!m_prompts.isEmpty())
        caps["prompts"] = {{"listChanged", true}};
    if (!m_resources.isEmpty() || !m_templates.isEmpty())
        caps["resources"] = {{"subscribe", true}, {"listChanged", true}};
    if (!m_tools.isEmpty())
        caps["tools"] = {{"listChanged", true}};
    return caps;
}

QStringList McpServer::supportedVersions()
{
    return protocol::supportedVersions();
}

void McpServer::notifyResourceUpdated(const QString &uri)
{
    Q_EMIT resourceUpdated(uri);
}

void McpServer::notifyListChanged(const QString &kind)
{
    Q_EMIT listChanged(kind);
}

void McpServer::addSubscriber(const QString &uri, int delta)
{
    const int count = qMax(0, m_subscribers.value(uri) + delta);
    if (count == 0)
        m_subscribers.remove(uri);
    else
        m_subscribers.insert(uri, count);
    Q_EMIT subscribersChanged(uri, count);
}

QByteArray McpServer::signState(const QByteArray &payload) const
{
    return QMessageAuthenticationCode::hash(payload, m_stateKey, QCryptographicHash::Sha256);
}

} // namespace mcp
