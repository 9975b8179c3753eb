#include "transport.h"

namespace mcp {

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

} // namespace mcp
