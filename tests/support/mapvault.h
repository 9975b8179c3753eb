#pragma once

#include "auth/tokenvault.h"

#include <QHash>
#include <QTimer>

namespace testsupport {

// A vault in a map, answering later like a keychain; it can be made to fail like one.
class MapVault : public mcp::auth::TokenVault
{
    Q_OBJECT
public:
    QHash<QString, QByteArray> secrets;
    QString failure; // non-empty: every call fails with it

    QString name() const override
    {
        return failure.isEmpty() ? QStringLiteral("test vault")
                                 : QStringLiteral("memory only (no system keychain: %1)").arg(failure);
    }
    bool isUsable() const override { return failure.isEmpty(); }
    bool isBusy() const override { return false; }
    void read(const QString &key, QObject *context, std::function<void(const QByteArray &)> done) override
    {
        QTimer::singleShot(1, context,
                           [this, key, done] { done(isUsable() ? secrets.value(key) : QByteArray()); });
    }
    void write(const QString &key, const QByteArray &secret) override
    {
        if (isUsable())
            secrets.insert(key, secret);
    }
    void remove(const QString &key) override
    {
        if (isUsable())
            secrets.remove(key);
    }
};

} // namespace testsupport
