#include "secrets.h"

namespace mcp::auth {

QString maskSecret(const QByteArray &secret)
{
    if (secret.size() <= 8)
        return QStringLiteral("…(%1 chars)").arg(secret.size());
    return QString::fromUtf8(secret.left(4)) + QStringLiteral("…(%1 chars)").arg(secret.size());
}

} // namespace mcp::auth
