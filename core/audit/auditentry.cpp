#include "auditentry.h"

#include <QCryptographicHash>

namespace mcp::audit {

QByteArray hashOf(QByteArrayView canonical)
{
    return QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex();
}

static bool isLowerHex(QByteArrayView text)
{
    for (const char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

QByteArray canonicalOf(QByteArrayView line)
{
    if (line.size() <= kHashSuffixLength || !line.endsWith("\"}"))
        return {};
    const QByteArrayView suffix = line.last(kHashSuffixLength);
    if (!suffix.startsWith(kHashMember) ||
        !isLowerHex(suffix.sliced(sizeof(kHashMember) - 1, kHashHexLength)))
        return {};
    return line.first(line.size() - kHashSuffixLength).toByteArray() + '}';
}

QByteArray sealed(const QByteArray &canonical)
{
    QByteArray line = canonical.first(canonical.size() - 1);
    line += kHashMember;
    line += hashOf(canonical);
    line += "\"}";
    return line;
}

} // namespace mcp::audit
