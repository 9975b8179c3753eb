// The token inspector with keys made by OpenSSL: good tokens of each algorithm, expired, badly signed and
// misaddressed ones, opaque tokens through introspection, key sets found from the issuer, and the addresses
// a flow hands it held to the same rules as the flow's own.
#include "auth/discovery.h"
#include "auth/jwt.h"
#include "auth/tokeninspector.h"
#include "fakeauthserver.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <openssl/evp.h>
#include <openssl/pem.h>

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

class TestTokenInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
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

QTEST_MAIN(TestTokenInspector)
#include "tst_tokeninspector.moc"
