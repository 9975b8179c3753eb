#include "transport.h"

#include <QSslError>

namespace mcp {

QByteArray recordedBodyCut(qint64 arrivedBytes)
{
    return "\n[recorded body cut at the size limit; " + QByteArray::number(arrivedBytes) + " bytes arrived]";
}

Transport::~Transport() = default;

QString Transport::stateName(State s)
{
    switch (s) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Open:
        return QStringLiteral("open");
    case State::Closing:
        return QStringLiteral("closing");
    case State::Closed:
        return QStringLiteral("closed");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

void Transport::setState(State s)
{
    if (s == m_state)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void Transport::fail(const Error &error)
{
    if (m_state == State::Failed || m_state == State::Closed)
        return;
    setState(State::Failed);
    Q_EMIT failed(error);
}

bool Transport::acceptTlsErrors(const QString &host, const QList<QSslError> &errors, bool insecure,
                                QString *rejected)
{
    QStringList texts;
    for (const QSslError &e : errors)
        texts << e.errorString();
    const QString joined = texts.join(QStringLiteral("; "));
    if (insecure) {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning,
             QStringLiteral("INSECURE: ignoring TLS certificate errors for %1 because the insecure "
                            "option is on: %2")
                 .arg(host, joined)});
        return true;
    }
    *rejected = joined;
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Tls, QStringLiteral("TLS certificate of %1 rejected: %2").arg(host, joined)});
    return false;
}

} // namespace mcp
