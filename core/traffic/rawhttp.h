#pragma once

#include "../transport/transport.h"

#include <QByteArray>

namespace mcp {

// One HTTP exchange as text, as it went over the wire: request line (origin form), Host and the other
// headers and body, then the status line, response headers and body (an SSE stream's raw events, ids
// included). Secrets are masked with the exporters' redaction unless redactSecrets is false.
QByteArray formatHttpExchange(const HttpExchange &exchange, bool redactSecrets = true);

} // namespace mcp
