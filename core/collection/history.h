#pragma once

#include "../jsonrpc/json.h"

#include <QDateTime>
#include <QList>
#include <optional>

namespace mcp::collection {

// One request the user sent from the workbench, as the history keeps it: secrets redacted.
struct HistoryEntry
{
    QDateTime time;
    QString connection; // the connection's name
    QString method;
    Json params = Json::object();

    Json toJson() const;
    static std::optional<HistoryEntry> fromJson(const Json &json);
    // What a search looks in: method, connection and the params' text.
    bool matches(const QString &text) const;
};

// The user's request history: one JSON line per request in a file of their own (0600), appended to, never
// rewritten except to drop the oldest half when it grows past maxBytes. Read back as hostile (the file may
// have been edited or cut short): lines that are not entries are skipped.
class RequestHistory
{
public:
    static constexpr qint64 kDefaultMaxBytes = 8 * 1024 * 1024;
    static constexpr qint64 kMaxEntryBytes =
        256 * 1024; // params beyond this are kept as a note of their size

    explicit RequestHistory(QString path, qint64 maxBytes = kDefaultMaxBytes);
    // history.jsonl in the application's data folder (QStandardPaths::AppDataLocation).
    static QString defaultPath();

    QString path() const { return m_path; }
    bool append(const HistoryEntry &entry, QString *error);
    // Oldest first, at most maxEntries (the newest ones).
    QList<HistoryEntry> entries(int maxEntries = 10000) const;

private:
    void dropOldestHalf();

    QString m_path;
    qint64 m_maxBytes;
};

} // namespace mcp::collection
