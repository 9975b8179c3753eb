#include "discovery.h"

#include "transport/urlpolicy.h"

namespace mcp::auth {

QList<Challenge> parseWwwAuthenticate(const QByteArray &header)
{
    QList<Challenge> out;
    const QString s = QString::fromLatin1(header);
    qsizetype i = 0;
    const auto skipSpace = [&] {
        while (i < s.size() &&
               (s[i] == QLatin1Char(' ') || s[i] == QLatin1Char('\t') || s[i] == QLatin1Char(',')))
            ++i;
    };
    const auto readToken = [&] {
        const qsizetype start = i;
        while (i < s.size() && s[i] != QLatin1Char(' ') && s[i] != QLatin1Char('=') &&
               s[i] != QLatin1Char(','))
            ++i;
        return s.mid(start, i - start);
    };
    while (i < s.size()) {
        skipSpace();
        const QString token = readToken();
        if (token.isEmpty())
            break;
        if (i < s.size() && s[i] == QLatin1Char('=') && !out.isEmpty()) {
            // name=value inside the current challenge
            ++i;
            QString value;
            if (i < s.size() && s[i] == QLatin1Char('"')) {
                ++i;
                while (i < s.size() && s[i] != QLatin1Char('"')) {
                    if (s[i] == QLatin1Char('\\') && i + 1 < s.size())
                        ++i;
                    value += s[i++];
                }
                ++i; // closing quote
            } else {
                const qsizetype start = i;
                while (i < s.size() && s[i] != QLatin1Char(',') && s[i] != QLatin1Char(' '))
                    ++i;
                value = s.mid(start, i - start);
            }
            out.last().params.insert(token.toLower(), value);
        } else {
            out.append({token, {}});
        }
    }
    return out;
}

Challenge bearerChallenge(const QByteArray &header)
{
    return challengeOf(header, {QStringLiteral("Bearer")});
}

Challenge challengeOf(const QByteArray &header, const QStringList &schemes)
{
    const QList<Challenge> challenges = parseWwwAuthenticate(header);
    for (const QString &scheme : schemes)
        for (const Challenge &c : challenges)
            if (c.scheme.compare(scheme, Qt::CaseInsensitive) == 0)
                return c;
    return {};
}

static QString trimmedPath(const QUrl &url)
{
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

static QUrl withPath(const QUrl &base, const QString &path)
{
    QUrl u = originOf(base);
    u.setPath(path);
    return u;
}

QList<QUrl> protectedResourceMetadataUrls(const QUrl &resource, const QUrl &fromHeader)
{
    QList<QUrl> urls;
    if (fromHeader.isValid() && !fromHeader.isEmpty())
        urls << fromHeader;
    const QString path = trimmedPath(resource);
    if (!path.isEmpty())
        urls << withPath(resource, QStringLiteral("/.well-known/oauth-protected-resource") + path);
    urls << withPath(resource, QStringLiteral("/.well-known/oauth-protected-resource"));
    QList<QUrl> unique;
    for (const QUrl &u : urls)
        if (!unique.contains(u))
            unique << u;
    return unique;
}

QList<QUrl> authorizationServerMetadataUrls(const QUrl &issuer)
{
    const QString path = trimmedPath(issuer);
    if (path.isEmpty())
        return {withPath(issuer, QStringLiteral("/.well-known/oauth-authorization-server")),
                withPath(issuer, QStringLiteral("/.well-known/openid-configuration"))};
    return {withPath(issuer, QStringLiteral("/.well-known/oauth-authorization-server") + path),
            withPath(issuer, QStringLiteral("/.well-known/openid-configuration") + path),
            withPath(issuer, path + QStringLiteral("/.well-known/openid-configuration"))};
}

QUrl originOf(const QUrl &url)
{
    QUrl u;
    u.setScheme(url.scheme());
    u.setHost(url.host());
    u.setPort(url.port());
    return u;
}

bool resourceCovers(const QString &resource, const QUrl &endpoint, QString *why)
{
    const QUrl r(resource);
    if (!r.isValid() || r.scheme().isEmpty() || r.host().isEmpty()) {
        *why = QStringLiteral("\"%1\" is not an absolute URL").arg(resource);
        return false;
    }
    if (!sameOrigin(r, endpoint)) {
        *why = QStringLiteral("the resource \"%1\" is on another origin than the server %2")
                   .arg(resource, originOf(endpoint).toString());
        return false;
    }
    const QString rp = trimmedPath(r);
    const QString ep = trimmedPath(endpoint);
    if (!(ep == rp || ep.startsWith(rp + QLatin1Char('/')))) {
        *why = QStringLiteral("the resource path \"%1\" does not cover the server path \"%2\"").arg(rp, ep);
        return false;
    }
    return true;
}

QString canonicalResource(const QUrl &endpoint)
{
    QUrl u = endpoint.adjusted(QUrl::RemoveFragment | QUrl::RemoveQuery);
    return u.toString();
}

} // namespace mcp::auth
