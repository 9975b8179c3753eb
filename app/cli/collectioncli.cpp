#include "collectioncli.h"

#include "collection/collectionrunner.h"
#include "collection/report.h"
#include "review/jsonfile.h"

#include <QTextStream>

using mcp::Error;
namespace collection = mcp::collection;

bool isCollectionVerb(const QStringList &verb)
{
    return verb.value(0) == QStringLiteral("run") && verb.size() == 2;
}

QString checkCollectionFile(const CliArgs &args)
{
    collection::ParseProblem problem;
    return collection::loadCollection(args.verb.value(1), &problem) ? QString() : problem.toString();
}

void runCollectionVerb(mcp::ClientSession *session, const CliArgs &args, QObject *context,
                       std::function<void(int, const Error &)> done)
{
    collection::ParseProblem problem;
    std::optional<collection::Collection> loaded = collection::loadCollection(args.verb.value(1), &problem);
    if (!loaded)
        return done(0, mcp::makeError(Error::Category::Usage, QStringLiteral("run"), problem.toString()));
    auto *runner = new collection::CollectionRunner(session, std::move(*loaded),
                                                    collection::processEnvironment(), context);
    QObject::connect(runner, &collection::CollectionRunner::finished, context, [runner, args, done] {
        const collection::RunResult &run = runner->result();
        QTextStream out(stdout);
        if (args.json)
            out << QString::fromUtf8(mcp::dumpCompact(collection::runJson(run))) << "\n";
        else
            out << collection::runText(run);
        out.flush();
        runner->deleteLater();
        QString error;
        if (!args.junitFile.isEmpty() &&
            !mcp::review::writeFileAtomically(args.junitFile, collection::junitXml(run), &error))
            return done(0, mcp::makeError(Error::Category::Usage, QStringLiteral("--junit"), error));
        done(run.passed() ? 0 : kExitCollectionFailed, {});
    });
    runner->start(connectionLabel(args));
}
