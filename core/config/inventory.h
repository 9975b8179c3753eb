#pragma once

#include "../review/definitions.h"
#include "hostconfigs.h"

namespace mcp::config {

// One server however many hosts configure it: the same command and arguments, or the same URL.
struct InventoryEntry
{
    QList<ConfiguredServer> configs; // in the order the files were read; never empty

    const ConfiguredServer &first() const { return configs.first(); }
    QString name() const { return first().name; }
    QStringList names() const; // every name it goes by, first seen first
    QStringList hosts() const; // "Cursor", "VS Code", ...
    bool isRemote() const { return first().isRemote(); }
};

// Every MCP server configured on the machine (OWASP MCP09, shadow servers), and every file that could not be
// read or entry that was skipped.
struct Inventory
{
    QStringList files; // the config files found (read or not)
    QList<InventoryEntry> entries;
    QList<ConfigProblem> problems;
};

// Reads every host's files under home and in the chosen project folders, and groups the servers.
Inventory readInventory(const QString &home, const QStringList &projects);
// Groups what files yielded (readInventory's second half; tests give it results directly).
Inventory groupServers(const QList<ConfigFileResult> &results);

// What makes two entries the same server: "stdio\n" + command and arguments, or "url\n" + the URL.
QString sameServerKey(const ConfiguredServer &server);

// The host's own variable syntax in a value rewritten as the workbench's ${env:NAME}: ${VAR} (Claude Code),
// $VAR and ${VAR} (Gemini CLI); VS Code, Cursor and Cline already write ${env:NAME}.
QString workbenchReferences(const QString &value, Host host);

// How to reach the server. References (${env:NAME}, ${file:PATH}) in environment and header values are
// left as they are, resolved only when connecting (expandReferences), so nothing resolved is ever shown or
// saved. Codex's bearer_token_env_var and env_http_headers become headers referring to those variables.
TransportConfig transportConfig(const ConfiguredServer &server);
// One review snapshot per entry, as configured (no definitions: nothing is started), in the entries' order;
// names are made visible and unique ("context7 (Gemini CLI)" beside Codex's "context7").
QList<review::ServerSnapshot> configuredSnapshots(const Inventory &inventory);

// Resolves them in place, for connecting now; false with the first failure in *error.
bool expandReferences(TransportConfig *config, QString *error);

// Prepares a remote server the user has not agreed to for a look: none of the user's secrets go to it (a
// header whose value refers to ${env:…} or ${file:…} is left out, unresolved), and it is reached on the
// internet only (its literal host here, the address its name leads to through HttpOptions::peerCheck), so
// that a project's config cannot aim us at this machine or the local network. Empty when it may be tried
// so, else why not.
QString withoutAgreement(TransportConfig *config);

// A setting's value as shown: a secret one (by its name or a JWT value) masked, unless all of it is
// references (in the host's syntax), which are shown as written.
QString shownSetting(const QString &name, const QString &value, Host host);
// The command line (secret arguments masked) or URL (secret query items masked) as shown.
QString shownTarget(const ConfiguredServer &server);
// Arguments as shown, with those that carry a secret masked (see review::maskSecretArguments).
QStringList shownArguments(const QStringList &args);

} // namespace mcp::config
