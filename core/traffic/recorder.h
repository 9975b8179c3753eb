#pragma once

#include "../jsonrpc/message.h"
#include "../transport/transport.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <deque>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace mcp {

enum class Direction : quint8 { Sent, Received };

// One frame as it crossed the wire, with the few fields every view needs, extracted once.
struct FrameRecord
{
    enum Flag : quint8 { ParseFailed = 1, IsError = 2, Batch = 4 };

    qint64 timeUs = 0; // microseconds since the epoch
    QByteArray bytes;  // exactly as sent or received
    QByteArray id;     // id text (jsonrpc::idText), empty for notifications
    qint32 connection = -1;
    qint32 pairedIndex = -1; // request <-> response
    qint32 latencyUs = -1;   // on both frames of a pair
    quint16 methodIndex = 0; // into Recorder::methodName(); 0 = none
    Direction direction = Direction::Sent;
    jsonrpc::Kind kind = jsonrpc::Kind::Notification;
    quint8 flags = 0;

    bool parseFailed() const { return flags & ParseFailed; }
    bool isError() const { return flags & IsError; }
};

// Keeps every frame of every connection once, in arrival order; views and exporters read from here.
class Recorder : public QObject
{
    Q_OBJECT
public:
    explicit Recorder(QObject *parent = nullptr);

    int addConnection(const QString &name);
    QString connectionName(int connection) const;
    int connectionCount() const { return int(m_connections.size()); }

    // Records a frame whose parse result the caller already has (the session parses once for both).
    int record(int connection, Direction direction, const QByteArray &bytes,
               const jsonrpc::ParseResult &parsed, qint64 timeUs = 0);
    // Records a frame the session built from one message: nothing to parse, nothing to copy.
    int record(int connection, Direction direction, const QByteArray &bytes, const jsonrpc::Message &sent);
    // Parses and records; for frames no session handles (proxy, file import).
    int record(int connection, Direction direction, const QByteArray &bytes, qint64 timeUs = 0);
    void recordHttp(int connection, const HttpExchange &exchange);

    qsizetype size() const { return qsizetype(m_frames.size()); }
    const FrameRecord &at(qsizetype index) const { return m_frames[size_t(index)]; }
    QString methodName(quint16 index) const { return m_methods.value(index); }
    QString method(const FrameRecord &f) const { return methodName(f.methodIndex); }

    struct HttpRecord
    {
        int connection;
        HttpExchange exchange;
    };
    const std::deque<HttpRecord> &httpExchanges() const { return m_http; }

    void clear();

Q_SIGNALS:
    void frameRecorded(int index);
    void framePaired(int requestIndex, int responseIndex);
    void httpRecorded(int index);
    void cleared();

private:
    quint16 internMethod(const std::string &method);
    int append(FrameRecord f, std::span<const jsonrpc::Message> messages);

    std::deque<FrameRecord> m_frames; // grows in blocks: no reallocation stall at a million frames
    std::deque<HttpRecord> m_http;
    QStringList m_connections;
    QStringList m_methods{QString()};
    std::unordered_map<std::string, quint16> m_methodIndex; // keyed as parsed: no conversion per frame
    struct PendingKey
    {
        int connection;
        Direction requestDirection;
        QByteArray id;
        bool operator==(const PendingKey &) const = default;
        friend size_t qHash(const PendingKey &k, size_t seed = 0)
        {
            return qHashMulti(seed, k.connection, int(k.requestDirection), k.id);
        }
    };
    QHash<PendingKey, int> m_pending; // unanswered requests -> their frame index
};

} // namespace mcp
