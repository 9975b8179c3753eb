// A test peer that answers the MCP handshake correctly (server/discover refused as a legacy server does,
// then initialize) and misbehaves on the first request after it, as its first argument says:
//
//   die                  writes half an answer and exits
//   hang                 never answers (over HTTP: an event stream that drips comment bytes forever)
//   flood-line           1 GiB of one answer without a newline (over HTTP: one event's data line)
//   flood-notifications  200,000 notifications/message, then the answer
//   drip                 the answer one byte at a time
//   invalid-utf8         a frame with bytes that are not UTF-8, then the answer
//   duplicate-id         a second answer to initialize, then the answer
//   unknown-id           an answer to request 99, which was never sent, then the answer
//   huge-id              answers with a 1 MiB string id and an id past 2^64, then the answer
//   wrong-jsonrpc        the answer with "jsonrpc": "1.0"
//   malformed-error      an error object without code or message, in place of the answer
//
// Later requests are answered correctly, so a client can show that it is still usable. Over stdio by
// default; with --http it serves Streamable HTTP on 127.0.0.1 (a free port) and prints "port <n>".
#include "jsonrpc/json.h"
#include "minihttpserver.h"

#include <QCoreApplication>
#include <QTimer>
#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>
#include <utility>

using mcp::Json;

namespace {

constexpr qint64 floodBytes = qint64(1) << 30;
constexpr int floodNotifications = 200000;
constexpr int dripIntervalMs = 2;

QString g_mode;
bool g_misbehaved = false;

QByteArray frame(const Json &j)
{
    return mcp::dumpCompact(j);
}

QByteArray answer(const Json &id, const Json &result)
{
    return frame({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

// The correct answer to a request after the handshake.
QByteArray correctAnswer(const Json &id, const std::string &method)
{
    if (method == "tools/list")
        return answer(id, {{"tools", Json::array({{{"name", "echo"},
                                                   {"description", "answers ok"},
                                                   {"inputSchema", {{"type", "object"}}}}})}});
    if (method == "tools/call")
        return answer(id, {{"content", Json::array({{{"type", "text"}, {"text", "ok"}}})}});
    return answer(id, Json::object());
}

// The handshake's answers; empty for what needs none (notifications) and for requests past it.
QByteArray handshakeAnswer(const Json &message, bool *isHandshake)
{
    const std::string method = message.value("method", "");
    *isHandshake = true;
    if (!message.contains("id"))
        return {}; // notifications/initialized and the like
    const Json &id = message["id"];
    if (method == "server/discover")
        return frame(
            {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", -32601}, {"message", "Method not found"}}}});
    if (method == "initialize") {
        const std::string asked = message.value("params", Json::object()).value("protocolVersion", "");
        const bool known =
            asked == "2024-11-05" || asked == "2025-03-26" || asked == "2025-06-18" || asked == "2025-11-25";
        return answer(id, {{"protocolVersion", known ? asked : "2025-06-18"},
                           {"capabilities", {{"tools", Json::object()}}},
                           {"serverInfo", {{"name", "misbehaving-server"}, {"version", "1.0.0"}}}});
    }
    if (method == "ping")
        return answer(id, Json::object());
    *isHandshake = false;
    return {};
}

// The frames that go before (or instead of) the answer, for the modes that send whole frames.
QList<QByteArray> misbehaviourFrames(const Json &id, const std::string &method)
{
    QList<QByteArray> frames;
    if (g_mode == QLatin1String("flood-notifications")) {
        frames.reserve(floodNotifications + 1);
        for (int i = 0; i < floodNotifications; ++i)
            frames << frame({{"jsonrpc", "2.0"},
                             {"method", "notifications/message"},
                             {"params", {{"level", "debug"}, {"data", "flood " + std::to_string(i)}}}});
    } else if (g_mode == QLatin1String("invalid-utf8")) {
        frames << R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"bad )"
                  "\xff\xfe\xc3\x28"
                  R"( bytes"}})";
    } else if (g_mode == QLatin1String("duplicate-id")) {
        frames << answer(1, {{"protocolVersion", "2025-06-18"}, {"capabilities", Json::object()}});
    } else if (g_mode == QLatin1String("unknown-id")) {
        frames << answer(99, Json::object());
    } else if (g_mode == QLatin1String("huge-id")) {
        frames << answer(std::string(1 << 20, '9'), Json::object());
        frames << R"({"jsonrpc":"2.0","id":18446744073709551616999,"result":{}})";
    } else if (g_mode == QLatin1String("wrong-jsonrpc")) {
        Json wrong = Json::parse(correctAnswer(id, method).toStdString());
        wrong["jsonrpc"] = "1.0";
        return {frame(wrong)};
    } else if (g_mode == QLatin1String("malformed-error")) {
        return {frame({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", "broken"}}}})};
    }
    frames << correctAnswer(id, method);
    return frames;
}

// ---- stdio: blocking reads and writes; the client ends us when it has had enough ---------------------

bool writeOut(const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, data, size);
        if (n <= 0)
            return false; // the client closed its end
        data += n;
        size -= size_t(n);
    }
    return true;
}

bool writeOut(const QByteArray &bytes)
{
    return writeOut(bytes.constData(), size_t(bytes.size()));
}

void misbehaveOverStdio(const Json &id, const std::string &method)
{
    if (g_mode == QLatin1String("die")) {
        const QByteArray half = correctAnswer(id, method);
        writeOut(half.left(half.size() / 2));
        ::_exit(3);
    }
    if (g_mode == QLatin1String("hang"))
        return;
    if (g_mode == QLatin1String("flood-line")) {
        const QByteArray head = R"({"jsonrpc":"2.0","id":)" + frame(id) + R"(,"result":{"pad":")";
        const QByteArray block(1 << 20, 'a');
        if (!writeOut(head))
            return;
        for (qint64 written = 0; written < floodBytes; written += block.size())
            if (!writeOut(block))
                return;
        return;
    }
    if (g_mode == QLatin1String("drip")) {
        const QByteArray bytes = correctAnswer(id, method) + '\n';
        for (const char c : bytes) {
            if (!writeOut(&c, 1))
                return;
            ::usleep(dripIntervalMs * 1000);
        }
        return;
    }
    QByteArray out;
    for (const QByteArray &f : misbehaviourFrames(id, method))
        out += f + '\n';
    writeOut(out);
}

int serveStdio()
{
    std::string line;
    while (std::getline(std::cin, line)) {
        const Json message = Json::parse(line, nullptr, false);
        if (!message.is_object())
            continue;
        bool isHandshake = false;
        const QByteArray reply = handshakeAnswer(message, &isHandshake);
        if (isHandshake) {
            if (!reply.isEmpty() && !writeOut(reply + '\n'))
                return 0;
            continue;
        }
        const std::string method = message.value("method", "");
        if (std::exchange(g_misbehaved, true))
            writeOut(correctAnswer(message["id"], method) + '\n');
        else
            misbehaveOverStdio(message["id"], method);
    }
    return 0;
}

// ---- Streamable HTTP: answers as event streams, written as the socket takes them ---------------------

QByteArray event(const QByteArray &data)
{
    return "event: message\ndata: " + data + "\n\n";
}

// Writes `total` bytes made by `next` (called for at most `chunk` bytes at a time), keeping at most a few
// chunks queued in the socket, then closes; stops when the client goes away.
void pace(QTcpSocket *s, std::function<QByteArray(qint64 offset)> next, qint64 total, int intervalMs = 0)
{
    auto offset = std::make_shared<qint64>(0);
    auto timer = new QTimer(s);
    timer->setInterval(qMax(1, intervalMs)); // not 0: no busy loop while the socket is full
    QObject::connect(timer, &QTimer::timeout, s, [s, next, total, offset, timer] {
        if (s->state() != QAbstractSocket::ConnectedState) {
            timer->stop();
            return;
        }
        if (s->bytesToWrite() > 4 * (1 << 20))
            return;
        if (total >= 0 && *offset >= total) {
            timer->stop();
            s->disconnectFromHost();
            return;
        }
        const QByteArray bytes = next(*offset);
        *offset += bytes.size();
        s->write(bytes);
    });
    timer->start();
}

void misbehaveOverHttp(QTcpSocket *s, const Json &id, const std::string &method)
{
    if (g_mode == QLatin1String("die")) {
        const QByteArray body = correctAnswer(id, method);
        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body.left(body.size() / 2));
        s->flush();
        s->waitForBytesWritten(1000);
        ::_exit(3);
    }
    MiniHttpServer::startSse(s);
    if (g_mode == QLatin1String("hang")) {
        pace(
            s, [](qint64 offset) { return QByteArray(offset % 2 ? "\n" : ":"); }, -1, 50);
    } else if (g_mode == QLatin1String("flood-line")) {
        const QByteArray head = QByteArray("event: message\ndata: ") + R"({"jsonrpc":"2.0","id":)" +
                                frame(id) + R"(,"result":{"pad":")";
        const QByteArray block(1 << 20, 'a');
        pace(
            s, [head, block](qint64 offset) { return offset == 0 ? head : block; }, floodBytes);
    } else if (g_mode == QLatin1String("drip")) {
        const QByteArray bytes = event(correctAnswer(id, method));
        pace(
            s, [bytes](qint64 offset) { return bytes.mid(offset, 1); }, bytes.size(), dripIntervalMs);
    } else {
        QByteArray out;
        for (const QByteArray &f : misbehaviourFrames(id, method))
            out += event(f);
        pace(
            s, [out](qint64 offset) { return out.mid(offset, 1 << 20); }, out.size());
    }
}

void serveHttp(MiniHttpServer &server)
{
    server.setHandler([](const MiniRequest &r, QTcpSocket *s) {
        if (r.method == "GET")
            return MiniHttpServer::respond(s, 405, "Method Not Allowed");
        if (r.method == "DELETE")
            return MiniHttpServer::respond(s, 200, "OK");
        const Json message = Json::parse(r.body.toStdString(), nullptr, false);
        if (!message.is_object())
            return MiniHttpServer::respond(s, 400, "Bad Request");
        bool isHandshake = false;
        const QByteArray reply = handshakeAnswer(message, &isHandshake);
        if (isHandshake && reply.isEmpty())
            return MiniHttpServer::respond(s, 202, "Accepted");
        if (isHandshake)
            return MiniHttpServer::json(s, reply, {{"Mcp-Session-Id", "misbehaving-1"}});
        const std::string method = message.value("method", "");
        if (std::exchange(g_misbehaved, true))
            return MiniHttpServer::json(s, correctAnswer(message["id"], method));
        misbehaveOverHttp(s, message["id"], method);
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    g_mode = args.value(0);
    static const QStringList modes = {QStringLiteral("die"),
                                      QStringLiteral("hang"),
                                      QStringLiteral("flood-line"),
                                      QStringLiteral("flood-notifications"),
                                      QStringLiteral("drip"),
                                      QStringLiteral("invalid-utf8"),
                                      QStringLiteral("duplicate-id"),
                                      QStringLiteral("unknown-id"),
                                      QStringLiteral("huge-id"),
                                      QStringLiteral("wrong-jsonrpc"),
                                      QStringLiteral("malformed-error")};
    if (!modes.contains(g_mode)) {
        std::fprintf(stderr, "usage: misbehaving-server <%s> [--http]\n",
                     qPrintable(modes.join(QLatin1Char('|'))));
        return 1;
    }
    if (!args.contains(QStringLiteral("--http")))
        return serveStdio();
    MiniHttpServer server;
    if (!server.listen()) {
        std::fprintf(stderr, "cannot listen on 127.0.0.1\n");
        return 1;
    }
    serveHttp(server);
    std::printf("port %d\n", server.port());
    std::fflush(stdout);
    return app.exec();
}
