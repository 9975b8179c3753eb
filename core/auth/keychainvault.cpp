#include "keychainvault.h"

#include <QTimer>

#ifdef MCPWB_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace mcp::auth {

namespace {

QString backendName()
{
#if defined(Q_OS_MACOS)
    return QStringLiteral("macOS Keychain");
#elif defined(Q_OS_WIN)
    return QStringLiteral("Windows Credential Manager");
#else
    return QStringLiteral("Secret Service");
#endif
}

} // namespace

KeychainVault::KeychainVault(QObject *parent) : TokenVault(parent)
{
#ifdef MCPWB_QTKEYCHAIN
    // A key that is never written: "not found" means the keychain answers.
    read(QStringLiteral("availability check"), this, [](const QByteArray &) {});
#else
    setState(State::Unusable, QStringLiteral("this build has no qtkeychain"));
#endif
}

QString KeychainVault::name() const
{
    switch (m_state) {
    case State::Checking:
        return QStringLiteral("system keychain (%1, being checked)").arg(backendName());
    case State::Usable:
        return QStringLiteral("system keychain (%1)").arg(backendName());
    case State::Unusable:
        break;
    }
    return QStringLiteral("memory only (no system keychain: %1)").arg(m_reason);
}

void KeychainVault::setState(State state, const QString &reason)
{
    if (state == m_state || m_state == State::Unusable)
        return;
    m_state = state;
    m_reason = reason.isEmpty() ? QStringLiteral("unknown error") : reason;
    Q_EMIT nameChanged();
}

#ifdef MCPWB_QTKEYCHAIN

void KeychainVault::start(QKeychain::Job *job, const QString &key, std::function<void(QKeychain::Job *)> then)
{
    ++m_jobs;
    job->setKey(key);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain file
    connect(job, &QKeychain::Job::finished, this, [this, then](QKeychain::Job *done) {
        if (done->error() == QKeychain::NoError || done->error() == QKeychain::EntryNotFound)
            setState(State::Usable);
        else
            setState(State::Unusable, done->errorString());
        then(done);
        if (--m_jobs == 0)
            Q_EMIT settled();
    });
    job->start();
}

void KeychainVault::read(const QString &key, QObject *context, std::function<void(const QByteArray &)> done)
{
    if (!isUsable()) {
        QTimer::singleShot(0, context, [done] { done({}); });
        return;
    }
    const QPointer<QObject> alive(context);
    start(new QKeychain::ReadPasswordJob(QLatin1String(service)), key, [alive, done](QKeychain::Job *job) {
        if (alive)
            done(job->error() == QKeychain::NoError
                     ? static_cast<QKeychain::ReadPasswordJob *>(job)->binaryData()
                     : QByteArray());
    });
}

void KeychainVault::write(const QString &key, const QByteArray &secret)
{
    if (!isUsable())
        return;
    auto *job = new QKeychain::WritePasswordJob(QLatin1String(service));
    job->setBinaryData(secret);
    start(job, key, [](QKeychain::Job *) {});
}

void KeychainVault::remove(const QString &key)
{
    if (isUsable())
        start(new QKeychain::DeletePasswordJob(QLatin1String(service)), key, [](QKeychain::Job *) {});
}

#else // without qtkeychain: nothing is kept, nothing is found

void KeychainVault::read(const QString &, QObject *context, std::function<void(const QByteArray &)> done)
{
    QTimer::singleShot(0, context, [done] { done({}); });
}

void KeychainVault::write(const QString &, const QByteArray &)
{}

void KeychainVault::remove(const QString &)
{}

#endif

} // namespace mcp::auth
