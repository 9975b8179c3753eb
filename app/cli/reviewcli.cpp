#include "reviewcli.h"

#include "auth/oauthprovider.h"
#include "review/collect.h"
#include "review/report.h"
#include "review/review.h"
#include "session/clientsession.h"
#include "traffic/redaction.h"

#include <QFile>
#include <QSaveFile>

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
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

void runReview(mcp::ClientSession *session, const CliArgs &args,
               const std::shared_ptr<mcp::auth::OAuthProvider> &auth, QObject *context,
               std::function<void(int, const Error &)> done)
{
    review::Acceptances accepted;
    QString problem;
    if (!args.acceptedFile.isEmpty() && !review::Acceptances::load(args.acceptedFile, &accepted, &problem))
        return done(1, usage(QStringLiteral("--accepted ") + problem));
    review::ServerSnapshot snapshot;
    snapshot.name = connectionLabel(args);
    snapshot.transport = args.transport;
    for (const auto &header : args.transport.http.headers)
        snapshot.authenticated |= mcp::redaction::isSecretHeader(header.first);
    if (auth && auth->currentTokens().isValid()) {
        snapshot.authenticated = true;
        snapshot.accessToken = auth->currentTokens().accessToken;
    }
    review::collectDefinitions(
        session,
        [snapshot, accepted, args, done](const Json &definitions, const Error &error) mutable {
            if (error)
                return done(0, error);
            snapshot.definitions = definitions;
            // The server's own name reads better than a command line; it is shown made visible like all its text.
            const QString serverName = mcp::stringOr(mcp::valueOr(definitions, "serverInfo", Json::object()), "name");
            if (!serverName.isEmpty())
                snapshot.name = review::visibleText(serverName, 80);
            const review::Report report{{snapshot.name}, review::reviewServers({snapshot}), accepted};
            const auto format = review::reportFormatFromString(args.reviewFormat);
            QString problem;
            if (!writeReport(args.reviewOutput, review::render(report, *format), &problem))
                return done(1, usage(problem));
            done(reviewExitCode(review::highestOpenSeverity(report.findings, report.accepted)), {});
        },
        context);
}
