// ClientSession: the 2026-07-28 subscriptions/listen stream, through which a modern server announces
// changes to its lists (older versions send list_changed notifications without being asked).
#include "clientsession.h"
#include "clientsessionprivate.h"

namespace mcp {

// The filter fields for the list changes the server says it announces (capabilities.*.listChanged).
static Json announcedChanges(const Json &capabilities)
{
    Json filter = Json::object();
    const std::pair<const char *, const char *> kinds[] = {{"tools", "toolsListChanged"},
                                                           {"prompts", "promptsListChanged"},
                                                           {"resources", "resourcesListChanged"}};
    for (const auto &[capability, field] : kinds)
        if (valueOr(valueOr(capabilities, capability, Json::object()), "listChanged", false))
            filter[field] = true;
    return filter;
}

static QString describeFilter(const Json &filter)
{
    QStringList kinds;
    for (const auto &[field, on] : filter.items())
        if (on.is_boolean() && on.get<bool>())
            kinds << toQString(field).remove(QStringLiteral("ListChanged"));
    return kinds.join(QStringLiteral(", "));
}

void ClientSession::openListenStream()
{
    if (!m_options.listenForChanges || !isModern() || m_listenId >= 0)
        return;
    const Json filter = announcedChanges(m_serverCapabilities);
    if (filter.empty())
        return;
    m_listenFilter = filter;
    RequestOptions options;
    options.longLived = true;
    m_listenId = sendRequest(
        QStringLiteral("subscriptions/listen"), Json{{"notifications", filter}},
        [this](const Reply &reply) {
            if (m_listenId < 0) // the session's own end closed it
                return;
            m_listenId = -1;
            Q_EMIT diagnostic(
                reply.ok()
                    ? Diagnostic{Diagnostic::Kind::Info,
                                 QStringLiteral("the server ended the subscription to list changes; "
                                                "changes are no longer heard until you reconnect")}
                    : Diagnostic{Diagnostic::Kind::Warning,
                                 QStringLiteral("subscriptions/listen failed: %1; changes to the server's "
                                                "lists are not heard")
                                     .arg(reply.error.toString())});
        },
        options, nullptr, false);
}

// The server acknowledges the subset it will honour; say when that is less than asked for.
void ClientSession::onListenAcknowledged(const Json &params)
{
    const Json id =
        valueOr(valueOr(params, "_meta", Json::object()), "io.modelcontextprotocol/subscriptionId", Json());
    if (m_listenId < 0 || !id.is_number_integer() || id.get<qint64>() != m_listenId)
        return;
    const Json honoured = valueOr(params, "notifications", Json::object());
    Json missing = Json::object();
    for (const auto &[field, on] : m_listenFilter.items())
        if (!valueOr(honoured, field.c_str(), false))
            missing[field] = on;
    Q_EMIT diagnostic(
        missing.empty()
            ? Diagnostic{Diagnostic::Kind::Info,
                         QStringLiteral("listening for changes to: %1").arg(describeFilter(m_listenFilter))}
            : Diagnostic{Diagnostic::Kind::Warning,
                         QStringLiteral("the server will not announce changes to: %1 (it "
                                        "acknowledged only: %2)")
                             .arg(describeFilter(missing), describeFilter(honoured))});
}

} // namespace mcp
