#pragma once

#include "auth/authflow.h"
#include "connectionprofile.h"
#include "session/clientsession.h"

#include <QObject>
#include <QPointer>
#include <memory>

namespace mcp {
class Recorder;
class ServerRequestHandler;
namespace auth {
class OAuthProvider;
}
} // namespace mcp

namespace mcpui {

// One server the user works with: its profile and, while connected, a ClientSession. It outlives its
// sessions, so panes keep their content (and the composer its text) across failures and reconnects.
class Connection : public QObject
{
    Q_OBJECT
public:
    using State = mcp::ClientSession::State;

    Connection(ConnectionProfile profile, mcp::Recorder *recorder,
               std::shared_ptr<mcp::auth::TokenStore> tokens, QObject *parent = nullptr);
    ~Connection() override;

    const ConnectionProfile &profile() const { return m_profile; }
    void setProfile(const ConnectionProfile &profile);

    State state() const { return m_state; }
    QString lastError() const { return m_lastError; }
    bool isReady() const { return m_state == State::Ready; }
    // The state as the user reads it: "waiting for authorization" while an OAuth flow runs, not
    // "initializing".
    QString stateText() const;
    // The live session, or nullptr when never connected; requests are only valid while isReady().
    mcp::ClientSession *session() const { return m_session; }
    mcp::Recorder *recorder() const { return m_recorder; }

    void setServerRequestHandler(mcp::ServerRequestHandler *handler) { m_handler = handler; }

    // OAuth for URL connections: one provider across sessions, so tokens survive a reconnect, and with the
    // keychain a restart. The user agent defaults to External: the auth pane opens the browser.
    const mcp::auth::AuthSettings &authSettings() const { return m_authSettings; }
    // Takes effect at the next open(), with a fresh provider; the connection's tokens and client
    // registrations are forgotten (in the keychain too).
    void setAuthSettings(const mcp::auth::AuthSettings &settings);
    mcp::auth::TokenStore *tokenStore() const { return m_tokens.get(); }
    // The access token OAuth obtained for this connection, if any (for the review's token checks).
    QByteArray accessToken() const;

    // Tells the audit trail of something the user did here ("request", "approve", ...).
    void noteUserAction(const QString &event, const mcp::Json &detail) { Q_EMIT userAction(event, detail); }

    void open(); // with a transport built from the profile
    void openWith(std::unique_ptr<mcp::Transport> transport);
    void close();

Q_SIGNALS:
    void changed(); // state, last error or profile
    void ready();
    void logLine(const QString &line);
    void notificationReceived(const QString &method, const mcp::Json &params);
    void progress(qint64 requestId, double progress, double total, const QString &message);
    // An authorization flow starts: connect to it before returning (it has not run a step yet).
    void authFlowStarted(mcp::auth::AuthFlow *flow);
    // The user connected, disconnected, edited the profile, sent a request or approved (the audit trail).
    void userAction(const QString &event, const mcp::Json &detail);

private:
    void setState(State state);
    void fail(const QString &message);
    void log(const QString &kind, const QString &text);
    void dropSession();

    ConnectionProfile m_profile;
    QHash<QString, QString> m_inputAnswers; // for ${input:ID}: in memory only
    mcp::Recorder *m_recorder;
    mcp::ServerRequestHandler *m_handler = nullptr;
    QPointer<mcp::ClientSession> m_session;
    mcp::auth::AuthSettings m_authSettings;
    std::shared_ptr<mcp::auth::TokenStore> m_tokens;
    std::shared_ptr<mcp::auth::OAuthProvider> m_oauth;
    QUrl m_oauthUrl; // the endpoint m_oauth was made for
    State m_state = State::Idle;
    QString m_lastError;
    QPointer<mcp::auth::AuthFlow> m_authorizing; // the OAuth flow running, until it ends
};

} // namespace mcpui
