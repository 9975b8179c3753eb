#pragma once

#include <QByteArray>

namespace mcp {

// Re-indents JSON text token by token without parsing it, so it works on the first KiB of a 50 MB frame and
// on malformed text alike (it only tracks strings and nesting). Reads at most maxInput bytes (all when
// negative); *cut, when given, says whether it stopped before the end.
QByteArray indentJson(const QByteArray &json, qsizetype maxInput = -1, bool *cut = nullptr);

} // namespace mcp
