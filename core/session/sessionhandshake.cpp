// ClientSession: the handshake (server/discover for 2026-07-28, else initialize) and version negotiation.
#include "../traffic/recorder.h"
#include "clientsession.h"
#include "clientsessionprivate.h"
#include "protocolversion.h"
#include "toolheaders.h"

namespace mcp {

using jsonrpc::Kind;
using jsonrpc::Message;

void ClientSession::beginHandshake()
{
    setState(State::Initializing);
    const QString pinned = m_options.protocolVersion;
    if (!pinned.isEmpty() && !protocol::isSupported(pinned)) {
        failSession(makeError(Error::Category::Usage, QStringLiteral("negotiate"),
                              QStringLiteral("protocol version %1 is not one this client speaks (%2)")
                                  .arg(pinned, protocol::supportedVersions().join(QStringLiteral(", ")))));
        return;
    }
    // The legacy SSE transport exists only for 2024-11-05 servers: no point probing for a modern one.
    const bool probe = pinned.isEmpty()
                           ? m_options.probeModern && m_transport->kind() != QStringLiteral("sse")
                           : protocol::isModern(pinned);
    if (probe)
        sendDiscover(pinned.isEmpty() ? protocol::V2026_07_28 : pinned);
    else
        sendInitialize();
}

void ClientSession::sendDiscover(const QString &version)
{
    m_version = version; // requests carry it in _meta and MCP-Protocol-Version
    m_transport->setProtocolVersion(version);
    RequestOptions options;
    options.timeoutMs =
        m_options.protocolVersion.isEmpty() ? m_options.probeTimeoutMs : m_options.requestTimeoutMs;
    sendRequest(
        QStringLiteral("server/discover"), Json::object(), [this](const Reply &r) { onDiscoverReply(r); },
        options, nullptr, true);
}

// The pinned version if the server offers it, else the newest modern version both sides speak; or empty.
QString ClientSession::chooseModernVersion(const QStringList &theirs) const
{
    if (!m_options.protocolVersion.isEmpty())
        return theirs.contains(m_options.protocolVersion) ? m_options.protocolVersion : QString();
    for (const QString &v : protocol::supportedVersions())
        if (protocol::isModern(v) && theirs.contains(v))
            return v;
    return {};
}

void ClientSession::onDiscoverReply(const Reply &reply)
{
    const bool pinned = !m_options.protocolVersion.isEmpty();
    if (reply.ok()) {
        const QStringList theirs = versionList(valueOr(reply.result, "supportedVersions", Json::array()));
        const QString chosen = chooseModernVersion(theirs);
        if (chosen.isEmpty()) {
            if (!pinned) { // a dual-era server that offers only legacy versions to us
                sendInitialize();
                return;
            }
            failSession(makeError(Error::Category::Protocol, QStringLiteral("server/discover"),
                                  QStringLiteral("the server supports %1, not the pinned version %2")
                                      .arg(theirs.join(QStringLiteral(", ")), m_options.protocolVersion)));
            return;
        }
        m_version = chosen;
        m_transport->setProtocolVersion(chosen);
        m_serverCapabilities = valueOr(reply.result, "capabilities", Json::object());
        m_serverInfo =
            valueOr(valueOr(reply.result, "_meta", Json::object()), protocol::MetaServerInfo, Json::object());
        m_instructions = stringOr(reply.result, "instructions");
        becomeReady();
        return;
    }
    if (pinned) {
        failSession(makeError(Error::Category::Protocol, QStringLiteral("server/discover"),
                              QStringLiteral("the server does not speak %1: %2")
                                  .arg(m_options.protocolVersion, reply.error.message),
                              reply.error.code, reply.error.data));
        return;
    }
    // Anything else identifies a legacy server (spec 2026-07-28, versioning: backward compatibility).
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Info, QStringLiteral("server/discover probe: %1; using the initialize "
                                                "handshake")
                                     .arg(reply.error.toString())});
    sendInitialize();
}

void ClientSession::sendInitialize()
{
    setState(State::Initializing);
    const QString offered =
        m_options.protocolVersion.isEmpty() ? protocol::latestStatefulVersion() : m_options.protocolVersion;
    m_version.clear();
    m_transport->setProtocolVersion(QString()); // initialize itself carries no version header
    Json params = {
        {"protocolVersion", toStd(offered)},
        {"capabilities", clientCapabilities()},
        {"clientInfo", {{"name", toStd(m_options.clientName)}, {"version", toStd(m_options.clientVersion)}}}};
    sendRequest(
        QStringLiteral("initialize"), std::move(params), [this](const Reply &r) { onInitializeReply(r); }, {},
        nullptr, true);
}

void ClientSession::onInitializeReply(const Reply &reply)
{
    if (!reply.ok()) {
        Error e = reply.error;
        e.step = QStringLiteral("initialize");
        failSession(e);
        return;
    }
    const QString version = stringOr(reply.result, "protocolVersion");
    if (!protocol::isSupported(version) || protocol::isModern(version)) {
        failSession(
            makeError(Error::Category::Protocol, QStringLiteral("initialize"),
                      QStringLiteral("the server chose protocol version \"%1\", which this client does not "
                                     "speak over initialize (it speaks %2)")
                          .arg(version, protocol::supportedVersions().mid(1).join(QStringLiteral(", ")))));
        return;
    }
    if (!m_options.protocolVersion.isEmpty() && version != m_options.protocolVersion)
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning, QStringLiteral("asked for protocol %1, the server chose %2")
                                            .arg(m_options.protocolVersion, version)});
    m_version = version;
    m_transport->setProtocolVersion(version);
    m_serverCapabilities = valueOr(reply.result, "capabilities", Json::object());
    m_serverInfo = valueOr(reply.result, "serverInfo", Json::object());
    m_instructions = stringOr(reply.result, "instructions");
    notify(QStringLiteral("notifications/initialized"));
    if (!m_options.logLevel.isEmpty() && m_serverCapabilities.contains("logging"))
        request(QStringLiteral("logging/setLevel"), {{"level", toStd(m_options.logLevel)}},
                [](const Reply &) {});
    becomeReady();
}

void ClientSession::becomeReady()
{
    setState(State::Ready);
    Q_EMIT ready();
    openListenStream();
}

Json ClientSession::clientCapabilities() const
{
    Json caps = m_handler ? m_handler->capabilities() : Json::object();
    if (!caps.is_object())
        caps = Json::object();
    return caps;
}

void ClientSession::setLogLevel(const QString &level)
{
    m_options.logLevel = level;
    if (m_state == State::Ready && !isModern())
        request(QStringLiteral("logging/setLevel"), {{"level", toStd(level)}}, [](const Reply &) {});
}

} // namespace mcp
