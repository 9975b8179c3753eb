#include "sseparser.h"

namespace mcp {

namespace {
const QByteArrayView kBom("\xEF\xBB\xBF");
} // namespace

void SseParser::reset()
{
    *this = SseParser(m_maxEventBytes);
}

QList<SseEvent> SseParser::feed(QByteArrayView chunk)
{
    QList<SseEvent> out;
    if (hasError() || chunk.isEmpty())
        return out;
    m_bytesSeen += chunk.size();
    if (!m_bomChecked) {
        // A UTF-8 byte order mark at the very start of the stream is skipped; it may arrive split over
        // chunks.
        m_bomBuffer.append(chunk);
        if (m_bomBuffer.size() < kBom.size() && kBom.startsWith(m_bomBuffer))
            return out;
        m_bomChecked = true;
        const QByteArray head = std::exchange(m_bomBuffer, {});
        process(head.startsWith(kBom) ? QByteArrayView(head).sliced(kBom.size()) : QByteArrayView(head), out);
        return out;
    }
    process(chunk, out);
    return out;
}

void SseParser::process(QByteArrayView bytes, QList<SseEvent> &out)
{
    qsizetype i = 0;
    if (m_skipLf && !bytes.isEmpty()) {
        if (bytes.at(0) == '\n')
            i = 1;
        m_skipLf = false;
    }
    while (i < bytes.size() && !hasError()) {
        qsizetype end = i;
        while (end < bytes.size() && bytes.at(end) != '\n' && bytes.at(end) != '\r')
            ++end;
        if (end == bytes.size()) {
            appendToLine(bytes.sliced(i));
            return;
        }
        // A complete line: the bytes before it in m_line plus bytes[i, end).
        if (m_line.isEmpty()) {
            processLine(bytes.sliced(i, end - i), out);
        } else {
            appendToLine(bytes.sliced(i, end - i));
            if (hasError())
                return;
            const QByteArray line = std::exchange(m_line, {});
            processLine(line, out);
        }
        if (bytes.at(end) == '\r') {
            if (end + 1 < bytes.size()) {
                if (bytes.at(end + 1) == '\n')
                    ++end;
            } else {
                m_skipLf = true; // \r\n may be split across chunks
            }
        }
        i = end + 1;
    }
}

void SseParser::appendToLine(QByteArrayView bytes)
{
    if (m_line.size() + bytes.size() + m_data.size() > m_maxEventBytes) {
        m_error = QStringLiteral("an SSE event exceeded the limit of %1 bytes").arg(m_maxEventBytes);
        return;
    }
    m_line.append(bytes);
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        // Dispatch.
        m_pendingFields = false;
        if (!m_hasData) {
            m_eventType.clear();
            return;
        }
        SseEvent ev;
        ev.data = std::exchange(m_data, {});
        if (ev.data.endsWith('\n'))
            ev.data.chop(1);
        if (!m_eventType.isEmpty())
            ev.event = std::exchange(m_eventType, {});
        ev.id = m_lastEventId;
        m_hasData = false;
        out.append(std::move(ev));
        return;
    }
    if (line.at(0) == ':')
        return; // comment
    QByteArrayView field = line;
    QByteArrayView value;
    const qsizetype colon = line.indexOf(':');
    if (colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    m_pendingFields = true;
    if (field == "data") {
        if (m_data.size() + value.size() + 1 > m_maxEventBytes) {
            m_error = QStringLiteral("an SSE event exceeded the limit of %1 bytes").arg(m_maxEventBytes);
            return;
        }
        m_data.append(value);
        m_data.append('\n');
        m_hasData = true;
    } else if (field == "event") {
        m_eventType = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0')) {
            m_lastEventId = value.toByteArray();
            m_hasLastEventId = true;
        }
    } else if (field == "retry") {
        bool allDigits = !value.isEmpty() && value.size() <= 9;
        for (char c : value)
            allDigits = allDigits && c >= '0' && c <= '9';
        if (allDigits)
            m_retryMs = value.toInt();
    }
    // Unknown fields are ignored, as the standard says.
}

QString SseParser::finish()
{
    if (hasError())
        return m_error;
    if (!m_bomChecked && !m_bomBuffer.isEmpty()) {
        // Fewer than three bytes arrived, all a prefix of the BOM: nothing of substance.
        m_bomBuffer.clear();
        m_bomChecked = true;
    }
    QString problem;
    if (!m_line.isEmpty() && !m_line.startsWith(':')) {
        problem = QStringLiteral("the event stream ended in the middle of a line (%1 bytes: \"%2\")")
                      .arg(m_line.size())
                      .arg(QString::fromUtf8(m_line.left(80)));
    } else if (m_hasData) {
        problem =
            QStringLiteral("the event stream ended in the middle of an event (%1 bytes of data without the "
                           "closing blank line); the event was not delivered")
                .arg(m_data.size());
    }
    m_line.clear();
    m_data.clear();
    m_eventType.clear();
    m_hasData = false;
    m_pendingFields = false;
    m_skipLf = false;
    return problem;
}

} // namespace mcp
