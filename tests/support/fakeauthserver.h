#pragma once

// A fake MCP deployment for the auth tests: an in-process authorization + resource server on 127.0.0.1
// (plain or TLS) whose knobs change one thing each, and a helper that runs a flow against it to its end.
#include "auth/authflow.h"
#include "auth/jwt.h"
#include "auth/pkce.h"
#include "minihttpserver.h"
#include "server/httprequesthead.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslConfiguration>
#include <QTest>
#include <QUrlQuery>
#include <functional>

namespace fakeauth {

using namespace mcp::auth;

struct Request : mcp::HttpRequestHead
{
    QUrl url;
    QByteArray body;
    QUrlQuery form() const { return QUrlQuery(QString::fromUtf8(body)); }
};

struct Response
{
    int status = 404;
    QJsonObject json;
    QList<QPair<QByteArray, QByteArray>> headers;
};

// The handler's answer as JSON, one request per connection (Connection: close), over MiniHttpServer;
// HTTPS when tls has a certificate.
class FakeServer
{
public:
    std::function<Response(const Request &)> handler;
    QList<Request> requests;

    explicit FakeServer(const QSslConfiguration &tls = QSslConfiguration()) : m_server(tls)
    {
        QVERIFY(m_server.listen());
        m_server.setHandler([this](const MiniRequest &received, QTcpSocket *s) {
            const Request r{received, QUrl(base() + QString::fromLatin1(received.target)), received.body};
            requests << r;
            const Response resp = handler ? handler(r) : Response{};
            auto headers = resp.headers;
            headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
            MiniHttpServer::respond(
                s, resp.status, "X",
                resp.json.isEmpty() ? QByteArray() : QJsonDocument(resp.json).toJson(QJsonDocument::Compact),
                headers);
        });
    }
    QString base() const { return m_server.url(QString()).toString(); }
    QStringList paths() const
    {
        QStringList out;
        for (const Request &r : requests)
            out << r.url.path();
        return out;
    }

private:
    MiniHttpServer m_server;
};

inline Response json(const QJsonObject &o, int status = 200)
{
    return {status, o, {}};
}

// What a DPoP-checking server finds wrong with a proof (RFC 9449 §4.3), empty when nothing; *nonce gets its
// nonce claim.
inline QString proofProblem(const QByteArray &proof, const QByteArray &method, const QString &htu,
                            QString *nonce)
{
    Jwt jwt;
    QString error;
    if (!Jwt::parse(proof, &jwt, &error))
        return QStringLiteral("no well-formed proof: ") + error;
    const QJsonObject jwk = jwt.header.value("jwk").toObject();
    if (jwt.header.value("typ").toString() != QLatin1String("dpop+jwt"))
        return QStringLiteral("typ is not dpop+jwt");
    if (jwk.isEmpty() || jwk.contains("d"))
        return QStringLiteral("jwk missing or private");
    if (!verifyJwtSignature(jwt, jwk, &error))
        return error;
    if (jwt.claims.value("htm").toString() != QLatin1String(method) ||
        jwt.claims.value("htu").toString() != htu)
        return QStringLiteral("htm/htu do not match");
    if (jwt.claims.value("jti").toString().isEmpty() ||
        qAbs(jwt.claims.value("iat").toInteger() - QDateTime::currentSecsSinceEpoch()) > 300)
        return QStringLiteral("jti or iat missing");
    *nonce = jwt.claims.value("nonce").toString();
    return {};
}

// A fake MCP deployment: resource at /mcp, PRM, AS with issuer <base> (or <base>/tenant1), DCR, an
// /authorize that approves at once, and /token. Knobs change one thing each.
struct Deployment
{
    FakeServer server;
    QString issuerPath; // "" or "/tenant1"
    QString prmPath = QStringLiteral("/.well-known/oauth-protected-resource/mcp");
    QString asPath;      // where AS metadata lives; default: oauth-authorization-server + issuerPath
    QString prmResource; // default <base>/mcp
    bool advertisePkce = true;
    bool advertiseIss = false;
    bool omitIss = false;          // advertise iss but leave it out of the redirect
    QString stateOverride;         // the AS sends this state back instead of the one it got
    QString issOverride;           // the AS sends this iss
    QString redirectError;         // the redirect carries this error= (with stateOverride: a forged one)
    QString authorizationEndpoint; // the metadata names this one instead of ours
    QString tokenEndpoint;         // likewise
    bool dpop = false;             // the AS offers DPoP and binds tokens to the proof's key
    bool dpopNonce = false;        // ... after demanding its nonce "as-nonce"
    QString lastResourceAtToken;

    explicit Deployment(const QSslConfiguration &tls = QSslConfiguration()) : server(tls)
    {
        server.handler = [this](const Request &r) { return handle(r); };
    }
    QString issuer() const { return server.base() + issuerPath; }
    QUrl endpoint() const { return QUrl(server.base() + QStringLiteral("/mcp")); }

    Response handle(const Request &r)
    {
        const QString path = r.url.path();
        if (path == prmPath)
            return json(
                {{"resource", prmResource.isEmpty() ? server.base() + QStringLiteral("/mcp") : prmResource},
                 {"authorization_servers", QJsonArray{issuer()}}});
        const QString metadataPath =
            asPath.isEmpty() ? QStringLiteral("/.well-known/oauth-authorization-server") + issuerPath
                             : asPath;
        if (path == metadataPath) {
            QJsonObject m{{"issuer", issuer()},
                          {"authorization_endpoint", authorizationEndpoint.isEmpty()
                                                         ? issuer() + QStringLiteral("/authorize")
                                                         : authorizationEndpoint},
                          {"token_endpoint",
                           tokenEndpoint.isEmpty() ? issuer() + QStringLiteral("/token") : tokenEndpoint},
                          {"registration_endpoint", issuer() + QStringLiteral("/register")},
                          {"token_endpoint_auth_methods_supported", QJsonArray{"none"}}};
            if (advertisePkce)
                m.insert("code_challenge_methods_supported", QJsonArray{"S256"});
            if (advertiseIss)
                m.insert("authorization_response_iss_parameter_supported", true);
            if (dpop)
                m.insert("dpop_signing_alg_values_supported", QJsonArray{"ES256"});
            return json(m);
        }
        if (path == issuerPath + QStringLiteral("/register"))
            return json({{"client_id", "client-1"}}, 201);
        if (path == issuerPath + QStringLiteral("/authorize")) {
            const QUrlQuery q(r.url);
            QUrl back(q.queryItemValue("redirect_uri", QUrl::FullyDecoded));
            QUrlQuery bq;
            bq.addQueryItem("code", "code-1");
            if (!redirectError.isEmpty())
                bq.addQueryItem("error", redirectError);
            bq.addQueryItem("state", stateOverride.isEmpty() ? q.queryItemValue("state", QUrl::FullyDecoded)
                                                             : stateOverride);
            if (!issOverride.isEmpty())
                bq.addQueryItem("iss", issOverride);
            else if (advertiseIss && !omitIss)
                bq.addQueryItem("iss", issuer());
            back.setQuery(bq);
            return {302, {}, {{"Location", back.toEncoded()}}};
        }
        if (path == issuerPath + QStringLiteral("/token")) {
            const QUrlQuery f = r.form();
            lastResourceAtToken = f.queryItemValue("resource", QUrl::FullyDecoded);
            if (lastResourceAtToken != server.base() + QStringLiteral("/mcp"))
                return json({{"error", "invalid_target"}, {"error_description", "unknown resource"}}, 400);
            if (dpop) {
                QString nonce;
                const QString problem = proofProblem(r.header("dpop"), "POST", r.url.toString(), &nonce);
                if (!problem.isEmpty())
                    return json({{"error", "invalid_dpop_proof"}, {"error_description", problem}}, 400);
                if (dpopNonce && nonce != QLatin1String("as-nonce"))
                    return {400, {{"error", "use_dpop_nonce"}}, {{"DPoP-Nonce", "as-nonce"}}};
                return json({{"access_token", "dpop-access-1"}, {"token_type", "DPoP"}, {"expires_in", 60}});
            }
            if (f.queryItemValue("grant_type") == QLatin1String("refresh_token"))
                return json({{"access_token", "access-2"}, {"token_type", "Bearer"}, {"expires_in", 60}});
            if (Pkce::challengeFor(f.queryItemValue("code_verifier").toUtf8()).isEmpty())
                return json({{"error", "invalid_grant"}}, 400);
            return json({{"access_token", "access-1"},
                         {"token_type", "Bearer"},
                         {"refresh_token", "refresh-1"},
                         {"expires_in", 60}});
        }
        return {};
    }
};

inline mcp::HttpExchange refusal(const QUrl &endpoint, const QByteArray &wwwAuthenticate)
{
    mcp::HttpExchange ex;
    ex.method = "POST";
    ex.url = endpoint;
    ex.status = 401;
    if (!wwwAuthenticate.isEmpty())
        ex.responseHeaders.append({"WWW-Authenticate", wwwAuthenticate});
    return ex;
}

struct Outcome
{
    bool finished = false;
    mcp::Error error;
    TokenSet tokens;
};

inline Outcome run(AuthFlow &flow, const mcp::HttpExchange &start)
{
    Outcome o;
    bool done = false;
    QObject::connect(&flow, &AuthFlow::finished, [&](const TokenSet &t) {
        o.finished = true;
        o.tokens = t;
        done = true;
    });
    QObject::connect(&flow, &AuthFlow::failed, [&](const mcp::Error &e) {
        o.error = e;
        done = true;
    });
    flow.start(start);
    if (!QTest::qWaitFor([&done] { return done; }, 10000))
        o.error = mcp::makeError(mcp::Error::Category::Timeout, QStringLiteral("test"),
                                 QStringLiteral("the flow never ended"));
    return o;
}

inline mcp::auth::AuthSettings followRedirect()
{
    AuthSettings s;
    s.userAgent = AuthSettings::UserAgent::FollowRedirect;
    return s;
}

} // namespace fakeauth
