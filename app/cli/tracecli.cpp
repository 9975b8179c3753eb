#include "tracecli.h"

#include "traffic/exporter.h"
#include "traffic/tracefile.h"
#include "traffic/trafficfilter.h"

#include <QDateTime>
#include <QTextStream>
#include <QTimeZone>

namespace {

const char kUsage[] = "usage: mcpwb trace show TRACE.jsonl [--filter EXPR] [--json]\n"
                      "       mcpwb trace export --har|--otlp|--jsonl OUT [--keep-secrets] TRACE.jsonl\n";

int usage(const QString &problem)
{
    QTextStream(stderr) << "mcpwb trace: " << problem << "\n" << kUsage;
    return 1;
}

QString kindName(mcp::jsonrpc::Kind kind)
{
    switch (kind) {
    case mcp::jsonrpc::Kind::Request:
        return QStringLiteral("request");
    case mcp::jsonrpc::Kind::Notification:
        return QStringLiteral("notification");
    case mcp::jsonrpc::Kind::Response:
        return QStringLiteral("response");
    case mcp::jsonrpc::Kind::Error:
        return QStringLiteral("error");
    }
    return {};
}

int show(const mcp::Recorder &recorder, const mcp::TrafficFilter &filter, bool json)
{
    QTextStream out(stdout);
    for (qsizetype i = 0; i < recorder.size(); ++i) {
        const mcp::FrameRecord &f = recorder.at(i);
        if (!filter.matches(recorder, f))
            continue;
        if (json) {
            out << mcp::TraceWriter::line(recorder, f, mcp::ExportOptions{false});
            continue;
        }
        const QString time = QDateTime::fromMSecsSinceEpoch(f.timeUs / 1000, QTimeZone::utc())
                                 .toString(QStringLiteral("HH:mm:ss.zzz"));
        const QString method = f.pairedIndex >= 0 && recorder.method(f).isEmpty()
                                   ? recorder.method(recorder.at(f.pairedIndex))
                                   : recorder.method(f);
        out << QStringLiteral("%1 %2 %3 %4 %5 id=%6 %7 bytes%8")
                   .arg(i + 1, 5)
                   .arg(time, recorder.connectionName(f.connection),
                        f.direction == mcp::Direction::Sent ? QStringLiteral("->") : QStringLiteral("<-"),
                        f.parseFailed() ? QStringLiteral("unparsable") : kindName(f.kind),
                        f.id.isEmpty() ? QStringLiteral("-") : QString::fromUtf8(f.id))
                   .arg(f.bytes.size())
                   .arg(f.latencyUs >= 0 && f.kind != mcp::jsonrpc::Kind::Request
                            ? QStringLiteral(" %1 ms").arg(f.latencyUs / 1000.0, 0, 'f', 1)
                            : QString())
            << (method.isEmpty() ? QString() : QStringLiteral(" ") + method) << "\n";
    }
    return 0;
}

} // namespace

int runTrace(const QStringList &args)
{
    const QString action = args.value(0);
    QString input, output, format, filterText;
    bool keepSecrets = false, json = false;
    for (int i = 1; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (arg == QStringLiteral("--keep-secrets")) {
            keepSecrets = true;
        } else if (arg == QStringLiteral("--json")) {
            json = true;
        } else if (arg == QStringLiteral("--har") || arg == QStringLiteral("--otlp") ||
                   arg == QStringLiteral("--jsonl") || arg == QStringLiteral("--filter")) {
            if (i + 1 >= args.size())
                return usage(arg + QStringLiteral(" needs a value"));
            if (arg == QStringLiteral("--filter")) {
                filterText = args[++i];
            } else {
                if (!format.isEmpty())
                    return usage(QStringLiteral("give one of --har, --otlp, --jsonl"));
                format = arg.mid(2);
                output = args[++i];
            }
        } else if (arg.startsWith(QStringLiteral("--")) || !input.isEmpty()) {
            return usage(QStringLiteral("unexpected %1").arg(arg));
        } else {
            input = arg;
        }
    }
    const bool isShow = action == QStringLiteral("show");
    if ((!isShow && action != QStringLiteral("export")) || input.isEmpty())
        return usage(QStringLiteral("give show or export and a session file"));
    if (isShow != format.isEmpty())
        return usage(isShow ? QStringLiteral("show takes no export format")
                            : QStringLiteral("export needs --har, --otlp or --jsonl OUT"));

    mcp::Recorder recorder;
    mcp::Error error;
    if (!mcp::readTrace(input, recorder, &error)) {
        QTextStream(stderr) << "mcpwb: error: " << error.toString() << "\n";
        return 1;
    }
    if (isShow) {
        QString problem;
        const mcp::TrafficFilter filter = mcp::TrafficFilter::parse(filterText, &problem);
        if (!problem.isEmpty())
            return usage(QStringLiteral("--filter: ") + problem);
        return show(recorder, filter, json);
    }
    const mcp::ExportFormat kind = format == QStringLiteral("har")    ? mcp::ExportFormat::Har
                                   : format == QStringLiteral("otlp") ? mcp::ExportFormat::Otlp
                                                                      : mcp::ExportFormat::Jsonl;
    if (!mcp::writeExport(recorder, kind, output, mcp::ExportOptions{!keepSecrets}, &error)) {
        QTextStream(stderr) << "mcpwb: error: " << error.toString() << "\n";
        return 1;
    }
    if (format == QStringLiteral("har") && recorder.httpExchanges().empty())
        QTextStream(stderr) << "mcpwb: the session has no HTTP exchanges (stdio?); the HAR has no entries\n";
    return 0;
}
