#include "urlpolicy.h"

#include <QHostAddress>
#include <algorithm>

namespace mcp {

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    const auto defaultPort = [](const QUrl &u) {
        return u.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? 443 : 80;
    };
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
           a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port(defaultPort(a)) == b.port(defaultPort(b));
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

namespace {

// 10/8, 172.16/12, 192.168/16, 100.64/10 (shared), 169.254/16 (link-local, cloud metadata), fc00::/7,
// fe80::/10.
bool isPrivateOrLinkLocal(const QString &host)
{
    QHostAddress address(host);
    if (address.isNull())
        return false;
    bool mapped = false;
    if (const quint32 v4 = address.toIPv4Address(&mapped); mapped) // also ::ffff:a.b.c.d
        address = QHostAddress(v4);
    static const QList<QPair<QHostAddress, int>> ranges = {
        QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8")),
        QHostAddress::parseSubnet(QStringLiteral("172.16.0.0/12")),
        QHostAddress::parseSubnet(QStringLiteral("192.168.0.0/16")),
        QHostAddress::parseSubnet(QStringLiteral("100.64.0.0/10")),
        QHostAddress::parseSubnet(QStringLiteral("169.254.0.0/16")),
        QHostAddress::parseSubnet(QStringLiteral("fc00::/7")),
        QHostAddress::parseSubnet(QStringLiteral("fe80::/10")),
    };
    return std::any_of(ranges.begin(), ranges.end(),
                       [&address](const auto &range) { return address.isInSubnet(range); });
}

// Where an address is, from far to near: a server may send us as near as itself, never nearer.
enum class Reach { Internet, LocalNetwork, ThisMachine };

Reach reachOf(QString host)
{
    bool mapped = false;
    if (const quint32 v4 = QHostAddress(host).toIPv4Address(&mapped); mapped) // ::ffff:a.b.c.d
        host = QHostAddress(v4).toString();
    if (isLoopbackHost(host))
        return Reach::ThisMachine;
    return isPrivateOrLinkLocal(host) ? Reach::LocalNetwork : Reach::Internet;
}

QString nearerThanServer(const QString &target, Reach reach, const QUrl &mcpServer, Reach serverReach)
{
    // Without a server to measure against (a token pasted into the inspector), this machine stays reachable.
    if (reach <= serverReach || (mcpServer.host().isEmpty() && reach == Reach::ThisMachine))
        return {};
    return reach == Reach::ThisMachine
               ? QStringLiteral("%1 is this machine, but the MCP server is at %2: a remote server may not "
                                "point us at local services")
                     .arg(target, mcpServer.host())
               : QStringLiteral(
                     "%1 is a private or link-local address, but the MCP server is at %2: a server "
                     "may not point us into the local network")
                     .arg(target, mcpServer.host());
}

} // namespace

QString refusalToReach(const QHostAddress &peer, const QString &hostName, const QUrl &mcpServer,
                       const QList<QHostAddress> &serverAddresses)
{
    Reach serverReach = reachOf(mcpServer.host());
    for (const QHostAddress &a : serverAddresses)
        serverReach = std::max(serverReach, reachOf(a.toString()));
    const QString address = peer.toString();
    return nearerThanServer(QStringLiteral("%1 (the address %2 led to)").arg(address, hostName),
                            reachOf(address), mcpServer, serverReach);
}

QString refusalWithoutAgreement(const QString &address, const QString &hostName)
{
    const Reach reach = reachOf(address);
    if (reach == Reach::Internet)
        return {};
    const QString where =
        address == hostName ? address : QStringLiteral("%1 (the address %2 led to)").arg(address, hostName);
    return reach == Reach::ThisMachine
               ? QStringLiteral(
                     "%1 is this machine: a server named by a config file is reached here only with "
                     "the user's agreement")
                     .arg(where)
               : QStringLiteral("%1 is a private or link-local address: a server named by a config file is "
                                "reached there only with the user's agreement")
                     .arg(where);
}

QString refusalToContact(const QUrl &url, const QUrl &mcpServer)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return QStringLiteral("\"%1\" is not an http(s) address with a host").arg(url.toDisplayString());
    if (scheme == QLatin1String("http") && !isLoopbackHost(url.host()))
        return QStringLiteral("plain http to %1 (not this machine): authorization endpoints are contacted "
                              "over https only")
            .arg(url.host());
    return nearerThanServer(url.host(), reachOf(url.host()), mcpServer, reachOf(mcpServer.host()));
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
