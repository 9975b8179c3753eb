#include "auditcli.h"

#include "audit/auditverify.h"

#include <QTextStream>

int runAuditVerify(const CliArgs &args)
{
    using mcp::audit::Verdict;
    QTextStream err(stderr);
    const QStringList files = args.verb.mid(2);
    if (args.verb.value(1) != QStringLiteral("verify") || files.isEmpty()) {
        err << "mcpwb: usage: mcpwb audit verify FILE... (audit files of consecutive days, oldest first)\n";
        return 1;
    }
    const Verdict verdict = mcp::audit::verifyFiles(files);
    if (verdict.intact()) {
        QTextStream(stdout) << verdict.toString() << "\n";
        return 0;
    }
    err << "mcpwb: audit: " << verdict.toString() << "\n";
    const bool couldNotVerify =
        verdict.problem == Verdict::Problem::Unreadable || verdict.problem == Verdict::Problem::TooMany;
    return couldNotVerify ? 1 : kExitAuditChanged;
}
