#include "connection.h"

#include "auth/oauthprovider.h"
#include "inputprompt.h"
#include "session/serverrequesthandler.h"

#include <QTime>

namespace mcpui {

Connection::Connection(ConnectionProfile profile, mcp::Recorder *recorder,
                       std::shared_ptr<mcp::auth::TokenStore> tokens, QObject *parent)
    : QObject(parent), m_profile(std::move(profile)), m_recorder(recorder), m_tokens(std::move(tokens))
{
    m_authSettings.userAgent = mcp::auth::AuthSettings::UserAgent::External;
}

Connection::~Connection()
{
    dropSession();
}

void Connection::setProfile(const ConnectionProfile &profile)
{
    const bool rootsChanged = profile.roots != m_profile.roots;
    m_profile = profile;
    m_inputAnswers.clear(); // asked again: the inputs may have changed
    Q_EMIT userAction(QStringLiteral("edit"), m_profile.auditSummary());
    if (rootsChanged && isReady())
        m_session->notify(QStringLiteral("notifications/roots/list_changed"));
    Q_EMIT changed();
}

void Connection::setAuthSettings(const mcp::auth::AuthSettings &settings)
{
    m_authSettings = settings;
    m_tokens->clear(m_profile.id);
    m_oauth.reset(); // a live transport keeps the old one until its session ends
}

QByteArray Connection::accessToken() const
{
    return m_oauth && m_oauth->currentTokens().isValid() ? m_oauth->currentTokens().accessToken
                                                         : QByteArray();
}

void Connection::open()
{
    // As mcpwb does: a credential that cannot be read stops the connection with the reason, rather than the
    // request going out without it and failing further on for no visible cause.
    if (const auto asked = m_profile.unansweredInputs(m_inputAnswers);
        !asked.isEmpty() && !InputPromptDialog::ask(m_profile.name, asked, &m_inputAnswers)) {
        dropSession();
        fail(tr("not connected: the values it asks for were not given"));
        return;
    }
    QStringList unreadable;
    mcp::TransportConfig config = m_profile.transportConfig(&unreadable, m_inputAnswers);
    if (!unreadable.isEmpty()) {
        dropSession();
        fail(tr("not connected: %1").arg(unreadable.join(QStringLiteral("; "))));
        return;
    }
    if (m_profile.kind == ConnectionProfile::Kind::Url) {
        // A new provider when the URL changed, and the old server's tokens and client registrations
        // forgotten: a refresh token or client secret never goes to a token endpoint the new one names.
        if (!m_oauth || m_oauthUrl != config.http.url) {
            if (m_oauth)
                m_tokens->clear(m_profile.id);
            m_oauth = std::make_shared<mcp::auth::OAuthProvider>(m_authSettings, config.http.url,
                                                                 m_profile.id, m_tokens);
            m_oauthUrl = config.http.url;
            connect(m_oauth.get(), &mcp::auth::OAuthProvider::flowStarted, this,
                    [this](mcp::auth::AuthFlow *flow) {
                        m_authorizing = flow;
                        const auto ended = [this] {
                            m_authorizing = nullptr;
                            Q_EMIT changed();
                        };
                        connect(flow, &mcp::auth::AuthFlow::finished, this, ended);
                        connect(flow, &mcp::auth::AuthFlow::failed, this, ended);
                        Q_EMIT authFlowStarted(flow);
                        Q_EMIT changed();
                    });
        }
        config.http.auth = m_oauth;
    }
    mcp::Error error;
    std::unique_ptr<mcp::Transport> transport = mcp::TransportFactory::create(config, &error);
    if (!transport) {
        dropSession();
        fail(error.toString());
        return;
    }
    openWith(std::move(transport));
}

void Connection::openWith(std::unique_ptr<mcp::Transport> transport)
{
    dropSession();
    m_lastError.clear();
    Q_EMIT userAction(QStringLiteral("connect"), m_profile.auditSummary());
    mcp::SessionOptions options;
    options.connectionName = m_profile.name;
    options.protocolVersion = m_profile.protocolVersion;
    options.listenForChanges = true; // the panes and the review follow what the server changes
    m_session = new mcp::ClientSession(transport.release(), m_recorder, options, this);
    m_session->setServerRequestHandler(m_handler);

    connect(m_session, &mcp::ClientSession::stateChanged, this, &Connection::setState);
    connect(m_session, &mcp::ClientSession::ready, this, [this] {
        log(QStringLiteral("session"),
            QStringLiteral("ready: %1 %2, protocol %3")
                .arg(mcp::stringOr(m_session->serverInfo(), "name"),
                     mcp::stringOr(m_session->serverInfo(), "version"), m_session->protocolVersion()));
        Q_EMIT ready();
    });
    connect(m_session, &mcp::ClientSession::failed, this,
            [this](const mcp::Error &e) { fail(e.toString()); });
    connect(m_session, &mcp::ClientSession::diagnostic, this, [this](const mcp::Diagnostic &d) {
        log(d.kind == mcp::Diagnostic::Kind::Stderr ? QStringLiteral("stderr") : QStringLiteral("transport"),
            d.text);
    });
    connect(m_session, &mcp::ClientSession::protocolError, this,
            [this](const mcp::Error &e) { log(QStringLiteral("protocol"), e.toString()); });
    connect(m_session, &mcp::ClientSession::logMessage, this,
            [this](const QString &level, const QString &logger, const mcp::Json &data) {
                const QString text =
                    data.is_string() ? mcp::toQString(data.get<std::string>()) : mcp::toQString(data.dump());
                log(QStringLiteral("server %1").arg(level),
                    logger.isEmpty() ? text : logger + QStringLiteral(": ") + text);
            });
    connect(m_session, &mcp::ClientSession::notificationReceived, this, &Connection::notificationReceived);
    connect(m_session, &mcp::ClientSession::progress, this, &Connection::progress);

    log(QStringLiteral("session"), QStringLiteral("connecting over %1").arg(m_session->transport()->kind()));
    m_session->start();
}

void Connection::close()
{
    if (m_session && m_session->state() != State::Closed)
        Q_EMIT userAction(QStringLiteral("disconnect"), mcp::Json::object());
    if (m_session)
        m_session->close();
}

void Connection::dropSession()
{
    if (!m_session)
        return;
    m_session->disconnect(this); // a dying session must not overwrite the next one's state
    m_session->close();
    m_session->deleteLater();
    m_session = nullptr;
}

void Connection::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    if (state != State::Failed)
        log(QStringLiteral("session"), mcp::ClientSession::stateName(state));
    Q_EMIT changed();
}

void Connection::fail(const QString &message)
{
    m_lastError = message;
    log(QStringLiteral("error"), message);
    m_state = State::Failed;
    Q_EMIT changed();
}

void Connection::log(const QString &kind, const QString &text)
{
    Q_EMIT logLine(QStringLiteral("%1  [%2] %3")
                       .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz")), kind, text));
}

QString Connection::stateText() const
{
    const bool waiting = m_state == State::Connecting || m_state == State::Initializing;
    return waiting && m_authorizing ? tr("waiting for authorization")
                                    : mcp::ClientSession::stateName(m_state);
}

} // namespace mcpui
