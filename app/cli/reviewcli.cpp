#include "reviewcli.h"

#include "auth/oauthprovider.h"
#include "review/collect.h"
#include "review/jsonfile.h"
#include "review/pinning.h"
#include "review/report.h"
#include "review/review.h"
#include "review/trafficcheck.h"
#include "session/clientsession.h"
#include "traffic/tracefile.h"

#include <QFile>
#include <QFileInfo>
#include <QTextStream>

using mcp::Error;
using mcp::Json;
namespace review = mcp::review;

int reviewExitCode(std::optional<review::Severity> highestOpen)
{
    if (!highestOpen || *highestOpen == review::Severity::Info)
        return 0;
    return 6 + int(*highestOpen); // Low 7 .. Critical 10, after the other verbs' codes
}

namespace {

Error usage(const QString &message)
{
    return mcp::makeError(Error::Category::Usage, QStringLiteral("review"), message);
}

// The server's own name reads better than a command line (and keys its pins); it is shown made visible like
// all its text.
QString serverName(const Json &definitions, const CliArgs &args)
{
    const QString name = mcp::stringOr(mcp::valueOr(definitions, "serverInfo", Json::object()), "name");
    return name.isEmpty() ? connectionLabel(args) : review::visibleText(name, 80);
}

// --pins FILE: read it; a file not there yet is an empty store when the user is about to approve.
bool loadPins(const CliArgs &args, review::PinStore *pins, QString *error)
{
    if (args.approve && !QFileInfo::exists(args.pinsFile))
        return true;
    if (review::PinStore::load(args.pinsFile, pins, error))
        return true;
    *error = QStringLiteral("--pins ") + *error;
    return false;
}

bool writeReport(const QString &path, const QByteArray &bytes, QString *error)
{
    if (path.isEmpty()) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(bytes) != bytes.size()) {
            *error = QStringLiteral("cannot write the report to standard output");
            return false;
        }
        return true;
    }
    return review::writeFileAtomically(path, bytes, error);
}

} // namespace

// --accepted and --pins, read; an error names the option.
Error loadReviewFiles(const CliArgs &args, review::Acceptances *accepted, review::PinStore *pins)
{
    QString problem;
    if (!args.acceptedFile.isEmpty() && !review::Acceptances::load(args.acceptedFile, accepted, &problem))
        return usage(QStringLiteral("--accepted ") + problem);
    if (args.approve && args.pinsFile.isEmpty())
        return usage(QStringLiteral("--approve needs --pins FILE, where the approval is kept"));
    if (!args.pinsFile.isEmpty() && !loadPins(args, pins, &problem))
        return usage(problem);
    return {};
}

// Writes the report (--format, --output); *exitCode by the highest open severity.
Error writeReview(const CliArgs &args, const review::Report &report, int *exitCode)
{
    QString problem;
    const auto format = review::reportFormatFromString(args.reviewFormat);
    if (!writeReport(args.output, review::render(report, *format), &problem))
        return usage(problem);
    *exitCode = reviewExitCode(review::highestOpenSeverity(report.findings, report.accepted));
    return {};
}

bool isTraceReview(const CliArgs &args)
{
    return args.verb == QStringList{QStringLiteral("review")} && !args.traceFile.isEmpty() &&
           args.transport.stdio.program.isEmpty() && args.transport.http.url.isEmpty();
}

int runTraceReview(const CliArgs &args)
{
    QTextStream err(stderr);
    review::Acceptances accepted;
    review::PinStore pins;
    Error error = loadReviewFiles(args, &accepted, &pins);
    if (!error && args.approve)
        error = usage(QStringLiteral("--approve pins what a live server defines: connect to it (--stdio or "
                                     "--url) instead of reviewing a trace"));
    mcp::Recorder recorder;
    if (!error)
        mcp::readTrace(args.traceFile, recorder, &error);
    if (!error && recorder.connectionCount() == 0)
        error = usage(QStringLiteral("%1 holds no frames to review").arg(args.traceFile));
    if (error) {
        err << "mcpwb: error: " << error.toString() << "\n";
        return 1;
    }
    // One snapshot per server (a server recorded on two connections is one server, not two that shadow each
    // other): the definitions of its last connection; the traffic of every connection.
    QList<review::ServerSnapshot> servers;
    QList<review::Finding> traffic;
    for (int c = 0; c < recorder.connectionCount(); ++c) {
        review::TrafficReview seen =
            review::reviewTraffic(recorder, c, {}, args.pinsFile.isEmpty() ? nullptr : &pins);
        traffic += seen.findings;
        qsizetype same = 0;
        while (same < servers.size() && servers[same].name != seen.server)
            ++same;
        if (same == servers.size()) {
            servers.append(review::ServerSnapshot());
            servers.last().name = seen.server;
        }
        servers[same].definitions = seen.definitions;
    }
    review::Report report{{}, review::reviewServers(servers) + traffic, accepted};
    for (const review::ServerSnapshot &s : servers)
        report.servers << s.name;
    review::sortFindings(&report.findings);
    int exitCode = 0;
    if (const Error written = writeReview(args, report, &exitCode)) {
        err << "mcpwb: error: " << written.toString() << "\n";
        return 1;
    }
    return exitCode;
}

void runReview(mcp::ClientSession *session, const CliArgs &args,
               const std::shared_ptr<mcp::auth::OAuthProvider> &auth, QObject *context,
               std::function<void(int, const Error &)> done)
{
    review::Acceptances accepted;
    review::PinStore pins;
    if (const Error error = loadReviewFiles(args, &accepted, &pins))
        return done(1, error);
    review::ServerSnapshot snapshot;
    const bool signedIn = auth && auth->currentTokens().isValid();
    review::describeConnection(&snapshot, args.transport,
                               signedIn ? auth->currentTokens().accessToken : QByteArray());
    review::collectDefinitions(
        session,
        [session, snapshot, accepted, pins, args, done](const Json &definitions, const Error &error) mutable {
            if (error)
                return done(0, error);
            snapshot.name = serverName(definitions, args);
            snapshot.definitions = definitions;
            // While approving, what is approved now is the baseline: nothing has changed from it.
            review::Report report{{snapshot.name},
                                  review::reviewServers({snapshot}, args.approve ? review::PinStore() : pins),
                                  accepted};
            // What the session saw besides the listings just taken (server requests, list changes).
            if (session->recorder())
                report.findings +=
                    review::reviewTraffic(*session->recorder(), session->connectionId(), snapshot.name)
                        .findings;
            review::sortFindings(&report.findings);
            QString problem;
            if (args.approve) {
                pins.approve(snapshot.name, definitions);
                if (!pins.save(args.pinsFile, &problem))
                    return done(1, usage(problem));
            }
            int exitCode = 0;
            const Error written = writeReview(args, report, &exitCode);
            done(written ? 1 : exitCode, written);
        },
        context);
}

void guardToolCall(mcp::ClientSession *session, const CliArgs &args, const QString &tool, QObject *context,
                   std::function<void(const QString &heldBecause, const Error &error)> done)
{
    review::PinStore pins;
    QString problem;
    if (!loadPins(args, &pins, &problem))
        return done({}, usage(problem));
    review::collectDefinitions(
        session,
        [pins, args, tool, done](const Json &definitions, const Error &error) {
            if (error)
                return done({}, error);
            const auto held = pins.holdCall(serverName(definitions, args), definitions, tool);
            done(held ? held->describe() : QString(), {});
        },
        context);
}
