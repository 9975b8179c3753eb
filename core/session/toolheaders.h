#pragma once

#include "../jsonrpc/json.h"

#include <QByteArray>
#include <QList>
#include <QPair>

// The 2026-07-28 Streamable HTTP `x-mcp-header` extension: tool arguments mirrored as Mcp-Param-* headers.
namespace mcp::toolheaders {

// Why a tool's x-mcp-header annotations are invalid (a client must then drop the tool), or empty when valid.
QString validate(const Json &inputSchema);

// The Mcp-Param-{Name} headers for a call, values encoded for HTTP (Base64 sentinel where needed).
QList<QPair<QByteArray, QByteArray>> paramHeaders(const Json &inputSchema, const Json &arguments);

} // namespace mcp::toolheaders
