#pragma once

#include "transport/transport.h"

#include <QList>
#include <functional>

// An in-process transport for tests: records what the client sends and lets the test answer.
// With autoInitialize, it answers initialize (and refuses server/discover) like a 2025-11-25 server.
class FakeTransport : public mcp::Transport
{
    Q_OBJECT
public:
    explicit FakeTransport(QObject *parent = nullptr) : mcp::Transport(parent) {}

    QString kind() const override { return QStringLiteral("fake"); }
    void open() override { setState(State::Open); }
    void close() override { setState(State::Closed); }
    void send(const mcp::OutgoingFrame &frame) override;

    void inject(const QByteArray &frame) { Q_EMIT frameReceived(frame); }
    void injectJson(const mcp::Json &message) { inject(mcp::dumpCompact(message)); }
    void die(const QString &why);

    // The last message sent with this method (or the last message if empty).
    mcp::Json lastSent(const QString &method = {}) const;

    QList<mcp::OutgoingFrame> sent;
    bool autoInitialize = true;
    QString serverVersion = QStringLiteral("2025-11-25");
    mcp::Json serverCapabilities = {{"tools", {{"listChanged", true}}}, {"logging", mcp::Json::object()}};
    // Called for every other frame the client sends; may answer with inject().
    std::function<void(const mcp::Json &message)> onSend;
};
