#pragma once

#include "recorder.h"
#include "redaction.h"

namespace mcp {

// OpenTelemetry traces as OTLP/JSON (an ExportTraceServiceRequest): one trace per connection, one span per
// request from send to reply, named and attributed after the OpenTelemetry MCP semantic conventions
// (mcp.method.name, mcp.session.id, mcp.protocol.version, jsonrpc.request.id, gen_ai.tool.name, ...).
// Requests we sent are CLIENT spans, requests the server sent us are SERVER spans. JSON-RPC errors and tool
// results with isError set the span status to error. Ids are derived from the recording, so the same
// recording exports the same trace. Redaction replaces the session id with a stable hash.
QByteArray exportOtlp(const Recorder &recorder, const ExportOptions &options = {});

} // namespace mcp
