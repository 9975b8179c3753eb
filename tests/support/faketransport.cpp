#include "faketransport.h"

#include <QTimer>

using mcp::Json;

void FakeTransport::send(const mcp::OutgoingFrame &frame)
{
    sent.append(frame);
    const Json m = Json::parse(frame.bytes.begin(), frame.bytes.end());
    const std::string method = m.value("method", "");
    auto answerLater = [this](Json reply) {
        QTimer::singleShot(0, this, [this, reply] { injectJson(reply); });
    };
    if (autoInitialize && method == "server/discover") {
        answerLater({{"jsonrpc", "2.0"},
                     {"id", m["id"]},
                     {"error", {{"code", -32601}, {"message", "Method not found"}}}});
        return;
    }
    if (autoInitialize && method == "initialize") {
        answerLater({{"jsonrpc", "2.0"},
                     {"id", m["id"]},
                     {"result",
                      {{"protocolVersion", serverVersion.toStdString()},
                       {"capabilities", serverCapabilities},
                       {"serverInfo", {{"name", "fake"}, {"version", "1.0"}}}}}});
        return;
    }
    if (onSend)
        onSend(m);
}

void FakeTransport::die(const QString &why)
{
    fail(mcp::makeError(mcp::Error::Category::Connection, QStringLiteral("fake"), why));
}

Json FakeTransport::lastSent(const QString &method) const
{
    for (auto it = sent.crbegin(); it != sent.crend(); ++it) {
        const Json m = Json::parse(it->bytes.begin(), it->bytes.end());
        if (method.isEmpty() || m.value("method", "") == method.toStdString())
            return m;
    }
    return nullptr;
}
