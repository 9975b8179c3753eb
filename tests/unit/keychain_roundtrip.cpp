// One step of the real keychain round trip (keychain_roundtrip.sh runs each in a new process):
//   store         keeps a token set and a client registration, and waits until the keychain has them
//   load          a new store finds both again
//   forget        clear() deletes them from the keychain
//   load-nothing  a new store finds nothing
// Fails with the reason when the keychain is not usable.
#include "auth/keychainvault.h"
#include "auth/tokenstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTextStream>
#include <QTimer>

using namespace mcp::auth;

namespace {

const QString connection = QStringLiteral("roundtrip-connection");
const QString issuer = QStringLiteral("https://as.example/tenant");
const CredentialScope scope{connection, QStringLiteral("https://mcp.example/mcp"), issuer};

int fail(const QString &why)
{
    QTextStream(stderr) << "keychain_roundtrip: " << why << '\n';
    return 1;
}

// Runs the event loop until the vault has nothing in flight (the availability check included), 10 s at most.
void settle(TokenVault &vault)
{
    for (int i = 0; i < 200 && vault.isBusy(); ++i) {
        QEventLoop loop;
        QObject::connect(&vault, &TokenVault::settled, &loop, &QEventLoop::quit);
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

bool load(TokenStore &store)
{
    bool done = false;
    QEventLoop loop;
    store.load(scope, &loop, [&] {
        done = true;
        loop.quit();
    });
    if (!done) {
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QString step = app.arguments().value(1);
    auto vault = std::make_shared<KeychainVault>();
    TokenStore store(vault);
    settle(*vault);
    if (!vault->isUsable())
        return fail(store.storeName());
    QTextStream(stdout) << step << ": tokens kept in " << store.storeName() << '\n';

    if (step == QLatin1String("store")) {
        TokenSet t;
        t.issuer = issuer;
        t.accessToken = "access-roundtrip";
        t.refreshToken = "refresh-roundtrip";
        t.scopes = {QStringLiteral("mcp")};
        t.expiresAt = QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC);
        store.setTokens(scope, t);
        store.setRegistration(scope, {issuer, "client-roundtrip", {}, "none", "dynamic registration", {}});
    } else if (step == QLatin1String("load") || step == QLatin1String("load-nothing")) {
        if (!load(store))
            return fail(QStringLiteral("load never finished"));
        const TokenSet t = store.tokens(scope);
        const ClientRegistration c = store.registration(scope);
        if (step == QLatin1String("load-nothing"))
            return t.isValid() || !c.clientId.isEmpty() ? fail(QStringLiteral("forgotten tokens came back"))
                                                        : 0;
        if (t.accessToken != "access-roundtrip" || t.refreshToken != "refresh-roundtrip" ||
            t.expiresAt != QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC) ||
            t.scopes != QStringList{QStringLiteral("mcp")} || c.clientId != QLatin1String("client-roundtrip"))
            return fail(
                QStringLiteral("the keychain gave back something else (access token \"%1\", client \"%2\")")
                    .arg(QString::fromUtf8(t.accessToken), c.clientId));
    } else if (step == QLatin1String("forget")) {
        if (!load(store))
            return fail(QStringLiteral("load never finished"));
        store.clear(connection);
    } else {
        return fail(QStringLiteral("usage: keychain_roundtrip store|load|forget|load-nothing"));
    }
    settle(*vault);
    return vault->isUsable() ? 0 : fail(store.storeName());
}
