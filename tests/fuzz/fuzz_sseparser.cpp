// Server-Sent Events from a server (core/transport/sseparser): any bytes, in chunks of any size, give the
// same events, last event id and retry as the whole stream at once, within the event size limit.
#include "inpieces.h"
#include "transport/sseparser.h"

using mcp::SseEvent;
using mcp::SseParser;

namespace {

constexpr qsizetype MaxEventBytes = 4096; // small, so the limit is reached too

struct Outcome
{
    QList<SseEvent> events;
    QByteArray lastEventId;
    int retryMs = -1;
    bool error = false;
    QString end;
    bool operator==(const Outcome &) const = default;
};

Outcome run(QByteArrayView stream, qsizetype chunk)
{
    SseParser parser(MaxEventBytes);
    Outcome o;
    for (qsizetype at = 0; at < stream.size(); at += chunk)
        o.events += parser.feed(stream.sliced(at, qMin(chunk, stream.size() - at)));
    o.end = parser.finish();
    o.lastEventId = parser.lastEventId();
    o.retryMs = parser.retryMs();
    o.error = parser.hasError();
    (void)parser.errorString();
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    requireSameInPieces(data, size, 16,
                        [](QByteArrayView stream, qsizetype piece, bool) { return run(stream, piece); });
    return 0;
}
