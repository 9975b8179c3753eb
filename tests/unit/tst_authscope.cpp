// Credentials stay with the server and authorization server they were issued for (issue 12, finding 4):
// tokens and client registrations are kept per connection, canonical resource and issuer; a 2025-03-26
// server cannot name an issuer at another origin; a secret bound to an expected issuer goes to no other.
// Each attack is a server the same connection is pointed at after a legitimate authorization.
#include "auth/authflow.h"
#include "fakeauthserver.h"

#include <QTest>

using namespace fakeauth;

namespace {

constexpr auto connection = "c";

// Authorizes connection "c" at the legitimate deployment: afterwards the store holds refresh-1 for it.
void authorizeLegitimately(Deployment &d, TokenStore &store)
{
    AuthFlow flow(followRedirect(), d.endpoint(), &store, QLatin1String(connection));
    const Outcome o = run(flow, refusal(d.endpoint(), {}));
    QVERIFY2(o.finished, qPrintable(o.error.toString()));
    QCOMPARE(store.tokens(flow.scope()).refreshToken, QByteArray("refresh-1"));
}

// Every request body and header a server received, to look for a secret in.
QByteArray everythingReceived(const FakeServer &server)
{
    QByteArray all;
    for (const Request &r : server.requests) {
        all += r.body;
        for (const auto &[name, value] : r.headers)
            all += name + ": " + value + "\n";
        all += r.url.toEncoded() + "\n";
    }
    return all;
}

} // namespace

class TestAuthScope : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The connection is edited to point at a 2025-03-26 server (no resource metadata) whose authorization
    // server metadata claims the legitimate issuer and names its own token endpoint. Before, the claimed
    // issuer was "taken as is", the stored refresh token found under it and posted to that endpoint.
    void legacyServerCannotClaimAnotherOriginsIssuer()
    {
        Deployment d;
        TokenStore store;
        authorizeLegitimately(d, store);

        FakeServer evil;
        evil.handler = [&evil, &d](const Request &r) -> Response {
            if (r.url.path() == QLatin1String("/.well-known/oauth-authorization-server"))
                return json({{"issuer", d.issuer()},
                             {"authorization_endpoint", evil.base() + QStringLiteral("/authorize")},
                             {"token_endpoint", evil.base() + QStringLiteral("/token")},
                             {"code_challenge_methods_supported", QJsonArray{"S256"}}});
            return {};
        };
        const QUrl evilEndpoint(evil.base() + QStringLiteral("/mcp"));
        AuthFlow flow(followRedirect(), evilEndpoint, &store, QLatin1String(connection));
        const Outcome o = run(flow, refusal(evilEndpoint, {}));
        QVERIFY(!o.finished);
        QVERIFY2(o.error.toString().contains(QLatin1String("another origin")),
                 qPrintable(o.error.toString()));
        QVERIFY(!everythingReceived(evil).contains("refresh-1"));
        QVERIFY(!evil.paths().contains(QStringLiteral("/token")));
    }

    // The connection is edited to point at another server whose resource metadata names the legitimate
    // authorization server. Before, tokens were kept per connection and issuer only, so the refresh token
    // the user granted for the first server was redeemed for the second without the user being asked.
    void tokensAreNotUsedForAnotherResource()
    {
        Deployment d;
        TokenStore store;
        authorizeLegitimately(d, store);
        const qsizetype before = d.server.requests.size();

        FakeServer other;
        other.handler = [&other, &d](const Request &r) -> Response {
            if (r.url.path().startsWith(QLatin1String("/.well-known/oauth-protected-resource")))
                return json({{"resource", other.base() + QStringLiteral("/mcp")},
                             {"authorization_servers", QJsonArray{d.issuer()}}});
            return {};
        };
        const QUrl otherEndpoint(other.base() + QStringLiteral("/mcp"));
        AuthFlow flow(followRedirect(), otherEndpoint, &store, QLatin1String(connection));
        run(flow, refusal(otherEndpoint, {})); // the fake AS refuses the unknown resource at the token step
        for (qsizetype i = before; i < d.server.requests.size(); ++i)
            QVERIFY2(!d.server.requests[i].body.contains("refresh-1"),
                     "the first server's refresh token was sent for the second");
        QStringList names;
        for (const AuthStep &step : flow.steps())
            names << step.name;
        QVERIFY2(!names.contains(QStringLiteral("refresh")) &&
                     names.contains(QStringLiteral("authorization request")),
                 qPrintable(names.join(QStringLiteral(", "))));
    }

    // A pre-registered client secret bound to an expected issuer is not sent to the one a server names.
    void boundSecretGoesToNoOtherIssuer()
    {
        Deployment d;
        AuthSettings settings = followRedirect();
        settings.clientId = QStringLiteral("pre-registered");
        settings.clientSecret = "s3cret-for-the-real-as";
        settings.expectedIssuer = QStringLiteral("https://as.example");
        TokenStore store;
        AuthFlow flow(settings, d.endpoint(), &store, QLatin1String(connection));
        const Outcome o = run(flow, refusal(d.endpoint(), {}));
        QVERIFY(!o.finished);
        QCOMPARE(o.error.step, QStringLiteral("authorization: authorization server metadata"));
        QVERIFY2(o.error.message.contains(QLatin1String("bound to https://as.example: nothing is sent")),
                 qPrintable(o.error.message));
        QVERIFY(!everythingReceived(d.server).contains("s3cret-for-the-real-as"));

        settings.expectedIssuer = d.issuer(); // the right one: the flow goes on
        AuthFlow bound(settings, d.endpoint(), &store, QLatin1String(connection));
        const Outcome ok = run(bound, refusal(d.endpoint(), {}));
        QVERIFY2(ok.finished, qPrintable(ok.error.toString()));
    }

    // The keychain entry names the resource as well, and clear() still forgets every entry of a connection.
    void scopeKeyHoldsTheResource()
    {
        const CredentialScope scope{QStringLiteral("c"), QStringLiteral("https://mcp.example/mcp"),
                                    QStringLiteral("https://as.example")};
        QCOMPARE(scope.key(), QStringLiteral("c|https://mcp.example/mcp|https://as.example"));
        TokenStore store;
        TokenSet t;
        t.issuer = scope.issuer;
        t.accessToken = "a";
        store.setTokens(scope, t);
        QVERIFY(!store.tokens({scope.connection, QStringLiteral("https://other.example/mcp"), scope.issuer})
                     .isValid());
        store.clear(QStringLiteral("c"));
        QVERIFY(!store.tokens(scope).isValid());
    }
};

QTEST_GUILESS_MAIN(TestAuthScope)
#include "tst_authscope.moc"
