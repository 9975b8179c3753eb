#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace mcp {

// One dispatched Server-Sent Event.
struct SseEvent
{
    QByteArray event = QByteArrayLiteral("message"); // the `event:` field, "message" when absent
    QByteArray data;                                 // `data:` lines joined with \n
    QByteArray id; // the last event id in force when this event was dispatched
    bool operator==(const SseEvent &o) const { return event == o.event && data == o.data && id == o.id; }
};

// Incremental parser for text/event-stream (WHATWG HTML, "Server-sent events", event stream interpretation).
// Feed bytes as they arrive, in chunks of any size; complete events come out. Handles \n, \r\n and \r line
// ends (also split across chunks), multi-line data, comments, id, event and retry. A stream that ends in the
// middle of an event is reported by finish() instead of delivering half a message.
class SseParser
{
public:
    explicit SseParser(qsizetype maxEventBytes = 64 * 1024 * 1024) : m_maxEventBytes(maxEventBytes) {}

    // Parses a chunk; returns the events it completed. After an error (event over the size limit) it returns
    // nothing more until reset().
    QList<SseEvent> feed(QByteArrayView chunk);

    // The stream ended. Returns an empty string if it ended between events, else a description of what was
    // lost.
    QString finish();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    QByteArray lastEventId() const { return m_lastEventId; }
    bool hasLastEventId() const { return m_hasLastEventId; }
    int retryMs() const { return m_retryMs; } // -1 until a valid retry: field arrived
    qint64 bytesSeen() const { return m_bytesSeen; }

    void reset(); // forgets everything, including the last event id and retry

private:
    void process(QByteArrayView bytes, QList<SseEvent> &out);
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void appendToLine(QByteArrayView bytes);

    qsizetype m_maxEventBytes;
    QByteArray m_line;      // the current, unfinished line
    QByteArray m_data;      // data buffer of the event being built
    QByteArray m_eventType; // event type buffer
    bool m_hasData = false;
    bool m_pendingFields = false; // any field seen since the last dispatch
    bool m_skipLf = false;        // the previous chunk ended with \r: a leading \n belongs to it
    bool m_bomChecked = false;
    QByteArray m_bomBuffer;
    QByteArray m_lastEventId;
    bool m_hasLastEventId = false;
    int m_retryMs = -1;
    qint64 m_bytesSeen = 0;
    QString m_error;
};

} // namespace mcp
