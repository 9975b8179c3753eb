#pragma once

#include "../transport/transport.h"

namespace mcp::auth {

// Secrets are masked wherever they leave the process (printing, logs, exports) unless the user asks.
QString maskSecret(const QByteArray &secret); // "eyJh…(812 chars)"

// A copy of the exchange with Authorization/DPoP/Cookie headers, tokens, codes, verifiers, assertions and
// client secrets in form or JSON bodies and in Location URLs replaced by their masked form.
HttpExchange maskedExchange(const HttpExchange &exchange);

} // namespace mcp::auth
