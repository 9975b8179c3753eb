#include "surfacecli.h"

#include "session/clientsession.h"
#include "surface/surfacediff.h"
#include "surface/surfacesnapshot.h"
#include "traffic/recorder.h"

#include <QTextStream>

using mcp::Error;
using mcp::Json;
namespace surface = mcp::surface;

namespace {

Error usage(const QString &message)
{
    return mcp::makeError(Error::Category::Usage, QStringLiteral("diff"), message);
}

Json load(const QString &path, Error *error)
{
    QString problem;
    Json snapshot = surface::loadSnapshot(path, &problem);
    if (snapshot.is_discarded())
        *error = usage(problem);
    return snapshot;
}

int printDiff(const CliArgs &args, const Json &before, const Json &after)
{
    const surface::SurfaceDiff diff = surface::diffSurfaces(before, after);
    QTextStream out(stdout);
    if (args.json)
        out << QString::fromUtf8(mcp::dumpCompact(diff.toJson())) << "\n";
    else
        out << diff.toText();
    return diff.breakingCount() > 0 ? kExitBreakingChange : 0;
}

// The baseline server of `diff --baseline-stdio|--baseline-url`: the connection's options, another target.
mcp::TransportConfig baselineTransport(const CliArgs &args)
{
    mcp::TransportConfig config = args.transport;
    if (!args.baselineStdio.isEmpty()) {
        const mcp::StdioOptions command = mcp::StdioOptions::fromCommandLine(args.baselineStdio);
        config.kind = mcp::TransportConfig::Kind::Stdio;
        config.stdio.program = command.program;
        config.stdio.arguments = command.arguments;
    } else {
        if (config.kind == mcp::TransportConfig::Kind::Stdio)
            config.kind = mcp::TransportConfig::Kind::Auto;
        config.http.url = args.baselineUrl;
    }
    return config;
}

// Connects to the baseline server, takes its snapshot and closes; then(snapshot) or done(error).
void snapshotBaseline(const CliArgs &args, QObject *context, std::function<void(const Json &)> then,
                      std::function<void(int, const Error &)> done)
{
    Error error;
    std::unique_ptr<mcp::Transport> transport =
        mcp::TransportFactory::create(baselineTransport(args), &error);
    if (!transport)
        return done(0, error);
    auto *recorder = new mcp::Recorder(context);
    mcp::SessionOptions options;
    options.clientName = QStringLiteral("mcpwb");
    options.connectionName = QStringLiteral("baseline");
    options.protocolVersion = args.protocolVersion;
    options.requestTimeoutMs = args.timeoutMs;
    auto *session = new mcp::ClientSession(transport.release(), recorder, options, context);
    const auto finish = [session, recorder] {
        session->close();
        session->deleteLater();
        recorder->deleteLater();
    };
    QObject::connect(session, &mcp::ClientSession::failed, context, [finish, done](const Error &e) {
        finish();
        Error baseline = e;
        baseline.step = QStringLiteral("baseline: ") + e.step;
        done(0, baseline);
    });
    QObject::connect(session, &mcp::ClientSession::ready, context, [session, context, finish, then, done] {
        QObject::disconnect(session, &mcp::ClientSession::failed, context, nullptr);
        surface::takeSnapshot(
            session,
            [finish, then, done](const Json &snapshot, const Error &e) {
                finish();
                if (e)
                    return done(0, e);
                then(snapshot);
            },
            context);
    });
    session->start();
}

} // namespace

bool isSurfaceVerb(const QStringList &verb)
{
    return (verb.value(0) == QStringLiteral("snapshot") && verb.value(1) == QStringLiteral("save") &&
            verb.size() == 3) ||
           (verb.value(0) == QStringLiteral("diff") && verb.size() <= 2);
}

void runSurfaceVerb(mcp::ClientSession *session, const CliArgs &args, QObject *context,
                    std::function<void(int, const Error &)> done)
{
    const bool live = !args.baselineStdio.isEmpty() || !args.baselineUrl.isEmpty();
    if (args.verb.value(0) == QStringLiteral("diff") && live == (args.verb.size() == 2))
        return done(0, usage(QStringLiteral("diff takes a snapshot file or --baseline-stdio/--baseline-url, "
                                            "one of them")));
    if (live) {
        return snapshotBaseline(
            args, context,
            [session, args, context, done](const Json &before) {
                surface::takeSnapshot(
                    session,
                    [args, before, done](const Json &now, const Error &error) {
                        if (error)
                            return done(0, error);
                        done(printDiff(args, before, now), {});
                    },
                    context);
            },
            done);
    }
    const bool save = args.verb.value(0) == QStringLiteral("snapshot");
    const QString file = args.verb.last();
    Json before;
    if (!save) { // a bad file is known before the server is asked for anything
        Error error;
        before = load(file, &error);
        if (error)
            return done(0, error);
    }
    surface::takeSnapshot(
        session,
        [args, save, file, before, done](const Json &now, const Error &error) {
            if (error)
                return done(0, error);
            if (!save)
                return done(printDiff(args, before, now), {});
            QString problem;
            if (!surface::saveSnapshot(file, now, &problem))
                return done(0, usage(problem));
            QTextStream(stderr) << "mcpwb: snapshot saved to " << file << "\n";
            done(0, {});
        },
        context);
}

bool isOfflineDiff(const CliArgs &args)
{
    return args.verb.value(0) == QStringLiteral("diff") && args.transport.stdio.program.isEmpty() &&
           args.transport.http.url.isEmpty();
}

int runOfflineDiff(const CliArgs &args)
{
    Error error;
    if (args.verb.size() != 3)
        error = usage(QStringLiteral("diff takes two snapshot files (or one, with --stdio or --url)"));
    Json before, after;
    if (!error)
        before = load(args.verb[1], &error);
    if (!error)
        after = load(args.verb[2], &error);
    if (error) {
        QTextStream(stderr) << "mcpwb: error: " << error.toString() << "\n";
        return 1;
    }
    return printDiff(args, before, after);
}
