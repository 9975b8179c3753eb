#pragma once

#include <QObject>
#include <QPointer>
#include <functional>

namespace mcp::auth {

// Where tokens outlive the process. Every call returns at once and the work happens in the background (a
// keychain may even ask the user to unlock it first): the core never blocks on it.
class TokenVault : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // For the user: "system keychain (Secret Service)", or "memory only (no system keychain: <reason>)"
    // once it turned out to be unusable.
    virtual QString name() const = 0;
    // False once the vault failed; it then stays unusable and its calls do nothing (reads find nothing).
    virtual bool isUsable() const = 0;
    // True while calls are still being carried out (a process that ends wants to wait for its writes).
    virtual bool isBusy() const = 0;

    // Calls done(secret) unless context is gone by then; the secret is empty when there is none.
    virtual void read(const QString &key, QObject *context, std::function<void(const QByteArray &)> done) = 0;
    virtual void write(const QString &key, const QByteArray &secret) = 0;
    virtual void remove(const QString &key) = 0;

Q_SIGNALS:
    void nameChanged(); // usable or not is known now, or the vault failed
    void settled();     // the last call in flight is done
};

} // namespace mcp::auth
