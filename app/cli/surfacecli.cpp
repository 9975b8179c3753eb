#include "surfacecli.h"

#include "surface/surfacediff.h"
#include "surface/surfacesnapshot.h"

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

} // namespace

bool isSurfaceVerb(const QStringList &verb)
{
    return (verb.value(0) == QStringLiteral("snapshot") && verb.value(1) == QStringLiteral("save") &&
            verb.size() == 3) ||
           (verb.value(0) == QStringLiteral("diff") && verb.size() == 2);
}

void runSurfaceVerb(mcp::ClientSession *session, const CliArgs &args, QObject *context,
                    std::function<void(int, const Error &)> done)
{
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
