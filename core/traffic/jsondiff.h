#pragma once

#include "../jsonrpc/json.h"

#include <QList>
#include <QStringList>

namespace mcp {

// One difference between two JSON values, at a JSON Pointer path (RFC 6901, "" is the whole value).
struct JsonChange
{
    enum class Kind { Added, Removed, Changed };
    Kind kind = Kind::Changed;
    QString path;
    Json before; // null for Added
    Json after;  // null for Removed

    static QString kindName(Kind kind); // "added", "removed", "changed"
};

// The structural differences from `before` to `after`, in a stable order: object members in before's order
// and then after's new ones, array elements by index. A value whose type changes is one Changed entry.
// `ignore` drops paths and everything below them: a JSON Pointer whose segments may be `*` ("/content/*/
// _meta"), or a bare member name matched at any depth ("_meta").
QList<JsonChange> diffJson(const Json &before, const Json &after, const QStringList &ignore = {});

// One line per change: "changed /content/0/text: "a" -> "b"".
QString describeChanges(const QList<JsonChange> &changes);

} // namespace mcp
