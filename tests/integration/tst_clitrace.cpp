// `mcpwb trace show|export|replay` and the generic `request` verb, driven as processes against the real
// @modelcontextprotocol/server-everything 2026.8.31 (streamable HTTP on 127.0.0.1): a recorded session is
// listed and filtered, exported as HAR 1.2, OTLP/JSON and JSONL, checked structurally, and its secrets (an
// Authorization header, the session id) are redacted unless the user keeps them.
#include "jsonrpc/json.h"
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using mcp::Json;

class TestCliTrace : public QObject
{
    Q_OBJECT

    testsupport::PeerProcess m_http;
    quint16 m_port = 0;
    QTemporaryDir m_tmp;

    using Run = testsupport::CliRun;
    static Run mcpwb(const QStringList &args) { return testsupport::runMcpwb(args); }

    static QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // Records `tools call echo` and a generic `request` with a secret Authorization header.
    QString record(const QString &name, bool showSecrets)
    {
        const QString trace = m_tmp.filePath(name);
        QStringList args{QStringLiteral("--url"),    QStringLiteral("http://127.0.0.1:%1/mcp").arg(m_port),
                         QStringLiteral("--header"), QStringLiteral("Authorization: Bearer sk-test-secret"),
                         QStringLiteral("--trace"),  trace};
        if (showSecrets)
            args << QStringLiteral("--show-secrets");
        const Run r = mcpwb(
            args + QStringList{QStringLiteral("request"), QStringLiteral("tools/call"),
                               QStringLiteral(R"({"name":"echo","arguments":{"message":"via request"}})")});
        if (r.exitCode != 0 || !r.out.contains("via request"))
            qWarning("mcpwb request: exit %d\n%s\n%s", r.exitCode, r.out.constData(), r.err.constData());
        return r.exitCode == 0 ? trace : QString();
    }

    static const Json *attribute(const Json &span, const char *key)
    {
        for (const Json &a : span["attributes"])
            if (a["key"] == key)
                return &a["value"];
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY(m_http.startEverything(QStringLiteral("streamableHttp"), &m_port));
    }

    void showAndFilter()
    {
        const QString trace = record(QStringLiteral("show.jsonl"), false);
        QVERIFY(!trace.isEmpty());
        QVERIFY2(!read(trace).contains("sk-test-secret"), "the recording itself is redacted by default");
        Run r = mcpwb({QStringLiteral("trace"), QStringLiteral("show"), trace});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("-> request id=") && r.out.contains(" tools/call"));
        QVERIFY(r.out.contains(" initialize"));
        r = mcpwb({QStringLiteral("trace"), QStringLiteral("show"), trace, QStringLiteral("--filter"),
                   QStringLiteral("method:tools/call")});
        QCOMPARE(r.out.count('\n'), 2); // the request and its response
        r = mcpwb({QStringLiteral("trace"), QStringLiteral("show"), trace, QStringLiteral("--json"),
                   QStringLiteral("--filter"), QStringLiteral("method:tools/call dir:out")});
        const Json line = Json::parse(r.out.toStdString(), nullptr, false);
        QVERIFY2(line.is_object(), r.out.constData());
        QCOMPARE(line["message"]["params"]["arguments"]["message"], Json("via request"));
        r = mcpwb({QStringLiteral("trace"), QStringLiteral("show"), trace, QStringLiteral("--filter"),
                   QStringLiteral("\"unterminated")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--filter"));
    }

    void exportHarAndOtlpRedacted()
    {
        const QString trace = record(QStringLiteral("secret.jsonl"), true);
        QVERIFY(!trace.isEmpty());
        QVERIFY2(read(trace).contains("sk-test-secret"), "--show-secrets records the header as sent");

        const QString har = m_tmp.filePath(QStringLiteral("out.har"));
        Run r =
            mcpwb({QStringLiteral("trace"), QStringLiteral("export"), QStringLiteral("--har"), har, trace});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const Json log = Json::parse(read(har).toStdString())["log"];
        QCOMPARE(log["version"], Json("1.2"));
        QVERIFY(log["entries"].size() >= 2); // initialize, initialized, the call (and the GET stream, DELETE)
        bool sawCall = false;
        for (const Json &entry : log["entries"]) {
            for (const Json &h : entry["request"]["headers"]) {
                if (h["name"] == "Authorization" || h["name"] == "authorization")
                    QCOMPARE(h["value"], Json("Bearer [redacted]"));
                if (mcp::toQString(h["name"].get<std::string>()).toLower() ==
                    QStringLiteral("mcp-session-id"))
                    QCOMPARE(h["value"], Json("[redacted]"));
            }
            sawCall |= entry["request"].contains("postData") &&
                       entry["request"]["postData"]["text"].get<std::string>().find("tools/call") !=
                           std::string::npos;
        }
        QVERIFY(sawCall);
        QVERIFY(!read(har).contains("sk-test-secret"));

        const QString kept = m_tmp.filePath(QStringLiteral("kept.har"));
        r = mcpwb({QStringLiteral("trace"), QStringLiteral("export"), QStringLiteral("--har"), kept,
                   QStringLiteral("--keep-secrets"), trace});
        QVERIFY2(r.exitCode == 0 && read(kept).contains("Bearer sk-test-secret"), r.err.constData());

        const QString otlp = m_tmp.filePath(QStringLiteral("out.otlp.json"));
        r = mcpwb({QStringLiteral("trace"), QStringLiteral("export"), QStringLiteral("--otlp"), otlp, trace});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const Json spans =
            Json::parse(read(otlp).toStdString())["resourceSpans"][0]["scopeSpans"][0]["spans"];
        QVERIFY(spans.size() >= 2);
        bool sawCallSpan = false;
        for (const Json &span : spans) {
            const Json *method = attribute(span, "mcp.method.name");
            QVERIFY(method && attribute(span, "jsonrpc.request.id"));
            if ((*method)["stringValue"] != "tools/call")
                continue;
            sawCallSpan = true;
            const Json *tool = attribute(span, "gen_ai.tool.name");
            QVERIFY(tool && (*tool)["stringValue"] == "echo");
            const Json *session = attribute(span, "mcp.session.id");
            QVERIFY2(session && (*session)["stringValue"].get<std::string>().rfind("sha256:", 0) == 0,
                     span.dump().c_str());
        }
        QVERIFY(sawCallSpan);

        const QString jsonl = m_tmp.filePath(QStringLiteral("out.jsonl"));
        r = mcpwb(
            {QStringLiteral("trace"), QStringLiteral("export"), QStringLiteral("--jsonl"), jsonl, trace});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!read(jsonl).contains("sk-test-secret"));
        r = mcpwb({QStringLiteral("trace"), QStringLiteral("show"), jsonl}); // the export opens again
        QVERIFY2(r.exitCode == 0 && r.out.contains(" tools/call"), r.err.constData());
    }

    void replayOnLiveConnection()
    {
        const QString trace = record(QStringLiteral("replay.jsonl"), false);
        QVERIFY(!trace.isEmpty());
        const Run listed = mcpwb({QStringLiteral("trace"), QStringLiteral("show"), trace,
                                  QStringLiteral("--filter"), QStringLiteral("method:tools/call dir:out")});
        const QString frame = QString::fromUtf8(listed.out).simplified().section(QLatin1Char(' '), 0, 0);
        QVERIFY2(frame.toInt() > 0, listed.out.constData());
        const QStringList connection{QStringLiteral("--url"),
                                     QStringLiteral("http://127.0.0.1:%1/mcp").arg(m_port),
                                     QStringLiteral("--header"),
                                     QStringLiteral("Authorization: Bearer sk-test-secret"),
                                     QStringLiteral("trace"),
                                     QStringLiteral("replay"),
                                     trace,
                                     frame};

        Run r = mcpwb(connection);
        QVERIFY2(r.exitCode == 0, r.out + r.err);
        QVERIFY2(r.out.contains("tools/call replayed: same answer as recorded"), r.out.constData());

        const QString edited = QStringLiteral(R"({"name":"echo","arguments":{"message":"edited"}})");
        r = mcpwb(connection + QStringList{edited});
        QCOMPARE(r.exitCode, 6); // answered differently from the recording
        QVERIFY2(r.out.contains("changed /content/0/text: \"Echo: via request\" -> \"Echo: edited\""),
                 r.out.constData());

        r = mcpwb(QStringList{QStringLiteral("--json")} + connection + QStringList{edited});
        const Json report = Json::parse(r.out.toStdString(), nullptr, false);
        QVERIFY2(report.is_object(), r.out.constData());
        QCOMPARE(report["method"], Json("tools/call"));
        QCOMPARE(report["changes"].size(), size_t(1));
        QCOMPARE(report["changes"][0]["path"], Json("/content/0/text"));
        QCOMPARE(report["outcome"]["content"][0]["text"], Json("Echo: edited"));

        r = mcpwb(connection.mid(0, connection.size() - 1) + QStringList{QStringLiteral("9999")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("give a number from 1 to"), r.err.constData());
    }

    void usageErrors()
    {
        QCOMPARE(mcpwb({QStringLiteral("trace")}).exitCode, 1);
        QCOMPARE(
            mcpwb({QStringLiteral("trace"), QStringLiteral("export"), QStringLiteral("x.jsonl")}).exitCode,
            1);
        const Run missing =
            mcpwb({QStringLiteral("trace"), QStringLiteral("show"), m_tmp.filePath(QStringLiteral("none"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("cannot read"));
    }
};

QTEST_GUILESS_MAIN(TestCliTrace)
#include "tst_clitrace.moc"
