// "Copy as" texts of recorded frames (JSON, mcpwb command line, curl), checked by running them through a real
// POSIX shell (/bin/sh) with mcpwb and curl replaced by a function that prints the words it got: quoting of
// single quotes, newlines and Unicode, the transport flags, the MCP headers and redaction by default.
#include "traffic/copyas.h"

#include <QProcess>
#include <QTest>

using namespace mcp;

// Kept out of the class: moc's tokenizer stumbles over a single quote inside a raw string literal.
static const char kNewLineArguments[] = "{\"message\":\"it\x27s a\\nnew line \u2014 \u00fcn\u00efcode\"}";
static const char kSecretArguments[] =
    "{\"message\":\"it\x27s\\nmultiline \u2713\",\"password\":\"hunter2\"}";

class TstCopyAs : public QObject
{
    Q_OBJECT

    // The words `sh` hands to `program` when it runs `command`.
    static QStringList wordsFromShell(const QString &command, const QString &program)
    {
        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"),
                 {QStringLiteral("-c"),
                  program + QStringLiteral("() { for w in \"$@\"; do printf '%s\\0' \"$w\"; done; }\n") +
                      command});
        if (!sh.waitForFinished(10000) || sh.exitCode() != 0)
            return {QStringLiteral("<sh failed: %1>").arg(QString::fromUtf8(sh.readAllStandardError()))};
        QStringList words = QString::fromUtf8(sh.readAllStandardOutput()).split(QChar(0));
        words.removeLast(); // after the last NUL
        return words;
    }

    static QString valueAfter(const QStringList &words, const QString &flag, int nth = 0)
    {
        for (int i = 0; i + 1 < words.size(); ++i)
            if (words[i] == flag && nth-- == 0)
                return words[i + 1];
        return {};
    }

    static QStringList valuesAfter(const QStringList &words, const QString &flag)
    {
        QStringList out;
        for (int i = 0; i + 1 < words.size(); ++i)
            if (words[i] == flag)
                out << words[i + 1];
        return out;
    }

    static TransportConfig stdioConfig()
    {
        TransportConfig t;
        t.kind = TransportConfig::Kind::Stdio;
        t.stdio.program = QStringLiteral("node");
        t.stdio.arguments = {QStringLiteral("/opt/my server/index.js"), QStringLiteral("--name=it's"),
                             QStringLiteral("$HOME")};
        t.stdio.environment.insert(QStringLiteral("MCPWB_TEST_GREETING"), QStringLiteral("héllo 'world'"));
        t.stdio.environment.insert(QStringLiteral("GITHUB_TOKEN"), QStringLiteral("ghp_secret"));
        t.stdio.workingDirectory = QStringLiteral("/tmp/a dir");
        return t;
    }

    static TransportConfig httpConfig()
    {
        TransportConfig t;
        t.kind = TransportConfig::Kind::Http;
        t.http.url = QUrl(QStringLiteral("http://127.0.0.1:3001/mcp?access_token=qs-secret"));
        t.http.headers = {{"Authorization", "Bearer sk-live-123"}, {"X-Tenant", "o'brien"}};
        return t;
    }

    static QByteArray toolCall(const char *arguments)
    {
        return QByteArray(
                   R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":)") +
               arguments + R"(,"_meta":{"progressToken":7}}})";
    }

private Q_SLOTS:
    void shellQuoteSurvivesTheShell_data()
    {
        QTest::addColumn<QString>("word");
        QTest::newRow("plain") << QStringLiteral("tools/call");
        QTest::newRow("empty") << QString();
        QTest::newRow("space") << QStringLiteral("a b");
        QTest::newRow("single quotes") << QStringLiteral("it's 'quoted'");
        QTest::newRow("double quotes and $") << QStringLiteral("\"$HOME\" `id` \\n");
        QTest::newRow("newlines") << QStringLiteral("line 1\nline 2\n");
        QTest::newRow("unicode") << QStringLiteral("héllo → 世界 🎉");
        QTest::newRow("json") << QStringLiteral("{\"message\":\"it\x27s \\\"x\\\"\\n\"}");
        QTest::newRow("glob") << QStringLiteral("*.json ~ ?");
    }
    void shellQuoteSurvivesTheShell()
    {
        QFETCH(QString, word);
        const QString quoted = copyas::shellQuote(word);
        QCOMPARE(wordsFromShell(QStringLiteral("w ") + quoted + QStringLiteral(" end"), QStringLiteral("w")),
                 (QStringList{word, QStringLiteral("end")}));
        // StdioOptions (what --stdio parses with) reads the same quoting.
        const StdioOptions parsed = StdioOptions::fromCommandLine(QStringLiteral("w ") + quoted);
        QCOMPARE(parsed.arguments, QStringList{word});
    }

    void jsonIsPrettyAndRedacted()
    {
        const QByteArray frame =
            R"({"jsonrpc":"2.0","id":1,"result":{"access_token":"tok-1","text":"héllo"}})";
        const QString pretty = copyas::json(frame);
        QVERIFY(pretty.contains(QStringLiteral("\n  \"result\": {")));
        QVERIFY(pretty.contains(QStringLiteral("\"access_token\": \"[redacted]\"")));
        QVERIFY(pretty.contains(QStringLiteral("héllo")));
        QVERIFY(!pretty.contains(QStringLiteral("tok-1")));
        QVERIFY(copyas::json(frame, ExportOptions{false}).contains(QStringLiteral("tok-1")));
        QCOMPARE(copyas::json("not json\n"), QStringLiteral("not json\n"));
    }

    void mcpwbCommandForStdio()
    {
        CopyTarget target;
        target.transport = stdioConfig();
        target.protocolVersion = QStringLiteral("2025-06-18");
        const QByteArray frame = toolCall(kNewLineArguments);
        const QString command = copyas::mcpwbCommand(frame, target);
        const QStringList words = wordsFromShell(command, QStringLiteral("mcpwb"));
        const StdioOptions stdio =
            StdioOptions::fromCommandLine(valueAfter(words, QStringLiteral("--stdio")));
        QCOMPARE(stdio.program, QStringLiteral("node"));
        QCOMPARE(stdio.arguments, target.transport.stdio.arguments);
        QCOMPARE(valuesAfter(words, QStringLiteral("--env")),
                 (QStringList{QStringLiteral("GITHUB_TOKEN=[redacted]"),
                              QStringLiteral("MCPWB_TEST_GREETING=héllo 'world'")}));
        QCOMPARE(valueAfter(words, QStringLiteral("--cwd")), QStringLiteral("/tmp/a dir"));
        QCOMPARE(valueAfter(words, QStringLiteral("--protocol-version")), QStringLiteral("2025-06-18"));
        QCOMPARE(words.mid(words.size() - 4),
                 (QStringList{QStringLiteral("tools"), QStringLiteral("call"), QStringLiteral("echo"),
                              QString::fromUtf8(kNewLineArguments)}));
        QVERIFY(!command.contains(QStringLiteral("ghp_secret")));
        QVERIFY(
            copyas::mcpwbCommand(frame, target, ExportOptions{false}).contains(QStringLiteral("ghp_secret")));
    }

    void mcpwbCommandForHttp()
    {
        CopyTarget target;
        target.transport = httpConfig();
        target.transport.kind = TransportConfig::Kind::Sse;
        const QStringList words = wordsFromShell(
            copyas::mcpwbCommand(
                R"({"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"demo://a b"}})",
                target),
            QStringLiteral("mcpwb"));
        QCOMPARE(valueAfter(words, QStringLiteral("--url")),
                 QStringLiteral("http://127.0.0.1:3001/mcp?access_token=[redacted]"));
        QCOMPARE(valueAfter(words, QStringLiteral("--transport")), QStringLiteral("sse"));
        QCOMPARE(
            valuesAfter(words, QStringLiteral("--header")),
            (QStringList{QStringLiteral("Authorization: Bearer [redacted]"), QStringLiteral("X-Tenant: o'brien")}));
        QCOMPARE(
            words.mid(words.size() - 3),
            (QStringList{QStringLiteral("resources"), QStringLiteral("read"), QStringLiteral("demo://a b")}));
    }

    void mcpwbVerbs_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QStringList>("verb");
        auto row = [](const char *name, const char *frame, QStringList verb) {
            QTest::newRow(name) << QByteArray(frame) << verb;
        };
        row("tools/list", R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})", {"tools", "list"});
        row("paged list is generic",
            R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"c2"}})",
            {"request", "tools/list", R"({"cursor":"c2"})"});
        row("prompts/get",
            R"({"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"p","arguments":{"x":"1"}}})",
            {"prompts", "get", "p", R"({"x":"1"})"});
        row("tools/call without arguments",
            R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t"}})",
            {"tools", "call", "t"});
        row("tools/call with a task is generic",
            R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","task":{}}})",
            {"request", "tools/call", R"({"name":"t","task":{}})"});
        row("completion", R"({"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":{}}})",
            {"request", "completion/complete", R"({"ref":{}})"});
        row("initialize", R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})", {"info"});
        row("ping", R"({"jsonrpc":"2.0","id":1,"method":"ping"})", {"ping"});
        row("notification", R"({"jsonrpc":"2.0","method":"notifications/initialized"})", {});
        row("response", R"({"jsonrpc":"2.0","id":1,"result":{}})", {});
        row("garbage", "{nope", {});
    }
    void mcpwbVerbs()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QStringList, verb);
        CopyTarget target;
        target.transport.http.url = QUrl(QStringLiteral("http://127.0.0.1:1/mcp"));
        const QString command = copyas::mcpwbCommand(frame, target);
        if (verb.isEmpty()) {
            QVERIFY2(command.isEmpty(), qPrintable(command));
            return;
        }
        const QStringList words = wordsFromShell(command, QStringLiteral("mcpwb"));
        QCOMPARE(words.mid(2), verb); // after --url URL
    }

    void curlForHttp()
    {
        Recorder recorder;
        const int c = recorder.addConnection(QStringLiteral("remote"));
        const QByteArray frame = toolCall(kSecretArguments);
        const int index = recorder.record(c, Direction::Sent, frame);
        HttpExchange x;
        x.method = "POST";
        x.url = QUrl(QStringLiteral("http://127.0.0.1:3001/mcp"));
        x.requestHeaders = {{"Content-Type", "application/json"},
                            {"Mcp-Session-Id", "sess-42"},
                            {"MCP-Protocol-Version", "2025-11-25"},
                            {"Authorization", "Bearer sk-live-123"}};
        x.requestBody = frame;
        recorder.recordHttp(c, x);

        const CopyTarget target = CopyTarget::fromRecording(recorder, index, httpConfig());
        QCOMPARE(target.protocolVersion, QStringLiteral("2025-11-25"));
        const QString command = copyas::curlCommand(frame, target);
        const QStringList words = wordsFromShell(command, QStringLiteral("curl"));
        QCOMPARE(valueAfter(words, QStringLiteral("-X")), QStringLiteral("POST"));
        QCOMPARE(
            valuesAfter(words, QStringLiteral("-H")),
            (QStringList{QStringLiteral("Content-Type: application/json"),
                         QStringLiteral("Accept: application/json, text/event-stream"),
                         QStringLiteral("MCP-Protocol-Version: 2025-11-25"),
                         QStringLiteral("Mcp-Session-Id: [redacted]"),
                         QStringLiteral("Authorization: Bearer [redacted]"), QStringLiteral("X-Tenant: o'brien")}));
        const QString body = valueAfter(words, QStringLiteral("--data-raw"));
        const Json sent = Json::parse(body.toStdString());
        QCOMPARE(toQString(sent["params"]["arguments"]["message"].get<std::string>()),
                 QStringLiteral("it's\nmultiline ✓"));
        QCOMPARE(sent["params"]["arguments"]["password"], Json("[redacted]"));
        QVERIFY(!command.contains(QStringLiteral("sk-live")) &&
                !command.contains(QStringLiteral("sess-42")) &&
                !command.contains(QStringLiteral("qs-secret")));

        const QStringList kept =
            wordsFromShell(copyas::curlCommand(frame, target, ExportOptions{false}), QStringLiteral("curl"));
        QVERIFY(kept.contains(QStringLiteral("Mcp-Session-Id: sess-42")));
        QCOMPARE(valueAfter(kept, QStringLiteral("--data-raw")).toUtf8(), frame);
    }

    void curlOnlyForHttp()
    {
        CopyTarget target;
        target.transport = stdioConfig();
        QVERIFY(!copyas::curlApplies(target.transport));
        QVERIFY(copyas::curlCommand(toolCall("{}"), target).isEmpty());
        target.transport.kind = TransportConfig::Kind::WebSocket;
        target.transport.http.url = QUrl(QStringLiteral("ws://127.0.0.1:1/mcp"));
        QVERIFY(!copyas::curlApplies(target.transport));
        target.transport.kind = TransportConfig::Kind::Auto;
        target.transport.http.url = QUrl(QStringLiteral("https://example.test/mcp"));
        QVERIFY(copyas::curlApplies(target.transport));
    }
};

QTEST_GUILESS_MAIN(TstCopyAs)
#include "tst_copyas.moc"
