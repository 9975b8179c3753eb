#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace mcp {

// HTTP header fields in order, names as sent, repeated ones kept.
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// The value of the first header with this name (compared case-insensitively), empty when there is none.
QByteArray headerValue(const HeaderList &headers, QByteArrayView name);
// Whether a header with this name is there at all, even with an empty value.
bool hasHeader(const HeaderList &headers, QByteArrayView name);

} // namespace mcp
