#pragma once

#include "../error.h"
#include "../jsonrpc/json.h"
#include "definitions.h"

#include <QObject>
#include <functional>

namespace mcp {
class ClientSession;
}

namespace mcp::review {

// Lists everything a ready session's server defines, as its capabilities say (tools, prompts, resources,
// resource templates, every page), with its serverInfo and instructions, into the definitions document a
// ServerSnapshot holds. done gets it, or the first error.
void collectDefinitions(ClientSession *session,
                        std::function<void(const Json &definitions, const Error &error)> done,
                        QObject *context = nullptr);

// How the server is reached, for the transport checks: the configuration, whether a credential went with it
// (a secret header, or an OAuth access token, which is then checked too).
void describeConnection(ServerSnapshot *snapshot, const TransportConfig &transport,
                        const QByteArray &accessToken = {});

} // namespace mcp::review
