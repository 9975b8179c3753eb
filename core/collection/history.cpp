#include "history.h"

#include "../jsonrpc/message.h"
#include "../review/jsonfile.h"
#include "../traffic/redaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace mcp::collection {

Json HistoryEntry::toJson() const
{
    return {{"time", toStd(time.toUTC().toString(Qt::ISODateWithMs))},
            {"connection", toStd(connection)},
            {"method", toStd(method)},
            {"params", params}};
}

std::optional<HistoryEntry> HistoryEntry::fromJson(const Json &json)
{
    HistoryEntry e;
    e.time = QDateTime::fromString(stringOr(json, "time"), Qt::ISODateWithMs);
    e.method = stringOr(json, "method");
    if (!e.time.isValid() || e.method.isEmpty())
        return std::nullopt;
    e.connection = stringOr(json, "connection");
    e.params = valueOr(json, "params", Json::object());
    return e;
}

bool HistoryEntry::matches(const QString &text) const
{
    if (text.isEmpty())
        return true;
    for (const QString &field : {method, connection})
        if (field.contains(text, Qt::CaseInsensitive))
            return true;
    return QString::fromUtf8(dumpCompact(params)).contains(text, Qt::CaseInsensitive);
}

RequestHistory::RequestHistory(QString path, qint64 maxBytes) : m_path(std::move(path)), m_maxBytes(maxBytes)
{}

QString RequestHistory::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/history.jsonl");
}

bool RequestHistory::append(const HistoryEntry &entry, QString *error)
{
    HistoryEntry kept = entry;
    redaction::redactJson(kept.params);
    QByteArray line = dumpCompact(kept.toJson());
    if (line.size() > kMaxEntryBytes) {
        kept.params = {{"[not kept]", QStringLiteral("%1 bytes of params").arg(line.size()).toStdString()}};
        line = dumpCompact(kept.toJson());
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QFile file(m_path);
    const bool created = !file.exists();
    if (!file.open(QIODevice::Append) || file.write(line + '\n') != line.size() + 1) {
        *error = QStringLiteral("%1: %2").arg(m_path, file.errorString());
        return false;
    }
    if (created) // arguments a user typed may be personal even with the secrets masked
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const qint64 size = file.size();
    file.close();
    if (size > m_maxBytes)
        dropOldestHalf();
    return true;
}

QList<HistoryEntry> RequestHistory::entries(int maxEntries) const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // Only the tail a full history can have: a file grown by hand is read from its newest part.
    const qint64 readable = 2 * m_maxBytes;
    if (file.size() > readable)
        file.seek(file.size() - readable);
    const QList<QByteArray> lines = file.read(readable).split('\n');
    QList<HistoryEntry> out;
    jsonrpc::Limits limits;
    limits.maxFrameBytes = kMaxEntryBytes * 2;
    for (const QByteArray &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        const Json json = jsonrpc::parseJson(line, nullptr, limits);
        if (json.is_discarded())
            continue;
        if (std::optional<HistoryEntry> entry = HistoryEntry::fromJson(json))
            out.append(std::move(*entry));
    }
    if (out.size() > maxEntries)
        out = out.mid(out.size() - maxEntries);
    return out;
}

void RequestHistory::dropOldestHalf()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    QByteArray bytes = file.readAll();
    file.close();
    const qsizetype cut = bytes.indexOf('\n', bytes.size() / 2);
    bytes = cut < 0 ? QByteArray() : bytes.mid(cut + 1);
    QString ignored;
    review::writeFileAtomically(m_path, bytes, &ignored);
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

} // namespace mcp::collection
