#include "transportfactory.h"

#include "httptransport.h"
#include "ssetransport.h"
#include "websockettransport.h"

namespace mcp {

std::optional<TransportConfig::Kind> TransportConfig::kindFromString(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("auto") || n.isEmpty())
        return Kind::Auto;
    if (n == QLatin1String("http") || n == QLatin1String("streamable-http") ||
        n == QLatin1String("streamablehttp") || n == QLatin1String("stateless-http"))
        return Kind::Http;
    if (n == QLatin1String("sse"))
        return Kind::Sse;
    if (n == QLatin1String("ws") || n == QLatin1String("websocket"))
        return Kind::WebSocket;
    if (n == QLatin1String("stdio"))
        return Kind::Stdio;
    return std::nullopt;
}

QString TransportConfig::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Auto:
        return QStringLiteral("auto");
    case Kind::Http:
        return QStringLiteral("http");
    case Kind::Sse:
        return QStringLiteral("sse");
    case Kind::WebSocket:
        return QStringLiteral("ws");
    case Kind::Stdio:
        return QStringLiteral("stdio");
    }
    return {};
}

std::unique_ptr<Transport> TransportFactory::create(const TransportConfig &config, Error *error)
{
    const auto bad = [error](const QString &msg) -> std::unique_ptr<Transport> {
        if (error)
            *error = makeError(Error::Category::Usage, QStringLiteral("transport"), msg);
        return nullptr;
    };
    TransportConfig::Kind kind = config.kind;
    const QString scheme = config.http.url.scheme().toLower();
    if (kind == TransportConfig::Kind::Auto) {
        if (!config.stdio.program.isEmpty() && config.http.url.isEmpty())
            kind = TransportConfig::Kind::Stdio;
        else if (scheme == QLatin1String("ws") || scheme == QLatin1String("wss"))
            kind = TransportConfig::Kind::WebSocket;
        else if (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
            return std::make_unique<AutoHttpTransport>(config.http);
        else if (config.http.url.isEmpty())
            return bad(QStringLiteral("neither a command nor a URL is given"));
        else
            return bad(
                QStringLiteral("cannot tell the transport from \"%1\"; use http(s)://, ws(s):// or a command")
                    .arg(config.http.url.toString()));
    }
    const bool httpUrl = scheme == QLatin1String("http") || scheme == QLatin1String("https");
    switch (kind) {
    case TransportConfig::Kind::Stdio:
        if (config.stdio.program.isEmpty())
            return bad(QStringLiteral("stdio needs a command"));
        return std::make_unique<StdioTransport>(config.stdio);
    case TransportConfig::Kind::Http:
        if (!httpUrl)
            return bad(QStringLiteral("streamable HTTP needs an http:// or https:// URL, not \"%1\"")
                           .arg(config.http.url.toString()));
        return std::make_unique<HttpTransport>(config.http);
    case TransportConfig::Kind::Sse:
        if (!httpUrl)
            return bad(QStringLiteral("HTTP+SSE needs an http:// or https:// URL, not \"%1\"")
                           .arg(config.http.url.toString()));
        return std::make_unique<SseTransport>(config.http);
    case TransportConfig::Kind::WebSocket:
        if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
            return bad(QStringLiteral("WebSocket needs a ws:// or wss:// URL, not \"%1\"")
                           .arg(config.http.url.toString()));
        return std::make_unique<WebSocketTransport>(config.http);
    case TransportConfig::Kind::Auto:
        break;
    }
    return bad(QStringLiteral("unknown transport kind"));
}

// ---------------------------------------------------------------------------------------------------------------

AutoHttpTransport::AutoHttpTransport(HttpOptions options, QObject *parent)
    : Transport(parent), m_options(std::move(options))
{}

AutoHttpTransport::~AutoHttpTransport()
{
    delete m_inner;
}

QString AutoHttpTransport::kind() const
{
    return m_inner ? m_inner->kind() : QStringLiteral("http");
}

void AutoHttpTransport::adopt(Transport *inner)
{
    delete m_inner;
    m_inner = inner;
    inner->setParent(this);
    if (!protocolVersion().isEmpty())
        inner->setProtocolVersion(protocolVersion());
    connect(inner, &Transport::frameReceived, this, &Transport::frameReceived);
    connect(inner, &Transport::diagnostic, this, &Transport::diagnostic);
    connect(inner, &Transport::httpExchange, this, &Transport::httpExchange);
    connect(inner, &Transport::sendFailed, this, &Transport::sendFailed);
    connect(inner, &Transport::sessionExpired, this, &Transport::sessionExpired);
    connect(inner, &Transport::failed, this, [this](const Error &e) {
        if (m_switching) {
            m_switching = false;
            const QList<OutgoingFrame> queued = std::exchange(m_queue, {});
            const Error err = makeError(
                e.category, QStringLiteral("auto: connect"),
                QStringLiteral(
                    "streamable HTTP was refused (HTTP %1 to the first POST) and legacy HTTP+SSE failed "
                    "too: %2")
                    .arg(m_fallbackStatus)
                    .arg(e.toString()));
            for (const OutgoingFrame &f : queued)
                Q_EMIT sendFailed(f.bytes, err);
            fail(err);
            return;
        }
        fail(e);
    });
    connect(inner, &Transport::stateChanged, this, [this](State s) {
        if (m_switching) {
            if (s == State::Open) {
                m_switching = false;
                for (const OutgoingFrame &f : std::exchange(m_queue, {}))
                    m_inner->send(f);
            }
            return; // the outside saw Open all along
        }
        if (s != State::Failed) // failed() sets our state together with the error
            setState(s);
    });
    if (auto *http = qobject_cast<HttpTransport *>(inner)) {
        http->setLegacyDetection(true);
        connect(http, &HttpTransport::legacyServerSuspected, this, &AutoHttpTransport::fallBack);
    }
}

void AutoHttpTransport::open()
{
    if (state() == State::Open || state() == State::Connecting)
        return;
    m_switching = false;
    m_fellBack = false;
    m_queue.clear();
    adopt(new HttpTransport(m_options));
    m_inner->open();
}

void AutoHttpTransport::fallBack(const OutgoingFrame &frame, int status)
{
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Info,
         QStringLiteral("POST %1 answered HTTP %2; trying the legacy HTTP+SSE transport (2024-11-05): "
                        "GET %1 and wait for the endpoint event")
             .arg(m_options.url.toString())
             .arg(status)});
    m_fallbackStatus = status;
    m_switching = true;
    m_fellBack = true;
    m_queue.prepend(frame);
    Transport *old = m_inner;
    old->disconnect(this);
    old->close();
    m_inner = nullptr;
    old->deleteLater();
    adopt(new SseTransport(m_options));
    m_inner->open();
}

void AutoHttpTransport::send(const OutgoingFrame &frame)
{
    if (m_switching) {
        m_queue.append(frame);
        return;
    }
    if (!m_inner) {
        Q_EMIT sendFailed(frame.bytes, makeError(Error::Category::Connection, QStringLiteral("auto: send"),
                                                 QStringLiteral("the transport is not open")));
        return;
    }
    m_inner->send(frame);
}

void AutoHttpTransport::close()
{
    if (m_switching) {
        m_switching = false;
        m_queue.clear();
    }
    if (m_inner && m_inner->state() != State::Closed && m_inner->state() != State::Idle)
        m_inner->close();
    else
        setState(State::Closed);
}

void AutoHttpTransport::setProtocolVersion(const QString &version)
{
    Transport::setProtocolVersion(version);
    if (m_inner)
        m_inner->setProtocolVersion(version);
}

} // namespace mcp
