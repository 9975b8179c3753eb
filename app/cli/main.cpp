#include "auditcli.h"
#include "authcli.h"
#include "cliargs.h"
#include "collectioncli.h"
#include "configcli.h"
#include "conformanceservercli.h"
#include "demoserver.h"
#include "inventorycli.h"
#include "proxy.h"
#include "reviewcli.h"
#include "runner.h"
#include "surfacecli.h"
#include "tracecli.h"

#include <QCoreApplication>
#include <QTextStream>
#include <csignal>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mcpwb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MCPWB_VERSION));
    std::signal(SIGPIPE, SIG_IGN); // a server that dies mid-write must not kill us
    if (app.arguments().value(1) == QStringLiteral("demo-server"))
        return demo::runDemoServer(app.arguments().mid(2));
    if (app.arguments().value(1) == QStringLiteral("proxy"))
        return runProxy(app.arguments().mid(2));
    if (app.arguments().value(1) == QStringLiteral("trace"))
        return runTrace(app.arguments().mid(2));

    CliArgs args;
    const QString problem = parseArgs(app.arguments().mid(1), &args);
    QTextStream err(stderr);
    if (args.help) {
        QTextStream(stdout) << usageText();
        return 0;
    }
    if (args.version) {
        QTextStream(stdout) << "mcpwb " << MCPWB_VERSION << Qt::endl;
        return 0;
    }
    if (!problem.isEmpty() || args.verb.isEmpty()) {
        err << "mcpwb: " << (problem.isEmpty() ? QStringLiteral("no verb given") : problem) << "\n\n"
            << usageText();
        return 1;
    }
    if (isCollectionVerb(args.verb)) { // a bad file is said before any server is started
        const QString bad = checkCollectionFile(args);
        if (!bad.isEmpty()) {
            err << "mcpwb: error: run: " << bad << "\n";
            return 1;
        }
    }
    if (args.verb.value(0) == QStringLiteral("token"))
        return runTokenInspect(args);
    if (isTraceReview(args))
        return runTraceReview(args);
    if (isOfflineDiff(args))
        return runOfflineDiff(args);
    if (args.verb.value(0) == QStringLiteral("audit"))
        return runAuditVerify(args);
    if (args.verb.value(0) == QStringLiteral("config"))
        return runConfig(args);
    if (args.verb.value(0) == QStringLiteral("conformance-server"))
        return runConformanceServer(args);
    if (args.verb.value(0) == QStringLiteral("review") && args.allConfigured)
        return runInventoryReview(args);
    Runner runner(args);
    int code = 0;
    QObject::connect(&runner, &Runner::finished, &app, [&code](int exitCode) {
        code = exitCode;
        QCoreApplication::exit(exitCode);
    });
    if (!runner.start())
        return runner.exitCode();
    app.exec();
    return code;
}
