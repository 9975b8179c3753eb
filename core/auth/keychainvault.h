#pragma once

#include "tokenvault.h"

namespace QKeychain {
class Job;
}

namespace mcp::auth {

// The system keychain through qtkeychain (Secret Service on Linux, the Keychain on macOS, the Credential
// Manager on Windows), service "mcp-workbench". A first read tells whether it works; where it does not (no
// Secret Service on D-Bus, the usual case in CI and headless, or a build without qtkeychain) name() says why
// and the tokens stay in memory. qtkeychain's insecure plain-file fallback is never used.
class KeychainVault : public TokenVault
{
    Q_OBJECT
public:
    static constexpr const char *service = "mcp-workbench";

    explicit KeychainVault(QObject *parent = nullptr);

    QString name() const override;
    bool isUsable() const override { return m_state != State::Unusable; }
    bool isBusy() const override { return m_jobs > 0; }

    void read(const QString &key, QObject *context, std::function<void(const QByteArray &)> done) override;
    void write(const QString &key, const QByteArray &secret) override;
    void remove(const QString &key) override;

private:
    enum class State { Checking, Usable, Unusable };
    void setState(State state, const QString &reason = {});
    // Runs a job; then gets it when it is done, after its outcome has set the state.
    void start(QKeychain::Job *job, const QString &key, std::function<void(QKeychain::Job *)> then);

    State m_state = State::Checking;
    QString m_reason;
    int m_jobs = 0;
};

} // namespace mcp::auth
