// TokenStore over a vault: tokens survive a new store (a restart) through the vault, DPoP-bound tokens do
// not, a failing vault never loses a token of the running session, clear() reaches entries not loaded yet,
// and a flow after a "restart" refreshes with the kept refresh token instead of authorizing again. The system
// keychain without a D-Bus session falls back to memory and says why (tests/unit/keychain_roundtrip.sh tries
// a real one).
#include "auth/keychainvault.h"
#include "auth/tokenstore.h"
#include "auth/tokenvault.h"
#include "mapvault.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace mcp::auth;
using testsupport::MapVault;

namespace {

TokenSet bearer(const QString &issuer)
{
    TokenSet t;
    t.issuer = issuer;
    t.accessToken = "access-1";
    t.refreshToken = "refresh-1";
    t.scopes = {QStringLiteral("read"), QStringLiteral("write")};
    t.expiresAt = QDateTime::currentDateTimeUtc().addSecs(3600).toOffsetFromUtc(0);
    t.expiresAt.setTime(QTime(t.expiresAt.time().hour(), t.expiresAt.time().minute(), 0)); // ISO: seconds
    return t;
}

// The scope of a connection to the test's one MCP server at an issuer.
CredentialScope scope(const QString &connection, const QString &issuer)
{
    return {connection, QStringLiteral("https://mcp.example/mcp"), issuer};
}

// Loads synchronously for the test; false when done never ran.
bool load(TokenStore &store, const QString &connection, const QString &issuer)
{
    QObject context;
    bool done = false;
    store.load(scope(connection, issuer), &context, [&done] { done = true; });
    return QTest::qWaitFor([&done] { return done; }, 5000);
}

} // namespace

class TestTokenStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void survivesANewStoreThroughTheVault()
    {
        auto vault = std::make_shared<MapVault>();
        const QString issuer = QStringLiteral("https://as.example");
        {
            TokenStore store(vault);
            store.setTokens(scope(QStringLiteral("conn-1"), issuer), bearer(issuer));
            store.setRegistration(scope(QStringLiteral("conn-1"), issuer),
                                  {issuer, "client-1", "s3cret", "client_secret_basic",
                                   "dynamic registration", "http://127.0.0.1:4711/callback"});
        }
        QCOMPARE(vault->secrets.keys(),
                 QStringList{QStringLiteral("conn-1|https://mcp.example/mcp|https://as.example")});
        const QJsonObject secret = QJsonDocument::fromJson(vault->secrets.constBegin().value()).object();
        QCOMPARE(secret.value("tokens").toObject().value("refresh_token").toString(),
                 QStringLiteral("refresh-1"));
        QCOMPARE(secret.value("client").toObject().value("client_id").toString(), QStringLiteral("client-1"));

        TokenStore restarted(vault);
        QVERIFY(!restarted.tokens(scope(QStringLiteral("conn-1"), issuer)).isValid()); // not before load()
        QVERIFY(load(restarted, QStringLiteral("conn-1"), issuer));
        const TokenSet t = restarted.tokens(scope(QStringLiteral("conn-1"), issuer));
        const TokenSet original = bearer(issuer);
        QCOMPARE(t.accessToken, original.accessToken);
        QCOMPARE(t.refreshToken, original.refreshToken);
        QCOMPARE(t.scopes, original.scopes);
        QCOMPARE(t.tokenType, QStringLiteral("Bearer"));
        QCOMPARE(t.expiresAt, original.expiresAt);
        const ClientRegistration c = restarted.registration(scope(QStringLiteral("conn-1"), issuer));
        QCOMPARE(c.clientId, QStringLiteral("client-1"));
        QCOMPARE(c.clientSecret, QByteArray("s3cret"));
        QCOMPARE(c.redirectUri, QStringLiteral("http://127.0.0.1:4711/callback"));
        // Per connection and per issuer: nothing for another one.
        QVERIFY(load(restarted, QStringLiteral("conn-2"), issuer));
        QVERIFY(!restarted.tokens(scope(QStringLiteral("conn-2"), issuer)).isValid());
        QVERIFY(load(restarted, QStringLiteral("conn-1"), QStringLiteral("https://other.example")));
        QVERIFY(!restarted.tokens(scope(QStringLiteral("conn-1"), QStringLiteral("https://other.example")))
                     .isValid());
    }

    void memoryWinsOverAnOlderVaultEntry()
    {
        auto vault = std::make_shared<MapVault>();
        const QString issuer = QStringLiteral("https://as.example");
        TokenStore(vault).setTokens(scope(QStringLiteral("c"), issuer), bearer(issuer));
        TokenStore store(vault);
        QObject context;
        bool done = false;
        store.load(scope(QStringLiteral("c"), issuer), &context, [&done] { done = true; });
        TokenSet newer = bearer(issuer);
        newer.accessToken = "access-2"; // a flow finished while the keychain was still answering
        store.setTokens(scope(QStringLiteral("c"), newer.issuer), newer);
        QTRY_VERIFY(done);
        QCOMPARE(store.tokens(scope(QStringLiteral("c"), issuer)).accessToken, QByteArray("access-2"));
    }

    void dpopBoundTokensStayInMemory()
    {
        auto vault = std::make_shared<MapVault>();
        TokenSet t = bearer(QStringLiteral("https://as.example"));
        t.tokenType = QStringLiteral("DPoP");
        TokenStore store(vault);
        store.setTokens(scope(QStringLiteral("c"), t.issuer), t);
        QVERIFY(vault->secrets.isEmpty()); // its key never leaves the process, so neither does the token
        QCOMPARE(store.tokens(scope(QStringLiteral("c"), t.issuer)).accessToken, QByteArray("access-1"));
    }

    void failingVaultKeepsTheTokenForTheSession()
    {
        auto vault = std::make_shared<MapVault>();
        vault->failure = QStringLiteral("access denied by user");
        TokenStore store(vault);
        store.setTokens(scope(QStringLiteral("c"), QStringLiteral("https://as.example")),
                        bearer(QStringLiteral("https://as.example")));
        QCOMPARE(store.tokens(scope(QStringLiteral("c"), QStringLiteral("https://as.example"))).accessToken,
                 QByteArray("access-1"));
        QVERIFY(load(store, QStringLiteral("c"), QStringLiteral("https://as.example")));
        QCOMPARE(store.tokens(scope(QStringLiteral("c"), QStringLiteral("https://as.example"))).refreshToken,
                 QByteArray("refresh-1"));
        QVERIFY2(store.storeName().contains(QStringLiteral("memory only")), qPrintable(store.storeName()));
        QVERIFY(store.storeName().contains(QStringLiteral("access denied by user")));
    }

    void clearReachesEntriesNotLoadedYet()
    {
        auto vault = std::make_shared<MapVault>();
        TokenStore(vault).setTokens(scope(QStringLiteral("c"), QStringLiteral("https://a.example")),
                                    bearer(QStringLiteral("https://a.example")));
        TokenStore(vault).setTokens(scope(QStringLiteral("c"), QStringLiteral("https://b.example")),
                                    bearer(QStringLiteral("https://b.example")));
        TokenStore(vault).setTokens(scope(QStringLiteral("other"), QStringLiteral("https://a.example")),
                                    bearer(QStringLiteral("https://a.example")));
        QCOMPARE(vault->secrets.size(), 3);

        TokenStore store(vault);
        QVERIFY(load(store, QStringLiteral("c"), QStringLiteral("https://a.example")));
        store.clear(QStringLiteral("c"));
        QVERIFY(!store.tokens(scope(QStringLiteral("c"), QStringLiteral("https://a.example"))).isValid());
        QVERIFY(!vault->secrets.contains(QStringLiteral("c|https://mcp.example/mcp|https://a.example")));
        // b was never loaded: asking for it now deletes it instead.
        QVERIFY(load(store, QStringLiteral("c"), QStringLiteral("https://b.example")));
        QVERIFY(!store.tokens(scope(QStringLiteral("c"), QStringLiteral("https://b.example"))).isValid());
        QCOMPARE(vault->secrets.keys(),
                 QStringList{QStringLiteral("other|https://mcp.example/mcp|https://a.example")});
        // New tokens after the clear are kept again.
        store.setTokens(scope(QStringLiteral("c"), QStringLiteral("https://a.example")),
                        bearer(QStringLiteral("https://a.example")));
        QVERIFY(vault->secrets.contains(QStringLiteral("c|https://mcp.example/mcp|https://a.example")));
    }

    void removedTokensLeaveTheRegistration()
    {
        auto vault = std::make_shared<MapVault>();
        const QString issuer = QStringLiteral("https://as.example");
        TokenStore store(vault);
        store.setRegistration(scope(QStringLiteral("c"), issuer),
                              {issuer, "client-1", {}, "none", "dynamic registration", {}});
        store.setTokens(scope(QStringLiteral("c"), issuer), bearer(issuer));
        store.removeTokens(scope(QStringLiteral("c"), issuer)); // a refused refresh
        const QJsonObject secret =
            QJsonDocument::fromJson(vault->secrets.value(scope(QStringLiteral("c"), issuer).key())).object();
        QVERIFY(!secret.contains("tokens"));
        QCOMPARE(secret.value("client").toObject().value("client_id").toString(), QStringLiteral("client-1"));
    }

    void memoryOnlyWithoutVault()
    {
        TokenStore store;
        QCOMPARE(store.storeName(), QStringLiteral("memory only (this process)"));
        QVERIFY(load(store, QStringLiteral("c"), QStringLiteral("https://as.example")));
    }

    // No Secret Service (no D-Bus session bus at all): the keychain says why, and tokens stay usable in
    // memory.
    void keychainWithoutDbusFallsBackToMemory()
    {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mcpwb-test-bus");
        qunsetenv("DISPLAY"); // no D-Bus autolaunch through X11 either
        auto vault = std::make_shared<KeychainVault>();
        // A build without qtkeychain knows at once, in the constructor (before anyone can connect); with it,
        // the first keychain job finds out and says so.
        const bool knownAtOnce = !vault->isUsable();
        QSignalSpy named(vault.get(), &TokenVault::nameChanged);
        TokenStore store(vault);
        const TokenSet t = bearer(QStringLiteral("https://as.example"));
        store.setTokens(scope(QStringLiteral("c"), t.issuer), t);
        QCOMPARE(store.tokens(scope(QStringLiteral("c"), t.issuer)).accessToken, QByteArray("access-1"));
        QTRY_VERIFY_WITH_TIMEOUT(!vault->isUsable(), 10000);
        QVERIFY(knownAtOnce || !named.isEmpty());
        const QString name = store.storeName();
        QVERIFY2(name.startsWith(QStringLiteral("memory only (no system keychain: ")), qPrintable(name));
        QVERIFY2(name.size() > QStringLiteral("memory only (no system keychain: )").size() + 3,
                 qPrintable(name));
        qInfo("store: %s", qPrintable(name));
        // The token is still there, and a load (the next flow) finds it in memory.
        QVERIFY(load(store, QStringLiteral("c"), t.issuer));
        QCOMPARE(store.tokens(scope(QStringLiteral("c"), t.issuer)).refreshToken, QByteArray("refresh-1"));
        QTRY_VERIFY_WITH_TIMEOUT(!vault->isBusy(), 10000);
    }
};

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
