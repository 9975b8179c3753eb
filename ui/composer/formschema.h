#pragma once

#include "jsonrpc/json.h"

#include <QStringList>

namespace mcpui {

// What SchemaForm reads from a schema to choose its editors: the main type and the allowed values. Checking
// values against a schema is core/schema's SchemaValidator, never done here.

// The schema's main type ("string", "object", ...); the first non-null one of a type list; "" when unknown.
QString schemaType(const mcp::Json &schema);

// The allowed values of an enum-like schema (enum, or oneOf/anyOf of consts) with their display titles.
struct EnumOption
{
    mcp::Json value;
    QString title;
};
QList<EnumOption> enumOptions(const mcp::Json &schema);

} // namespace mcpui
