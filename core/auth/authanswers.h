#pragma once

// Reading an authorization server's JSON answers: shared by the steps of a flow.
#include "../transport/transport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace mcp::auth {

inline QJsonObject jsonObjectOf(const HttpExchange &ex)
{
    return QJsonDocument::fromJson(ex.responseBody).object();
}

inline bool isJsonObject(const HttpExchange &ex)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(ex.responseBody, &err);
    return err.error == QJsonParseError::NoError && doc.isObject();
}

inline QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &e : v.toArray())
        out << e.toString();
    return out;
}

inline QString describeFailure(const HttpExchange &ex)
{
    if (ex.status == 0)
        return ex.error.isEmpty() ? QStringLiteral("no response") : ex.error;
    const QJsonObject o = jsonObjectOf(ex);
    QString s = QStringLiteral("HTTP %1").arg(ex.status);
    if (o.contains(QLatin1String("error")))
        s += QStringLiteral(" %1").arg(o.value(QLatin1String("error")).toString());
    if (o.contains(QLatin1String("error_description")))
        s += QStringLiteral(" (%1)").arg(o.value(QLatin1String("error_description")).toString());
    return s;
}

} // namespace mcp::auth
