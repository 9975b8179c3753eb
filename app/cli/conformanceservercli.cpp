#include "conformanceservercli.h"

#include "conformance/serverrun.h"

#include <QCoreApplication>
#include <QTextStream>

namespace conformance = mcp::conformance;

int runConformanceServer(const CliArgs &args)
{
    QTextStream err(stderr);
    if (args.verb.size() > 2 || args.transport.http.url.isEmpty()) {
        err << "mcpwb: usage: mcpwb --url URL conformance-server [SCENARIO] [--harness stable|next] "
               "[--suite NAME] [--requirements REV] [--harness-dir DIR]\n";
        if (!args.transport.stdio.program.isEmpty())
            err << "mcpwb: the harness tests streamable HTTP servers; run the stdio server's HTTP mode "
                   "(e.g. mcpwb demo-server --http PORT) and give its --url\n";
        return 1;
    }
    conformance::ServerRunOptions options;
    options.harness = *conformance::harnessFromString(args.harness);
    options.url = args.transport.http.url;
    options.scenario = args.verb.value(1);
    options.suite = args.suite;
    options.requirements = args.requirements;
    options.specVersion = args.protocolVersion;
    options.harnessDir = args.harnessDir;
    conformance::ServerConformanceRun run(options);
    QObject::connect(&run, &conformance::ServerConformanceRun::scenarioStarted, &run,
                     [&err](const QString &scenario) {
                         err << "mcpwb: running " << scenario << "\n";
                         err.flush();
                     });
    QObject::connect(&run, &conformance::ServerConformanceRun::finished, qApp, &QCoreApplication::quit);
    mcp::Error error;
    if (!run.start(&error)) {
        err << "mcpwb: error: " << error.message << "\n";
        return 1;
    }
    QCoreApplication::exec();
    const conformance::ServerRunReport &report = run.report();
    QTextStream out(stdout);
    if (args.json)
        out << QString::fromUtf8(mcp::dumpCompact(report.toJson(run.recorder()))) << "\n";
    else
        out << report.toText(run.recorder());
    if (!report.problems.isEmpty() && report.scenarios.isEmpty())
        return 3;
    return report.passed() ? 0 : kExitConformanceFailed;
}
