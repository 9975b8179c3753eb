#pragma once

#include "../error.h"

#include <functional>

namespace mcp {

// Answers what a server asks of the client: sampling/createMessage, elicitation/create, roots/list.
// The GUI answers with dialogs, the CLI with rules; answers may come later (asynchronously).
class ServerRequestHandler
{
public:
    virtual ~ServerRequestHandler() = default;

    // The client capabilities these answers make possible (sampling, elicitation, roots).
    virtual Json capabilities() const = 0;

    // Exactly one of result or error is used: respond(result, {}) or respond({}, error).
    using Respond = std::function<void(const Json &result, const Error &error)>;
    virtual void handle(const QString &method, const Json &params, Respond respond) = 0;
};

} // namespace mcp
