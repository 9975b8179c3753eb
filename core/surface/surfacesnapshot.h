#pragma once

#include "../error.h"
#include "../jsonrpc/json.h"

#include <QByteArrayView>
#include <QObject>
#include <QString>
#include <functional>

namespace mcp {
class ClientSession;
}

namespace mcp::surface {

// A server's surface at one moment, as a versioned, self-describing JSON document:
//   {"capabilities": {...}, "format": "mcpwb-surface-snapshot", "instructions": "...", "prompts": [...],
//    "protocolVersion": "...", "resourceTemplates": [...], "resources": [...], "serverInfo": {...},
//    "tools": [...], "version": 1}
// Canonical: every object's keys sorted, each list sorted by what identifies its items (kItemLists), so the
// same surface is the same bytes and a saved snapshot diffs well in git. Nothing about the connection (URL,
// command, headers) is kept: a snapshot is shared, and it compares the same server reached another way.
inline constexpr const char *kSnapshotFormat = "mcpwb-surface-snapshot";
inline constexpr int kSnapshotVersion = 1;
inline constexpr qint64 kMaxSnapshotBytes = 32 * 1024 * 1024;

// A list a snapshot holds, and the member that identifies its items (a diff pairs items by it).
struct SurfaceList
{
    const char *key;
    const char *kind;
    const char *idKey;
};
inline constexpr SurfaceList kSurfaceLists[] = {{"tools", "tool", "name"},
                                                {"prompts", "prompt", "name"},
                                                {"resources", "resource", "uri"},
                                                {"resourceTemplates", "resourceTemplate", "uriTemplate"}};

// The canonical snapshot of what a session's server listed (review::collectDefinitions' document) with its
// negotiated protocol version and capabilities.
Json makeSnapshot(const QString &protocolVersion, const Json &capabilities, const Json &definitions);

// Lists everything the ready session's server offers and gives its snapshot, or the first error.
void takeSnapshot(ClientSession *session, std::function<void(const Json &snapshot, const Error &error)> done,
                  QObject *context = nullptr);

// The file's text: the canonical document, indented by two spaces.
QByteArray snapshotBytes(const Json &snapshot);
bool saveSnapshot(const QString &path, const Json &snapshot, QString *error);

// Reading is hostile input (a file someone sent, a repository's): size and nesting bounded (as
// jsonrpc::parseJson bounds them), every member's
// type checked, each list's items objects with a string identity. The result is canonical. On failure:
// discarded, and *error says why ("tools[3]: no string \"name\""); loadSnapshot's names the file too.
Json parseSnapshot(QByteArrayView bytes, QString *error);
Json snapshotFromJson(const Json &document, QString *error);
Json loadSnapshot(const QString &path, QString *error);

} // namespace mcp::surface
