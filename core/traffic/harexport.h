#pragma once

#include "recorder.h"
#include "redaction.h"

namespace mcp {

// HAR 1.2 (as browser dev tools import it) of the recorded HTTP exchanges, in recording order. Timings come
// from the JSON-RPC pair a POST carried; connections without HTTP (stdio) contribute no entries.
QByteArray exportHar(const Recorder &recorder, const ExportOptions &options = {});

} // namespace mcp
