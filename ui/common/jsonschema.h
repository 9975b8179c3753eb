#pragma once

#include "jsonrpc/json.h"

#include <QStringList>

namespace mcpui {

// The small part of JSON Schema the workbench checks itself: type, required, enum, nested properties and
// array items. Enough to catch a form's mistakes before sending and a result that breaks its outputSchema.

// The schema's main type ("string", "object", ...); the first non-null one of a type list; "" when unknown.
QString schemaType(const mcp::Json &schema);

// The allowed values of an enum-like schema (enum, or oneOf/anyOf of consts) with their display titles.
struct EnumOption
{
    mcp::Json value;
    QString title;
};
QList<EnumOption> enumOptions(const mcp::Json &schema);

// Readable problems ("a.b: required"), empty when value fits the schema.
QStringList validate(const mcp::Json &value, const mcp::Json &schema, const QString &path = {});

} // namespace mcpui
