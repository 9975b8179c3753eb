// core/review on the real definitions of the reference servers pinned in tests/peers (server-everything,
// server-filesystem, server-memory 2026.8.31), each started over stdio with the pinned Node: every finding is
// listed here with the reason a reviewer accepts it, and any other finding (or a missing one) fails. The
// client offers no sampling or elicitation, so server-everything lists its tools without the trigger-* ones.
#include "review/collect.h"
#include "review/review.h"
#include "session/clientsession.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "transport/transportfactory.h"

#include <QDeadlineTimer>
#include <QTemporaryDir>
#include <QTest>
#include <optional>

using namespace mcp;
using namespace mcp::review;

namespace {

struct Expected
{
    QString rule;
    QString item;
    QString reason; // why a reviewer accepts this finding on this server
};

// A started server's snapshot, or an error text.
std::optional<ServerSnapshot> snapshotOf(const QString &name, const TransportConfig &config, QString *problem)
{
    Recorder recorder;
    Error error;
    auto transport = TransportFactory::create(config, &error);
    if (!transport) {
        *problem = error.toString();
        return std::nullopt;
    }
    SessionOptions options;
    options.connectionName = name;
    options.requestTimeoutMs = 20000;
    ClientSession session(transport.release(), &recorder, options);
    std::optional<Json> definitions;
    QObject::connect(&session, &ClientSession::ready, &session, [&] {
        collectDefinitions(&session, [&](const Json &d, const Error &e) {
            definitions = e ? Json() : d;
            *problem = e.toString();
        });
    });
    QObject::connect(&session, &ClientSession::failed, &session, [&](const Error &e) {
        definitions = Json();
        *problem = e.toString();
    });
    session.start();
    const QDeadlineTimer deadline(30000);
    while (!definitions && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    session.close();
    if (!definitions || definitions->is_null()) {
        if (problem->isEmpty())
            *problem = QStringLiteral("no definitions within 30 s");
        return std::nullopt;
    }
    ServerSnapshot s;
    s.name = name;
    s.definitions = *definitions;
    s.transport = config;
    return s;
}

TransportConfig stdioPeer(const QString &package, const QStringList &args, const QStringList &env = {})
{
    TransportConfig c;
    c.kind = TransportConfig::Kind::Stdio;
    c.stdio.program = testsupport::nodeBinary();
    c.stdio.arguments =
        QStringList{testsupport::peerPackageDir(package) + QStringLiteral("/dist/index.js")} + args;
    for (const QString &kv : env)
        c.stdio.environment.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    return c;
}

QString describe(const QList<Finding> &findings)
{
    QString out;
    for (const Finding &f : findings)
        out += QStringLiteral("\n  %1 %2 [%3] %4 | %5")
                   .arg(f.ruleId, f.location.item, severityName(f.severity), f.title, f.evidence.left(160));
    return out;
}

// Each expected finding is there, and nothing else.
void compare(const QList<Finding> &findings, const QList<Expected> &expected)
{
    QList<Finding> rest = findings;
    for (const Expected &e : expected) {
        const auto it = std::find_if(rest.begin(), rest.end(), [&](const Finding &f) {
            return f.ruleId == e.rule && f.location.item == e.item;
        });
        QVERIFY2(it != rest.end(), qPrintable(QStringLiteral("missing %1 on %2 (%3); got:%4")
                                                  .arg(e.rule, e.item, e.reason, describe(findings))));
        QVERIFY2(!it->evidence.isEmpty() && !it->advice.isEmpty(), qPrintable(it->title));
        rest.erase(it);
    }
    QVERIFY2(rest.isEmpty(), qPrintable(QStringLiteral("unexpected findings:") + describe(rest)));
}

// The tools of server-filesystem that take a path.
constexpr const char *kPathTools[] = {"read_file",           "read_text_file", "read_media_file",
                                      "read_multiple_files", "write_file",     "edit_file",
                                      "create_directory",    "list_directory", "list_directory_with_sizes",
                                      "directory_tree",      "search_files",   "get_file_info"};
const QString kGzipVia = QStringLiteral("gzip-file-as-resource → %1 → gzip-file-as-resource");

} // namespace

class TstReviewPeers : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QList<ServerSnapshot> m_servers;

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY(m_dir.isValid());
        QString problem;
        const struct
        {
            const char *name;
            TransportConfig config;
        } peers[] = {
            {"everything", stdioPeer(QStringLiteral("@modelcontextprotocol/server-everything"), {})},
            {"filesystem",
             stdioPeer(QStringLiteral("@modelcontextprotocol/server-filesystem"), {m_dir.path()})},
            {"memory", stdioPeer(QStringLiteral("@modelcontextprotocol/server-memory"), {},
                                 {QStringLiteral("MEMORY_FILE_PATH=") +
                                  m_dir.filePath(QStringLiteral("memory.jsonl"))})},
        };
        for (const auto &peer : peers) {
            const auto snapshot = snapshotOf(QLatin1String(peer.name), peer.config, &problem);
            QVERIFY2(snapshot, qPrintable(QLatin1String(peer.name) + QStringLiteral(": ") + problem));
            QVERIFY2(!valueOr(snapshot->definitions, "tools", Json::array()).empty(), peer.name);
            m_servers.append(*snapshot);
        }
    }

    void everything()
    {
        compare(reviewServers({m_servers[0]}),
                {{QStringLiteral("flow.toxic"), kGzipVia.arg(QStringLiteral("get-env")),
                  QStringLiteral(
                      "true: get-env returns the whole environment (API keys of the server's config) and "
                      "gzip-file-as-resource fetches any http(s) URL it is given (openWorldHint), so text it "
                      "fetched can have the model put the environment into the next URL it fetches")}});
    }

    void filesystem()
    {
        QList<Expected> expected;
        for (const char *tool : kPathTools)
            expected.append(
                {QStringLiteral("parameters.path"), QLatin1String(tool),
                 QStringLiteral("info only: the server takes paths by design and confines them to the "
                                "directories it was started with; the reminder to give it no more "
                                "stands")});
        compare(reviewServers({m_servers[1]}), expected);
    }

    void memory()
    {
        // Annotated correctly (the delete tools say destructiveHint), no free paths, commands or URLs.
        compare(reviewServers({m_servers[2]}), {});
    }

    void allThreeTogether()
    {
        // No name is shared and no description speaks of another server's tools; what adds up is the flow:
        // each private-data reader of the three servers between gzip's fetch and gzip's fetch.
        QList<Expected> expected;
        for (const char *tool : kPathTools)
            expected.append(
                {QStringLiteral("parameters.path"), QLatin1String(tool), QStringLiteral("as alone")});
        for (const char *reader : {"get-env", "read_file", "read_text_file", "read_media_file",
                                   "read_multiple_files", "list_directory", "list_directory_with_sizes",
                                   "directory_tree", "search_files", "get_file_info", "read_graph"})
            expected.append(
                {QStringLiteral("flow.toxic"), kGzipVia.arg(QLatin1String(reader)),
                 QStringLiteral("true: %1 reads private data (files, the environment, the knowledge "
                                "graph) that gzip-file-as-resource can carry out in a URL")
                     .arg(QLatin1String(reader))});
        compare(reviewServers(m_servers), expected);
    }
};

QTEST_GUILESS_MAIN(TstReviewPeers)
#include "tst_reviewpeers.moc"
