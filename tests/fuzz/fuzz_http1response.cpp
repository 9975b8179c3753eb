// HTTP/1.1 responses from a server (core/transport/http1response, the parser Http1Connection feeds): any
// bytes, in reads of any size, give the same head, body and end as all of them in one read, or the same
// refusal, within the line and head limits.
#include "transport/http1response.h"

#include <cstdint>
#include <cstdlib>

using mcp::Http1ResponseParser;

namespace {

struct Outcome
{
    bool headers = false;
    int status = 0;
    mcp::HeaderList head;
    QByteArray body;
    bool complete = false;
    bool malformed = false;
    bool endsWithConnection = false;
};

Outcome run(QByteArrayView stream, qsizetype chunk, bool headRequest)
{
    Http1ResponseParser parser;
    parser.start(headRequest);
    Outcome o;
    for (qsizetype at = 0; at < stream.size() && !o.complete && !o.malformed; at += chunk) {
        Http1ResponseParser::Progress p;
        parser.feed(stream.sliced(at, qMin(chunk, stream.size() - at)), p);
        o.headers = o.headers || p.headers;
        o.body += p.body;
        o.complete = p.complete;
        o.malformed = !p.malformed.isEmpty();
    }
    o.status = parser.status();
    o.head = parser.headers();
    o.endsWithConnection = parser.endsWithConnection();
    (void)parser.keepAlive();
    (void)parser.keepAliveMs();
    (void)mcp::joinedHeaderValue(o.head, "Content-Type");
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte chooses the read size of the second reading and whether the request was HEAD.
    const qsizetype chunk = data[0] % 64 + 1;
    const bool headRequest = data[0] >= 0xf0;
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const Outcome whole = run(stream, qMax<qsizetype>(stream.size(), 1), headRequest);
    const Outcome pieces = run(stream, chunk, headRequest);
    if (whole.headers != pieces.headers || whole.status != pieces.status || whole.head != pieces.head ||
        whole.body != pieces.body || whole.complete != pieces.complete ||
        whole.malformed != pieces.malformed || whole.endsWithConnection != pieces.endsWithConnection)
        std::abort(); // how the bytes arrive must not change what the response says
    return 0;
}
