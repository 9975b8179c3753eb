#pragma once

#include "../jsonrpc/json.h"
#include "../transport/transportfactory.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace mcp::config {

// The programs whose MCP server settings are read, each in its own documented format.
// Registry is an MCP registry server.json: not a host, but a description of one server's packages and
// remotes.
enum class Host { ClaudeDesktop, ClaudeCode, Cursor, VsCode, Windsurf, Cline, GeminiCli, Codex, Registry };
QString hostName(Host host); // "Claude Desktop", "VS Code", ..., "server.json"

using NamedValues = QList<QPair<QString, QString>>; // in the file's order

// A value asked of the user when connecting, referred to as ${input:ID}: VS Code's "inputs", and the
// variables and secret settings of a server.json. The answer is never saved.
struct ConfigInput
{
    QString id;
    QString description;
    bool password = false;         // typed unseen
    Json unknown = Json::object(); // every other member, as written ("type", "isRequired", ...)

    bool operator==(const ConfigInput &o) const
    {
        return id == o.id && description == o.description && password == o.password && unknown == o.unknown;
    }
};

// One server as one host's config file declares it, field by field as written: references such as
// ${env:NAME}, ${VAR} or $VAR stay as they are (resolved only when connecting), and what the reader does
// not know is kept in `unknown` so that an import or export can carry it.
struct ConfiguredServer
{
    QString name;
    Host host = Host::ClaudeDesktop;
    QString scope; // "user", "project" (a project folder's file) or "local: /path" (Claude Code per project)
    QString file;
    int line = 0; // 1-based line of the server's key (0 when unknown)

    QString type; // the transport as the file spells it ("stdio", "http", "streamableHttp", "sse"), or empty
    TransportConfig::Kind transport = TransportConfig::Kind::Auto; // what that means here
    QString command;
    QStringList args;
    NamedValues env;
    QString cwd;
    QString envFile;
    QString url;
    NamedValues headers;
    Json unknown = Json::object(); // every other member of the server's entry, as written
    QList<ConfigInput> inputs;     // the inputs its values refer to as ${input:ID}

    bool isRemote() const { return command.isEmpty(); }
    // The IDs its values refer to as ${input:ID}, first seen first.
    QStringList inputIds() const;
};

// A file that could not be read, or an entry in it that was skipped: where and why.
struct ConfigProblem
{
    QString file;
    int line = 0; // 1-based; 0 for the whole file
    QString reason;

    QString toString() const; // "FILE:LINE: reason"
};

// What one file yielded. A broken file yields its problems and whatever could still be read.
struct ConfigFileResult
{
    QList<ConfiguredServer> servers;
    QList<ConfigProblem> problems;
};

} // namespace mcp::config
