#pragma once

#include "jsonrpc/json.h"

#include <QString>

namespace mcp {

// The one error type: what failed, at which step, and why.
struct Error
{
    enum class Category {
        None,
        Connection, // could not connect, transport failed or closed
        Protocol,   // peer broke JSON-RPC or MCP rules
        Timeout,
        Cancelled,
        Rpc,  // the peer answered with a JSON-RPC error
        Tool, // a tool result with isError: true
        Auth,
        Usage, // the caller asked for something invalid
    };

    Category category = Category::None;
    QString step;    // e.g. "initialize", "tools/call", "stdio: start"
    QString message; // human readable, complete sentence fragment
    int code = 0;    // JSON-RPC error code where there is one
    Json data;

    bool isError() const { return category != Category::None; }
    explicit operator bool() const { return isError(); }

    QString toString() const
    {
        QString s = step.isEmpty() ? message : step + QStringLiteral(": ") + message;
        if (code != 0)
            s += QStringLiteral(" (code %1)").arg(code);
        return s;
    }
    static QString categoryName(Category c);
};

inline Error makeError(Error::Category c, QString step, QString message, int code = 0, Json data = nullptr)
{
    return Error{c, std::move(step), std::move(message), code, std::move(data)};
}

inline QString Error::categoryName(Category c)
{
    switch (c) {
    case Category::None:
        return QStringLiteral("none");
    case Category::Connection:
        return QStringLiteral("connection");
    case Category::Protocol:
        return QStringLiteral("protocol");
    case Category::Timeout:
        return QStringLiteral("timeout");
    case Category::Cancelled:
        return QStringLiteral("cancelled");
    case Category::Rpc:
        return QStringLiteral("rpc");
    case Category::Tool:
        return QStringLiteral("tool");
    case Category::Auth:
        return QStringLiteral("auth");
    case Category::Usage:
        return QStringLiteral("usage");
    }
    return {};
}

} // namespace mcp
