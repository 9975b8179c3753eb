#pragma once

#include "../jsonrpc/json.h"
#include "../traffic/jsondiff.h"
#include "findings.h"

#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace mcp::review {

// A definition that differs from the one the reviewer approved (a rug pull), or that was not there then.
struct DefinitionChange
{
    enum class Kind { Added, Changed, Removed };
    Kind kind = Kind::Changed;
    QString itemKind; // "tool", "prompt", "resource", "resourceTemplate"
    QString name;
    Json before; // null for Added
    Json after;  // null for Removed
    QList<JsonChange> diff;
    QString describe() const; // "tool echo changed: description: "..." → "...""
};

// What a reviewer approved, per server: the SHA-256 of each definition (tools, prompts, resources, templates,
// keyed by kind and name, canonical JSON) with the definition itself, to show what changed.
class PinStore
{
public:
    // Pins every definition the server lists now, replacing what was pinned for it.
    void approve(const QString &server, const Json &definitions);
    bool hasServer(const QString &server) const { return m_pins.contains(server); }
    // What differs from the approved definitions; everything is Added for a server never approved.
    QList<DefinitionChange> changes(const QString &server, const Json &definitions) const;
    // A call of this tool waits for the reviewer when its definition is not the approved one: the change, or
    // nothing when the call may go.
    std::optional<DefinitionChange> holdCall(const QString &server, const Json &definitions,
                                             const QString &tool) const;

    Json toJson() const;
    static bool fromJson(const Json &json, PinStore *out, QString *error);
    bool save(const QString &path, QString *error) const;
    static bool load(const QString &path, PinStore *out, QString *error);

    static QString definitionHash(const Json &definition); // hex SHA-256 of the canonical JSON

private:
    struct Pin
    {
        QString hash;
        Json definition;
    };
    QHash<QString, QHash<QString, Pin>> m_pins; // server → "kind/name" → pin
};

// Findings (MCP03, high) for definitions that changed or appeared since approval, with the diff as evidence.
QList<Finding> pinFindings(const QString &server, const QList<DefinitionChange> &changes);

} // namespace mcp::review
