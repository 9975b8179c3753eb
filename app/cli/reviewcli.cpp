#include "reviewcli.h"

#include "auth/oauthprovider.h"
#include "review/collect.h"
#include "review/jsonfile.h"
#include "review/pinning.h"
#include "review/report.h"
#include "review/review.h"
#include "session/clientsession.h"
#include "traffic/redaction.h"

#include <QFile>
#include <QFileInfo>

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

} // namespace

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

void runReview(mcp::ClientSession *session, const CliArgs &args,
               const std::shared_ptr<mcp::auth::OAuthProvider> &auth, QObject *context,
               std::function<void(int, const Error &)> done)
{
    review::Acceptances accepted;
    review::PinStore pins;
    QString problem;
    if (!args.acceptedFile.isEmpty() && !review::Acceptances::load(args.acceptedFile, &accepted, &problem))
        return done(1, usage(QStringLiteral("--accepted ") + problem));
    if (args.approve && args.pinsFile.isEmpty())
        return done(1, usage(QStringLiteral("--approve needs --pins FILE, where the approval is kept")));
    if (!args.pinsFile.isEmpty() && !loadPins(args, &pins, &problem))
        return done(1, usage(problem));
    review::ServerSnapshot snapshot;
    snapshot.transport = args.transport;
    for (const auto &header : args.transport.http.headers)
        snapshot.authenticated |= mcp::redaction::isSecretName(header.first, mcp::redaction::Place::Header);
    if (auth && auth->currentTokens().isValid()) {
        snapshot.authenticated = true;
        snapshot.accessToken = auth->currentTokens().accessToken;
    }
    review::collectDefinitions(
        session,
        [snapshot, accepted, pins, args, done](const Json &definitions, const Error &error) mutable {
            if (error)
                return done(0, error);
            snapshot.name = serverName(definitions, args);
            snapshot.definitions = definitions;
            review::Report report{{snapshot.name}, review::reviewServers({snapshot}), accepted};
            if (!args.pinsFile.isEmpty() && !args.approve) {
                report.findings +=
                    review::pinFindings(snapshot.name, pins.changes(snapshot.name, definitions));
                review::sortFindings(&report.findings);
            }
            QString problem;
            if (args.approve) {
                pins.approve(snapshot.name, definitions);
                if (!pins.save(args.pinsFile, &problem))
                    return done(1, usage(problem));
            }
            const auto format = review::reportFormatFromString(args.reviewFormat);
            if (!writeReport(args.reviewOutput, review::render(report, *format), &problem))
                return done(1, usage(problem));
            done(reviewExitCode(review::highestOpenSeverity(report.findings, report.accepted)), {});
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
