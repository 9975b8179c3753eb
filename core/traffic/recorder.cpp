#include "recorder.h"

#include <chrono>

namespace mcp {

Recorder::Recorder(QObject *parent) : QObject(parent)
{}

int Recorder::addConnection(const QString &name)
{
    m_connections.append(name);
    return int(m_connections.size()) - 1;
}

QString Recorder::connectionName(int connection) const
{
    return m_connections.value(connection);
}

quint16 Recorder::internMethod(const std::string &method)
{
    if (method.empty())
        return 0;
    if (auto it = m_methodIndex.find(method); it != m_methodIndex.end())
        return it->second;
    if (m_methods.size() >= 0xFFFF) // a peer inventing method names forever: stop interning
        return 0;
    const auto index = quint16(m_methods.size());
    m_methods.append(QString::fromStdString(method));
    m_methodIndex.emplace(method, index);
    return index;
}

// What every frame has, whatever was parsed of it; timeUs 0 means now.
static FrameRecord frameHead(int connection, Direction direction, const QByteArray &bytes, qint64 timeUs)
{
    using namespace std::chrono;
    FrameRecord f;
    f.timeUs = timeUs ? timeUs : duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    f.bytes = bytes;
    f.connection = connection;
    f.direction = direction;
    return f;
}

int Recorder::record(int connection, Direction direction, const QByteArray &bytes, qint64 timeUs)
{
    return record(connection, direction, bytes, jsonrpc::parse(bytes), timeUs);
}

int Recorder::record(int connection, Direction direction, const QByteArray &bytes,
                     const jsonrpc::ParseResult &parsed, qint64 timeUs)
{
    FrameRecord f = frameHead(connection, direction, bytes, timeUs);
    if (!parsed.ok())
        f.flags |= FrameRecord::ParseFailed;
    if (parsed.batch)
        f.flags |= FrameRecord::Batch;
    return append(std::move(f), parsed.messages);
}

int Recorder::record(int connection, Direction direction, const QByteArray &bytes,
                     const jsonrpc::Message &sent)
{
    return append(frameHead(connection, direction, bytes, 0), {&sent, 1});
}

int Recorder::append(FrameRecord f, std::span<const jsonrpc::Message> messages)
{
    const int index = int(m_frames.size());
    int pairedWith = -1;
    if (!messages.empty()) {
        // A batch is shown by its first message; pairing covers every element.
        const jsonrpc::Message &m = messages.front();
        f.kind = m.kind;
        f.methodIndex = internMethod(m.method);
        if (m.kind == jsonrpc::Kind::Error)
            f.flags |= FrameRecord::IsError;
        for (const jsonrpc::Message &each : messages) {
            QByteArray id = jsonrpc::idText(each.id).toUtf8();
            if (&each == &m)
                f.id = id;
            if (each.isRequest()) {
                m_pending.insert({f.connection, f.direction, std::move(id)}, index);
            } else if (each.isReply()) {
                const Direction requestDirection =
                    f.direction == Direction::Sent ? Direction::Received : Direction::Sent;
                auto pending = m_pending.find({f.connection, requestDirection, std::move(id)});
                if (pending != m_pending.end()) {
                    if (pairedWith < 0)
                        pairedWith = *pending;
                    m_pending.erase(pending);
                }
            }
        }
    }
    if (pairedWith >= 0) {
        FrameRecord &request = m_frames[size_t(pairedWith)];
        f.pairedIndex = pairedWith;
        f.latencyUs = qint32(qBound<qint64>(0, f.timeUs - request.timeUs, qint64(INT32_MAX)));
        f.methodIndex = request.methodIndex; // a response is about its request's method
        request.pairedIndex = index;
        request.latencyUs = f.latencyUs;
    }
    m_frames.push_back(std::move(f));
    Q_EMIT frameRecorded(index);
    if (pairedWith >= 0)
        Q_EMIT framePaired(pairedWith, index);
    return index;
}

void Recorder::recordHttp(int connection, const HttpExchange &exchange)
{
    m_http.push_back({connection, exchange});
    Q_EMIT httpRecorded(int(m_http.size()) - 1);
}

void Recorder::clear()
{
    m_frames.clear();
    m_http.clear();
    m_pending.clear();
    Q_EMIT cleared();
}

} // namespace mcp
