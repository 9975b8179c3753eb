#include "ssetransport.h"

namespace mcp {

SseTransport::SseTransport(HttpOptions options, QObject *parent)
    : HttpTransportBase(std::move(options), parent)
{
    m_endpointTimer.setSingleShot(true);
    connect(&m_endpointTimer, &QTimer::timeout, this, [this] {
        if (state() != State::Connecting)
            return;
        ++m_generation;
        abortAllCalls();
        fail(makeError(Error::Category::Timeout, QStringLiteral("sse: open"),
                       QStringLiteral("no `endpoint` event from %1 within %2 ms")
                           .arg(m_options.url.toString())
                           .arg(m_options.connectTimeoutMs)));
    });
}

SseTransport::~SseTransport() = default;

void SseTransport::open()
{
    if (state() == State::Open || state() == State::Connecting)
        return;
    if (!checkUrl({QStringLiteral("http"), QStringLiteral("https")}) || !prepareTls())
        return;
    ++m_generation;
    m_postUrl.clear();
    setState(State::Connecting);
    HeaderList h{{"Accept", "text/event-stream"}, {"Cache-Control", "no-cache"}};
    if (!protocolVersion().isEmpty())
        h.append({"MCP-Protocol-Version", protocolVersion().toUtf8()});
    startCall("GET", m_options.url, h, {}, Stream);
    m_endpointTimer.start(qMax(1, m_options.connectTimeoutMs));
}

void SseTransport::send(const OutgoingFrame &frame)
{
    if (state() != State::Open) {
        Q_EMIT sendFailed(frame.bytes,
                          makeError(Error::Category::Connection, QStringLiteral("sse: send"),
                                    QStringLiteral("the transport is %1, not open").arg(stateName(state()))));
        return;
    }
    HeaderList h{{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}};
    if (!protocolVersion().isEmpty())
        h.append({"MCP-Protocol-Version", protocolVersion().toUtf8()});
    h += sanitizedExtraHeaders(frame.extraHeaders, nullptr);
    Call *c = startCall("POST", m_postUrl, h, frame.bytes, Post);
    c->frame = frame;
}

void SseTransport::close()
{
    if (state() == State::Closed)
        return;
    ++m_generation;
    m_endpointTimer.stop();
    setState(State::Closing);
    abortAllCalls();
    setState(State::Closed);
}

void SseTransport::handleEndpoint(const QByteArray &data)
{
    const QUrl resolved = m_options.url.resolved(QUrl(QString::fromUtf8(data.trimmed())));
    const auto origin = [](const QUrl &u) {
        return std::tuple(u.scheme().toLower(), u.host().toLower(),
                          u.port(u.scheme() == QLatin1String("https") ? 443 : 80));
    };
    if (!resolved.isValid() || origin(resolved) != origin(m_options.url)) {
        ++m_generation;
        abortAllCalls();
        fail(makeError(
            Error::Category::Protocol, QStringLiteral("sse: endpoint"),
            QStringLiteral("the server announced endpoint \"%1\", which is not on the origin of %2; "
                           "refusing to post there")
                .arg(QString::fromUtf8(data), m_options.url.toString())));
        return;
    }
    const bool first = m_postUrl.isEmpty();
    m_postUrl = resolved;
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Info,
         QStringLiteral("%1 endpoint: %2")
             .arg(first ? QStringLiteral("POST") : QStringLiteral("new POST"), resolved.toString())});
    if (state() == State::Connecting) {
        m_endpointTimer.stop();
        setState(State::Open);
    }
}

void SseTransport::onData(Call *call, const QByteArray &chunk)
{
    if (!call->headersChecked) {
        call->headersChecked = true;
        call->isSse = isSuccess(statusOf(call)) && contentTypeOf(call).startsWith("text/event-stream");
    }
    if (call->role != Stream || !call->isSse) {
        appendBody(call, chunk);
        return;
    }
    const quint64 generation = m_generation;
    for (const SseEvent &ev : call->parser.feed(chunk)) {
        if (ev.event == "endpoint") {
            handleEndpoint(ev.data);
        } else if (ev.event == "message") {
            if (ev.data.trimmed().isEmpty())
                continue;
            if (state() == State::Connecting)
                Q_EMIT diagnostic({Diagnostic::Kind::Warning, QStringLiteral("a message arrived before the "
                                                                             "endpoint event")});
            Q_EMIT frameReceived(ev.data);
        } else {
            Q_EMIT diagnostic(
                {Diagnostic::Kind::Info,
                 QStringLiteral("ignored SSE event of type \"%1\"").arg(QString::fromUtf8(ev.event))});
        }
        if (call->done || call->aborted || generation != m_generation)
            return;
    }
    if (call->parser.hasError()) {
        call->failure = call->parser.errorString();
        call->reply->abort();
    }
}

void SseTransport::onFinished(Call *call)
{
    if (call->aborted || state() == State::Closed || state() == State::Closing || state() == State::Failed)
        return;
    const int status = statusOf(call);
    if (call->role == Stream) {
        m_endpointTimer.stop();
        ++m_generation;
        abortAllCalls();
        const QString step = QStringLiteral("sse: stream");
        if (status == 0 || !call->failure.isEmpty()) {
            fail(networkError(call, step));
        } else if (!isSuccess(status)) {
            fail(httpStatusError(call, step, call->body));
        } else if (!call->isSse) {
            fail(makeError(
                Error::Category::Protocol, step,
                QStringLiteral("GET %1 answered HTTP %2 with Content-Type \"%3\", not an event stream")
                    .arg(m_options.url.toString())
                    .arg(status)
                    .arg(QString::fromLatin1(contentTypeOf(call)))));
        } else {
            QString msg =
                m_postUrl.isEmpty()
                    ? QStringLiteral("the server ended the event stream before sending the endpoint event")
                    : QStringLiteral("the server ended the event stream; the connection is gone");
            const QString problem = call->parser.finish();
            if (!problem.isEmpty())
                msg += QStringLiteral(" (%1)").arg(problem);
            if (call->reply->error() != Http1Reply::Error::None)
                msg += QStringLiteral(" (%1)").arg(networkError(call, {}).message);
            fail(makeError(Error::Category::Connection, step, msg));
        }
        return;
    }
    // A POST.
    const QString step = QStringLiteral("sse: POST");
    if (status == 0 || !call->failure.isEmpty()) {
        Q_EMIT sendFailed(call->frame.bytes, networkError(call, step));
        return;
    }
    const QByteArray body = call->body.trimmed();
    if (isSuccess(status)) {
        // Answers come on the stream; a server that also answers in the body gets it delivered.
        if (isJsonRpcResponse(body, false))
            Q_EMIT frameReceived(body);
        return;
    }
    if (isJsonRpcResponse(body, true)) {
        Q_EMIT frameReceived(body);
        return;
    }
    Q_EMIT sendFailed(call->frame.bytes, httpStatusError(call, step, body));
}

} // namespace mcp
