#pragma once

#include <QString>
#include <QUrl>

namespace mcp {

// 127.0.0.0/8, ::1 or "localhost": an address that never leaves this machine.
bool isLoopbackHost(const QString &host);

// Why a URL that a server chose (an authorization endpoint, an elicitation link) must not be handed to the
// browser, or an empty string when it may: only https, or http to loopback. Everything else (file:,
// javascript:, data:, custom schemes that start programs, plain http across the network) is refused.
QString refusalToOpen(const QUrl &url);

} // namespace mcp
