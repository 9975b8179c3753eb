// Authorization end to end against the MCP TypeScript SDK's example OAuth server (@modelcontextprotocol/sdk
// 1.32.2, examples/server/simpleStreamableHttp.js --oauth): 401 → PRM → AS metadata → dynamic registration →
// PKCE authorization (redirect followed directly; the demo /authorize approves by itself) → token → the
// session initializes and calls `greet`. Then a refresh: the demo AS issues no refresh token (and its
// exchangeRefreshToken is "Not implemented"), so the refresh must stop with a clear reason; dropping the
// token then makes the next request run a fresh authorization, and the tool call works again. The example AS
// serves an introspection endpoint: the token inspector asks it about the (opaque) access token.
#include "auth/oauthprovider.h"
#include "session/clientsession.h"
#include "testsupport.h"
#include "transport/httptransport.h"

#include <QSignalSpy>

using namespace mcp;

class TestOAuthSdk : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fullFlowToolCallAndRefresh()
    {
        MCPWB_REQUIRE_PEERS();
        quint16 port = 0;
        quint16 authPort = 0;
        testsupport::PeerProcess peer;
        QVERIFY2(peer.startOAuthExample(&port, &authPort), qPrintable(peer.output()));
        const QUrl url(QStringLiteral("http://localhost:%1/mcp").arg(port));
        auth::AuthSettings settings;
        settings.userAgent = auth::AuthSettings::UserAgent::FollowRedirect;
        auto provider = std::make_shared<auth::OAuthProvider>(settings, url, QStringLiteral("sdk-example"));
        QSignalSpy finishedFlows(provider.get(), &auth::OAuthProvider::flowFinished);
        QSignalSpy failedFlows(provider.get(), &auth::OAuthProvider::flowFailed);

        HttpOptions options;
        options.url = url;
        options.auth = provider;
        SessionOptions sessionOptions;
        sessionOptions.protocolVersion = QStringLiteral("2025-11-25");
        ClientSession session(new HttpTransport(options), nullptr, sessionOptions);
        QSignalSpy ready(&session, &ClientSession::ready);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        QCOMPARE(finishedFlows.count(), 1);
        const auth::AuthFlow *flow = provider->currentFlow();
        QCOMPARE(flow->steps().size(), 7);
        QVERIFY(flow->steps().at(3).decision.startsWith("registered as client"));
        QCOMPARE(provider->issuer(), QStringLiteral("http://localhost:%1/").arg(authPort));
        QVERIFY(provider->authorization().startsWith("Bearer "));

        const auto greet = [&session] {
            Reply reply;
            bool done = false;
            session.request(QStringLiteral("tools/call"),
                            {{"name", "greet"}, {"arguments", {{"name", "Ada"}}}}, [&](const Reply &r) {
                                reply = r;
                                done = true;
                            });
            if (!QTest::qWaitFor([&done] { return done; }, 15000))
                reply.error =
                    makeError(Error::Category::Timeout, QStringLiteral("test"), QStringLiteral("no reply"));
            return reply;
        };
        Reply r = greet();
        QVERIFY2(r.ok(), qPrintable(r.error.toString()));
        QVERIFY(r.result.dump().find("Hello, Ada!") != std::string::npos);

        // The example's AS serves /introspect but names it only in the metadata it hands its own resource
        // server, not in the metadata it publishes: give the endpoint explicitly.
        auth::InspectOptions inspect = flow->inspectOptions();
        QVERIFY(inspect.introspectionEndpoint.isEmpty());
        inspect.introspectionEndpoint = QUrl(QStringLiteral("http://localhost:%1/introspect").arg(authPort));
        auth::TokenInspector inspector;
        QSignalSpy reports(&inspector, &auth::TokenInspector::finished);
        inspector.inspect(provider->currentTokens().accessToken, inspect);
        QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 1, 10000);
        const auth::TokenReport report = reports.first().first().value<auth::TokenReport>();
        QVERIFY(!report.isJwt);
        QString checks;
        for (const auth::TokenCheck &c : report.checks)
            checks +=
                QStringLiteral("[%1] %2: %3\n").arg(auth::TokenCheck::resultName(c.result), c.name, c.detail);
        QVERIFY2(report.introspection.value("active").toBool(), qPrintable(checks));
        QVERIFY2(report.claims.value("scope").toString().contains("mcp:tools"), qPrintable(checks));
        QCOMPARE(report.claims.value("client_id").toString(),
                 provider->currentFlow()->inspectOptions().introspectionClient.clientId);

        // The same through mcpwb: active, and a made-up token is not.
        const QString introspect = inspect.introspectionEndpoint.toString();
        testsupport::CliRun cli =
            testsupport::runMcpwb({QStringLiteral("token"), QStringLiteral("inspect"),
                                   QString::fromUtf8(provider->currentTokens().accessToken),
                                   QStringLiteral("--introspect"), introspect});
        QVERIFY2(cli.exitCode == 0, cli.out + cli.err);
        QVERIFY2(cli.out.contains("claims (from introspection):") && cli.out.contains("[ok] active:"),
                 cli.out);
        cli = testsupport::runMcpwb({QStringLiteral("token"), QStringLiteral("inspect"),
                                     QStringLiteral("made-up-token"), QStringLiteral("--introspect"),
                                     introspect});
        QCOMPARE(cli.exitCode, 2);
        QVERIFY2(cli.out.contains("[FAIL] active: the authorization server says the token is not active"),
                 cli.out);

        provider->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(failedFlows.count(), 1, 10000);
        const Error refreshError = failedFlows.first().first().value<Error>();
        QCOMPARE(refreshError.step, QStringLiteral("authorization: refresh"));
        QVERIFY2(refreshError.message.contains("no refresh token"), qPrintable(refreshError.toString()));

        provider->store().removeTokens(provider->currentFlow()->scope());
        QVERIFY(provider->authorization().isEmpty());
        r = greet(); // 401 → a new authorization (the registration is reused) → re-sent
        QVERIFY2(r.ok(), qPrintable(r.error.toString()));
        QCOMPARE(finishedFlows.count(), 2);
        QVERIFY(provider->currentFlow()->steps().at(3).decision.contains(
            "earlier with this authorization server"));
        session.close();
    }
};

QTEST_MAIN(TestOAuthSdk)
#include "tst_oauth_sdk.moc"
