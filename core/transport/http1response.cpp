#include "http1response.h"

#include <algorithm>
#include <utility>

namespace mcp {

namespace {

constexpr qsizetype MaxLineBytes = 64 * 1024;
constexpr qsizetype MaxHeaderBytes = 256 * 1024;

// Whether a comma-separated header value lists the token (Connection: keep-alive, Transfer-Encoding:
// chunked).
bool listsToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &part : value.split(','))
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QString printable(const QByteArray &bytes)
{
    QString s = QString::fromLatin1(bytes.left(80));
    for (QChar &c : s)
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            c = QLatin1Char('?');
    return bytes.size() > 80 ? s + QStringLiteral("…") : s;
}

} // namespace

QByteArray joinedHeaderValue(const HeaderList &headers, QByteArrayView name)
{
    QByteArray joined;
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!joined.isEmpty())
            joined += ", ";
        joined += v;
    }
    return joined;
}

void Http1ResponseParser::start(bool headRequest)
{
    *this = Http1ResponseParser();
    m_headRequest = headRequest;
}

bool Http1ResponseParser::takeLine(QByteArray *line, Progress &p)
{
    const qsizetype end = m_buffer.indexOf('\n');
    if (end < 0) {
        if (m_buffer.size() > MaxLineBytes)
            p.malformed = QStringLiteral("a line longer than %1 bytes").arg(MaxLineBytes);
        return false;
    }
    const qsizetype length = end > 0 && m_buffer.at(end - 1) == '\r' ? end - 1 : end;
    *line = m_buffer.left(length);
    m_buffer.remove(0, end + 1);
    return true;
}

void Http1ResponseParser::feed(QByteArrayView bytes, Progress &p)
{
    m_buffer += bytes;
    QByteArray line;
    while (p.malformed.isEmpty() && !p.complete) {
        switch (m_phase) {
        case Phase::StatusLine:
        case Phase::Headers:
        case Phase::Trailers:
            if (!takeLine(&line, p))
                return;
            m_headerBytes += line.size() + 2;
            if (m_headerBytes > MaxHeaderBytes)
                p.malformed = QStringLiteral("more than %1 bytes of headers").arg(MaxHeaderBytes);
            else if (m_phase == Phase::StatusLine)
                onStatusLine(line, p);
            else if (m_phase == Phase::Trailers)
                p.complete = line.isEmpty();
            else if (line.isEmpty())
                onHeadersDone(p);
            else
                onHeaderLine(line, p);
            break;
        case Phase::Body:
        case Phase::ChunkData:
            if (m_buffer.isEmpty())
                return;
            takeBody(p);
            break;
        case Phase::ChunkSize:
            if (!takeLine(&line, p))
                return;
            onChunkSize(line, p);
            break;
        case Phase::ChunkEnd:
            if (!takeLine(&line, p))
                return;
            if (!line.isEmpty())
                p.malformed = QStringLiteral("chunk data longer than its size");
            m_phase = Phase::ChunkSize;
            break;
        }
    }
}

void Http1ResponseParser::onChunkSize(const QByteArray &line, Progress &p)
{
    const qsizetype semicolon = line.indexOf(';');
    const QByteArray hex = (semicolon < 0 ? line : line.left(semicolon)).trimmed();
    bool ok = false;
    const qint64 size = hex.size() <= 15 ? hex.toLongLong(&ok, 16) : -1;
    if (!ok || size < 0) {
        p.malformed = QStringLiteral("bad chunk size \"%1\"").arg(printable(line));
    } else if (size == 0) {
        m_phase = Phase::Trailers;
    } else {
        m_remaining = size;
        m_phase = Phase::ChunkData;
    }
}

void Http1ResponseParser::takeBody(Progress &p)
{
    const qsizetype n =
        m_remaining < 0 ? m_buffer.size() : qsizetype(qMin<qint64>(m_remaining, m_buffer.size()));
    if (n == m_buffer.size())
        p.body += std::exchange(m_buffer, {});
    else {
        p.body += m_buffer.left(n);
        m_buffer.remove(0, n);
    }
    if (m_remaining < 0)
        return;
    m_remaining -= n;
    if (m_remaining > 0)
        return;
    if (m_phase == Phase::ChunkData)
        m_phase = Phase::ChunkEnd;
    else
        p.complete = true;
}

void Http1ResponseParser::onStatusLine(const QByteArray &line, Progress &p)
{
    // HTTP-version SP status-code SP [reason-phrase]
    const bool shaped = line.size() >= 12 && line.startsWith("HTTP/1.") && line.at(8) == ' ' &&
                        (line.at(7) == '0' || line.at(7) == '1') && (line.size() == 12 || line.at(12) == ' ');
    bool ok = false;
    const int status = shaped ? line.mid(9, 3).toInt(&ok) : 0;
    if (!ok || status < 100 || status > 599) {
        p.malformed = QStringLiteral("status line \"%1\"").arg(printable(line));
        return;
    }
    m_minorVersion = line.at(7) - '0';
    m_status = status;
    m_reason = line.mid(13);
    m_headers.clear();
    m_phase = Phase::Headers;
}

void Http1ResponseParser::onHeaderLine(const QByteArray &line, Progress &p)
{
    if (line.front() == ' ' || line.front() == '\t') { // obsolete line folding
        if (m_headers.isEmpty())
            p.malformed = QStringLiteral("a continuation line before any header");
        else
            m_headers.last().second += ' ' + line.trimmed();
        return;
    }
    const qsizetype colon = line.indexOf(':');
    const QByteArray name = colon > 0 ? line.left(colon) : QByteArray();
    if (name.isEmpty() || name.contains(' ') || name.contains('\t')) {
        p.malformed = QStringLiteral("header line \"%1\"").arg(printable(line));
        return;
    }
    m_headers.append({name, line.mid(colon + 1).trimmed()});
}

void Http1ResponseParser::onHeadersDone(Progress &p)
{
    if (m_status == 101) {
        p.malformed = QStringLiteral("101 Switching Protocols to a request that asked for no upgrade");
        return;
    }
    if (m_status < 200) { // an interim response (100 Continue, 103 Early Hints): the real one follows
        m_status = 0;
        m_reason.clear();
        m_headers.clear();
        m_phase = Phase::StatusLine;
        return;
    }
    const QByteArray connection = joinedHeaderValue(m_headers, "Connection");
    m_keepAlive =
        m_minorVersion == 1 ? !listsToken(connection, "close") : listsToken(connection, "keep-alive");
    m_keepAliveMs = -1;
    for (const QByteArray &part : joinedHeaderValue(m_headers, "Keep-Alive").split(',')) {
        const QByteArray param = part.trimmed();
        bool ok = false;
        const qint64 seconds = param.startsWith("timeout=") ? param.mid(8).toLongLong(&ok) : 0;
        if (ok) // an hour at most, and a second less for the close to be under way
            m_keepAliveMs = int(std::clamp<qint64>(seconds, 1, 3601) - 1) * 1000;
    }
    p.headers = true;
    m_phase = Phase::Body;
    m_remaining = -1;
    if (m_headRequest || m_status == 204 || m_status == 304) {
        p.complete = true;
        return;
    }
    const QByteArray te = joinedHeaderValue(m_headers, "Transfer-Encoding");
    if (!te.isEmpty()) {
        if (te.split(',').last().trimmed().compare("chunked", Qt::CaseInsensitive) == 0)
            m_phase = Phase::ChunkSize;
        else
            m_keepAlive = false;
        return;
    }
    const QByteArray length = joinedHeaderValue(m_headers, "Content-Length");
    if (length.isEmpty()) {
        m_keepAlive = false; // the body ends with the connection
        return;
    }
    const QList<QByteArray> values = length.split(','); // repeated headers must agree
    bool ok = true;
    for (const QByteArray &v : values) {
        const QByteArray t = v.trimmed();
        ok = ok && !t.isEmpty() && t.size() <= 15 &&
             std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
             t == values.first().trimmed();
    }
    if (!ok) {
        p.malformed = QStringLiteral("Content-Length \"%1\"").arg(printable(length));
        return;
    }
    m_remaining = values.first().trimmed().toLongLong();
    p.complete = m_remaining == 0;
}

} // namespace mcp
