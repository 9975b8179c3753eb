#include "inventorycli.h"

#include "config/inventory.h"
#include "review/collect.h"
#include "review/jsonfile.h"
#include "review/report.h"
#include "review/review.h"
#include "reviewcli.h"
#include "session/clientsession.h"
#include "traffic/redaction.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QPointer>
#include <QTextStream>
#include <QTimer>

using mcp::Json;
namespace config = mcp::config;
namespace review = mcp::review;

namespace {

QString transportName(const config::ConfiguredServer &s)
{
    return s.isRemote() ? mcp::TransportConfig::kindName(s.transport) : QStringLiteral("stdio");
}

QString where(const config::ConfiguredServer &s)
{
    return QStringLiteral("%1:%2").arg(s.file).arg(s.line);
}

Json settingsJson(const config::NamedValues &values, config::Host host)
{
    Json out = Json::object();
    for (const auto &[name, value] : values)
        out[mcp::toStd(review::visibleText(name, 200))] = mcp::toStd(config::shownSetting(name, value, host));
    return out;
}

Json inventoryJson(const config::Inventory &inventory)
{
    Json servers = Json::array();
    for (const config::InventoryEntry &e : inventory.entries) {
        Json configs = Json::array();
        for (const config::ConfiguredServer &c : e.configs)
            configs.push_back({{"name", mcp::toStd(review::visibleText(c.name, 200))},
                               {"host", mcp::toStd(config::hostName(c.host))},
                               {"scope", mcp::toStd(c.scope)},
                               {"file", mcp::toStd(c.file)},
                               {"line", c.line},
                               {"env", settingsJson(c.env, c.host)},
                               {"headers", settingsJson(c.headers, c.host)}});
        servers.push_back({{"name", mcp::toStd(review::visibleText(e.name(), 200))},
                           {"transport", mcp::toStd(transportName(e.first()))},
                           {"target", mcp::toStd(config::shownTarget(e.first()))},
                           {"hosts", Json(mcp::toStd(e.hosts().join(QStringLiteral(", "))))},
                           {"configs", configs}});
    }
    Json problems = Json::array();
    for (const config::ConfigProblem &p : inventory.problems)
        problems.push_back({{"file", mcp::toStd(p.file)},
                            {"line", p.line},
                            {"reason", mcp::toStd(review::visibleText(p.reason, 400))}});
    Json files = Json::array();
    for (const QString &f : inventory.files)
        files.push_back(mcp::toStd(f));
    return {{"servers", servers}, {"problems", problems}, {"files", files}};
}

void printSettings(QTextStream &out, const char *kind, const config::NamedValues &values, config::Host host)
{
    for (const auto &[name, value] : values)
        out << "    " << kind << ' ' << review::visibleText(name, 200) << (qstrcmp(kind, "env") ? ": " : "=")
            << config::shownSetting(name, value, host) << '\n';
}

review::Finding inventoryFinding(const QString &server, const char *rule, review::Severity severity,
                                 const QString &title, const QString &evidence, const QString &advice)
{
    return {QLatin1String(rule),
            review::Category::ShadowServers,
            severity,
            title,
            evidence,
            advice,
            {server, QStringLiteral("connection"), QString(), QString(), QString()}};
}

// Connects to one server, lists what it defines and closes (a stdio server's process ends with it; the wait
// is bounded by the transport's own grace timers and 8 s here). done gets the definitions or an error.
void reviewLive(mcp::TransportConfig transport, const QString &name, bool agreed, int timeoutMs,
                std::function<void(const Json &definitions, const QString &error)> done)
{
    QString problem;
    if (agreed && !config::expandReferences(&transport, &problem))
        return done({}, problem);
    if (!agreed && !(problem = config::withoutAgreement(&transport)).isEmpty())
        return done({},
                    QStringLiteral("%1; to review it live as configured (its credentials included), agree "
                                   "with --start \"%2\"")
                        .arg(problem, name));
    mcp::Error error;
    std::unique_ptr<mcp::Transport> opened = mcp::TransportFactory::create(transport, &error);
    if (!opened)
        return done({}, error.toString());
    mcp::SessionOptions options;
    options.clientName = QStringLiteral("mcpwb");
    options.connectionName = name;
    options.requestTimeoutMs = timeoutMs;
    auto *session = new mcp::ClientSession(opened.release(), nullptr, options);
    auto finished = std::make_shared<bool>(false);
    auto finish = [session, finished, done](const Json &definitions, const QString &failure) {
        if (std::exchange(*finished, true))
            return;
        auto released = std::make_shared<bool>(false);
        auto release = [session, released, done, definitions, failure] {
            if (std::exchange(*released, true))
                return;
            session->deleteLater();
            done(definitions, failure);
        };
        using State = mcp::ClientSession::State;
        QObject::connect(session, &mcp::ClientSession::stateChanged, session, [release](State s) {
            if (s == State::Closed || s == State::Failed)
                release();
        });
        QTimer::singleShot(8000, session, release);
        if (session->state() != State::Closed && session->state() != State::Failed)
            session->close();
        if (session->state() == State::Closed || session->state() == State::Failed)
            release();
    };
    QObject::connect(session, &mcp::ClientSession::ready, session, [session, finish] {
        review::collectDefinitions(
            session,
            [finish](const Json &definitions, const mcp::Error &e) {
                finish(definitions, e ? e.toString() : QString());
            },
            session);
    });
    QObject::connect(session, &mcp::ClientSession::failed, session,
                     [finish](const mcp::Error &e) { finish({}, e.toString()); });
    session->start();
}

config::Inventory readInventory(const CliArgs &args)
{
    return config::readInventory(QDir::homePath(), args.projects);
}

} // namespace

int runConfigList(const CliArgs &args)
{
    QTextStream out(stdout);
    if (args.verb != QStringList{QStringLiteral("config"), QStringLiteral("list")}) {
        QTextStream(stderr) << "mcpwb: config takes list, import or export, got \""
                            << args.verb.mid(1).join(QLatin1Char(' ')) << "\"\n";
        return 1;
    }
    const config::Inventory inventory = readInventory(args);
    if (args.json) {
        out << QString::fromStdString(
                   inventoryJson(inventory).dump(2, ' ', false, Json::error_handler_t::replace))
            << '\n';
        return 0;
    }
    out << inventory.entries.size() << " servers configured in " << inventory.files.size() << " files\n";
    for (const config::InventoryEntry &e : inventory.entries) {
        out << '\n'
            << review::visibleText(e.names().join(QStringLiteral(", ")), 200) << "  ["
            << transportName(e.first()) << "]  " << config::shownTarget(e.first()) << '\n';
        for (const config::ConfiguredServer &c : e.configs) {
            out << "  " << config::hostName(c.host) << " (" << c.scope << "), \""
                << review::visibleText(c.name, 200) << "\" at " << where(c) << '\n';
            printSettings(out, "env", c.env, c.host);
            printSettings(out, "header", c.headers, c.host);
        }
    }
    if (!inventory.problems.isEmpty())
        out << "\nnot read:\n";
    for (const config::ConfigProblem &p : inventory.problems)
        out << "  " << review::visibleText(p.toString(), 600) << '\n';
    return 0;
}

int runInventoryReview(const CliArgs &args)
{
    QTextStream err(stderr);
    review::Acceptances accepted;
    review::PinStore pins;
    if (const mcp::Error error = loadReviewFiles(args, &accepted, &pins)) {
        err << "mcpwb: error: " << error.toString() << '\n';
        return 1;
    }
    const config::Inventory inventory = readInventory(args);
    QList<review::ServerSnapshot> snapshots = config::configuredSnapshots(inventory);
    QList<review::Finding> extra;
    QList<qsizetype> live; // snapshots to connect to
    QList<bool> agreedTo;  // for each of those: the user named it with --start
    QStringList unmatched = args.startServers;
    QStringList names;
    for (qsizetype i = 0; i < inventory.entries.size(); ++i) {
        const config::InventoryEntry &e = inventory.entries[i];
        const review::ServerSnapshot &s = snapshots[i];
        names << s.name;
        QStringList places;
        for (const config::ConfiguredServer &c : e.configs)
            places << QStringLiteral("%1 (%2): %3").arg(config::hostName(c.host), c.scope, where(c));
        extra << inventoryFinding(
            s.name, "inventory.configured", review::Severity::Info,
            QStringLiteral("Configured in %1").arg(e.hosts().join(QStringLiteral(", "))),
            places.join(QStringLiteral("; ")),
            QStringLiteral("Every host that configures it may start or reach it. Remove "
                           "what nobody uses, and review what stays."));
        bool agreed = false;
        for (const QString &n : e.names())
            agreed |= unmatched.removeAll(n) > 0 || args.startServers.contains(n);
        if (e.isRemote() || agreed) {
            live << i;
            agreedTo << agreed;
        } else
            extra << inventoryFinding(
                s.name, "inventory.not-started", review::Severity::Info,
                QStringLiteral("Not started: starting it runs its code"), config::shownTarget(e.first()),
                QStringLiteral("Reviewed as configured only. To review what it defines, "
                               "agree to run it with --start \"%1\"")
                    .arg(review::visibleText(e.name(), 80)));
        snapshots << s;
    }
    if (!unmatched.isEmpty()) {
        err << "mcpwb: --start " << unmatched.first() << ": no server of that name is configured\n";
        return 1;
    }
    for (const config::ConfigProblem &p : inventory.problems)
        extra << inventoryFinding(p.file, "inventory.unreadable-config", review::Severity::Low,
                                  QStringLiteral("A host config file could not be read"),
                                  review::visibleText(p.toString(), 600),
                                  QStringLiteral("The servers it configures are not in this review. Fix the "
                                                 "file; the host may also be ignoring it."));
    // One server after another, so that at most one process we started runs at a time.
    qsizetype next = 0;
    std::function<void()> connectNext = [&] {
        if (next == live.size())
            return QCoreApplication::exit(0);
        const bool agreed = agreedTo[next];
        review::ServerSnapshot &s = snapshots[live[next++]];
        err << "mcpwb: reviewing " << s.name << " live\n";
        err.flush();
        reviewLive(*s.transport, s.name, agreed, args.timeoutMs,
                   [&](const Json &definitions, const QString &failure) {
                       if (failure.isEmpty())
                           s.definitions = definitions;
                       else
                           extra << inventoryFinding(s.name, "inventory.not-reviewed-live",
                                                     review::Severity::Info,
                                                     QStringLiteral("Could not be reviewed live"),
                                                     review::visibleText(failure, 400),
                                                     QStringLiteral("Only its configuration was reviewed."));
                       QTimer::singleShot(0, connectNext);
                   });
    };
    QTimer::singleShot(0, connectNext);
    QCoreApplication::exec();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // the last session

    review::Report report{names, review::reviewServers(snapshots, pins) + extra, accepted};
    review::sortFindings(&report.findings);
    int exitCode = 0;
    if (const mcp::Error error = writeReview(args, report, &exitCode)) {
        err << "mcpwb: error: " << error.toString() << '\n';
        return 1;
    }
    return exitCode;
}
