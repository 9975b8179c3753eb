#pragma once

// What ClientSession's own files share: a request waiting for its answer, and reading version lists.
#include "clientsession.h"

#include <QElapsedTimer>
#include <QPointer>

namespace mcp {

struct ClientSession::Pending
{
    QString method;
    Json params; // as the caller gave them, for 2026-07-28 retries
    RequestOptions options;
    ReplyHandler handler;
    QPointer<QObject> context;
    bool hasContext = false;
    bool handshake = false;
    int inputRounds = 0;    // 2026-07-28 input_required retries so far
    int versionRetries = 0; // UnsupportedProtocolVersion retries so far
    QElapsedTimer age;
    qint64 deadlineMs = 0; // on ClientSession::m_clock
};

// A 2026-07-28 subscriptions/listen stream: what it asked for, and who waits for the acknowledgement.
struct ClientSession::Listen
{
    Json filter;
    QString resource; // for a resource's updates; empty for list changes
    ReplyHandler acknowledged;
    QPointer<QObject> context;
    bool hasContext = false;
};

// The strings of a JSON array of protocol versions (anything else in it is skipped).
inline QStringList versionList(const Json &array)
{
    QStringList versions;
    for (const auto &v : array)
        if (v.is_string())
            versions << toQString(v.get<std::string>());
    return versions;
}

} // namespace mcp
