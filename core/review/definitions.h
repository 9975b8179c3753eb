#pragma once

#include "../jsonrpc/json.h"
#include "../transport/transportfactory.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>
#include <optional>

namespace mcp::review {

// What a review knows of one server: its definitions as the server listed them, and how it is reached.
struct ServerSnapshot
{
    QString name; // the connection's name as the user knows it
    // {"serverInfo": {...}, "instructions": "...", "tools": [...], "prompts": [...], "resources": [...],
    //  "resourceTemplates": [...]}: every member optional. JSON pointers in findings point into this.
    Json definitions = Json::object();
    std::optional<TransportConfig> transport; // absent when only definitions are reviewed
    bool authenticated = false; // the connection sent a credential (Authorization header, cookie, OAuth)
    QByteArray
        accessToken; // the token it sent, where one is at hand (checked for scopes, lifetime, audience)
};

// One piece of text in a server's definitions, with where it is.
struct TextSite
{
    QString itemKind; // "tool", "prompt", "resource", "resourceTemplate", "server"
    QString item;     // the tool's (prompt's, resource's) name; empty for the server
    QString field;    // by name: "description", "inputSchema.properties.path.description"
    QString pointer;  // JSON pointer into ServerSnapshot::definitions
    QString text;
    bool isName = false; // a name the model or user picks by (tool name, parameter name, prompt name)
};

// Calls visit for every name, title, description, instruction, enum and default text in the definitions,
// schemas included (bounded: hostile definitions may nest without end).
void forEachText(const Json &definitions, const std::function<void(const TextSite &)> &visit);

// The list kinds a snapshot holds: {"tools", "tool"}, {"prompts", "prompt"}, ...
struct ItemList
{
    const char *key;
    const char *kind;
};
inline constexpr ItemList kItemLists[] = {{"tools", "tool"},
                                          {"prompts", "prompt"},
                                          {"resources", "resource"},
                                          {"resourceTemplates", "resourceTemplate"}};

// A member name as one JSON pointer token (RFC 6901: "~" is "~0", "/" is "~1").
QString escapePointerToken(QString token);

// A name split into lower-case words: "readFile", "read_file", "read-file" and "READ_FILE" give {read, file}.
QStringList nameWords(const QString &name);

} // namespace mcp::review
