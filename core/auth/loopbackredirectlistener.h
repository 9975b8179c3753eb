#pragma once

#include <QObject>
#include <QUrl>
#include <QUrlQuery>

class QTcpServer;

namespace mcp::auth {

// Catches the authorization redirect on http://127.0.0.1:<port>/callback (RFC 8252 §7.3). Answers the
// browser with a short page and reports the query of the first request to the callback path.
class LoopbackRedirectListener : public QObject
{
    Q_OBJECT
public:
    // A request line longer than this is answered 414 and dropped instead of buffered without end.
    static constexpr qint64 maxRequestLineBytes = 8 * 1024;

    explicit LoopbackRedirectListener(QObject *parent = nullptr);
    bool listen(QString *error, quint16 port = 0); // on 127.0.0.1; port 0: a free one
    QUrl redirectUri() const;
    void close();

Q_SIGNALS:
    void callbackReceived(const QUrlQuery &query);

private:
    void handleConnection();
    QTcpServer *m_server;
};

} // namespace mcp::auth
