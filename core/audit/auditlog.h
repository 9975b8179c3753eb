#pragma once

#include "../error.h"
#include "../jsonrpc/json.h"

#include <QDateTime>
#include <QFile>
#include <QObject>
#include <functional>

namespace mcp {
class Recorder;
struct FrameRecord;
} // namespace mcp

namespace mcp::audit {

// The append-only, hash-chained audit trail (see auditentry.h for an entry's bytes): one JSON Lines file a
// day (UTC), <directory>/YYYY-MM-DD.jsonl. The chain runs across days: a day's first entry carries the
// previous day's last hash and continues its sequence, so verifying consecutive days together also shows a
// day whose tail was cut off. Every entry is flushed as it is written: a crash loses at most the entry being
// written, and a half-written last line is cut off before the next entry. Processes sharing a directory
// take turns (a lock on the day's file) and pick up each other's last entry, so the chain stays one.
// Nothing is written in clear that the redaction predicate (core/traffic/redaction.h) calls a secret.
class AuditLog : public QObject
{
    Q_OBJECT
public:
    // An entry's frame text or action detail above this many bytes is recorded by size and SHA-256 only,
    // which keeps every line far below the verifier's line limit.
    static constexpr qsizetype kMaxInlineBytes = 16 * 1024;

    explicit AuditLog(const QString &directory, QObject *parent = nullptr);
    // <AppDataLocation>/audit: where the applications keep it.
    static QString defaultDirectory();

    // A user's action ("connect", "call", "approve", "edit", "export", ...) on a connection (may be empty).
    bool action(const QString &connection, const QString &event, Json detail = Json::object());
    // Records every frame and HTTP exchange the recorder gets from now on.
    void watch(const Recorder *recorder);

    QString directory() const { return m_directory; }
    // Today's file (UTC).
    QString currentPath() const;
    // The last failure to write, if any (the caller may show it; entries after it are still attempted).
    Error lastError() const { return m_error; }
    // Tests set the clock to cross midnight.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

Q_SIGNALS:
    void writeFailed(const QString &message);

private:
    bool append(const char *kind, const QString &connection, const QString &event, Json detail);
    void recordFrame(const Recorder &recorder, const FrameRecord &frame);
    bool openDay(const QDateTime &now);
    void takeTail();
    bool fail(const QString &message);

    QString m_directory;
    QFile m_file;
    qint64 m_expectedSize = -1; // what the file holds after our last write; differs when another wrote
    qint64 m_lastSeq = 0;
    QByteArray m_lastHash;
    Error m_error;
    std::function<QDateTime()> m_clock;
};

} // namespace mcp::audit
