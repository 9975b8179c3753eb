#pragma once

#include "../transport/transport.h"

#include <functional>

class QNetworkAccessManager;

namespace mcp::auth {

// One request to an authorization or resource server whose exchange is kept raw (headers and bodies as
// sent and received) for the reviewer. Redirects are not followed; done runs once, in context's thread,
// with status 0 and the error when no response arrived.
void sendRecorded(QNetworkAccessManager *nam, const QByteArray &verb, const QUrl &url,
                  const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                  QObject *context, std::function<void(const HttpExchange &)> done);

} // namespace mcp::auth
