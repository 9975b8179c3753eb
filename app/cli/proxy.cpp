#include "proxy.h"

#include "server/httpproxy.h"
#include "server/stdioproxy.h"
#include "traffic/tracefile.h"

#include <QCoreApplication>
#include <QTextStream>

int runProxy(const QStringList &args)
{
    QTextStream err(stderr);
    QString command, upstream, recordFile;
    int port = -1;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        const QString value = args.value(i + 1);
        if (i + 1 >= args.size()) {
            err << "mcpwb proxy: " << arg << " needs a value\n";
            return 1;
        }
        if (arg == QStringLiteral("--stdio"))
            command = value;
        else if (arg == QStringLiteral("--url"))
            upstream = value;
        else if (arg == QStringLiteral("--record"))
            recordFile = value;
        else if (arg == QStringLiteral("--listen"))
            port = value.toInt();
        else {
            err << "mcpwb proxy: unknown option " << arg << "\n";
            return 1;
        }
        ++i;
    }
    if (command.isEmpty() == upstream.isEmpty() || (!upstream.isEmpty() && (port < 0 || port > 65535))) {
        err << "usage: mcpwb proxy --stdio \"COMMAND\" [--record FILE]\n"
               "       mcpwb proxy --url UPSTREAM --listen PORT [--record FILE]\n";
        return 1;
    }

    mcp::Recorder recorder;
    mcp::TraceWriter trace(&recorder);
    mcp::Error error;
    if (!recordFile.isEmpty() && !trace.open(recordFile, &error)) {
        err << "mcpwb proxy: " << error.toString() << "\n";
        return 1;
    }
    if (!command.isEmpty()) {
        // Between a host and its server: the server gets all the host gave us, as it would without us.
        mcp::StdioOptions server = mcp::StdioOptions::fromCommandLine(command);
        server.environment = QProcessEnvironment::systemEnvironment();
        mcp::StdioProxy proxy(server, &recorder);
        QObject::connect(&proxy, &mcp::StdioProxy::finished, qApp, &QCoreApplication::exit);
        if (!proxy.start(&error)) {
            err << "mcpwb proxy: " << error.toString() << "\n";
            return 2;
        }
        return QCoreApplication::exec();
    }
    mcp::HttpProxy proxy(QUrl(upstream), &recorder);
    if (!proxy.listen(quint16(port), &error)) {
        err << "mcpwb proxy: " << error.toString() << "\n";
        return 1;
    }
    err << "mcpwb proxy: http://127.0.0.1:" << proxy.port() << " -> " << upstream << "\n";
    err.flush();
    return QCoreApplication::exec();
}
