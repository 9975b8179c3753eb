// JSON-RPC frames from a peer (core/jsonrpc): parse() never throws, crashes or recurses without bound, and
// every message it accepts serializes to a frame that parses again to the same kind of message.
#include "jsonrpc/message.h"

#include <cstdint>
#include <cstdlib>

using namespace mcp::jsonrpc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView frame(reinterpret_cast<const char *>(data), qsizetype(size));
    Limits limits;
    limits.allowBatch = (size % 2) == 0; // batches exist in one protocol version only
    const ParseResult result = parse(frame, limits);
    if (result.error)
        (void)result.error->toString();
    for (const Message &m : result.messages) {
        (void)idText(m.id);
        (void)m.errorCode();
        (void)m.errorMessage();
        const ParseResult again = parse(m.serialize());
        if (!again.ok() || again.messages.size() != 1 || again.messages.front().kind != m.kind)
            std::abort(); // what we accepted, we must be able to write back
    }
    return 0;
}
