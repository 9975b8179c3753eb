#include "httpheaders.h"

namespace mcp {

static const QByteArray *findHeader(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers)
        if (name.compare(key, Qt::CaseInsensitive) == 0)
            return &value;
    return nullptr;
}

QByteArray headerValue(const HeaderList &headers, QByteArrayView name)
{
    const QByteArray *value = findHeader(headers, name);
    return value ? *value : QByteArray();
}

bool hasHeader(const HeaderList &headers, QByteArrayView name)
{
    return findHeader(headers, name) != nullptr;
}

} // namespace mcp
