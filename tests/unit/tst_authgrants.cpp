// Each grant's rules, tested on the grant alone (issue 12, finding 12): a recording stand-in for the flow
// answers its requests, so no authorization server is needed, and each rule is checked where it lives.
#include "auth/grants.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace mcp;
using namespace mcp::auth;

namespace {

// The flow as the grants see it, recording what they do; requests are held until the test answers them.
class RecordingSteps final : public GrantSteps
{
public:
    struct Post
    {
        QUrl url;
        Form form;
        ClientRegistration client;
        Then then;
    };

    AuthSettings authSettings;
    QJsonObject metadata{{"token_endpoint", "https://as.example.com/token"},
                         {"authorization_endpoint", "https://as.example.com/authorize"},
                         {"code_challenge_methods_supported", QJsonArray{"S256"}}};
    QMap<QString, QString> params{{"resource", "https://mcp.example.com/mcp"}};
    TokenStore tokenStore;
    ClientRegistration currentClient;
    QList<Post> posts;
    QList<QUrl> authorizationUrls;
    QStringList finished;
    QString failure;
    QString refreshRefusal;
    TokenSet kept;

    const AuthSettings &settings() const override { return authSettings; }
    QString issuer() const override { return QStringLiteral("https://as.example.com"); }
    QJsonObject serverMetadata() const override { return metadata; }
    bool usesDefaultEndpoints() const override { return false; }
    QString parameter(const QString &name) const override { return params.value(name); }
    void propose(const QString &name, const QString &value) override { params.insert(name, value); }
    void markTampered(const QStringList &) override {}
    TokenStore &store() override { return tokenStore; }
    CredentialScope scope() const override { return {"c", params.value("resource"), issuer()}; }
    void setClient(const ClientRegistration &client) override { currentClient = client; }
    ClientRegistration client() const override { return currentClient; }
    void http(const QByteArray &, const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &,
              const QByteArray &, Then then) override
    {
        posts.append({url, {}, {}, std::move(then)});
    }
    void postForm(const QUrl &url, const Form &form, const ClientRegistration &client, Then then) override
    {
        posts.append({url, form, client, std::move(then)});
    }
    bool readTokens(const HttpExchange &ex, TokenSet *tokens, QString *why) const override
    {
        const QJsonObject o = QJsonDocument::fromJson(ex.responseBody).object();
        tokens->accessToken = o.value("access_token").toString().toUtf8();
        tokens->refreshToken = o.value("refresh_token").toString().toUtf8();
        *why = QStringLiteral("HTTP %1").arg(ex.status);
        return ex.status == 200 && !tokens->accessToken.isEmpty();
    }
    void keepTokens(const TokenSet &tokens) override { kept = tokens; }
    void recordExchange(const HttpExchange &) override {}
    void noteDecision(const QString &) override {}
    void showAuthorizationUrl(const QUrl &url) override { authorizationUrls.append(url); }
    void finishStep(const QString &decision, const QString & = {}) override { finished.append(decision); }
    void failStep(const QString &reason) override { failure = reason; }
    void refreshRefused(const QString &why) override { refreshRefusal = why; }

    QString formValue(int post, const QString &name) const
    {
        for (const auto &[key, value] : posts.value(post).form)
            if (key == name)
                return value;
        return {};
    }
    void answer(int post, int status, const QJsonObject &body)
    {
        HttpExchange ex;
        ex.status = status;
        ex.responseBody = QJsonDocument(body).toJson(QJsonDocument::Compact);
        posts[post].then(ex);
    }
};

// Brings an authorization code grant to the point where the redirect has arrived with this query, in which
// {state} stands for the state the grant sent.
bool redirectArrives(AuthorizationCodeGrant &grant, RecordingSteps &steps, QByteArray query)
{
    steps.authSettings.clientId = QStringLiteral("pre-registered");
    steps.authSettings.userAgent = AuthSettings::UserAgent::External;
    grant.runStep(0, steps); // client identity
    grant.runStep(1, steps); // authorization request: waits for the redirect
    if (steps.authorizationUrls.size() != 1)
        return false;
    query.replace("{state}", QUrl::toPercentEncoding(steps.params.value("state")));
    const QString redirectUri = steps.params.value("redirect_uri");
    QTcpSocket browser;
    browser.connectToHost(QHostAddress::LocalHost, quint16(QUrl(redirectUri).port()));
    if (!browser.waitForConnected(5000))
        return false;
    browser.write("GET /callback?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return QTest::qWaitFor([&] { return steps.finished.size() == 2; }, 5000);
}

} // namespace

class TestAuthGrants : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The client authenticates the way the authorization server can take: a private key when given, else
    // client_secret_post only where basic is not offered.
    void clientCredentialsChoosesTheAuthenticationMethod()
    {
        const auto methodFor = [](const QJsonArray &offered, const QByteArray &privateKey) {
            RecordingSteps steps;
            steps.authSettings.clientId = QStringLiteral("machine");
            steps.authSettings.privateKeyPem = privateKey;
            steps.metadata.insert("token_endpoint_auth_methods_supported", offered);
            ClientCredentialsGrant grant;
            grant.runStep(0, steps);
            return steps.posts.value(0).client.authMethod;
        };
        QCOMPARE(methodFor({"client_secret_basic", "client_secret_post"}, {}), "client_secret_basic");
        QCOMPARE(methodFor({"client_secret_post"}, {}), "client_secret_post");
        QCOMPARE(methodFor({"client_secret_post"}, "-----BEGIN PRIVATE KEY-----"), "private_key_jwt");
    }

    void clientCredentialsNeedsAClientAndKeepsTheTokens()
    {
        RecordingSteps steps;
        ClientCredentialsGrant grant;
        grant.runStep(0, steps);
        QVERIFY(steps.failure.contains(QLatin1String("pre-registered client ID")));
        QVERIFY(steps.posts.isEmpty());

        RecordingSteps ok;
        ok.authSettings.clientId = QStringLiteral("machine");
        ok.params.insert("scope", "read");
        ClientCredentialsGrant second;
        second.runStep(0, ok);
        QCOMPARE(ok.posts.size(), 1);
        QCOMPARE(ok.posts[0].url, QUrl("https://as.example.com/token"));
        QCOMPARE(ok.formValue(0, "grant_type"), "client_credentials");
        QCOMPARE(ok.formValue(0, "resource"), "https://mcp.example.com/mcp");
        QCOMPARE(ok.formValue(0, "scope"), "read");
        ok.answer(0, 200, {{"access_token", "at-1"}});
        QCOMPARE(ok.kept.accessToken, QByteArray("at-1"));
        QCOMPARE(ok.finished.size(), 1);
    }

    // Enterprise-managed: the ID token goes to the IdP only, and the assertion it returns to the issuer.
    void enterpriseGrantExchangesThenPresentsTheAssertion()
    {
        RecordingSteps steps;
        steps.authSettings.idpTokenEndpoint = QUrl("https://idp.example.com/token");
        steps.authSettings.idpIdToken = "id-token";
        JwtBearerGrant grant(JwtBearerGrant::Assertion::EnterpriseExchange);
        QCOMPARE(grant.stepNames(), QStringList({"token exchange", "JWT bearer grant"}));
        grant.runStep(0, steps);
        QCOMPARE(steps.posts[0].url, QUrl("https://idp.example.com/token"));
        QCOMPARE(steps.formValue(0, "subject_token"), "id-token");
        QCOMPARE(steps.formValue(0, "audience"), "https://as.example.com");
        steps.answer(0, 200, {{"access_token", "id-jag"}});
        grant.runStep(1, steps);
        QCOMPARE(steps.posts[1].url, QUrl("https://as.example.com/token"));
        QCOMPARE(steps.formValue(1, "assertion"), "id-jag");
        QVERIFY(!steps.formValue(1, "assertion").contains(QLatin1String("id-token")));

        RecordingSteps refused;
        refused.authSettings.idpTokenEndpoint = QUrl("https://idp.example.com/token");
        refused.authSettings.idpIdToken = "id-token";
        JwtBearerGrant second(JwtBearerGrant::Assertion::EnterpriseExchange);
        second.runStep(0, refused);
        refused.answer(0, 400, {{"error", "invalid_grant"}});
        QVERIFY2(refused.failure.contains(QLatin1String("refused the token exchange")),
                 qPrintable(refused.failure));
    }

    void workloadGrantPresentsItsOwnJwt()
    {
        RecordingSteps steps;
        steps.authSettings.workloadAssertion = "workload-jwt";
        JwtBearerGrant grant(JwtBearerGrant::Assertion::Workload);
        QCOMPARE(grant.stepNames().size(), 1);
        grant.runStep(0, steps);
        QCOMPARE(steps.formValue(0, "grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
        QCOMPARE(steps.formValue(0, "assertion"), "workload-jwt");
    }

    // A refused refresh token is forgotten, and the flow is told (it decides whether to authorize anew).
    void refusedRefreshIsForgotten()
    {
        RecordingSteps steps;
        steps.tokenStore.setTokens(steps.scope(), TokenSet{steps.issuer(), "old", "refresh-1", {}, {}, {}});
        RefreshGrant grant;
        grant.runStep(0, steps);
        QCOMPARE(steps.formValue(0, "refresh_token"), "refresh-1");
        steps.answer(0, 400, {{"error", "invalid_grant"}});
        QVERIFY(!steps.refreshRefusal.isEmpty());
        QVERIFY(steps.tokenStore.tokens(steps.scope()).refreshToken.isEmpty());

        RecordingSteps kept;
        kept.tokenStore.setTokens(kept.scope(), TokenSet{kept.issuer(), "old", "refresh-1", {}, {}, {}});
        RefreshGrant second;
        second.runStep(0, kept);
        kept.answer(0, 200, {{"access_token", "new"}});
        QCOMPARE(kept.kept.refreshToken, QByteArray("refresh-1")); // not rotated: the old one stays
    }

    void authorizationNeedsPkceS256()
    {
        RecordingSteps steps;
        steps.authSettings.clientId = QStringLiteral("pre-registered");
        steps.metadata.insert("code_challenge_methods_supported", QJsonArray{"plain"});
        AuthorizationCodeGrant grant;
        grant.runStep(0, steps);
        grant.runStep(1, steps);
        QVERIFY2(steps.failure.contains(QLatin1String("does not support PKCE S256")),
                 qPrintable(steps.failure));
        QVERIFY(steps.authorizationUrls.isEmpty());
    }

    void authorizationEndpointMustBeHttps()
    {
        RecordingSteps steps;
        steps.authSettings.clientId = QStringLiteral("pre-registered");
        steps.metadata.insert("authorization_endpoint", "file:///etc/passwd");
        AuthorizationCodeGrant grant;
        grant.runStep(0, steps);
        grant.runStep(1, steps);
        QVERIFY2(steps.failure.contains(QLatin1String("is not opened")), qPrintable(steps.failure));
        QVERIFY(steps.authorizationUrls.isEmpty());
    }

    // Anything on this machine can reach the loopback listener: without our state, even an error= is not
    // the authorization server's word, and the code is never used.
    void redirectWithoutOurStateIsRefused()
    {
        RecordingSteps steps;
        AuthorizationCodeGrant grant;
        QVERIFY(redirectArrives(grant, steps, "code=stolen&state=guess&error=access_denied"));
        grant.runStep(2, steps);
        QVERIFY2(steps.failure.startsWith(QLatin1String("state mismatch")), qPrintable(steps.failure));
    }

    // RFC 9207: iss compared exactly when present, required when the server advertises it; the code is
    // taken only after both checks.
    void redirectIssuerIsChecked_data()
    {
        QTest::addColumn<bool>("advertised");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QString>("failure"); // empty: the code is accepted
        QTest::newRow("advertised, missing") << true << QByteArray("code=c1&state={state}") << "iss missing";
        QTest::newRow("another issuer")
            << false << QByteArray("code=c1&state={state}&iss=https%3A%2F%2Fevil.example") << "iss mismatch";
        QTest::newRow("trailing slash")
            << true << QByteArray("code=c1&state={state}&iss=https%3A%2F%2Fas.example.com%2F")
            << "iss mismatch";
        QTest::newRow("matches") << true
                                 << QByteArray("code=c1&state={state}&iss=https%3A%2F%2Fas.example.com")
                                 << "";
        QTest::newRow("not advertised, absent") << false << QByteArray("code=c1&state={state}") << "";
        QTest::newRow("no code") << false << QByteArray("state={state}") << "carries no code";
    }
    void redirectIssuerIsChecked()
    {
        QFETCH(bool, advertised);
        QFETCH(QByteArray, query);
        QFETCH(QString, failure);
        RecordingSteps steps;
        steps.metadata.insert("authorization_response_iss_parameter_supported", advertised);
        AuthorizationCodeGrant grant;
        QVERIFY(redirectArrives(grant, steps, query));
        grant.runStep(2, steps);
        if (failure.isEmpty()) {
            QVERIFY2(steps.failure.isEmpty(), qPrintable(steps.failure));
            grant.runStep(3, steps);
            QCOMPARE(steps.formValue(0, "code"), "c1");
            QCOMPARE(steps.formValue(0, "code_verifier"), steps.params.value("code_verifier"));
        } else {
            QVERIFY2(steps.failure.contains(failure), qPrintable(steps.failure));
        }
    }

    // The grant stops listening when the flow ends: a late redirect is not taken.
    void stoppedGrantTakesNoRedirect()
    {
        RecordingSteps steps;
        steps.authSettings.clientId = QStringLiteral("pre-registered");
        steps.authSettings.userAgent = AuthSettings::UserAgent::External;
        AuthorizationCodeGrant grant;
        grant.runStep(0, steps);
        grant.runStep(1, steps);
        const quint16 port = quint16(QUrl(steps.params.value("redirect_uri")).port());
        grant.stop();
        QTcpSocket browser;
        browser.connectToHost(QHostAddress::LocalHost, port);
        const bool connected = browser.waitForConnected(2000);
        if (connected)
            browser.write("GET /callback?code=c1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QTest::qWait(200);
        QCOMPARE(steps.finished.size(), 1); // client identity only
        QVERIFY(steps.failure.isEmpty());
    }
};

QTEST_MAIN(TestAuthGrants)
#include "tst_authgrants.moc"
