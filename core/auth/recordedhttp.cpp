#include "recordedhttp.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace mcp::auth {

void sendRecorded(QNetworkAccessManager *nam, const QByteArray &verb, const QUrl &url,
                  const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                  QObject *context, std::function<void(const HttpExchange &)> done)
{
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setTransferTimeout(15000);
    for (const auto &[name, value] : headers)
        req.setRawHeader(name, value);
    HttpExchange ex;
    ex.started = QDateTime::currentDateTimeUtc();
    ex.method = verb;
    ex.url = url;
    for (const QByteArray &name : req.rawHeaderList())
        ex.requestHeaders.append({name, req.rawHeader(name)});
    ex.requestBody = body;
    QNetworkReply *reply = nam->sendCustomRequest(req, verb, body);
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, ex, done = std::move(done)]() mutable {
        reply->deleteLater();
        ex.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        ex.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        ex.responseHeaders = reply->rawHeaderPairs();
        ex.responseBody = reply->readAll();
        if (ex.status == 0)
            ex.error = reply->errorString();
        done(ex);
    });
}

} // namespace mcp::auth
