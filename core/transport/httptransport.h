#pragma once

#include "httptransportbase.h"

#include <QJsonValue>
#include <QTimer>

namespace mcp {

// Streamable HTTP: 2025-03-26 .. 2025-11-25 (sessions, GET stream, resumption, DELETE) and, once the protocol
// version is 2026-07-28 or newer, the stateless form (Mcp-Method/Mcp-Name headers, nothing else).
class HttpTransport : public HttpTransportBase
{
    Q_OBJECT
public:
    explicit HttpTransport(HttpOptions options, QObject *parent = nullptr);
    ~HttpTransport() override;

    QString kind() const override;
    void open() override;
    void send(const OutgoingFrame &frame) override;
    void close() override;
    void setProtocolVersion(const QString &version) override;

    QByteArray sessionId() const { return m_sessionId; }
    bool isStateless() const { return isStatelessVersion(protocolVersion()); }
    static bool isStatelessVersion(const QString &version); // "2026-07-28" or newer

    // When on, a 400/404/405 to the first POST whose body is not a JSON-RPC message is reported as
    // legacyServerSuspected instead of sendFailed (used by the `auto` transport to fall back to HTTP+SSE).
    void setLegacyDetection(bool on) { m_legacyDetection = on; }

Q_SIGNALS:
    void legacyServerSuspected(const mcp::OutgoingFrame &frame, int status);

protected:
    void onData(Call *call, const QByteArray &chunk) override;
    void onFinished(Call *call) override;

private:
    enum Role { Post = 1, GetStream, Resume, Delete };
    HeaderList commonHeaders(const QByteArray &verb) const;
    void post(const OutgoingFrame &frame);
    bool handOverRefusal(Call *call);
    void checkHeaders(Call *call);
    void finishPostOrResume(Call *call);
    void finishGetStream(Call *call);
    void finishDelete(Call *call);
    void startGetStream();
    void releaseHeldFrames();
    void scheduleGetStream();
    void scheduleResume(const Call *from);
    void expireSession(Call *call);

    QByteArray m_sessionId;
    QByteArray m_expiredSessionId;
    bool m_anySuccess = false;
    bool m_legacyDetection = false;
    Http1Reply *m_getReply = nullptr;
    QByteArray m_getLastEventId;
    int m_getRetryMs = -1;
    int m_getAttempts = 0;
    QTimer m_closeTimer;
    // Requests wait until the GET stream is open, so a server that asks the client something on it
    // (elicitation, sampling) never finds it missing; bounded by m_holdTimer.
    bool m_holdForGetStream = false;
    QList<OutgoingFrame> m_held;
    QTimer m_holdTimer;
};

} // namespace mcp
