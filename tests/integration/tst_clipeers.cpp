#include "clirunner.h"

#include <QDir>
#include <QJsonArray>
#include <QRegularExpression>

// The built `mcpwb` CLI against real MCP servers from tests/peers (pinned
// @modelcontextprotocol/server-everything, server-filesystem and server-memory 2026.8.31) and against its own
// embedded demo server: verbs, output, --json, --trace and --rules. The trace of every run that talks to a
// server is validated against the official MCP schema of the negotiated version.
class TestCliPeers : public CliRunner
{
    Q_OBJECT
private Q_SLOTS:
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

QTEST_GUILESS_MAIN(TestCliPeers)
#include "tst_clipeers.moc"
