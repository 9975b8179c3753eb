#pragma once

#include "findings.h"
#include "pinning.h"

namespace mcp {
class Recorder;
}

namespace mcp::review {

// Bounds on the review of one connection's traffic: a trace file or a server may hold any amount of anything.
struct TrafficLimits
{
    static constexpr qsizetype kTextChars =
        256 * 1024;                               // scanned of each text; the rest is not (a finding says so)
    static constexpr int kTextsPerMessage = 1000; // texts taken from one message (content, strings, messages)
    static constexpr qsizetype kScannedChars =
        64 * 1024 * 1024;                           // per connection; later texts are not scanned
    static constexpr int kStructuredDepth = 32;     // of structuredContent
    static constexpr int kListingItems = 10000;     // definitions kept of one listing (all pages)
    static constexpr int kPendingRequests = 100000; // unanswered requests remembered
    static constexpr int kFindings = 500;           // per connection; then one finding counts the rest
};

// What one connection's recorded traffic shows.
struct TrafficReview
{
    QString server;   // the name the findings carry
    Json definitions; // as ServerSnapshot::definitions: initialize's serverInfo and instructions, and each
                      // kind's last complete listing (all its pages; a partial one where none completed)
    QList<Finding> findings; // in frame order (sortFindings orders them for a report)
};

// Reviews the frames of `connection` in recorder, in order. The GUI's review pane calls this with a
// connection's recorded exchanges (its Recorder and connection index); `mcpwb review` with its own session's,
// and `mcpwb review --trace FILE` with each connection of the file. It reports:
//  - text the server sent that the model or the user reads, with instructions in it (findInstructionText,
//    tag-smuggled words included) or Unicode tag characters (an emoji flag's tag sequence excepted): tool
//    results (content text, embedded resources' text, resource links' descriptions, structuredContent
//    strings, a failed call's error message), resources/read contents, prompts/get messages, and the sampling
//    and elicitation requests the server sent the client. MCP06 (injection through contextual payloads);
//    MCP10 where a server's request asks the client for sensitive data.
//  - a listing (tools, prompts, resources, templates) that differs from the previous complete listing of the
//    same kind in the session: definitions changed (a rug pull, with or without notifications/*/list_changed
//    before it), added or removed. MCP03.
//  - with pins: listed definitions that changed or appeared since approval (pinFindings), each once.
// Locations carry the frame (Recorder index), the message id and a JSON pointer into the message.
// server names the server in findings and pins; empty: initialize's serverInfo name made visible, else the
// recorder's name of the connection.
TrafficReview reviewTraffic(const Recorder &recorder, int connection, const QString &server = {},
                            const PinStore *pins = nullptr);

} // namespace mcp::review
