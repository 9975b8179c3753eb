#include "tracefile.h"

#include <QDateTime>
#include <QHash>
#include <QTimeZone>

namespace mcp {

TraceWriter::TraceWriter(Recorder *recorder, QObject *parent) : QObject(parent), m_recorder(recorder)
{}

bool TraceWriter::open(const QString &path, Error *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = makeError(Error::Category::Usage, QStringLiteral("trace"),
                           QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString()));
        return false;
    }
    for (qsizetype i = 0; i < m_recorder->size(); ++i)
        write(int(i));
    connect(m_recorder, &Recorder::frameRecorded, this, &TraceWriter::write);
    return true;
}

void TraceWriter::close()
{
    disconnect(m_recorder, nullptr, this, nullptr);
    m_file.close();
}

static QString isoTime(qint64 timeUs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(timeUs / 1000, QTimeZone::utc());
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.")) +
           QStringLiteral("%1Z").arg(timeUs % 1000000, 6, 10, QLatin1Char('0'));
}

QByteArray TraceWriter::line(const Recorder &recorder, const FrameRecord &frame)
{
    Json head = {{"time", toStd(isoTime(frame.timeUs))},
                 {"connection", toStd(recorder.connectionName(frame.connection))},
                 {"direction", frame.direction == Direction::Sent ? "send" : "recv"},
                 {"bytes", frame.bytes.size()}};
    const bool verbatim = !frame.parseFailed() && !frame.bytes.contains('\n') && !frame.bytes.contains('\r');
    if (!verbatim) {
        head["raw"] = frame.bytes.toStdString();
        return dumpCompact(head) + '\n';
    }
    QByteArray out = dumpCompact(head);
    out.chop(1); // the closing brace
    out += ",\"message\":";
    out += frame.bytes;
    out += "}\n";
    return out;
}

void TraceWriter::write(int index)
{
    if (m_file.isOpen()) {
        m_file.write(line(*m_recorder, m_recorder->at(index)));
        m_file.flush(); // a crash or kill must not lose traffic
    }
}

bool readTrace(const QString &path, Recorder &recorder, Error *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = makeError(Error::Category::Usage, QStringLiteral("open trace"),
                           QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        return false;
    }
    QHash<QString, int> connections;
    int lineNumber = 0;
    while (!f.atEnd()) {
        QByteArray line = f.readLine();
        ++lineNumber;
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        const Json j = Json::parse(line.begin(), line.end(), nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            *error = makeError(Error::Category::Protocol, QStringLiteral("open trace"),
                               QStringLiteral("%1:%2 is not a JSON object").arg(path).arg(lineNumber));
            return false;
        }
        QByteArray bytes;
        if (j.contains("raw")) {
            bytes = QByteArray::fromStdString(j["raw"].get<std::string>());
        } else {
            const qsizetype at = line.indexOf(",\"message\":");
            if (at < 0 || !line.endsWith('}')) {
                *error = makeError(
                    Error::Category::Protocol, QStringLiteral("open trace"),
                    QStringLiteral("%1:%2 has neither \"message\" nor \"raw\"").arg(path).arg(lineNumber));
                return false;
            }
            bytes = line.mid(at + 11, line.size() - at - 12);
        }
        const QString name = stringOr(j, "connection");
        auto c = connections.find(name);
        if (c == connections.end())
            c = connections.insert(name, recorder.addConnection(name));
        const QDateTime t = QDateTime::fromString(stringOr(j, "time"), Qt::ISODateWithMs);
        const QString time = stringOr(j, "time");
        const qint64 micros = time.section(QLatin1Char('.'), 1).left(6).toLongLong();
        const qint64 timeUs = t.isValid() ? (t.toMSecsSinceEpoch() / 1000) * 1000000 + micros : 0;
        recorder.record(
            *c, stringOr(j, "direction") == QStringLiteral("send") ? Direction::Sent : Direction::Received,
            bytes, timeUs);
    }
    return true;
}

} // namespace mcp
