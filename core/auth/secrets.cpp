#include "secrets.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace mcp::auth {

namespace {

const QStringList &secretFields()
{
    static const QStringList fields{QStringLiteral("access_token"), QStringLiteral("refresh_token"),
                                    QStringLiteral("id_token"),     QStringLiteral("client_secret"),
                                    QStringLiteral("code"),         QStringLiteral("code_verifier"),
                                    QStringLiteral("assertion"),    QStringLiteral("client_assertion"),
                                    QStringLiteral("subject_token")};
    return fields;
}

QByteArray maskForm(const QByteArray &form)
{
    QUrlQuery q(QString::fromUtf8(form));
    bool changed = false;
    for (const QString &f : secretFields())
        if (q.hasQueryItem(f)) {
            const QString v = q.queryItemValue(f, QUrl::FullyDecoded);
            q.removeAllQueryItems(f);
            q.addQueryItem(f, maskSecret(v.toUtf8()));
            changed = true;
        }
    return changed ? q.toString(QUrl::FullyEncoded).toUtf8() : form;
}

QByteArray maskBody(const QByteArray &body)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error == QJsonParseError::NoError && doc.isObject()) {
        QJsonObject o = doc.object();
        bool changed = false;
        for (const QString &f : secretFields())
            if (o.value(f).isString()) {
                o.insert(f, maskSecret(o.value(f).toString().toUtf8()));
                changed = true;
            }
        return changed ? QJsonDocument(o).toJson(QJsonDocument::Compact) : body;
    }
    if (body.contains('=') && !body.contains('\n'))
        return maskForm(body);
    return body;
}

QByteArray maskHeader(const QByteArray &name, const QByteArray &value)
{
    const QByteArray n = name.toLower();
    if (n == "authorization") {
        const int space = value.indexOf(' ');
        return space > 0 ? value.left(space + 1) + maskSecret(value.mid(space + 1)).toUtf8()
                         : maskSecret(value).toUtf8();
    }
    if (n == "dpop" || n == "cookie" || n == "set-cookie")
        return maskSecret(value).toUtf8();
    if (n == "location") {
        QUrl u(QString::fromUtf8(value));
        u.setQuery(QString::fromUtf8(maskForm(u.query(QUrl::FullyEncoded).toUtf8())));
        return u.toEncoded();
    }
    return value;
}

} // namespace

QString maskSecret(const QByteArray &secret)
{
    if (secret.size() <= 8)
        return QStringLiteral("…(%1 chars)").arg(secret.size());
    return QString::fromUtf8(secret.left(4)) + QStringLiteral("…(%1 chars)").arg(secret.size());
}

HttpExchange maskedExchange(const HttpExchange &exchange)
{
    HttpExchange m = exchange;
    for (auto &[name, value] : m.requestHeaders)
        value = maskHeader(name, value);
    for (auto &[name, value] : m.responseHeaders)
        value = maskHeader(name, value);
    // A redirect's body often repeats its Location ("Found. Redirecting to …?code=…").
    for (const auto &[name, value] : exchange.responseHeaders)
        if (name.compare("Location", Qt::CaseInsensitive) == 0 && !value.isEmpty())
            m.responseBody.replace(value, maskHeader(name, value));
    m.requestBody = maskBody(m.requestBody);
    m.responseBody = maskBody(m.responseBody);
    QUrl url = m.url;
    url.setQuery(QString::fromUtf8(maskForm(url.query(QUrl::FullyEncoded).toUtf8())));
    m.url = url;
    return m;
}

} // namespace mcp::auth
