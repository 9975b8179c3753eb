#include "auditlog.h"

#include "auditentry.h"
#include "jsonrpc/message.h"
#include "traffic/exporter.h"
#include "traffic/recorder.h"
#include "traffic/redaction.h"

#include <QDir>
#include <QStandardPaths>
#include <QThread>
#include <QTimeZone>
#include <sys/file.h>

namespace mcp::audit {

namespace {

constexpr QFileDevice::Permissions ownerOnlyDirectory =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

// The day's file locked against other writers (flock, on the open file) while an entry is appended: a
// system call each way, which a flood of frames can afford. Waits at most about two seconds for a writer
// that stopped mid-entry.
class FileLock
{
public:
    explicit FileLock(int fd) : m_fd(fd)
    {
        for (int attempt = 0; attempt < 200 && !m_held; ++attempt) {
            m_held = ::flock(m_fd, LOCK_EX | LOCK_NB) == 0;
            if (!m_held)
                QThread::msleep(10);
        }
    }
    ~FileLock()
    {
        if (m_held)
            ::flock(m_fd, LOCK_UN);
    }
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;
    bool held() const { return m_held; }

private:
    int m_fd;
    bool m_held = false;
};

struct LastEntry
{
    qint64 seq = 0;
    QByteArray hash = kGenesis;
};

// The last complete line of f. With cutPartial, a line the writer did not finish (a crash) is cut off so
// the next entry starts a line of its own; it never held a whole entry.
LastEntry lastEntryOf(QFile &f, bool cutPartial)
{
    const qint64 size = f.size();
    if (size == 0)
        return {};
    const qint64 window = qMin(size, kMaxLineBytes + 2);
    f.seek(size - window);
    QByteArray tail = f.read(window);
    if (!tail.endsWith('\n')) {
        const qsizetype end = tail.lastIndexOf('\n') + 1;
        if (cutPartial)
            f.resize(size - window + end);
        tail.truncate(end);
    }
    tail.chop(1);
    const QByteArray line = tail.sliced(tail.lastIndexOf('\n') + 1);
    if (line.isEmpty())
        return {};
    // A line that is not an entry still links: the verifier reports it, and the chain goes on past it.
    const QByteArray canonical = canonicalOf(line);
    if (canonical.isEmpty())
        return {0, hashOf(line)};
    const Json j = jsonrpc::parseJson(canonical);
    return {valueOr(j, "seq", qint64(0)), hashOf(canonical)};
}

QString dayFileName(const QDateTime &utc)
{
    return utc.toString(QStringLiteral("yyyy-MM-dd")) + QStringLiteral(".jsonl");
}

// Bytes as text where they are UTF-8, else base64; by size and digest when large.
void putBytes(Json &detail, const QByteArray &bytes)
{
    if (bytes.size() > AuditLog::kMaxInlineBytes) {
        detail["omitted"] = true;
        detail["sha256"] = hashOf(bytes).toStdString();
    } else if (QUtf8StringView(bytes).isValidUtf8()) {
        detail["text"] = bytes.toStdString();
    } else {
        detail["base64"] = bytes.toBase64().toStdString();
    }
}

Json headersJson(const HeaderList &headers)
{
    Json out = Json::array();
    for (const auto &[name, value] : headers)
        out.push_back({name.toStdString(), value.toStdString()});
    return out;
}

} // namespace

AuditLog::AuditLog(const QString &directory, QObject *parent) : QObject(parent), m_directory(directory)
{}

QString AuditLog::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/audit");
}

QString AuditLog::currentPath() const
{
    const QDateTime now = m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
    return QDir(m_directory).filePath(dayFileName(now.toUTC()));
}

bool AuditLog::action(const QString &connection, const QString &event, Json detail)
{
    return append("action", connection, event, std::move(detail));
}

void AuditLog::watch(const Recorder *recorder)
{
    connect(recorder, &Recorder::frameRecorded, this,
            [this, recorder](int index) { recordFrame(*recorder, recorder->at(index)); });
    connect(recorder, &Recorder::httpRecorded, this, [this, recorder](int index) {
        const Recorder::HttpRecord &record = recorder->httpExchanges()[size_t(index)];
        const HttpExchange x = redaction::redactExchange(record.exchange);
        Json detail = {{"method", x.method.toStdString()},
                       {"url", x.url.toString(QUrl::FullyEncoded).toStdString()},
                       {"status", x.status},
                       {"requestHeaders", headersJson(x.requestHeaders)},
                       {"requestBytes", x.requestBody.size()},
                       {"responseHeaders", headersJson(x.responseHeaders)},
                       {"responseBytes", x.responseBody.size()}}; // the bodies are the frames
        if (!x.error.isEmpty())
            detail["error"] = toStd(x.error);
        append("frame", recorder->connectionName(record.connection), QStringLiteral("http"), detail);
    });
}

void AuditLog::recordFrame(const Recorder &recorder, const FrameRecord &frame)
{
    Json detail = Json::object();
    if (const QString method = recorder.method(frame); !method.isEmpty())
        detail["method"] = toStd(method);
    if (!frame.id.isEmpty())
        detail["id"] = frame.id.toStdString();
    detail["bytes"] = frame.bytes.size();
    putBytes(detail, redaction::redactBody(frame.bytes));
    append("frame", recorder.connectionName(frame.connection),
           frame.direction == Direction::Sent ? QStringLiteral("send") : QStringLiteral("recv"), detail);
}

bool AuditLog::append(const char *kind, const QString &connection, const QString &event, Json detail)
{
    redaction::redactJson(detail);
    if (const QByteArray text = dumpCompact(detail); text.size() > kMaxInlineBytes) {
        detail = Json::object({{"bytes", text.size()}});
        putBytes(detail, text);
    }
    const QDateTime now = (m_clock ? m_clock() : QDateTime::currentDateTimeUtc()).toUTC();
    if (!m_file.isOpen() &&
        (!QDir().mkpath(m_directory) || !QFile::setPermissions(m_directory, ownerOnlyDirectory)))
        return fail(QStringLiteral("cannot create %1").arg(m_directory));
    if (!openDay(now))
        return false;
    const FileLock lock(m_file.handle());
    if (!lock.held())
        return fail(QStringLiteral("%1 is locked by another process").arg(m_file.fileName()));
    if (m_file.size() != m_expectedSize)
        takeTail();

    const Json entry = {{"seq", m_lastSeq + 1},
                        {"time", toStd(now.toString(Qt::ISODateWithMs))},
                        {"kind", kind},
                        {"connection", toStd(connection)},
                        {"event", toStd(event)},
                        {"detail", std::move(detail)},
                        {"prev", m_lastHash.toStdString()}};
    const QByteArray canonical = dumpCompact(entry);
    const QByteArray line = sealed(canonical) + '\n';
    if (m_file.write(line) != line.size() || !m_file.flush()) {
        m_expectedSize = -1; // read back what is there before the next entry
        return fail(QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    }
    ++m_lastSeq;
    m_lastHash = hashOf(canonical);
    m_expectedSize += line.size();
    m_error = {};
    return true;
}

bool AuditLog::openDay(const QDateTime &now)
{
    const QString path = QDir(m_directory).filePath(dayFileName(now));
    if (m_file.isOpen() && m_file.fileName() == path)
        return true;
    m_file.close();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append, ownerOnly) ||
        !m_file.setPermissions(ownerOnly))
        return fail(QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString()));
    m_expectedSize = -1;
    return true;
}

void AuditLog::takeTail()
{
    LastEntry last = lastEntryOf(m_file, true);
    if (m_file.size() == 0) {
        // A new day links to the latest earlier day's last entry.
        const QString today = QFileInfo(m_file.fileName()).fileName();
        QStringList days =
            QDir(m_directory)
                .entryList({QStringLiteral("\?\?\?\?-\?\?-\?\?.jsonl")}, QDir::Files, QDir::Name);
        days.removeIf([&](const QString &day) { return day >= today; });
        if (!days.isEmpty()) {
            QFile previous(QDir(m_directory).filePath(days.last()));
            if (previous.open(QIODevice::ReadOnly))
                last = lastEntryOf(previous, false);
        }
    }
    m_lastSeq = last.seq;
    m_lastHash = last.hash;
    m_expectedSize = m_file.size();
}

bool AuditLog::fail(const QString &message)
{
    m_error = makeError(Error::Category::Usage, QStringLiteral("audit"), message);
    Q_EMIT writeFailed(m_error.toString());
    return false;
}

} // namespace mcp::audit
