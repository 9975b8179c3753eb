#pragma once

// What the HTTP transport tests share: frames to send, answers to give, and reading what the transport said.
#include "transport/httptransport.h"
#include "transport/ssetransport.h"
#include "transport/transportfactory.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <functional>
#include <minihttpserver.h>
#include <testsupport.h>

using namespace mcp;

inline OutgoingFrame request(int id, const QString &method, const QString &name = {})
{
    OutgoingFrame f;
    f.bytes = QStringLiteral("{\"jsonrpc\":\"2.0\",\"id\":%1,\"method\":\"%2\",\"params\":{}}")
                  .arg(id)
                  .arg(method)
                  .toUtf8();
    f.method = method;
    f.name = name;
    f.expectsReply = true;
    return f;
}

inline OutgoingFrame notification(const QString &method)
{
    OutgoingFrame f;
    f.bytes = QStringLiteral("{\"jsonrpc\":\"2.0\",\"method\":\"%1\"}").arg(method).toUtf8();
    f.method = method;
    return f;
}

inline QByteArray result(int id, const QByteArray &value = "{}")
{
    return "{\"jsonrpc\":\"2.0\",\"id\":" + QByteArray::number(id) + ",\"result\":" + value + "}";
}

inline QString lastErrorText(const QSignalSpy &spy, int arg)
{
    return spy.isEmpty() ? QString() : spy.last().at(arg).value<Error>().toString();
}

inline bool anyDiagnosticContains(const QSignalSpy &spy, const QString &text)
{
    for (const auto &args : spy)
        if (args.at(0).value<Diagnostic>().text.contains(text))
            return true;
    return false;
}

inline HttpOptions optionsFor(const MiniHttpServer &server, const QString &path = QStringLiteral("/mcp"))
{
    HttpOptions o;
    o.url = server.url(path);
    o.connectTimeoutMs = 5000;
    o.headers = {{"X-Custom", "custom-value"}};
    return o;
}
