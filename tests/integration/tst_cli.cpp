#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <vector>

// A secret parameter of a form or a JSON body and its value, as --auth-steps prints them (no raw string:
// moc loses the class after one with \" inside).
const QRegularExpression &secretParameter()
{
    static const QRegularExpression re(QStringLiteral(
        "\\b(code|code_verifier|client_secret|access_token|refresh_token)(=|\":\\s*\")([^&\"\\s]*)"));
    return re;
}

// The built `mcpwb` CLI, driven with QProcess against real MCP servers from tests/peers (pinned
// @modelcontextprotocol/server-everything, server-filesystem and server-memory 2026.8.31) and against its
// own embedded demo server: verbs, output, exit codes (0 ok, 1 usage, 2 connection, 3 protocol/timeout,
// 4 JSON-RPC error, 5 tool isError), --json, --env, --trace and --rules. The trace of every run that talks to
// a server is validated against the official MCP schema of the negotiated version.
class TestCli : public QObject
{
    Q_OBJECT

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
        qint64 elapsedMs = 0;
        QString trace; // the --trace file, when the run wrote one
        QStringList args;
        QString describe() const
        {
            return QStringLiteral("exit %1 after %2 ms\n--- stdout:\n%3\n--- stderr:\n%4")
                .arg(exitCode)
                .arg(elapsedMs)
                .arg(out.left(4000), err.left(4000));
        }
    };

    QTemporaryDir m_tmp;
    int m_traceCount = 0;
    int m_validated = 0;

    static QString quoted(const QString &s) { return QLatin1Char('"') + s + QLatin1Char('"'); }

    static QString everything() { return testsupport::everythingStdioCommand(); }
    static QString filesystem(const QString &dir)
    {
        return quoted(testsupport::nodeBinary()) + QLatin1Char(' ') +
               quoted(testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-filesystem")) +
                      QStringLiteral("/dist/index.js")) +
               QLatin1Char(' ') + quoted(dir);
    }
    static QString memory()
    {
        return quoted(testsupport::nodeBinary()) + QLatin1Char(' ') +
               quoted(testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-memory")) +
                      QStringLiteral("/dist/index.js"));
    }

    // Runs mcpwb with args; a run with a server gets a --trace file of its own unless it has one.
    Run mcpwb(QStringList args, int timeoutMs = 60000)
    {
        Run r;
        const bool talksToServer =
            args.contains(QStringLiteral("--stdio")) || args.contains(QStringLiteral("--url"));
        if (talksToServer && !args.contains(QStringLiteral("--trace"))) {
            r.trace = m_tmp.filePath(QStringLiteral("trace-%1.jsonl").arg(++m_traceCount));
            args << QStringLiteral("--trace") << r.trace;
        } else if (const qsizetype i = args.indexOf(QStringLiteral("--trace")); i >= 0) {
            r.trace = args.value(i + 1);
        }
        QProcess p;
        testsupport::endWithTest(p);
        QElapsedTimer clock;
        clock.start();
        p.start(testsupport::mcpwbBinary(), args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(2000);
            r.exitCode = -2; // hung
        } else {
            r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
        }
        r.elapsedMs = clock.elapsed();
        r.args = args;
        if (r.elapsedMs > 5000)
            qInfo("slow run (%lld ms): mcpwb %s", r.elapsedMs, qPrintable(args.join(QLatin1Char(' '))));
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    // The embedded demo server on HTTP (127.0.0.1, a free port), ended with the test; its MCP URL.
    static QString startDemoHttp(QProcess &demo)
    {
        testsupport::endWithTest(demo);
        const quint16 port = testsupport::freeLoopbackPort();
        demo.start(testsupport::mcpwbBinary(),
                   {QStringLiteral("demo-server"), QStringLiteral("--http"), QString::number(port)});
        return demo.waitForStarted(5000) ? QStringLiteral("http://127.0.0.1:%1/mcp").arg(port) : QString();
    }

    // The first run that is not refused a connection (a server just started may not listen yet).
    Run firstRun(const QStringList &args)
    {
        Run r;
        for (int i = 0; i < 50; ++i) {
            r = mcpwb(args, 20000);
            if (r.exitCode != 2)
                break;
            QTest::qWait(100);
        }
        return r;
    }

    // The frames mcpwb sent validate against the schema (skipped with a message without ../shared). The
    // validator runs beside the next mcpwb runs; cleanup() collects its verdict before the test function
    // ends.
    void validateTrace(const Run &run)
    {
        QVERIFY2(QFileInfo(run.trace).size() > 0,
                 qPrintable(QStringLiteral("no trace written: ") + run.trace));
        const QString schemaDir = testsupport::sharedDir() + QStringLiteral("/mcp-schema");
        if (!QFileInfo::exists(schemaDir)) {
            qInfo("../shared is absent: schema validation of %s skipped", qPrintable(run.trace));
            return;
        }
        auto validator = std::make_unique<QProcess>();
        validator->setProcessChannelMode(QProcess::MergedChannels);
        testsupport::endWithTest(*validator);
        validator->start(testsupport::nodeBinary(),
                         {testsupport::peersDir() + QStringLiteral("/validate-trace.mjs"),
                          QStringLiteral("--schema-dir"), schemaDir, QStringLiteral("--version"),
                          QStringLiteral("auto"), run.trace});
        m_validations.push_back(
            {run.trace + QStringLiteral(" (mcpwb ") + run.args.join(QLatin1Char(' ')) + u')',
             std::move(validator)});
    }

    struct Validation
    {
        QString what;
        std::unique_ptr<QProcess> process;
    };
    std::vector<Validation> m_validations;

    static QList<QJsonObject> traceMessages(const QString &path)
    {
        QList<QJsonObject> out;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return out;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            out << QJsonDocument::fromJson(line).object();
        }
        return out;
    }

    // Runs with --json and returns stdout parsed as one JSON object.
    QJsonObject jsonOf(const QStringList &args)
    {
        const Run r = mcpwb(args + QStringList{QStringLiteral("--json")});
        if (r.exitCode != 0) {
            qWarning("%s", qPrintable(r.describe()));
            return {};
        }
        validateTrace(r);
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile f(m_tmp.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(content);
        return f.fileName();
    }

#define CHECK_RUN(run, expectedExit)                                                                         \
    do {                                                                                                     \
        QVERIFY2((run).exitCode == (expectedExit), qPrintable((run).describe()));                            \
        if (!(run).trace.isEmpty())                                                                          \
            validateTrace(run);                                                                              \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (0)

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(QFileInfo(testsupport::mcpwbBinary()).isExecutable(),
                 qPrintable(testsupport::mcpwbBinary()));
    }

    void cleanup()
    {
        auto validations = std::move(m_validations);
        m_validations.clear();
        for (Validation &v : validations) {
            QVERIFY2(v.process->waitForFinished(60000),
                     qPrintable(QStringLiteral("validator hung: ") + v.what));
            const QString out = QString::fromUtf8(v.process->readAll());
            QVERIFY2(v.process->exitStatus() == QProcess::NormalExit && v.process->exitCode() == 0,
                     qPrintable(v.what + QLatin1Char('\n') + out));
            ++m_validated;
        }
    }

    void cleanupTestCase()
    {
        qInfo("%d traces validated against the MCP schema", m_validated);
    }

    // ---- usage and connection errors (no server needed) ------------------------------------------------

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("stderrContains");
        QTest::newRow("no arguments") << QStringList{} << QStringLiteral("no verb given");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate"), QStringLiteral("ping")}
                                        << QStringLiteral("unknown option --frobnicate");
        QTest::newRow("option without value")
            << QStringList{QStringLiteral("ping"), QStringLiteral("--timeout")}
            << QStringLiteral("--timeout needs a value");
        QTest::newRow("bad timeout") << QStringList{QStringLiteral("--timeout"), QStringLiteral("soon"),
                                                    QStringLiteral("ping")}
                                     << QStringLiteral("--timeout takes milliseconds");
        QTest::newRow("--env NAME not set")
            << QStringList{QStringLiteral("--stdio"), QStringLiteral("true"), QStringLiteral("--env"),
                           QStringLiteral("MCPWB_UNSET_X"), QStringLiteral("ping")}
            << QStringLiteral("MCPWB_UNSET_X is not set in this environment");
        QTest::newRow("missing rules file")
            << QStringList{QStringLiteral("--stdio"), QStringLiteral("true"), QStringLiteral("--rules"),
                           QStringLiteral("/nonexistent/rules.json"), QStringLiteral("ping")}
            << QStringLiteral("cannot read /nonexistent/rules.json");
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, stderrContains);
        // --trace first, so that a trailing option without its value stays without one
        const Run r = mcpwb(
            QStringList{QStringLiteral("--trace"), m_tmp.filePath(QStringLiteral("unused.jsonl"))} + args,
            10000);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(stderrContains), qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
    }

    void helpAndVersion()
    {
        const Run help = mcpwb({QStringLiteral("--help")}, 10000);
        QVERIFY2(help.exitCode == 0 && help.out.contains(QStringLiteral("exit codes:")),
                 qPrintable(help.describe()));
        const Run version = mcpwb({QStringLiteral("--version")}, 10000);
        QVERIFY2(version.exitCode == 0 && version.out.startsWith(QStringLiteral("mcpwb ")),
                 qPrintable(version.describe()));
    }

    // --env NAME hands a stdio server NAME's value from mcpwb's own environment (a secret need not be in
    // argv); nothing else of that environment reaches it. An unset NAME is a usage error.
    // --header and --client-secret values may read ${env:NAME} from mcpwb's environment instead of carrying
    // the secret in argv (where other users of the machine can see it); an unset NAME is a usage error.
    void secretsFromTheEnvironment()
    {
        QProcess demo;
        const QString url = startDemoHttp(demo);
        QVERIFY(!url.isEmpty());
        qputenv("MCPWB_TEST_HEADER", "value-from-the-environment");
        const Run r = firstRun({QStringLiteral("--url"), url, QStringLiteral("--header"),
                                QStringLiteral("X-Test: ${env:MCPWB_TEST_HEADER}"), QStringLiteral("tools"),
                                QStringLiteral("list")});
        const Run unset = mcpwb({QStringLiteral("--url"), url, QStringLiteral("--client-secret"),
                                 QStringLiteral("${env:MCPWB_TEST_UNSET_SECRET}"), QStringLiteral("tools"),
                                 QStringLiteral("list")},
                                20000);
        qunsetenv("MCPWB_TEST_HEADER");
        demo.terminate();
        demo.waitForFinished(5000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QFile trace(r.trace);
        QVERIFY(trace.open(QIODevice::ReadOnly));
        const QByteArray recorded = trace.readAll();
        QVERIFY2(recorded.contains("value-from-the-environment"), "the header was not sent with its value");
        QVERIFY(!recorded.contains("${env:"));
        QVERIFY2(unset.exitCode == 1, qPrintable(unset.describe()));
        QVERIFY2(unset.err.contains(QStringLiteral("${env:MCPWB_TEST_UNSET_SECRET} is not set")),
                 qPrintable(unset.describe()));
    }

    // --header and --client-secret values may read ${file:PATH} (one line, the user's, not writable by
    // others, at most 64 KiB); a file that cannot be used is a usage error naming it, never its contents.
    void secretsFromAFile()
    {
        QProcess demo;
        const QString url = startDemoHttp(demo);
        QVERIFY(!url.isEmpty());
        auto write = [this](const QString &name, const QByteArray &bytes, QFileDevice::Permissions extra) {
            QFile file(m_tmp.filePath(name));
            if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                file.write(bytes);
            file.close();
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | extra);
            return file.fileName();
        };
        const QString good = write(QStringLiteral("header-value"), "value-from-a-file\n", {});
        const QString shared =
            write(QStringLiteral("shared-secret"), "sk-shared-file", QFileDevice::WriteOther);
        const Run r = firstRun({QStringLiteral("--url"), url, QStringLiteral("--header"),
                                QStringLiteral("X-Test: ${file:%1}").arg(good), QStringLiteral("tools"),
                                QStringLiteral("list")});
        const QString missing = m_tmp.filePath(QStringLiteral("no-such-secret"));
        const Run absent = mcpwb({QStringLiteral("--url"), url, QStringLiteral("--client-secret"),
                                  QStringLiteral("${file:%1}").arg(missing), QStringLiteral("tools"),
                                  QStringLiteral("list")},
                                 20000);
        const Run writable = mcpwb({QStringLiteral("--url"), url, QStringLiteral("--header"),
                                    QStringLiteral("X-Key: ${file:%1}").arg(shared), QStringLiteral("tools"),
                                    QStringLiteral("list")},
                                   20000);
        demo.terminate();
        demo.waitForFinished(5000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QFile trace(r.trace);
        QVERIFY(trace.open(QIODevice::ReadOnly));
        QVERIFY2(trace.readAll().contains("\"X-Test\",\"value-from-a-file\""), "the header was not sent");
        QVERIFY2(absent.exitCode == 1 &&
                     absent.err.contains(
                         QStringLiteral("--client-secret: ${file:%1}: %1 does not exist").arg(missing)),
                 qPrintable(absent.describe()));
        QVERIFY2(writable.exitCode == 1 &&
                     writable.err.contains(QStringLiteral("is writable by other users")) &&
                     !writable.err.contains(QStringLiteral("sk-shared-file")),
                 qPrintable(writable.describe()));
    }

    // --auth-steps prints each authorization exchange: against the MCP SDK's example OAuth server, the MCP
    // request's own credentials (X-Api-Key, x-goog-api-key), the code, the PKCE verifier and the tokens
    // are all masked by the one redaction predicate; the innocuous parts (grant_type, token_type) are shown.
    void authStepsHideSecrets()
    {
        MCPWB_REQUIRE_PEERS();
        quint16 port = 0;
        quint16 authPort = 0;
        testsupport::PeerProcess peer;
        QVERIFY2(peer.startOAuthExample(&port, &authPort), qPrintable(peer.output()));
        const Run r = mcpwb({QStringLiteral("--url"), QStringLiteral("http://localhost:%1/mcp").arg(port),
                             QStringLiteral("--header"), QStringLiteral("X-Api-Key: sk-cli-api-key"),
                             QStringLiteral("--header"), QStringLiteral("x-goog-api-key: sk-cli-goog-key"),
                             QStringLiteral("--auth-follow-redirect"), QStringLiteral("--auth-steps"),
                             QStringLiteral("tools"), QStringLiteral("list")},
                            60000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("> X-Api-Key: [redacted]")) &&
                     r.err.contains(QStringLiteral("> x-goog-api-key: [redacted]")) &&
                     !r.err.contains("sk-cli-"),
                 qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("grant_type=authorization_code")), qPrintable(r.describe()));
        int seen = 0;
        for (auto m = secretParameter().globalMatch(r.err); m.hasNext(); ++seen) {
            const QRegularExpressionMatch match = m.next();
            QVERIFY2(match.captured(3) == QStringLiteral("[redacted]") ||
                         match.captured(3) == QStringLiteral("%5Bredacted%5D"),
                     qPrintable(match.captured(0)));
        }
        QVERIFY2(seen >= 3,
                 qPrintable(r.describe())); // the code and verifier sent, the access token received
        QVERIFY2(r.err.contains(QStringLiteral("token_type")), qPrintable(r.describe()));
    }

    void environmentByName()
    {
        qputenv("MCPWB_TEST_PASSED", "from-the-environment");
        qputenv("MCPWB_TEST_NOT_PASSED", "leaked");
        const QString server = QStringLiteral(
            "sh -c 'echo \"passed=$MCPWB_TEST_PASSED other=${MCPWB_TEST_NOT_PASSED-unset}\" >&2; exit 3'");
        const Run r = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("--env"),
                             QStringLiteral("MCPWB_TEST_PASSED"), QStringLiteral("ping")},
                            20000);
        const Run unset = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("--env"),
                                 QStringLiteral("MCPWB_TEST_UNSET"), QStringLiteral("ping")},
                                20000);
        qunsetenv("MCPWB_TEST_PASSED");
        qunsetenv("MCPWB_TEST_NOT_PASSED");
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("server stderr: passed=from-the-environment other=unset")),
                 qPrintable(r.describe()));
        QVERIFY2(unset.exitCode == 1, qPrintable(unset.describe()));
        QVERIFY2(unset.err.contains(QStringLiteral("MCPWB_TEST_UNSET is not set")),
                 qPrintable(unset.describe()));
    }

    // `--` ends the options: a tool name that looks like one reaches the server (without `--`, mcpwb took it
    // for its own --help and printed the usage).
    void doubleDashEndsOptions()
    {
        const QString demo = quoted(testsupport::mcpwbBinary()) + QStringLiteral(" demo-server");
        const Run r = mcpwb({QStringLiteral("--stdio"), demo, QStringLiteral("tools"), QStringLiteral("call"),
                             QStringLiteral("--"), QStringLiteral("--help"), QStringLiteral("{}")},
                            20000);
        QVERIFY2(r.exitCode == 4 || r.exitCode == 5, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("--help")) || r.out.contains(QStringLiteral("--help")),
                 qPrintable(r.describe()));
        QVERIFY2(!r.out.contains(QStringLiteral("usage: mcpwb")), qPrintable(r.describe()));
    }

    void wrongStdioCommand_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("stderrContains");
        QTest::newRow("no such program") << QStringLiteral("/nonexistent/mcp-server --flag")
                                         << QStringLiteral("could not start \"/nonexistent/mcp-server\"");
        QTest::newRow("program exits at once")
            << QStringLiteral("sh -c 'echo bye >&2; exit 7'") << QStringLiteral("exited with status 7");
    }

    void wrongStdioCommand()
    {
        QFETCH(QString, command);
        QFETCH(QString, stderrContains);
        const Run r = mcpwb(
            {QStringLiteral("--stdio"), command, QStringLiteral("tools"), QStringLiteral("list")}, 20000);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(stderrContains), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("mcpwb: error:")), qPrintable(r.describe()));
    }

    // ---- @modelcontextprotocol/server-filesystem on a temporary directory ----------------------------

    void filesystemServer()
    {
        MCPWB_REQUIRE_PEERS();
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString dir = QFileInfo(root.path()).canonicalFilePath();
        const QString server = filesystem(dir);
        const QString file = dir + QStringLiteral("/hello.txt");

        Run r = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("tools"), QStringLiteral("list")});
        CHECK_RUN(r, 0);
        for (const char *tool : {"write_file", "read_text_file", "list_directory"})
            QVERIFY2(r.out.contains(QLatin1String(tool)), qPrintable(r.describe()));

        const QJsonObject write{{QStringLiteral("path"), file},
                                {QStringLiteral("content"), QStringLiteral("hello from mcpwb\n")}};
        r = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("tools"), QStringLiteral("call"),
                   QStringLiteral("write_file"),
                   QString::fromUtf8(QJsonDocument(write).toJson(QJsonDocument::Compact))});
        CHECK_RUN(r, 0);
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), QByteArray("hello from mcpwb\n"));

        const QJsonObject read{{QStringLiteral("path"), file}};
        r = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("tools"), QStringLiteral("call"),
                   QStringLiteral("read_text_file"),
                   QString::fromUtf8(QJsonDocument(read).toJson(QJsonDocument::Compact))});
        CHECK_RUN(r, 0);
        QVERIFY2(r.out.contains(QStringLiteral("hello from mcpwb")), qPrintable(r.describe()));

        const QJsonObject list{{QStringLiteral("path"), dir}};
        r = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("tools"), QStringLiteral("call"),
                   QStringLiteral("list_directory"),
                   QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact))});
        CHECK_RUN(r, 0);
        QVERIFY2(r.out.contains(QStringLiteral("[FILE] hello.txt")), qPrintable(r.describe()));

        // outside the allowed directory: the tool says no (isError) -> exit 5, its words on stdout and stderr
        const QJsonObject outside{{QStringLiteral("path"), QStringLiteral("/etc/hostname")}};
        r = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("tools"), QStringLiteral("call"),
                   QStringLiteral("read_text_file"),
                   QString::fromUtf8(QJsonDocument(outside).toJson(QJsonDocument::Compact))});
        CHECK_RUN(r, 5);
        QVERIFY2(r.err.contains(QStringLiteral("mcpwb: error: tools/call:")) &&
                     r.err.contains(QStringLiteral("denied"), Qt::CaseInsensitive),
                 qPrintable(r.describe()));
    }

    // ---- @modelcontextprotocol/server-memory with MEMORY_FILE_PATH passed by --env --------------------

    void memoryServer()
    {
        MCPWB_REQUIRE_PEERS();
        const QString memoryFile = m_tmp.filePath(QStringLiteral("memory.jsonl"));
        const QStringList base{QStringLiteral("--stdio"), memory(), QStringLiteral("--env"),
                               QStringLiteral("MEMORY_FILE_PATH=") + memoryFile};
        const QString entities = QStringLiteral(
            R"({"entities":[{"name":"Ada Lovelace","entityType":"person","observations":["wrote the first program"]},)"
            R"({"name":"Analytical Engine","entityType":"machine","observations":["designed by Babbage"]}]})");
        Run r = mcpwb(base + QStringList{QStringLiteral("tools"), QStringLiteral("call"),
                                         QStringLiteral("create_entities"), entities});
        CHECK_RUN(r, 0);
        QVERIFY2(QFileInfo(memoryFile).size() > 0,
                 "the server did not write MEMORY_FILE_PATH: --env not passed?");

        // a second process reads the graph back from the file
        r = mcpwb(base +
                  QStringList{QStringLiteral("tools"), QStringLiteral("call"), QStringLiteral("read_graph")});
        CHECK_RUN(r, 0);
        for (const char *s : {"Ada Lovelace", "wrote the first program", "Analytical Engine"})
            QVERIFY2(r.out.contains(QLatin1String(s)), qPrintable(r.describe()));
    }

    // ---- @modelcontextprotocol/server-everything -------------------------------------------------------

    void everythingVerbs_data()
    {
        QTest::addColumn<QStringList>("verb");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stdoutPattern");
        QTest::addColumn<QString>("stderrPattern");
        const auto S = [](const char *s) { return QString::fromUtf8(s); };
        QTest::newRow("everything: ping") << QStringList{S("ping")} << 0 << S("^pong\\n$") << QString();
        // server-everything names itself and answers 2025-11-25 (tests/peers quirks)
        QTest::newRow("everything: info")
            << QStringList{S("info")} << 0 << S("(?s)everything.*2025-11-25") << QString();
        QTest::newRow("everything: tools list")
            << QStringList{S("tools"), S("list")} << 0 << S("\\d+ tools\\n(.|\\n)*  get-sum") << QString();
        QTest::newRow("everything: get-sum")
            << QStringList{S("tools"), S("call"), S("get-sum"), S(R"({"a":2,"b":3})")} << 0 << S("\\b5\\b")
            << QString();
        QTest::newRow("everything: echo")
            << QStringList{S("tools"), S("call"), S("echo"), S(R"({"message":"héllo"})")} << 0 << S("héllo")
            << QString();
        QTest::newRow("everything: prompts get args-prompt")
            << QStringList{S("prompts"), S("get"), S("args-prompt"), S(R"({"city":"Paris","state":"Texas"})")}
            << 0 << S("user: What's weather in Paris, Texas\\?") << QString();
        QTest::newRow("everything: complete department")
            << QStringList{S("complete"), S("prompt"), S("completable-prompt"), S("department"), S("E")} << 0
            << S("^Engineering\\n$") << QString();
        QTest::newRow("everything: resources templates")
            << QStringList{S("resources"), S("templates")} << 0 << S("\\d+ resource templates") << QString();
        // bad arguments: the SDK validates them and answers with a tool result that has isError -> 5
        QTest::newRow("everything: get-sum with a string argument")
            << QStringList{S("tools"), S("call"), S("get-sum"), S(R"({"a":"two","b":3})")} << 5 << QString()
            << S("mcpwb: error: tools/call: .*(a|number)");
        // unknown tool: server-everything (SDK 1.32) reports it as a tool result with isError, not a JSON-RPC
        // error
        QTest::newRow("everything: unknown tool")
            << QStringList{S("tools"), S("call"), S("no-such-tool"), S("{}")} << 5
            << S("Tool no-such-tool not found")
            << S("mcpwb: error: tools/call: .*Tool no-such-tool not found");
        // unknown prompt or resource: JSON-RPC errors -> 4
        QTest::newRow("everything: unknown resource")
            << QStringList{S("resources"), S("read"), S("demo://no/such/resource")} << 4 << QString()
            << S("mcpwb: error: resources/read: .*demo://no/such/resource.*\\(code -?\\d+\\)");
        QTest::newRow("everything: unknown prompt")
            << QStringList{S("prompts"), S("get"), S("no-such-prompt")} << 4 << QString()
            << S("mcpwb: error: prompts/get: .*no-such-prompt");
        QTest::newRow("everything: arguments not JSON")
            << QStringList{S("tools"), S("call"), S("get-sum"), S("{a:2")} << 1 << QString()
            << S("'\\{a:2' is not a JSON object");
        QTest::newRow("everything: unknown verb") << QStringList{S("frobnicate")} << 1 << QString()
                                                  << S("unknown or incomplete verb \"frobnicate\"");
        QTest::newRow("everything: timeout")
            << QStringList{S("--timeout"),
                           S("1000"),
                           S("tools"),
                           S("call"),
                           S("trigger-long-running-operation"),
                           S(R"({"duration":30,"steps":1})")}
            << 3 << QString() << S("mcpwb: error: tools/call: no answer or progress for 1000 ms");
    }

    void everythingVerbs()
    {
        MCPWB_REQUIRE_PEERS();
        QFETCH(QStringList, verb);
        QFETCH(int, exitCode);
        QFETCH(QString, stdoutPattern);
        QFETCH(QString, stderrPattern);
        const Run r = mcpwb(QStringList{QStringLiteral("--stdio"), everything()} + verb);
        CHECK_RUN(r, exitCode);
        if (!stdoutPattern.isEmpty())
            QVERIFY2(QRegularExpression(stdoutPattern).match(r.out).hasMatch(), qPrintable(r.describe()));
        if (!stderrPattern.isEmpty())
            QVERIFY2(QRegularExpression(stderrPattern).match(r.err).hasMatch(), qPrintable(r.describe()));
        if (exitCode != 0)
            QVERIFY2(!r.err.contains(QStringLiteral("\n    at ")), "a stack trace is not a readable message");
    }

    // server-everything: --json prints one JSON document per result, and errors as JSON on stderr.
    void everythingJson()
    {
        MCPWB_REQUIRE_PEERS();
        const QJsonObject tools = jsonOf(
            {QStringLiteral("--stdio"), everything(), QStringLiteral("tools"), QStringLiteral("list")});
        QVERIFY(tools.value(QStringLiteral("tools")).isArray());
        bool sum = false;
        for (const QJsonValue &t : tools.value(QStringLiteral("tools")).toArray())
            sum |= t.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("get-sum");
        QVERIFY(sum);

        const QJsonObject call =
            jsonOf({QStringLiteral("--stdio"), everything(), QStringLiteral("tools"), QStringLiteral("call"),
                    QStringLiteral("get-sum"), QStringLiteral(R"({"a":2,"b":3})")});
        QVERIFY2(call.value(QStringLiteral("content"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toString()
                     .contains(QLatin1Char('5')),
                 QJsonDocument(call).toJson().constData());

        // an error is one JSON line on stderr (after any server stderr lines)
        const Run r =
            mcpwb({QStringLiteral("--stdio"), everything(), QStringLiteral("--json"),
                   QStringLiteral("prompts"), QStringLiteral("get"), QStringLiteral("no-such-prompt")});
        CHECK_RUN(r, 4);
        const QString last = r.err.trimmed().split(QLatin1Char('\n')).last();
        const QJsonObject error =
            QJsonDocument::fromJson(last.toUtf8()).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("category")).toString(), QStringLiteral("rpc"));
        QCOMPARE(error.value(QStringLiteral("step")).toString(), QStringLiteral("prompts/get"));
        QVERIFY2(error.value(QStringLiteral("message")).toString().contains(QStringLiteral("no-such-prompt")),
                 qPrintable(last));
        QVERIFY2(error.value(QStringLiteral("code")).toInt() < 0, qPrintable(last));
    }

    // server-everything: the trace holds every frame, initialize and tools/call included, as JSONL.
    void everythingTrace()
    {
        MCPWB_REQUIRE_PEERS();
        const QString trace = m_tmp.filePath(QStringLiteral("explicit-trace.jsonl"));
        const Run r = mcpwb({QStringLiteral("--stdio"), everything(), QStringLiteral("--trace"), trace,
                             QStringLiteral("tools"), QStringLiteral("call"), QStringLiteral("get-sum"),
                             QStringLiteral(R"({"a":2,"b":3})")});
        CHECK_RUN(r, 0);
        const QList<QJsonObject> lines = traceMessages(trace);
        QStringList sentMethods;
        bool resultSeen = false;
        for (const QJsonObject &line : lines) {
            QVERIFY(line.contains(QStringLiteral("time")) && line.contains(QStringLiteral("direction")) &&
                    line.contains(QStringLiteral("bytes")));
            const QJsonObject m = line.value(QStringLiteral("message")).toObject();
            if (line.value(QStringLiteral("direction")).toString() == QStringLiteral("send"))
                sentMethods << m.value(QStringLiteral("method")).toString();
            else if (m.value(QStringLiteral("result")).toObject().contains(QStringLiteral("content")))
                resultSeen = true;
        }
        QVERIFY2(sentMethods.contains(QStringLiteral("initialize")),
                 qPrintable(sentMethods.join(QLatin1Char(','))));
        QVERIFY(sentMethods.contains(QStringLiteral("notifications/initialized")));
        QVERIFY(sentMethods.contains(QStringLiteral("tools/call")));
        QVERIFY(sentMethods.indexOf(QStringLiteral("initialize")) <
                sentMethods.indexOf(QStringLiteral("tools/call")));
        QVERIFY(resultSeen);
    }

    // server-everything: read a resource that resources list names.
    void everythingResourceRead()
    {
        MCPWB_REQUIRE_PEERS();
        const QJsonObject list = jsonOf(
            {QStringLiteral("--stdio"), everything(), QStringLiteral("resources"), QStringLiteral("list")});
        const QJsonArray resources = list.value(QStringLiteral("resources")).toArray();
        QVERIFY(!resources.isEmpty());
        const QString uri = resources.first().toObject().value(QStringLiteral("uri")).toString();
        QVERIFY(!uri.isEmpty());
        const QJsonObject read = jsonOf({QStringLiteral("--stdio"), everything(), QStringLiteral("resources"),
                                         QStringLiteral("read"), uri});
        const QJsonArray contents = read.value(QStringLiteral("contents")).toArray();
        QVERIFY2(!contents.isEmpty(), QJsonDocument(read).toJson().constData());
        QCOMPARE(contents.first().toObject().value(QStringLiteral("uri")).toString(), uri);

        const Run text = mcpwb({QStringLiteral("--stdio"), everything(), QStringLiteral("resources"),
                                QStringLiteral("read"), uri});
        CHECK_RUN(text, 0);
        QVERIFY(!text.out.trimmed().isEmpty());
    }

    // server-everything: get a prompt that prompts list names, with arguments for all it declares.
    void everythingPromptWithArgs()
    {
        MCPWB_REQUIRE_PEERS();
        const QJsonObject list = jsonOf(
            {QStringLiteral("--stdio"), everything(), QStringLiteral("prompts"), QStringLiteral("list")});
        QJsonObject prompt;
        for (const QJsonValue &p : list.value(QStringLiteral("prompts")).toArray())
            if (!p.toObject().value(QStringLiteral("arguments")).toArray().isEmpty() &&
                p.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("args-prompt"))
                prompt = p.toObject();
        QVERIFY2(!prompt.isEmpty(), QJsonDocument(list).toJson().constData());
        QJsonObject args;
        for (const QJsonValue &a : prompt.value(QStringLiteral("arguments")).toArray())
            args.insert(a.toObject().value(QStringLiteral("name")).toString(),
                        QStringLiteral("Value-") + a.toObject().value(QStringLiteral("name")).toString());
        const Run r = mcpwb({QStringLiteral("--stdio"), everything(), QStringLiteral("prompts"),
                             QStringLiteral("get"), prompt.value(QStringLiteral("name")).toString(),
                             QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact))});
        CHECK_RUN(r, 0);
        QVERIFY2(r.out.contains(QStringLiteral("Value-city")), qPrintable(r.describe()));
    }

    // server-everything: watch prints notifications for the given time and exits 0.
    void everythingWatch()
    {
        MCPWB_REQUIRE_PEERS();
        const Run r = mcpwb({QStringLiteral("--stdio"), everything(), QStringLiteral("watch"),
                             QStringLiteral("--seconds"), QStringLiteral("2")},
                            30000);
        CHECK_RUN(r, 0);
        QVERIFY2(r.elapsedMs >= 2000 && r.elapsedMs < 15000, qPrintable(r.describe()));
    }

    // server-everything: sampling and elicitation requests answered from a --rules file.
    void everythingRules_data()
    {
        QTest::addColumn<QByteArray>("rules");
        QTest::addColumn<QStringList>("verb");
        QTest::addColumn<QStringList>("stdoutContains");
        QTest::newRow("everything: trigger-sampling-request")
            << QByteArray(R"({"sampling":{"text":"sampled by the mcpwb CLI test","model":"cli-test-model"}})")
            << QStringList{QStringLiteral("tools"), QStringLiteral("call"),
                           QStringLiteral("trigger-sampling-request"),
                           QStringLiteral(R"({"prompt":"say something"})")}
            << QStringList{QStringLiteral("sampled by the mcpwb CLI test"), QStringLiteral("cli-test-model")};
        QTest::newRow("everything: trigger-elicitation-request")
            << QByteArray(
                   R"({"elicitation":{"action":"accept","content":{"name":"Grace Hopper","check":true}}})")
            << QStringList{QStringLiteral("tools"), QStringLiteral("call"),
                           QStringLiteral("trigger-elicitation-request")}
            << QStringList{QStringLiteral("User provided the requested information"),
                           QStringLiteral("Name: Grace Hopper")};
        QTest::newRow("everything: elicitation with schema defaults")
            << QByteArray(R"({"elicitation":"defaults"})")
            << QStringList{QStringLiteral("tools"), QStringLiteral("call"),
                           QStringLiteral("trigger-elicitation-request")}
            << QStringList{QStringLiteral("User provided the requested information"),
                           QStringLiteral("Favorite Integer: 42")};
    }

    void everythingRules()
    {
        MCPWB_REQUIRE_PEERS();
        QFETCH(QByteArray, rules);
        QFETCH(QStringList, verb);
        QFETCH(QStringList, stdoutContains);
        const QString rulesFile = writeFile(QStringLiteral("rules-%1.json").arg(++m_traceCount), rules);
        QVERIFY(!rulesFile.isEmpty());
        const Run r =
            mcpwb(QStringList{QStringLiteral("--stdio"), everything(), QStringLiteral("--rules"), rulesFile} +
                  verb);
        CHECK_RUN(r, 0);
        for (const QString &s : stdoutContains)
            QVERIFY2(r.out.contains(s), qPrintable(r.describe()));
    }

    // ---- mcpwb's own demo server -----------------------------------------------------------------------

    void demoServer()
    {
        const QString server = quoted(testsupport::mcpwbBinary()) + QStringLiteral(" demo-server");
        const Run r = mcpwb(
            {QStringLiteral("--stdio"), server, QStringLiteral("tools"), QStringLiteral("list")}, 20000);
        CHECK_RUN(r, 0);
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("^(\\d+) tools\\n")).match(r.out);
        QVERIFY2(m.hasMatch() && m.captured(1).toInt() > 0, qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
