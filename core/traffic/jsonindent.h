#pragma once

#include <QByteArray>
#include <initializer_list>

namespace mcp {

// Re-indents JSON text token by token without parsing it, so it works on the first KiB of a 50 MB frame and
// on malformed text alike (it only tracks strings and nesting). Reads at most maxInput bytes (all when
// negative); *cut, when given, says whether it stopped before the end.
QByteArray indentJson(const QByteArray &json, qsizetype maxInput = -1, bool *cut = nullptr);

// Where the value at `path` (object keys from the top, e.g. {"result", "structuredContent"}) sits in JSON
// text, found by the same token scan without parsing: a view can show or search one member of a 100 MB
// frame in place. The keys are compared as written (no escapes decoded). {-1, 0} when it is not there.
struct ByteRange
{
    qsizetype begin = -1;
    qsizetype size = 0;
};
ByteRange findJsonMember(QByteArrayView json, std::initializer_list<QByteArrayView> path);

} // namespace mcp
