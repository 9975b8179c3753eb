#pragma once

#include "../jsonrpc/json.h"

// The skills extension (io.modelcontextprotocol/skills, SEP-2640): a skill's files are fetched only when
// it is loaded, and each must match the digest, size and frontmatter its listing promised.
namespace mcp::skills {

inline constexpr const char *ExtensionId = "io.modelcontextprotocol/skills";

// Why `text` (the file read for `resourceEntry` {uri, digest, size}) must not be trusted, or empty when it
// matches. For a SKILL.md, `frontmatter` is the listing's frontmatter object, compared field by field.
QString verify(const Json &resourceEntry, const Json &frontmatter, const QByteArray &text);

// The YAML frontmatter between the leading "---" lines, as flat key: value strings.
Json parseFrontmatter(const QByteArray &text);

} // namespace mcp::skills
