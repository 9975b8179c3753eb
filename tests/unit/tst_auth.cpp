// core/auth against a small in-process fake authorization + resource server (QTcpServer on 127.0.0.1):
// each discovery fallback, each refusal the flow must make (wrong state, iss mismatch, no PKCE, resource
// mismatch), tampering at a pause, and the token inspector (expired token, bad signature, JWKS unreachable)
// with keys made by OpenSSL; DPoP (RFC 9449) proofs, thumbprints and nonce retries.
#include "auth/authflow.h"
#include "auth/discovery.h"
#include "auth/dpop.h"
#include "auth/jwt.h"
#include "auth/loopbackredirectlistener.h"
#include "auth/oauthprovider.h"
#include "auth/pkce.h"
#include "auth/tokeninspector.h"
#include "fakeauthserver.h"
#include "mapvault.h"
#include "server/httprequesthead.h"
#include "traffic/redaction.h"
#include "transport/httptransport.h"
#include "transport/urlpolicy.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>
#include <functional>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <optional>

using namespace mcp::auth;
using namespace fakeauth;

namespace {

QByteArray makeKey(const char *type, const char *param)
{
    EVP_PKEY *key = std::string_view(type) == "RSA" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048))
                    : param                         ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, param)
                                                    : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, len);
    BIO_free(bio);
    EVP_PKEY_free(key);
    return pem;
}

QByteArray makeToken(const QByteArray &pem, const QString &alg, const QJsonObject &claims)
{
    QString error;
    const QByteArray t = signJwt({{"alg", alg}, {"kid", "k1"}, {"typ", "at+jwt"}}, claims, pem, &error);
    if (t.isEmpty())
        qWarning() << error;
    return t;
}

QJsonObject jwksOf(const QByteArray &pem, const QString &alg)
{
    QString error;
    return {{"keys", QJsonArray{publicJwkFromPem(pem, QStringLiteral("k1"), alg, &error)}}};
}

} // namespace

class TestAuth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The redirect listener buffers a request line up to its cap: past it, 414 and the connection closed (it
    // used to keep reading a line that never ends); a callback after that is still taken.
    void loopbackListenerCapsTheRequestLine()
    {
        LoopbackRedirectListener listener;
        QString error;
        QVERIFY2(listener.listen(&error), qPrintable(error));
        QSignalSpy callbacks(&listener, &LoopbackRedirectListener::callbackReceived);
        QTcpSocket flood;
        QByteArray answer;
        connect(&flood, &QTcpSocket::readyRead, this, [&] { answer += flood.readAll(); });
        flood.connectToHost(QHostAddress::LocalHost, listener.redirectUri().port());
        QVERIFY(flood.waitForConnected(5000));
        flood.write("GET /callback?code=" + QByteArray(LoopbackRedirectListener::maxRequestLineBytes, 'a'));
        QTRY_VERIFY_WITH_TIMEOUT(flood.state() == QAbstractSocket::UnconnectedState, 5000);
        QVERIFY2(answer.startsWith("HTTP/1.1 414 "), answer.constData());
        QCOMPARE(callbacks.size(), 0);

        QTcpSocket browser;
        browser.connectToHost(QHostAddress::LocalHost, listener.redirectUri().port());
        QVERIFY(browser.waitForConnected(5000));
        browser.write("GET /callback?code=c1&state=s1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(callbacks.size(), 1, 5000);
        QCOMPARE(callbacks.at(0).at(0).value<QUrlQuery>().queryItemValue(QStringLiteral("code")),
                 QStringLiteral("c1"));
    }

    void endpointsToContact_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("refusal"); // empty: contacted
        const QString remote = QStringLiteral("https://mcp.example.com/mcp");
        QTest::newRow("https") << "https://as.example.com/token" << remote << "";
        QTest::newRow("this machine, server remote")
            << "http://127.0.0.1:9000/token" << remote << "is this machine";
        QTest::newRow("localhost, server remote") << "https://localhost/token" << remote << "is this machine";
        QTest::newRow("this machine, server too") << "http://127.0.0.1:9000/token"
                                                  << "http://localhost:3000/mcp"
                                                  << "";
        QTest::newRow("plain http") << "http://as.example.com/token" << remote << "plain http";
        QTest::newRow("ftp") << "ftp://as.example.com/token" << remote << "not an http(s) address";
        QTest::newRow("cloud metadata") << "https://169.254.169.254/latest" << remote << "link-local";
        QTest::newRow("private 10/8") << "https://10.1.2.3/token" << remote << "private";
        QTest::newRow("private 172.16/12") << "https://172.20.0.1/token" << remote << "private";
        QTest::newRow("private 192.168/16") << "https://192.168.1.1/token" << remote << "private";
        QTest::newRow("IPv6 unique local") << "https://[fd00::1]/token" << remote << "private";
        QTest::newRow("IPv6 link-local") << "https://[fe80::1]/token" << remote << "private";
        QTest::newRow("IPv4-mapped private") << "https://[::ffff:10.0.0.1]/token" << remote << "private";
        QTest::newRow("172.32 is public") << "https://172.32.0.1/token" << remote << "";
        QTest::newRow("private, server private too") << "https://10.1.2.3/token"
                                                     << "https://10.1.2.4/mcp"
                                                     << "";
        QTest::newRow("private, server on this machine") << "https://192.168.1.1/token"
                                                         << "http://127.0.0.1:3000/mcp"
                                                         << "";
    }
    void endpointsToContact()
    {
        QFETCH(QString, url);
        QFETCH(QString, server);
        QFETCH(QString, refusal);
        const QString got = mcp::refusalToContact(QUrl(url), QUrl(server));
        if (refusal.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(url + QStringLiteral(": ") + got));
        else
            QVERIFY2(got.contains(refusal), qPrintable(url + QStringLiteral(": ") + got));
    }

    // The same rule for the address a name led to (a name may resolve, or rebind, to anything), measured
    // against where the server's own name resolved.
    void addressesReached_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QStringList>("serverAddresses");
        QTest::addColumn<QString>("refusal"); // empty: reached
        const QString remote = QStringLiteral("https://mcp.example.com/mcp");
        const QStringList publicAddress{QStringLiteral("93.184.216.34")};
        QTest::newRow("public") << "93.184.216.34" << remote << publicAddress << "";
        QTest::newRow("cloud metadata") << "169.254.169.254" << remote << publicAddress << "link-local";
        QTest::newRow("private") << "10.0.0.7" << remote << publicAddress << "private";
        QTest::newRow("loopback") << "127.0.0.1" << remote << publicAddress << "is this machine";
        QTest::newRow("IPv4-mapped loopback")
            << "::ffff:127.0.0.1" << remote << publicAddress << "this machine";
        QTest::newRow("internal server, internal AS")
            << "10.0.0.7"
            << "https://mcp.corp.example/mcp" << QStringList{"10.1.2.3"} << "";
        QTest::newRow("server name unresolved, private AS")
            << "10.0.0.7" << remote << QStringList{} << "private";
        QTest::newRow("server on this machine") << "10.0.0.7"
                                                << "http://localhost:3000/mcp" << QStringList{} << "";
    }
    void addressesReached()
    {
        QFETCH(QString, peer);
        QFETCH(QString, server);
        QFETCH(QStringList, serverAddresses);
        QFETCH(QString, refusal);
        QList<QHostAddress> addresses;
        for (const QString &a : serverAddresses)
            addresses << QHostAddress(a);
        const QString got = mcp::refusalToReach(QHostAddress(peer), QStringLiteral("as.example.com"),
                                                QUrl(server), addresses);
        if (refusal.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(got));
        else
            QVERIFY2(got.contains(refusal) && got.contains(QLatin1String("as.example.com")), qPrintable(got));
    }

    void urlsToOpen_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("opened");
        QTest::newRow("https") << "https://as.example.com/authorize?x=1" << true;
        QTest::newRow("http to 127.0.0.1") << "http://127.0.0.1:8080/authorize" << true;
        QTest::newRow("http to 127.1.2.3") << "http://127.1.2.3/authorize" << true;
        QTest::newRow("http to localhost") << "http://localhost:3000/authorize" << true;
        QTest::newRow("http to ::1") << "http://[::1]:3000/authorize" << true;
        QTest::newRow("http across the network") << "http://as.example.com/authorize" << false;
        QTest::newRow("http to a private address") << "http://192.168.1.10/authorize" << false;
        QTest::newRow("file") << "file:///etc/passwd" << false;
        QTest::newRow("javascript") << "javascript:alert(1)" << false;
        QTest::newRow("data") << "data:text/html,<script>x</script>" << false;
        QTest::newRow("custom scheme") << "vscode://some.extension/run?cmd=x" << false;
        QTest::newRow("https without a host") << "https:///path" << false;
        QTest::newRow("not a URL") << "::::" << false;
    }
    void urlsToOpen()
    {
        QFETCH(QString, url);
        QFETCH(bool, opened);
        const QString refusal = mcp::refusalToOpen(QUrl(url));
        QVERIFY2(refusal.isEmpty() == opened, qPrintable(url + QStringLiteral(": ") + refusal));
    }

    void wwwAuthenticate()
    {
        const Challenge c =
            bearerChallenge("Basic realm=\"x\", Bearer error=\"insufficient_scope\", scope=\"a b\", "
                            "resource_metadata=\"http://h/.well-known/oauth-protected-resource/mcp\"");
        QCOMPARE(c.scheme, QStringLiteral("Bearer"));
        QCOMPARE(c.param("error"), QStringLiteral("insufficient_scope"));
        QCOMPARE(c.param("scope"), QStringLiteral("a b"));
        QCOMPARE(c.param("resource_metadata"),
                 QStringLiteral("http://h/.well-known/oauth-protected-resource/mcp"));
    }

    void discoveryOrder()
    {
        QCOMPARE(protectedResourceMetadataUrls(QUrl("https://h/api/mcp"), QUrl("https://h/custom.json")),
                 (QList<QUrl>{QUrl("https://h/custom.json"),
                              QUrl("https://h/.well-known/oauth-protected-resource/api/mcp"),
                              QUrl("https://h/.well-known/oauth-protected-resource")}));
        QCOMPARE(protectedResourceMetadataUrls(QUrl("https://h/"), QUrl()),
                 (QList<QUrl>{QUrl("https://h/.well-known/oauth-protected-resource")}));
        QCOMPARE(authorizationServerMetadataUrls(QUrl("https://a/tenant1")),
                 (QList<QUrl>{QUrl("https://a/.well-known/oauth-authorization-server/tenant1"),
                              QUrl("https://a/.well-known/openid-configuration/tenant1"),
                              QUrl("https://a/tenant1/.well-known/openid-configuration")}));
        QCOMPARE(authorizationServerMetadataUrls(QUrl("https://a")),
                 (QList<QUrl>{QUrl("https://a/.well-known/oauth-authorization-server"),
                              QUrl("https://a/.well-known/openid-configuration")}));
    }

    void fullFlowThenRefresh()
    {
        Deployment d;
        TokenStore store;
        AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
        const Outcome o =
            run(flow, refusal(d.endpoint(), "Bearer resource_metadata=\"" + d.server.base().toUtf8() +
                                                "/.well-known/oauth-protected-resource/mcp\""));
        QVERIFY2(o.finished, qPrintable(o.error.toString()));
        QCOMPARE(o.tokens.accessToken, QByteArray("access-1"));
        QCOMPARE(store.tokens(flow.scope()).refreshToken, QByteArray("refresh-1"));
        QStringList names;
        for (const AuthStep &s : flow.steps())
            names << s.name;
        QCOMPARE(names, (QStringList{"server refusal", "protected resource metadata",
                                     "authorization server metadata", "client identity",
                                     "authorization request", "authorization response", "token request"}));
        // Secrets stay out of what is shown.
        const mcp::HttpExchange token = mcp::redaction::redactExchange(flow.steps().last().exchanges.last());
        QVERIFY(!token.responseBody.contains("access-1"));
        QVERIFY(!token.requestBody.contains("code-1"));

        AuthFlow refresh(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
        bool done = false;
        connect(&refresh, &AuthFlow::finished, this, [&] { done = true; });
        refresh.startRefresh();
        QTRY_VERIFY(done);
        QCOMPARE(store.tokens(flow.scope()).accessToken, QByteArray("access-2"));
        QCOMPARE(store.tokens(flow.scope()).refreshToken, QByteArray("refresh-1"));
    }

    // Tokens kept in a vault (the keychain) by an earlier process: the flow loads them once it knows the
    // issuer and refreshes instead of authorizing again.
    void flowAfterRestartRefreshesWithKeptToken()
    {
        Deployment d;
        auto vault = std::make_shared<testsupport::MapVault>();
        const mcp::HttpExchange refused = refusal(d.endpoint(), {});
        {
            TokenStore store(vault);
            AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
            QVERIFY2(run(flow, refused).finished, "first flow");
            QVERIFY(vault->secrets.contains(flow.scope().key()));
        }

        TokenStore restarted(vault);
        AuthFlow flow(followRedirect(), d.endpoint(), &restarted, QStringLiteral("c"));
        const Outcome o = run(flow, refused);
        QVERIFY2(o.finished, qPrintable(o.error.toString()));
        QCOMPARE(o.tokens.accessToken, QByteArray("access-2"));
        QStringList names;
        for (const AuthStep &s : flow.steps())
            names << s.name;
        QCOMPARE(names, (QStringList{"server refusal", "protected resource metadata",
                                     "authorization server metadata", "refresh"}));
        QVERIFY2(flow.steps().at(2).reason.contains(
                     QStringLiteral("refresh token for %1 is kept in test vault").arg(d.issuer())),
                 qPrintable(flow.steps().at(2).reason));
        QCOMPARE(d.server.paths().count("/register"), 1); // the kept registration, not a new one
        QCOMPARE(d.server.paths().count("/authorize"), 1);
    }

    void prmRootFallback()
    {
        Deployment d;
        d.prmPath = QStringLiteral("/.well-known/oauth-protected-resource");
        TokenStore store;
        AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
        const Outcome o = run(flow, refusal(d.endpoint(), "Bearer"));
        QVERIFY2(o.finished, qPrintable(o.error.toString()));
        QVERIFY(d.server.paths().indexOf("/.well-known/oauth-protected-resource/mcp") <
                d.server.paths().indexOf("/.well-known/oauth-protected-resource"));
        QVERIFY(flow.steps().at(1).reason.contains("candidate 2 of 2"));
    }

    void serverMetadataFallbacks_data()
    {
        QTest::addColumn<QString>("asPath");
        QTest::addColumn<QString>("candidate");
        QTest::newRow("oauth-authorization-server/tenant1")
            << "/.well-known/oauth-authorization-server/tenant1"
            << "candidate 1 of 3";
        QTest::newRow("openid-configuration/tenant1") << "/.well-known/openid-configuration/tenant1"
                                                      << "candidate 2 of 3";
        QTest::newRow("tenant1/openid-configuration") << "/tenant1/.well-known/openid-configuration"
                                                      << "candidate 3 of 3";
    }
    void serverMetadataFallbacks()
    {
        QFETCH(QString, asPath);
        QFETCH(QString, candidate);
        Deployment d;
        d.issuerPath = QStringLiteral("/tenant1");
        d.asPath = asPath;
        TokenStore store;
        AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
        const Outcome o = run(flow, refusal(d.endpoint(), {}));
        QVERIFY2(o.finished, qPrintable(o.error.toString()));
        QVERIFY2(flow.steps().at(2).reason.contains(candidate), qPrintable(flow.steps().at(2).reason));
    }

    void failures_data()
    {
        QTest::addColumn<QString>("knob");
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("words");
        QTest::newRow("wrong state") << "state"
                                     << "authorization: authorization response"
                                     << "state mismatch";
        // A web page can send the loopback listener an error= of its own; without our state it is forged, and
        // must not end the flow as if the authorization server had refused.
        QTest::newRow("forged error") << "forged-error"
                                      << "authorization: authorization response"
                                      << "state mismatch";
        // The server names the authorization endpoint, and a browser opens anything it is given.
        QTest::newRow("file: endpoint") << "file-endpoint"
                                        << "authorization: authorization request"
                                        << "the file: scheme is not opened";
        QTest::newRow("plain http endpoint") << "http-endpoint"
                                             << "authorization: authorization request"
                                             << "plain http to as.example.com";
        // Endpoints the server names are contacted over http(s) only; the address stays on this machine, so
        // nothing leaves it even if the check were missing.
        QTest::newRow("ftp token endpoint") << "ftp-token"
                                            << "authorization: token request"
                                            << "is not an http(s) address";
        QTest::newRow("iss mismatch") << "iss"
                                      << "authorization: authorization response"
                                      << "iss mismatch";
        QTest::newRow("iss missing") << "iss-missing"
                                     << "authorization: authorization response"
                                     << "iss missing";
        QTest::newRow("no PKCE") << "pkce"
                                 << "authorization: authorization request"
                                 << "PKCE";
        QTest::newRow("resource mismatch") << "resource"
                                           << "authorization: protected resource metadata"
                                           << "resource mismatch";
        QTest::newRow("no metadata") << "metadata"
                                     << "authorization: authorization server metadata"
                                     << "no authorization server metadata";
    }
    void failures()
    {
        QFETCH(QString, knob);
        QFETCH(QString, step);
        QFETCH(QString, words);
        Deployment d;
        if (knob == QLatin1String("state"))
            d.stateOverride = QStringLiteral("forged");
        if (knob == QLatin1String("ftp-token"))
            d.tokenEndpoint = d.server.base().replace(QStringLiteral("http:"), QStringLiteral("ftp:")) +
                              QStringLiteral("/token");
        if (knob == QLatin1String("file-endpoint"))
            d.authorizationEndpoint = QStringLiteral("file:///etc/passwd");
        if (knob == QLatin1String("http-endpoint"))
            d.authorizationEndpoint = QStringLiteral("http://as.example.com/authorize");
        if (knob == QLatin1String("forged-error")) {
            d.stateOverride = QStringLiteral("forged");
            d.redirectError = QStringLiteral("access_denied");
        }
        if (knob == QLatin1String("iss"))
            d.issOverride = QStringLiteral("https://evil.example.com");
        if (knob == QLatin1String("iss-missing")) {
            d.advertiseIss = true;
            d.omitIss = true;
        }
        if (knob == QLatin1String("pkce"))
            d.advertisePkce = false;
        if (knob == QLatin1String("resource"))
            d.prmResource = QStringLiteral("https://evil.example.com/mcp");
        if (knob == QLatin1String("metadata"))
            d.asPath = QStringLiteral("/nowhere");
        TokenStore store;
        AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
        const Outcome o = run(flow, refusal(d.endpoint(), {}));
        QVERIFY(!o.finished);
        QCOMPARE(o.error.category, mcp::Error::Category::Auth);
        QCOMPARE(o.error.step, step);
        QVERIFY2(o.error.message.contains(words), qPrintable(o.error.toString()));
        QVERIFY(flow.steps().last().failed);
        QVERIFY(!d.server.paths().contains(QStringLiteral("/token"))); // the code was never used
    }

    void tamperedResourceAtPause()
    {
        Deployment d;
        TokenStore store;
        AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
        flow.setPauseAtEachStep(true);
        connect(&flow, &AuthFlow::paused, this, [&flow](const QString &next) {
            if (next == QLatin1String("authorization request"))
                flow.setParameter(QStringLiteral("resource"),
                                  QStringLiteral("https://other.example.com/mcp"));
            QTimer::singleShot(0, &flow, &AuthFlow::continueFlow);
        });
        const Outcome o = run(flow, refusal(d.endpoint(), {}));
        QVERIFY(!o.finished);
        QCOMPARE(o.error.step, QStringLiteral("authorization: token request"));
        QVERIFY(o.error.message.contains("invalid_target"));
        QCOMPARE(d.lastResourceAtToken, QStringLiteral("https://other.example.com/mcp"));
        QVERIFY(flow.steps().at(4).tampered);
        QVERIFY(!flow.steps().at(1).tampered);
    }

    void inspectGoodTokens_data()
    {
        QTest::addColumn<QByteArray>("pem");
        QTest::addColumn<QString>("alg");
        QTest::newRow("RS256") << makeKey("RSA", nullptr) << "RS256";
        QTest::newRow("PS256") << makeKey("RSA", nullptr) << "PS256";
        QTest::newRow("ES256") << makeKey("EC", "P-256") << "ES256";
        QTest::newRow("EdDSA") << makeKey("ED25519", nullptr) << "EdDSA";
    }
    void inspectGoodTokens()
    {
        QFETCH(QByteArray, pem);
        QFETCH(QString, alg);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QByteArray token = makeToken(pem, alg,
                                           {{"iss", "https://as"},
                                            {"aud", "https://rs/mcp"},
                                            {"exp", now + 600},
                                            {"iat", now},
                                            {"nbf", now},
                                            {"scope", "read write"}});
        InspectOptions o;
        o.jwks = jwksOf(pem, alg);
        o.resource = QStringLiteral("https://rs/mcp");
        o.issuer = QStringLiteral("https://as");
        o.requiredScopes = {QStringLiteral("read")};
        const TokenReport r = TokenInspector::inspectWith(token, o);
        QVERIFY2(r.ok(), qPrintable(r.firstFailure()));
        QCOMPARE(r.checks.first().name, QStringLiteral("signature"));
        QCOMPARE(r.checks.first().result, TokenCheck::Result::Pass);
    }

    void inspectFailures()
    {
        const QByteArray key = makeKey("EC", "P-256");
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        InspectOptions o;
        o.jwks = jwksOf(key, QStringLiteral("ES256"));
        o.resource = QStringLiteral("https://rs/mcp");

        const TokenReport expired = TokenInspector::inspectWith(
            makeToken(key, "ES256", {{"aud", "https://rs/mcp"}, {"exp", now - 3600}}), o);
        QVERIFY(expired.firstFailure().startsWith("exp: expired"));

        const TokenReport badSig = TokenInspector::inspectWith(
            makeToken(makeKey("EC", "P-256"), "ES256", {{"aud", "https://rs/mcp"}, {"exp", now + 600}}), o);
        QVERIFY2(badSig.firstFailure().startsWith("signature: bad signature"),
                 qPrintable(badSig.firstFailure()));

        const TokenReport wrongAud = TokenInspector::inspectWith(
            makeToken(key, "ES256", {{"aud", "https://elsewhere/mcp"}, {"exp", now + 600}}), o);
        QVERIFY(wrongAud.firstFailure().startsWith("aud: resource mismatch"));

        const TokenReport opaque = TokenInspector::inspectWith("opaque-token-value", o);
        QVERIFY(!opaque.isJwt);
        QVERIFY(opaque.checks.first().detail.startsWith("opaque token"));
    }

    void jwkThumbprintOfRfc7638Example()
    {
        // RFC 7638 §3.1: the RSA key and its SHA-256 thumbprint.
        const QJsonObject jwk{{"kty", "RSA"},
                              {"n", "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aP"
                                    "FFxuhDR1L6tSoc_BJECPebWKRXjB"
                                    "ZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-"
                                    "65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8"
                                    "KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
                                    "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_"
                                    "xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"},
                              {"e", "AQAB"},
                              {"alg", "RS256"},
                              {"kid", "2011-04-29"}};
        QString error;
        QCOMPARE(jwkThumbprint(jwk, &error), QByteArray("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
        QVERIFY(jwkThumbprint({{"kty", "oct"}, {"k", "secret"}}, &error).isEmpty());
        QVERIFY(error.contains("oct"));
    }

    void dpopProofStructure()
    {
        DpopKey key;
        QString error;
        QVERIFY2(key.ensureKey(QStringLiteral("ES256"), &error), qPrintable(error));
        QVERIFY(!key.ensureKey(QStringLiteral("EdDSA"), &error)); // bound tokens need the same key
        const QByteArray token = "the-access-token";
        const QByteArray proof =
            key.proof("POST", QUrl("https://rs.example/mcp?session=1#frag"), token, &error);
        Jwt jwt;
        QVERIFY2(Jwt::parse(proof, &jwt, &error), qPrintable(error));
        QCOMPARE(jwt.header.value("typ").toString(), QStringLiteral("dpop+jwt"));
        QCOMPARE(jwt.header.value("alg").toString(), QStringLiteral("ES256"));
        const QJsonObject jwk = jwt.header.value("jwk").toObject();
        QCOMPARE(QStringList(jwk.keys()), (QStringList{"crv", "kty", "x", "y"})); // public members only
        QVERIFY2(verifyJwtSignature(jwt, jwk, &error), qPrintable(error));
        QCOMPARE(jwkThumbprint(jwk, &error), key.thumbprint());
        QCOMPARE(jwt.claims.value("htm").toString(), QStringLiteral("POST"));
        QCOMPARE(jwt.claims.value("htu").toString(), QStringLiteral("https://rs.example/mcp"));
        QVERIFY(qAbs(jwt.claims.value("iat").toInteger() - QDateTime::currentSecsSinceEpoch()) <= 5);
        // ath: base64url(SHA-256(token)), computed here independently of the code under test.
        QCOMPARE(jwt.claims.value("ath").toString().toLatin1(),
                 QCryptographicHash::hash(token, QCryptographicHash::Sha256)
                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        QVERIFY(!jwt.claims.contains("nonce"));

        Jwt second;
        key.setNonce(QUrl("https://rs.example/other"), "n-1");
        QVERIFY(Jwt::parse(key.proof("GET", QUrl("https://rs.example/mcp"), {}, &error), &second, &error));
        QVERIFY(second.claims.value("jti").toString() != jwt.claims.value("jti").toString());
        QCOMPARE(second.claims.value("nonce").toString(), QStringLiteral("n-1")); // per origin
        QVERIFY(!second.claims.contains("ath"));
        QVERIFY(key.proof("GET", QUrl("https://as.example/token"), {}, &error).size() > 0);
        QVERIFY(key.nonce(QUrl("https://as.example/token")).isEmpty());
    }

    void dpopAlgorithmChoice()
    {
        QCOMPARE(DpopKey::chooseAlgorithm({"RS256", "ES256"}, "ES256"), QStringLiteral("ES256"));
        QCOMPARE(DpopKey::chooseAlgorithm({"PS256"}, "ES256"), QStringLiteral("PS256"));
        QVERIFY(DpopKey::chooseAlgorithm({"ES512", "none"}, "ES256").isEmpty());
    }

    void dpopFlowWithAuthorizationServerNonce()
    {
        Deployment d;
        d.dpop = true;
        d.dpopNonce = true;
        TokenStore store;
        AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
        const Outcome o =
            run(flow, refusal(d.endpoint(), "DPoP resource_metadata=\"" + d.server.base().toUtf8() +
                                                "/.well-known/oauth-protected-resource/mcp\""));
        QVERIFY2(o.finished, qPrintable(o.error.toString()));
        QCOMPARE(o.tokens.tokenType, QStringLiteral("DPoP"));
        QVERIFY(flow.usesDpop());
        QStringList names;
        for (const AuthStep &s : flow.steps())
            names << s.name;
        QCOMPARE(names, (QStringList{"server refusal", "protected resource metadata",
                                     "authorization server metadata", "DPoP key", "client identity",
                                     "authorization request", "authorization response", "token request"}));
        QVERIFY(flow.steps().at(3).decision.contains(QString::fromLatin1(flow.dpopKey().thumbprint())));
        const AuthStep &token = flow.steps().last();
        QList<int> statuses; // refused for the nonce, then granted
        for (const mcp::HttpExchange &ex : token.exchanges)
            if (ex.url.path() == QLatin1String("/token"))
                statuses << ex.status;
        QCOMPARE(statuses, (QList<int>{400, 200}));
        QVERIFY2(token.reason.contains("use_dpop_nonce"), qPrintable(token.reason));
        QCOMPARE(d.server.paths().count("/token"), 2);
    }

    void dpopFlowGivesUpOnSecondNonceDemand()
    {
        Deployment d;
        d.dpop = true;
        d.dpopNonce = true;
        d.server.handler = [&d](const Request &r) {
            if (r.url.path() == QLatin1String("/token")) // a new nonce every time: never satisfied
                return Response{
                    400, {{"error", "use_dpop_nonce"}}, {{"DPoP-Nonce", QUuid::createUuid().toByteArray()}}};
            return d.handle(r);
        };
        TokenStore store;
        AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c"));
        const Outcome o = run(flow, refusal(d.endpoint(), {}));
        QVERIFY(!o.finished);
        QCOMPARE(o.error.step, QStringLiteral("authorization: token request"));
        QVERIFY2(o.error.message.contains("use_dpop_nonce"), qPrintable(o.error.toString()));
        QCOMPARE(d.server.paths().count("/token"), 2); // retried once, not more
    }

    void dpopProviderResourceServerNonce()
    {
        Deployment d;
        d.dpop = true;
        OAuthProvider provider(followRedirect(), d.endpoint(), QStringLiteral("c"));
        const auto handle = [&provider](const mcp::HttpExchange &refused) {
            std::optional<mcp::Error> outcome;
            if (!provider.handleRefusal(refused, [&outcome](const mcp::Error &e) { outcome = e; }))
                return mcp::makeError(mcp::Error::Category::Usage, "test", "refusal not handled");
            if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 10000))
                return mcp::makeError(mcp::Error::Category::Timeout, "test", "no answer");
            return *outcome;
        };
        mcp::Error e = handle(refusal(d.endpoint(), "DPoP resource_metadata=\"" + d.server.base().toUtf8() +
                                                        "/.well-known/oauth-protected-resource/mcp\""));
        QVERIFY2(!e, qPrintable(e.toString()));
        QCOMPARE(provider.authorization(), QByteArray("DPoP dpop-access-1"));

        const auto proofClaims = [&](const mcp::HttpExchange &request) {
            Jwt jwt;
            QString error;
            Jwt::parse(mcp::headerValue(request.requestHeaders, "DPoP"), &jwt, &error);
            return jwt.claims;
        };
        // The resource server wants its nonce: one retry with it, recorded as a step of the flow.
        mcp::HttpExchange first = refusal(d.endpoint(), "DPoP error=\"use_dpop_nonce\"");
        first.requestHeaders = provider.requestHeaders("POST", d.endpoint());
        first.responseHeaders.append({QByteArrayLiteral("DPoP-Nonce"), QByteArrayLiteral("rs-nonce")});
        QCOMPARE(mcp::headerValue(first.requestHeaders, "Authorization"), QByteArray("DPoP dpop-access-1"));
        QVERIFY(!proofClaims(first).contains("nonce"));
        e = handle(first);
        QVERIFY2(!e, qPrintable(e.toString()));
        QCOMPARE(provider.currentFlow()->steps().last().name, QStringLiteral("resource server DPoP nonce"));

        mcp::HttpExchange second = first;
        second.requestHeaders = provider.requestHeaders("POST", d.endpoint());
        QCOMPARE(proofClaims(second).value("nonce").toString(), QStringLiteral("rs-nonce"));
        QVERIFY(proofClaims(second).value("jti") != proofClaims(first).value("jti"));
        // Refused again with the very nonce it carried: give up instead of looping.
        e = handle(second);
        QCOMPARE(e.category, mcp::Error::Category::Auth);
        QVERIFY2(e.message.contains("giving up"), qPrintable(e.toString()));
        QVERIFY(provider.currentFlow()->steps().last().failed);
    }

    // RFC 9449 §8.2/§9: a resource server may hand out the next nonce on any response, a 2xx included; the
    // next proof carries the newest one.
    void dpopProviderTakesNonceFromAcceptedResponse()
    {
        Deployment d;
        d.dpop = true;
        OAuthProvider provider(followRedirect(), d.endpoint(), QStringLiteral("c"));
        std::optional<mcp::Error> outcome;
        QVERIFY(provider.handleRefusal(refusal(d.endpoint(), "DPoP"),
                                       [&outcome](const mcp::Error &e) { outcome = e; }));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
        QVERIFY2(!*outcome, qPrintable(outcome->toString()));
        const auto nonceOfNextProof = [&provider, &d] {
            Jwt jwt;
            QString error;
            Jwt::parse(mcp::headerValue(provider.requestHeaders("POST", d.endpoint()), "DPoP"), &jwt, &error);
            return jwt.claims.value("nonce").toString();
        };
        QVERIFY(nonceOfNextProof().isEmpty());
        provider.accepted({{"Content-Type", "application/json"}, {"DPoP-Nonce", "rs-nonce-1"}});
        QCOMPARE(nonceOfNextProof(), QStringLiteral("rs-nonce-1"));
        provider.accepted({{"dpop-nonce", " rs-nonce-2 "}});
        QCOMPARE(nonceOfNextProof(), QStringLiteral("rs-nonce-2"));
        provider.accepted({}); // no new nonce: the last one stays
        QCOMPARE(nonceOfNextProof(), QStringLiteral("rs-nonce-2"));
    }

    // The same through the HTTP transport: each 2xx MCP response hands out the nonce the next proof carries.
    void dpopNonceFromSuccessfulMcpResponseReachesNextProof()
    {
        Deployment d;
        d.dpop = true;
        QStringList proofNonces; // of the requests the resource server accepted
        d.server.handler = [&d, &proofNonces](const Request &r) {
            if (r.url.path() != QLatin1String("/mcp"))
                return d.handle(r);
            if (!r.header("authorization").startsWith("DPoP "))
                return Response{401, {}, {{"WWW-Authenticate", "DPoP"}}};
            QString nonce;
            const QString problem = proofProblem(r.header("dpop"), "POST", d.endpoint().toString(), &nonce);
            if (!problem.isEmpty())
                return Response{400, {{"error", problem}}, {}};
            proofNonces << nonce;
            const QJsonObject request = QJsonDocument::fromJson(r.body).object();
            return Response{200,
                            {{"jsonrpc", "2.0"}, {"id", request.value("id")}, {"result", QJsonObject{}}},
                            {{"DPoP-Nonce", "rs-" + QByteArray::number(proofNonces.size())}}};
        };
        mcp::HttpOptions options;
        options.url = d.endpoint();
        options.openGetStream = false;
        options.auth = std::make_shared<OAuthProvider>(followRedirect(), d.endpoint(), QStringLiteral("c"));
        mcp::HttpTransport transport(options);
        QSignalSpy frames(&transport, &mcp::Transport::frameReceived);
        transport.open();
        for (int id = 1; id <= 3; ++id) {
            transport.send({QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"method":"ping"})").arg(id).toUtf8(),
                            QStringLiteral("ping"),
                            {},
                            true,
                            {}});
            QTRY_COMPARE_WITH_TIMEOUT(frames.size(), id, 10000);
        }
        QCOMPARE(proofNonces, (QStringList{QString(), "rs-1", "rs-2"}));
    }

    // A JWT without a JWKS URL: the key set is found from its iss (RFC 8414 metadata → jwks_uri).
    void inspectDiscoversJwksFromIssuer_data()
    {
        QTest::addColumn<QString>("knob");
        QTest::addColumn<QString>("failure"); // empty: the signature verifies
        QTest::newRow("found") << ""
                               << "";
        QTest::newRow("issuer metadata unreachable")
            << "no-metadata"
            << "signature: not verified: JWKS discovery, issuer metadata: nothing usable";
        QTest::newRow("no jwks_uri") << "no-jwks-uri"
                                     << "has no jwks_uri";
        QTest::newRow("JWKS unreachable") << "jwks-down"
                                          << "signature: not verified: JWKS unreachable";
        QTest::newRow("kid not found") << "other-kid"
                                       << "has no key with kid \"k1\"";
        // The metadata names a jwks_uri that is no http(s) address (on this machine, so nothing leaves it
        // even without the check).
        QTest::newRow("jwks_uri not http(s)") << "ftp-jwks"
                                              << "is not contacted: \"ftp://127.0.0.1";
    }
    void inspectDiscoversJwksFromIssuer()
    {
        QFETCH(QString, knob);
        QFETCH(QString, failure);
        const QByteArray key = makeKey("EC", "P-256");
        FakeServer server;
        server.handler = [&](const Request &r) {
            const QString path = r.url.path();
            if (path == QLatin1String("/.well-known/oauth-authorization-server") &&
                knob != QLatin1String("no-metadata")) {
                QJsonObject m{{"issuer", server.base()}};
                if (knob != QLatin1String("no-jwks-uri"))
                    m.insert("jwks_uri",
                             knob == QLatin1String("jwks-down")  ? QStringLiteral("http://127.0.0.1:1/jwks")
                             : knob == QLatin1String("ftp-jwks") ? QStringLiteral("ftp://127.0.0.1:1/jwks")
                                                                 : server.base() + QStringLiteral("/jwks"));
                return json(m);
            }
            if (path == QLatin1String("/jwks")) {
                QJsonObject jwks = jwksOf(key, QStringLiteral("ES256"));
                if (knob == QLatin1String("other-kid")) {
                    QJsonObject other = jwks.value("keys").toArray().first().toObject();
                    other.insert("kid", "k2");
                    jwks = {{"keys", QJsonArray{other}}};
                }
                return json(jwks);
            }
            return Response{};
        };
        TokenInspector inspector;
        QSignalSpy spy(&inspector, &TokenInspector::finished);
        InspectOptions o;
        inspector.inspect(
            makeToken(key, "ES256",
                      {{"iss", server.base()}, {"exp", QDateTime::currentSecsSinceEpoch() + 60}}),
            o);
        QTRY_COMPARE(spy.count(), 1);
        const TokenReport r = spy.first().first().value<TokenReport>();
        if (failure.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.firstFailure()));
            QCOMPARE(r.checks.first().result, TokenCheck::Result::Pass);
            QCOMPARE(r.jwksUrl, QUrl(server.base() + QStringLiteral("/jwks")));
        } else {
            QVERIFY2(r.firstFailure().contains(failure), qPrintable(r.firstFailure()));
        }
    }

    void introspectOpaqueToken()
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        FakeServer as;
        bool active = true;
        as.handler = [&](const Request &r) {
            if (r.url.path() != QLatin1String("/introspect"))
                return Response{};
            if (r.header("authorization") != "Basic " + QByteArray("c1:s1").toBase64())
                return json({{"error", "invalid_client"}}, 401);
            if (!active || r.form().queryItemValue("token") != QLatin1String("opaque-1"))
                return json({{"active", false}});
            return json({{"active", true},
                         {"scope", "read write"},
                         {"exp", now + 600},
                         {"aud", "https://rs/mcp"},
                         {"client_id", "c1"}});
        };
        InspectOptions o;
        o.resource = QStringLiteral("https://rs/mcp");
        o.requiredScopes = {QStringLiteral("read")};
        o.introspectionEndpoint = QUrl(as.base() + QStringLiteral("/introspect"));
        o.introspectionClient = {{}, QStringLiteral("c1"), "s1", QStringLiteral("client_secret_basic"), {},
                                 {}};
        const auto inspect = [&o](const QByteArray &token) {
            TokenInspector inspector;
            QSignalSpy spy(&inspector, &TokenInspector::finished);
            inspector.inspect(token, o);
            if (!QTest::qWaitFor([&spy] { return spy.count() == 1; }, 10000))
                return TokenReport{};
            return spy.first().first().value<TokenReport>();
        };
        TokenReport r = inspect("opaque-1");
        QVERIFY2(r.ok(), qPrintable(r.firstFailure()));
        QStringList names;
        for (const TokenCheck &c : r.checks)
            names << c.name;
        QCOMPARE(names, (QStringList{"format", "active", "client_id", "exp", "aud", "scope"}));
        QVERIFY(r.checks.first().detail.contains("introspection at"));
        QCOMPARE(r.claims.value("client_id").toString(), QStringLiteral("c1"));
        QCOMPARE(as.requests.last().form().queryItemValue("token_type_hint"), QStringLiteral("access_token"));

        active = false;
        r = inspect("opaque-1");
        QVERIFY2(r.firstFailure().startsWith("active: the authorization server says the token is not active"),
                 qPrintable(r.firstFailure()));

        o.introspectionClient.clientSecret = "wrong";
        r = inspect("opaque-1");
        QVERIFY2(r.firstFailure().contains("answered HTTP 401 without an \"active\" member (invalid_client)"),
                 qPrintable(r.firstFailure()));
    }

    void inspectJwksUnreachable()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        const QByteArray key = makeKey("EC", "P-256");
        InspectOptions o;
        o.jwksUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/jwks.json").arg(port));
        TokenInspector inspector;
        QSignalSpy spy(&inspector, &TokenInspector::finished);
        inspector.inspect(makeToken(key, "ES256", {{"exp", QDateTime::currentSecsSinceEpoch() + 60}}), o);
        QTRY_COMPARE(spy.count(), 1);
        const TokenReport r = spy.first().first().value<TokenReport>();
        QVERIFY2(r.firstFailure().startsWith("signature: not verified: JWKS unreachable"),
                 qPrintable(r.firstFailure()));
    }

    // The key set and introspection endpoint a flow hands the inspector came from the authorization server's
    // metadata: held to the same rules as every other server-chosen address (they were not, before).
    void serverChosenInspectorAddressesAreChecked()
    {
        const QByteArray key = makeKey("EC", "P-256");
        InspectOptions o;
        o.resource = QStringLiteral("https://mcp.example.com/mcp");
        o.jwksUrl = QUrl(QStringLiteral("https://169.254.169.254/latest/jwks"));
        o.introspectionEndpoint = QUrl(QStringLiteral("https://10.0.0.1/introspect"));
        o.addressesFromServer = true;
        TokenInspector inspector;
        QSignalSpy spy(&inspector, &TokenInspector::finished);
        inspector.inspect(makeToken(key, "ES256", {{"exp", QDateTime::currentSecsSinceEpoch() + 60}}), o);
        QTRY_COMPARE(spy.count(), 1);
        const TokenReport r = spy.first().first().value<TokenReport>();
        QStringList failures;
        for (const auto &check : r.checks)
            if (check.result == TokenCheck::Result::Fail)
                failures << check.name + QStringLiteral(": ") + check.detail;
        const QString all = failures.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("169.254.169.254/latest/jwks is not contacted")),
                 qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("10.0.0.1/introspect is not contacted")), qPrintable(all));
    }
};

QTEST_MAIN(TestAuth)
#include "tst_auth.moc"
