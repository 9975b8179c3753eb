#pragma once

#include "../jsonrpc/json.h"

#include <QList>
#include <QString>

namespace mcp::surface {

// One difference between two snapshots of a server's surface, and whether a client written against the
// earlier one can break on the later one.
struct SurfaceChange
{
    enum class Kind {
        Removed,           // a tool, prompt, resource or resource template is no longer listed
        Added,             // one is listed that was not
        RequiredAdded,     // a parameter (prompt argument, output field) became required
        RequiredRemoved,   // one is no longer required (an output field: clients may find it missing)
        PropertyRemoved,   // a schema property or prompt argument is gone
        PropertyAdded,     // an optional one appeared
        TypeNarrowed,      // fewer types accepted: ["string","null"] -> "string", number -> integer
        TypeWidened,       // more types
        TypeChanged,       // some lost, some gained: string -> number
        EnumNarrowed,      // enum values lost (or an enum appeared)
        EnumWidened,       // enum values gained (or the enum went away)
        AnnotationChanged, // a tool's behaviour hints (readOnlyHint, destructiveHint, ...)
        CapabilityRemoved, // a server capability (or one of its flags) dropped
        CapabilityAdded,
        CapabilityChanged,
        ProtocolVersionChanged,
        TextChanged, // description, title, instructions: what a model reads changed
        Changed,     // anything else (a schema constraint, serverInfo.version, _meta, icons)
    };
    Kind kind = Kind::Changed;
    bool breaking = false;
    QString itemKind; // "tool", "prompt", "resource", "resourceTemplate", "server", "capabilities"
    QString item;     // the tool's (prompt's) name, the resource's URI; empty for server and capabilities
    QString path;     // JSON pointer into the item ("/inputSchema/properties/path/type"), the server's
                      // snapshot for server and capabilities ("/serverInfo/version", "/resources/subscribe")
    QString summary;  // what it means, in words, server text made visible: "new required parameter \"b\""
    Json before;      // null when added
    Json after;       // null when removed

    static QString kindName(Kind kind); // "required-added", "type-narrowed", ...
    // One line, server text made visible (review::visibleText): "BREAKING tool echo: ... (/inputSchema)".
    QString describe() const;
    Json toJson() const;
};

struct SurfaceDiff
{
    QList<SurfaceChange> changes; // breaking first, then in the snapshot's order
    int breakingCount() const;
    bool isEmpty() const { return changes.isEmpty(); }
    QString summaryLine() const; // "2 breaking changes, 5 compatible changes", "no changes"
    QString toText() const;      // the summary line, then one line a change
    Json toJson() const;         // {"breaking": n, "compatible": n, "changes": [...]}
};

// What changed from `before` to `after` (canonical snapshots, surfacesnapshot.h). Items are paired by their
// identity (kSurfaceLists); a list's duplicates beyond the first are paired in order. For inputs (a tool's
// inputSchema, a prompt's arguments) what accepts less breaks callers; for outputs (outputSchema) what may
// return more, or no longer guarantees a field, breaks readers. Removing a resource is compatible (resources
// are data that comes and goes); removing a tool, prompt or template is breaking.
SurfaceDiff diffSurfaces(const Json &before, const Json &after);

} // namespace mcp::surface
