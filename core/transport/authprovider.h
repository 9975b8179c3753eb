#pragma once

#include "tlspolicy.h"
#include "transport.h"

#include <functional>

namespace mcp {

// What an HTTP transport asks about authorization. The transport stays ignorant of OAuth: it adds the
// provider's Authorization header to every request and, when the server refuses one (401, or 403 with
// insufficient_scope), hands the refusal over and re-sends the request once the provider says so.
class AuthProvider
{
public:
    virtual ~AuthProvider() = default;

    // The Authorization header value for the next request ("Bearer …", "DPoP …"), empty for none.
    virtual QByteArray authorization() const = 0;

    // The headers that authorize one request: Authorization, and whatever the token type needs besides (a
    // fresh DPoP proof for this method and URL). By default just authorization().
    virtual QList<QPair<QByteArray, QByteArray>> requestHeaders(const QByteArray &method,
                                                                const QUrl &url) const
    {
        Q_UNUSED(method)
        Q_UNUSED(url)
        const QByteArray value = authorization();
        if (value.isEmpty())
            return {};
        return {{"Authorization", value}};
    }

    // The server refused a request with this exchange (status 401 or 403). Returns false when the provider
    // does not handle it; the transport then reports the refusal as before. Otherwise the provider calls
    // done exactly once, later: with no error to have the request re-sent, or with the reason it gave up.
    virtual bool handleRefusal(const HttpExchange &refused, std::function<void(const Error &)> done) = 0;

    // A request carrying the current authorization was accepted (2xx), with these response headers.
    virtual void accepted(const QList<QPair<QByteArray, QByteArray>> &responseHeaders) = 0;

    // The TLS policy of the transport's connections (its CA file, the insecure option), for the requests the
    // provider makes on the connection's behalf; given before the first request.
    virtual void useTls(const TlsPolicy &policy) { Q_UNUSED(policy) }
};

} // namespace mcp
