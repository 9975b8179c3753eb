#pragma once

#include "httptransportbase.h"

namespace mcp {

// The deprecated HTTP+SSE transport of protocol 2024-11-05: GET the SSE URL, wait for the `endpoint` event
// (resolved against the SSE URL, same origin only), then POST every frame there; everything the server sends
// arrives as `message` events on the GET stream. Open only once the endpoint is known; a dropped stream is
// fatal.
class SseTransport : public HttpTransportBase
{
    Q_OBJECT
public:
    explicit SseTransport(HttpOptions options, QObject *parent = nullptr);
    ~SseTransport() override;

    QString kind() const override { return QStringLiteral("sse"); }
    void open() override;
    void send(const OutgoingFrame &frame) override;
    void close() override;

    QUrl postUrl() const { return m_postUrl; } // empty until the endpoint event arrived

protected:
    void onData(Call *call, const QByteArray &chunk) override;
    void onFinished(Call *call) override;

private:
    enum Role { Stream = 1, Post };
    void handleEndpoint(const QByteArray &data);

    QUrl m_postUrl;
    QTimer m_endpointTimer;
};

} // namespace mcp
