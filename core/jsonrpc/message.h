#pragma once

#include "json.h"

#include <QByteArrayView>
#include <optional>
#include <vector>

namespace mcp::jsonrpc {

// Codes from JSON-RPC 2.0 and MCP.
namespace ErrorCode {
constexpr int ParseError = -32700;
constexpr int InvalidRequest = -32600;
constexpr int MethodNotFound = -32601;
constexpr int InvalidParams = -32602;
constexpr int InternalError = -32603;
constexpr int UrlElicitationRequired = -32042;
constexpr int UnsupportedProtocolVersion = -32022;
} // namespace ErrorCode

enum class Kind { Request, Notification, Response, Error };

struct Message
{
    Kind kind = Kind::Notification;
    Json id; // number or string; null for notifications
    std::string method;
    Json params; // absent when null
    Json result; // Response only
    Json error;  // Error only: {code, message, data?}

    static Message request(Json id, std::string method, Json params = nullptr);
    static Message notification(std::string method, Json params = nullptr);
    static Message response(Json id, Json result);
    static Message errorResponse(Json id, int code, const std::string &message, Json data = nullptr);

    bool isRequest() const { return kind == Kind::Request; }
    bool isNotification() const { return kind == Kind::Notification; }
    bool isReply() const { return kind == Kind::Response || kind == Kind::Error; }
    int errorCode() const;
    QString errorMessage() const;

    QByteArray serialize() const;
};

struct ParseError
{
    QString message;
    qsizetype offset = -1; // byte offset into the frame, when known

    QString toString() const;
};

struct Limits
{
    qsizetype maxFrameBytes = 64 * 1024 * 1024;
    // Deeper nesting is refused before parsing: copying, printing, redacting and showing JSON recurse
    // once per level, so a megabyte of "[" would overflow the stack. No MCP message comes near 256.
    int maxDepth = 256;
    bool allowBatch = true; // batches exist only in 2025-03-26
};

struct ParseResult
{
    std::vector<Message> messages;
    bool batch = false;
    std::optional<ParseError> error;
    Json errorId; // the id of a message that was well-formed JSON but an invalid message, if any
    // The invalid message is a reply (a result or an error) without "id": it can answer no request. Servers
    // send one for a request they could not read (JSON-RPC wants "id": null), or as the body of the 202 a
    // notification should get.
    bool replyWithoutId = false;

    bool ok() const { return !error.has_value(); }
};

// Parses one frame (a single message or a batch). Never throws.
ParseResult parse(QByteArrayView frame, const Limits &limits = {});

// Parses any JSON text from a peer or a file within limits' size and depth. Never throws: on failure the
// result is discarded and *error (if given) says why.
Json parseJson(QByteArrayView text, ParseError *error = nullptr, const Limits &limits = {});

// Validates an already-parsed JSON value as one JSON-RPC message.
std::optional<Message> fromJson(const Json &value, ParseError *error);

// A short text form of an id for display and map keys: 7, "abc".
QString idText(const Json &id);
// idText cut for a message: a server may send an id of megabytes.
QString shortIdText(const Json &id);

} // namespace mcp::jsonrpc
