// Server-Sent Events from a server (core/transport/sseparser): any bytes, in chunks of any size, give the
// same events, last event id and retry as the whole stream at once, within the event size limit.
#include "transport/sseparser.h"

#include <cstdint>
#include <cstdlib>

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
    if (size == 0)
        return 0;
    // The first byte chooses the chunk size of the second reading.
    const qsizetype chunk = data[0] % 16 + 1;
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const Outcome whole = run(stream, qMax<qsizetype>(stream.size(), 1));
    const Outcome pieces = run(stream, chunk);
    if (!(whole.events == pieces.events) || whole.lastEventId != pieces.lastEventId ||
        whole.retryMs != pieces.retryMs || whole.error != pieces.error || whole.end != pieces.end)
        std::abort(); // the chunking of a stream must not change what it says
    return 0;
}
