// ClientSession: subscriptions. A 2026-07-28 server announces list changes and resource updates only on
// subscriptions/listen streams (older versions send list changes unasked, and subscribe to a resource with
// resources/subscribe). One stream for the list changes the server announces, one per subscribed resource.
#include "clientsession.h"
#include "clientsessionprivate.h"

#include <QTimer>

namespace mcp {

namespace {

const char *const subscriptionIdKey = "io.modelcontextprotocol/subscriptionId";

// The filter fields for the list changes the server says it announces (capabilities.*.listChanged).
Json announcedChanges(const Json &capabilities)
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

QString describeFilter(const Json &filter)
{
    QStringList kinds;
    for (const auto &[field, on] : filter.items())
        if (on.is_boolean() && on.get<bool>())
            kinds << toQString(field).remove(QStringLiteral("ListChanged"));
    return kinds.join(QStringLiteral(", "));
}

bool honoursResource(const Json &honoured, const QString &uri)
{
    for (const Json &u : valueOr(honoured, "resourceSubscriptions", Json::array()))
        if (u.is_string() && toQString(u.get<std::string>()) == uri)
            return true;
    return false;
}

} // namespace

void ClientSession::openListenStream()
{
    if (!m_options.listenForChanges || !isModern())
        return;
    const Json filter = announcedChanges(m_serverCapabilities);
    if (!filter.empty())
        openListen(filter, {}, nullptr, nullptr);
}

qint64 ClientSession::openListen(const Json &filter, const QString &resource, ReplyHandler acknowledged,
                                 QObject *context)
{
    RequestOptions options;
    options.longLived = true;
    auto id = std::make_shared<qint64>(-1);
    *id = sendRequest(
        QStringLiteral("subscriptions/listen"), Json{{"notifications", filter}},
        [this, id](const Reply &reply) { onListenEnded(*id, reply); }, options, nullptr, false);
    m_listens[*id] = Listen{filter, resource, std::move(acknowledged), context, context != nullptr};
    return *id;
}

void ClientSession::subscribeToResource(const QString &uri, bool subscribe, ReplyHandler done,
                                        QObject *context)
{
    if (!isModern() || m_state != State::Ready) {
        request(subscribe ? QStringLiteral("resources/subscribe") : QStringLiteral("resources/unsubscribe"),
                {{"uri", toStd(uri)}}, std::move(done), {}, context);
        return;
    }
    if (subscribe) {
        openListen({{"resourceSubscriptions", {toStd(uri)}}}, uri, std::move(done), context);
        return;
    }
    for (auto it = m_listens.begin(); it != m_listens.end(); ++it) {
        if (it->second.resource != uri)
            continue;
        cancelListen(it, QStringLiteral("unsubscribed"));
        break;
    }
    QTimer::singleShot(0, context ? context : this, [done] { done(Reply{Json::object(), {}}); });
}

// The server acknowledges the subset it will honour: said when it is less than asked for, and a resource's
// subscriber hears whether it got what it asked for.
void ClientSession::onListenAcknowledged(const Json &params)
{
    const Json id = valueOr(valueOr(params, "_meta", Json::object()), subscriptionIdKey, Json());
    const auto it = id.is_number_integer() ? m_listens.find(id.get<qint64>()) : m_listens.end();
    if (it == m_listens.end())
        return;
    Listen &listen = it->second;
    const Json honoured = valueOr(params, "notifications", Json::object());
    if (!listen.resource.isEmpty()) {
        ReplyHandler done = std::exchange(listen.acknowledged, nullptr);
        const bool live = !listen.hasContext || listen.context;
        if (honoursResource(honoured, listen.resource)) {
            if (done && live)
                done(Reply{honoured, {}});
            return;
        }
        cancelListen(it, QStringLiteral("the server will not announce updates to this resource"));
        if (done && live)
            done(Reply{nullptr, makeError(Error::Category::Rpc, QStringLiteral("subscriptions/listen"),
                                          QStringLiteral("the server will not announce updates to %1")
                                              .arg(listen.resource))});
        return;
    }
    Json missing = Json::object();
    for (const auto &[field, on] : listen.filter.items())
        if (!valueOr(honoured, field.c_str(), false))
            missing[field] = on;
    Q_EMIT diagnostic(
        missing.empty()
            ? Diagnostic{Diagnostic::Kind::Info,
                         QStringLiteral("listening for changes to: %1").arg(describeFilter(listen.filter))}
            : Diagnostic{Diagnostic::Kind::Warning,
                         QStringLiteral("the server will not announce changes to: %1 (it "
                                        "acknowledged only: %2)")
                             .arg(describeFilter(missing), describeFilter(honoured))});
}

void ClientSession::cancelListen(std::unordered_map<qint64, Listen>::iterator it, const QString &why)
{
    const qint64 id = it->first;
    m_listens.erase(it); // before cancel(): its end is ours, not news
    if (m_cancelledListens.size() >= maxAbandoned)
        m_cancelledListens.clear();
    m_cancelledListens.insert(id);
    cancel(id, why);
}

// The server answered the listen request: it ended the stream, or refused it.
void ClientSession::onListenEnded(qint64 id, const Reply &reply)
{
    const auto it = m_listens.find(id);
    if (it == m_listens.end()) // ended by us: unsubscribed, closed or failed
        return;
    Listen listen = std::move(it->second);
    m_listens.erase(it);
    const QString what = listen.resource.isEmpty() ? QStringLiteral("changes to the server's lists")
                                                   : QStringLiteral("updates to %1").arg(listen.resource);
    if (listen.acknowledged) { // never acknowledged: the subscriber is still waiting
        if (!listen.hasContext || listen.context)
            listen.acknowledged(reply.ok() ? Reply{nullptr, makeError(Error::Category::Protocol,
                                                                      QStringLiteral("subscriptions/listen"),
                                                                      QStringLiteral("the server ended the "
                                                                                     "subscription before "
                                                                                     "acknowledging it"))}
                                           : reply);
        return;
    }
    Q_EMIT diagnostic(
        reply.ok()
            ? Diagnostic{Diagnostic::Kind::Info,
                         QStringLiteral("the server ended the subscription to %1; they are no longer heard")
                             .arg(what)}
            : Diagnostic{Diagnostic::Kind::Warning,
                         QStringLiteral("subscriptions/listen failed: %1; %2 are not heard")
                             .arg(reply.error.toString(), what)});
}

// At the session's end: over stdio the server needs the word (over HTTP the stream closes with us).
void ClientSession::endListens(bool tellServer)
{
    const auto listens = std::exchange(m_listens, {});
    if (!tellServer)
        return;
    for (const auto &[id, listen] : listens)
        notify(QStringLiteral("notifications/cancelled"),
               {{"requestId", id}, {"reason", "the client is closing the connection"}});
}

// A notification on a stream we cancelled: over HTTP it may run on until the server closes it.
bool ClientSession::isFromCancelledSubscription(const Json &params) const
{
    const Json id = valueOr(valueOr(params, "_meta", Json::object()), subscriptionIdKey, Json());
    return id.is_number_integer() && m_cancelledListens.contains(id.get<qint64>());
}

} // namespace mcp
