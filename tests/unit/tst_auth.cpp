// core/auth against a small in-process fake authorization + resource server (QTcpServer on 127.0.0.1):
// each discovery fallback, each refusal the flow must make (wrong state, iss mismatch, no PKCE, resource
// mismatch), tampering at a pause, and the rules for the addresses a flow may contact, reach and open.
// The token inspector is in tst_tokeninspector, DPoP in tst_dpop.
#include "auth/authflow.h"
#include "auth/discovery.h"
#include "auth/loopbackredirectlistener.h"
#include "auth/pkce.h"
#include "fakeauthserver.h"
#include "mapvault.h"
#include "traffic/redaction.h"
#include "transport/urlpolicy.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace mcp::auth;
using namespace fakeauth;

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
};

QTEST_MAIN(TestAuth)
#include "tst_auth.moc"
