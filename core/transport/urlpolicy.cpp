#include "urlpolicy.h"

#include <QHostAddress>

namespace mcp {

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString refusalToOpen(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return QStringLiteral("the %1: scheme is not opened (only https, or http to this machine)")
            .arg(scheme.isEmpty() ? QStringLiteral("(none)") : scheme);
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("\"%1\" is not a web address with a host").arg(url.toDisplayString());
    if (scheme == QLatin1String("http") && !isLoopbackHost(url.host()))
        return QStringLiteral("plain http to %1 (not this machine): only https addresses are opened")
            .arg(url.host());
    return {};
}

} // namespace mcp
