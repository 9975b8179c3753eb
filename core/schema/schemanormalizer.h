#pragma once

// Internal to core/schema: turns a server's schema into the draft-07 subset valijson checks.

#include "schemavalidator.h"

#include <nlohmann/json.hpp>
#include <optional>

namespace mcp::schema {

// The private keywords the normalized schema carries for SchemaValidator's own constraints.
inline constexpr const char *PatternKeyword = "mcpwb:pattern"; // `pattern`, checked with QRegularExpression
inline constexpr const char *StepKeyword = "mcpwb:step";       // counts schema visits against Limits

enum class Dialect { Draft07, Draft2020 };

// The dialect a schema's $schema names (absent: 2020-12, MCP's default); nullopt for one not supported.
std::optional<Dialect> dialectOf(const Json &schema);

struct NormalizedSchema
{
    nlohmann::json schema;  // only keywords valijson checks, $defs/definitions kept so $ref pointers resolve
    QStringList notChecked; // keywords dropped, with where and why
    QString refused;        // non-empty: the schema is not used at all (too large, loops, ...)
    bool invalid = false;   // refused because the schema breaks its dialect
};

// Never throws; bounded by limits in depth, nodes and $ref targets.
NormalizedSchema normalize(const Json &schema, Dialect dialect, const Limits &limits);

} // namespace mcp::schema
