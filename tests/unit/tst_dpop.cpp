// DPoP (RFC 9449): proofs and their structure, JWK thumbprints (RFC 7638), the algorithm chosen, and the
// nonce retries of the authorization server and of the MCP server, against the fake servers on 127.0.0.1.
#include "auth/authflow.h"
#include "auth/dpop.h"
#include "auth/jwt.h"
#include "auth/oauthprovider.h"
#include "fakeauthserver.h"
#include "transport/httptransport.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>
#include <optional>

using namespace mcp::auth;
using namespace fakeauth;

class TestDpop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
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
};

QTEST_MAIN(TestDpop)
#include "tst_dpop.moc"
