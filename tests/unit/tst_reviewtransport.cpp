// core/review on how a server is reached: remote HTTP without TLS or authentication, TLS checks off, secrets
// on a stdio command line or in its environment, package commands that float on the latest version, and
// tokens with broad scopes, long lives or no audience. Each with a clean counterpart.
#include "review/review.h"
#include "traffic/redaction.h"

#include <QTest>

using namespace mcp;
using namespace mcp::review;

namespace {

QStringList rulesFor(const TransportConfig &config, bool authenticated = false, const QByteArray &token = {})
{
    ServerSnapshot s;
    s.name = QStringLiteral("server");
    s.transport = config;
    s.authenticated = authenticated;
    s.accessToken = token;
    QStringList rules;
    for (const Finding &f : reviewServers({s}))
        rules << f.ruleId;
    rules.sort();
    return rules;
}

TransportConfig remote(const char *url)
{
    TransportConfig c;
    c.kind = TransportConfig::Kind::Http;
    c.http.url = QUrl(QString::fromLatin1(url));
    return c;
}

TransportConfig stdio(const QString &commandLine)
{
    TransportConfig c;
    c.kind = TransportConfig::Kind::Stdio;
    c.stdio = StdioOptions::fromCommandLine(commandLine);
    return c;
}

// An unsigned JWT with these claims: the review reads claims, it does not verify.
QByteArray jwt(const char *claimsJson)
{
    const auto b64 = [](const QByteArray &b) {
        return b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    return b64(R"({"alg":"RS256","typ":"JWT"})") + '.' + b64(claimsJson) + '.' + b64("signature");
}

} // namespace

class TstReviewTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void remoteServers()
    {
        QCOMPARE(rulesFor(remote("http://mcp.example.com/mcp")),
                 (QStringList{QStringLiteral("transport.no-auth"), QStringLiteral("transport.plain-http")}));
        QCOMPARE(rulesFor(remote("https://mcp.example.com/mcp"), true), QStringList());
        QCOMPARE(rulesFor(remote("http://127.0.0.1:3000/mcp")), QStringList()); // loopback: nothing leaves
        QCOMPARE(rulesFor(remote("http://localhost:3000/mcp")), QStringList());
        TransportConfig insecure = remote("https://mcp.example.com/mcp");
        insecure.http.insecure = true;
        QCOMPARE(rulesFor(insecure, true), QStringList{QStringLiteral("transport.tls-unchecked")});
    }

    void secretsOnTheCommandLineAreMasked()
    {
        ServerSnapshot s;
        s.name = QStringLiteral("gh");
        s.transport = stdio(QStringLiteral("node server.js --api-key=sk-live123 --token ghp_abcdef /tmp"));
        const auto findings = reviewServers({s});
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings[0].ruleId, QStringLiteral("stdio.secret-in-arguments"));
        QCOMPARE(findings[0].evidence, QStringLiteral("node server.js --api-key=%1 --token %1 /tmp")
                                           .arg(QLatin1String(redaction::kMask)));
        QVERIFY(!findings[0].evidence.contains(QStringLiteral("ghp_")));
        QCOMPARE(rulesFor(stdio(QStringLiteral("node server.js --port 3000 /tmp"))), QStringList());
    }

    void secretsInTheEnvironment()
    {
        TransportConfig c = stdio(QStringLiteral("node server.js"));
        c.stdio.environment.insert(QStringLiteral("GITHUB_TOKEN"), QStringLiteral("ghp_secret"));
        c.stdio.environment.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("debug"));
        ServerSnapshot s;
        s.transport = c;
        const auto findings = reviewServers({s});
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings[0].ruleId, QStringLiteral("stdio.secret-in-environment"));
        QVERIFY(findings[0].evidence.startsWith(QStringLiteral("GITHUB_TOKEN")));
        QVERIFY(!findings[0].evidence.contains(QStringLiteral("ghp_secret")));
    }

    void floatingVersions_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<bool>("floats");
        QTest::newRow("npx without version") << "npx -y @modelcontextprotocol/server-filesystem /tmp" << true;
        QTest::newRow("npx @latest") << "npx -y @modelcontextprotocol/server-memory@latest" << true;
        QTest::newRow("npx caret range") << "npx mcp-server-x@^1.2.0" << true;
        QTest::newRow("npx pinned") << "npx -y @modelcontextprotocol/server-memory@2026.8.31" << false;
        QTest::newRow("npx pinned unscoped") << "npx mcp-server-x@1.2.3 --flag" << false;
        QTest::newRow("npm exec without version") << "npm exec mcp-server-x" << true;
        QTest::newRow("uvx without version") << "uvx mcp-server-fetch" << true;
        QTest::newRow("uvx pinned") << "uvx mcp-server-fetch==2025.4.7" << false;
        QTest::newRow("uvx --from pinned") << "uvx --from mcp-server-git==0.6.2 mcp-server-git" << false;
        QTest::newRow("docker no tag") << "docker run -i --rm mcp/fetch" << true;
        QTest::newRow("docker latest") << "docker run -i --rm -e TOKEN ghcr.io/org/server:latest" << true;
        QTest::newRow("docker tag") << "docker run -i --rm ghcr.io/org/server:1.4.2" << false;
        QTest::newRow("docker digest") << "docker run -i mcp/fetch@sha256:0123abcd" << false;
        QTest::newRow("node script") << "node build/index.js" << false;
    }

    void floatingVersions()
    {
        QFETCH(QString, command);
        QFETCH(bool, floats);
        const QStringList expected =
            floats ? QStringList{QStringLiteral("supply-chain.floating-version")} : QStringList();
        QCOMPARE(rulesFor(stdio(command)), expected);
    }

    void tokensAtHand()
    {
        const TransportConfig https = remote("https://mcp.example.com/mcp");
        QCOMPARE(rulesFor(https, true,
                          jwt(R"({"sub":"u","iat":1700000000,"exp":1702592000,"scope":"repo admin:org"})")),
                 (QStringList{QStringLiteral("token.broad-scope"), QStringLiteral("token.long-lived"),
                              QStringLiteral("token.no-audience")}));
        QCOMPARE(
            rulesFor(
                https, true,
                jwt(R"({"sub":"u","aud":"https://mcp.example.com/mcp","iat":1700000000,"exp":1700000900,)"
                    R"("scope":"files:read"})")),
            QStringList());
        // From the Authorization header, where the token is not given apart.
        TransportConfig withHeader = https;
        withHeader.http.headers.append({"Authorization", "Bearer " + jwt(R"({"sub":"u","aud":"x"})")});
        QCOMPARE(rulesFor(withHeader, true), QStringList{QStringLiteral("token.long-lived")});
        QCOMPARE(rulesFor(https, true, "opaque-token-value"), QStringList()); // says nothing about itself
    }
};

QTEST_GUILESS_MAIN(TstReviewTransport)
#include "tst_reviewtransport.moc"
