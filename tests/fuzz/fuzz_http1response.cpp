// HTTP/1.1 responses from a server (core/transport/http1response, the parser Http1Connection feeds): any
// bytes, in reads of any size, give the same head, body and end as all of them in one read, or the same
// refusal, within the line and head limits.
#include "inpieces.h"
#include "transport/http1response.h"

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
    bool operator==(const Outcome &) const = default;
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
    requireSameInPieces(data, size, 64, run); // the flag: the request was HEAD
    return 0;
}
