// The traffic filter language (core/traffic/trafficfilter), typed by the user or passed to mcpwb: any text
// parses or gives an error, and a filter is matched against every kind of frame.
#include "traffic/recorder.h"
#include "traffic/trafficfilter.h"

#include <cstdint>

namespace {

mcp::Recorder &recording()
{
    static mcp::Recorder *recorder = [] {
        auto *r = new mcp::Recorder;
        const int c = r->addConnection(QStringLiteral("everything"));
        r->record(c, mcp::Direction::Sent, R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{}})",
                  1000);
        r->record(c, mcp::Direction::Received, R"({"jsonrpc":"2.0","id":5,"result":{"content":[]}})", 501000);
        r->record(c, mcp::Direction::Received, R"({"jsonrpc":"2.0","method":"notifications/progress"})",
                  600000);
        r->record(c, mcp::Direction::Sent, R"({"jsonrpc":"2.0","id":"a","method":"ping"})", 700000);
        r->record(c, mcp::Direction::Received,
                  R"({"jsonrpc":"2.0","id":"a","error":{"code":-1,"message":"x"}})", 900000);
        r->record(c, mcp::Direction::Received, "not json at all", 1000000);
        return r;
    }();
    return *recorder;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const mcp::TrafficFilter filter = mcp::TrafficFilter::parse(
        QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size)), &error);
    const mcp::Recorder &recorder = recording();
    for (qsizetype i = 0; i < recorder.size(); ++i)
        (void)filter.matches(recorder, recorder.at(i));
    return 0;
}
