// The demo server (demo::runDemoServer, built as mcpwb-demo-server-test) over stdio and streamable HTTP,
// driven by the project's own ClientSession; every frame the server sent is then checked against the
// official schema with tests/peers/validate-trace.mjs --role server.
#include "session/clientsession.h"
#include "session/protocolversion.h"
#include "session/ruleshandler.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "transport/httptransport.h"
#include "transport/stdiotransport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using mcp::Json;

namespace {

const QStringList FastDemo = {QStringLiteral("--report-step"), QStringLiteral("30"),
                              QStringLiteral("--live-interval"), QStringLiteral("100")};

mcp::Reply callSync(mcp::ClientSession &s, const QString &method, Json params,
                    mcp::RequestOptions options = {})
{
    std::optional<mcp::Reply> reply;
    s.request(
        method, std::move(params), [&reply](const mcp::Reply &r) { reply = r; }, options);
    QDeadlineTimer deadline(15000);
    while (!reply && !deadline.hasExpired())
        QTest::qWait(5);
    return reply.value_or(
        mcp::Reply{nullptr, mcp::makeError(mcp::Error::Category::Timeout, method, "test timeout")});
}

QString firstText(const Json &result)
{
    for (const auto &block : result.value("content", Json::array()))
        if (mcp::stringOr(block, "type") == QStringLiteral("text"))
            return mcp::stringOr(block, "text");
    return {};
}

// A client that answers elicitation and sampling, as a user and a model would.
struct Client
{
    Client(mcp::Transport *transport, const QString &version)
        : handler(Json{
              {"elicitation", {{"action", "accept"}, {"content", {{"confirm", true}, {"reason", "tidy"}}}}},
              {"sampling", {{"text", "Sunny notes."}, {"model", "test-model"}}}})
    {
        mcp::SessionOptions options;
        options.protocolVersion = version;
        options.requestTimeoutMs = 15000;
        session = std::make_unique<mcp::ClientSession>(transport, &recorder, options);
        session->setServerRequestHandler(&handler);
    }
    bool start()
    {
        session->start();
        QDeadlineTimer deadline(15000);
        while (session->state() != mcp::ClientSession::State::Ready && !deadline.hasExpired() &&
               session->state() != mcp::ClientSession::State::Failed)
            QTest::qWait(5);
        return session->state() == mcp::ClientSession::State::Ready;
    }
    bool waitForNotification(const QString &method, int timeoutMs = 5000)
    {
        bool seen = false;
        auto c = QObject::connect(session.get(), &mcp::ClientSession::notificationReceived,
                                  [&](const QString &m, const Json &) { seen = seen || m == method; });
        QDeadlineTimer deadline(timeoutMs);
        while (!seen && !deadline.hasExpired())
            QTest::qWait(5);
        QObject::disconnect(c);
        return seen;
    }

    mcp::Recorder recorder;
    mcp::RulesHandler handler;
    std::unique_ptr<mcp::ClientSession> session;
};

// What a person would try first in the GUI, on any version and transport.
void exercise(Client &c)
{
    mcp::ClientSession &s = *c.session;
    const QString v = s.protocolVersion();
    const bool modern = mcp::protocol::isModern(v);

    std::optional<mcp::Reply> all;
    s.listAll(QStringLiteral("resources/list"), QStringLiteral("resources"),
              [&all](const mcp::Reply &r) { all = r; });
    QTRY_VERIFY_WITH_TIMEOUT(all.has_value(), 10000);
    QVERIFY2(all->ok(), qPrintable(all->error.toString()));
    QCOMPARE(all->result["resources"].size(), 15u); // two pages of ten

    const mcp::Reply tools = callSync(s, QStringLiteral("tools/list"), Json::object());
    QVERIFY(tools.ok() && tools.result["tools"].size() >= 9);

    const mcp::Reply forecast =
        callSync(s, QStringLiteral("tools/call"),
                 {{"name", "get_forecast"}, {"arguments", {{"city", "Seattle"}, {"days", 2}}}});
    QVERIFY2(forecast.ok(), qPrintable(forecast.error.toString()));
    if (v >= mcp::protocol::V2025_06_18)
        QCOMPARE(forecast.result["structuredContent"]["days"].size(), 2u);

    int progress = 0;
    auto pc = QObject::connect(&s, &mcp::ClientSession::progress, [&progress] { ++progress; });
    mcp::RequestOptions withProgress;
    withProgress.reportProgress = true;
    const mcp::Reply report = callSync(
        s, QStringLiteral("tools/call"),
        {{"name", "generate_report"}, {"arguments", {{"city", "Oslo"}, {"sections", 4}}}}, withProgress);
    QObject::disconnect(pc);
    QVERIFY2(report.ok(), qPrintable(report.error.toString()));
    QCOMPARE(progress, 4);

    const mcp::Reply chart = callSync(s, QStringLiteral("tools/call"),
                                      {{"name", "render_chart"}, {"arguments", {{"city", "Oslo"}}}});
    QVERIFY(chart.ok());
    QVERIFY(QByteArray::fromBase64(QByteArray::fromStdString(chart.result["content"][1].value("data", "")))
                .startsWith("\x89PNG"));
    const mcp::Reply tone = callSync(s, QStringLiteral("tools/call"),
                                     {{"name", "play_alert_tone"}, {"arguments", {{"severity", "warning"}}}});
    QVERIFY(tone.ok());
    QCOMPARE(mcp::stringOr(tone.result["content"][1], "type"),
             v >= mcp::protocol::V2025_03_26 ? QStringLiteral("audio") : QStringLiteral("text"));

    const mcp::Reply radar = callSync(s, QStringLiteral("tools/call"), {{"name", "fetch_radar"}});
    QCOMPARE(radar.error.category, mcp::Error::Category::Tool);

    const mcp::Reply del =
        callSync(s, QStringLiteral("tools/call"), {{"name", "delete_note"}, {"arguments", {{"id", "2"}}}});
    if (mcp::protocol::hasElicitation(v)) {
        QVERIFY2(del.ok(), qPrintable(del.error.toString()));
        QCOMPARE(firstText(del.result), QStringLiteral("Deleted note 2 (reason: tidy)."));
    } else {
        QVERIFY(del.error.message.contains(QStringLiteral("Nothing deleted")));
    }
    const mcp::Reply summary = callSync(s, QStringLiteral("tools/call"), {{"name", "summarize_notes"}});
    QVERIFY2(summary.ok(), qPrintable(summary.error.toString()));
    QVERIFY(firstText(summary.result).endsWith(QStringLiteral("Sunny notes.")));

    const mcp::Reply prompt =
        callSync(s, QStringLiteral("prompts/get"), {{"name", "review_note"}, {"arguments", {{"id", "1"}}}});
    QVERIFY(prompt.ok() && prompt.result["messages"].size() == 2);
    const mcp::Reply completion = callSync(s, QStringLiteral("completion/complete"),
                                           {{"ref", {{"type", "ref/resource"}, {"uri", "notes://{id}"}}},
                                            {"argument", {{"name", "id"}, {"value", "1"}}}});
    QCOMPARE(completion.result["completion"]["values"], Json({"1", "10", "11"}));
    const mcp::Reply blob = callSync(s, QStringLiteral("resources/read"), {{"uri", "acme://brand/logo.png"}});
    QVERIFY(blob.ok() && blob.result["contents"][0].contains("blob"));

    // Live updates while subscribed.
    if (modern) {
        const qint64 listen =
            s.request(QStringLiteral("subscriptions/listen"),
                      {{"notifications", {{"resourceSubscriptions", {"weather://current"}}}}},
                      [](const mcp::Reply &) {});
        QVERIFY(c.waitForNotification(QStringLiteral("notifications/resources/updated")));
        s.cancel(listen, QStringLiteral("done listening"));
    } else {
        QVERIFY(callSync(s, QStringLiteral("resources/subscribe"), {{"uri", "weather://current"}}).ok());
        QVERIFY(c.waitForNotification(QStringLiteral("notifications/resources/updated")));
        QVERIFY(callSync(s, QStringLiteral("resources/unsubscribe"), {{"uri", "weather://current"}}).ok());
    }

    // Cancelling a running tool: the server stops and stays healthy.
    std::optional<mcp::Reply> cancelled;
    qint64 id = -1;
    auto cc = QObject::connect(&s, &mcp::ClientSession::progress, [&](qint64 requestId) {
        if (requestId == id)
            s.cancel(id, QStringLiteral("changed my mind"));
    });
    id = s.request(
        QStringLiteral("tools/call"),
        {{"name", "generate_report"}, {"arguments", {{"city", "Oslo"}, {"sections", 20}}}},
        [&cancelled](const mcp::Reply &r) { cancelled = r; }, withProgress);
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.has_value(), 10000);
    QObject::disconnect(cc);
    QCOMPARE(cancelled->error.category, mcp::Error::Category::Cancelled);
    QVERIFY(callSync(s, QStringLiteral("prompts/list"), Json::object()).ok());
}

// Writes what the server sent as "send" lines (and the client's frames as "recv") and validates them.
void validateServerFrames(const mcp::Recorder &recorder, const QString &version)
{
    if (!QFileInfo::exists(testsupport::sharedDir()))
        QSKIP("../shared is absent (a fresh clone); schema checks skipped");
    if (!QFileInfo::exists(testsupport::peersDir() + QStringLiteral("/node_modules/ajv")))
        QSKIP("npm peers are not installed (run: npm ci --prefix tests/peers)");
    QTemporaryDir dir;
    QFile trace(dir.filePath(QStringLiteral("server.jsonl")));
    QVERIFY(trace.open(QIODevice::WriteOnly));
    for (qsizetype i = 0; i < recorder.size(); ++i) {
        const mcp::FrameRecord &f = recorder.at(i);
        const Json message = Json::parse(f.bytes.toStdString(), nullptr, false);
        const bool serverSent = f.direction == mcp::Direction::Received;
        trace.write(
            mcp::dumpCompact(
                {{"connection", "demo"}, {"direction", serverSent ? "send" : "recv"}, {"message", message}}) +
            '\n');
    }
    trace.close();
    QProcess node;
    node.setProcessChannelMode(QProcess::MergedChannels);
    testsupport::endWithTest(node);
    node.start(testsupport::nodeBinary(),
               {testsupport::peersDir() + QStringLiteral("/validate-trace.mjs"),
                QStringLiteral("--schema-dir"), testsupport::sharedDir() + QStringLiteral("/mcp-schema"),
                QStringLiteral("--version"), version, QStringLiteral("--role"), QStringLiteral("server"),
                trace.fileName()});
    QVERIFY(node.waitForFinished(60000));
    const QByteArray out = node.readAll();
    QVERIFY2(node.exitCode() == 0, out.constData());
    QVERIFY(out.contains(" 0 invalid"));
}

QStringList versions()
{
    return {QString(), QStringLiteral("2025-11-25"), QStringLiteral("2025-06-18"),
            QStringLiteral("2025-03-26"), QStringLiteral("2024-11-05")};
}

} // namespace

class TestDemoServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stdio_data()
    {
        QTest::addColumn<QString>("version");
        for (const QString &v : versions())
            QTest::newRow(v.isEmpty() ? "negotiated" : qPrintable(v)) << v;
    }
    void stdio()
    {
        QFETCH(QString, version);
        mcp::StdioOptions options;
        options.program = QStringLiteral(MCPWB_DEMO_SERVER_BIN);
        options.arguments = FastDemo;
        Client c(new mcp::StdioTransport(options), version);
        QVERIFY2(c.start(), qPrintable(c.session->lastError().toString()));
        QCOMPARE(c.session->protocolVersion(), version.isEmpty() ? mcp::protocol::V2026_07_28 : version);
        QCOMPARE(mcp::stringOr(c.session->serverInfo(), "name"), QStringLiteral("acme-weather-notes"));
        exercise(c);
        if (QTest::currentTestFailed())
            return;
        const QString negotiated = c.session->protocolVersion();
        c.session->close();
        validateServerFrames(c.recorder, negotiated);
    }

    void http_data() { stdio_data(); }
    void http()
    {
        QFETCH(QString, version);
        const quint16 port = testsupport::freeLoopbackPort();
        QProcess server;
        server.start(QStringLiteral(MCPWB_DEMO_SERVER_BIN),
                     QStringList{QStringLiteral("--http"), QString::number(port)} + FastDemo);
        QVERIFY(server.waitForStarted(5000));
        QByteArray banner; // accumulated: QTRY evaluates its expression more than once
        QTRY_VERIFY_WITH_TIMEOUT((banner += server.readAllStandardError()).contains("listening on"), 10000);
        mcp::HttpOptions options;
        options.url = QUrl(QStringLiteral("http://127.0.0.1:%1/mcp").arg(port));
        {
            Client c(new mcp::HttpTransport(options), version);
            QVERIFY2(c.start(), qPrintable(c.session->lastError().toString()));
            exercise(c);
            if (!QTest::currentTestFailed()) {
                const QString negotiated = c.session->protocolVersion();
                c.session->close();
                QTest::qWait(100);
                validateServerFrames(c.recorder, negotiated);
            }
        }
        server.terminate(); // SIGTERM: the server ends its streams and exits cleanly
        QVERIFY(server.waitForFinished(5000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDemoServer)
#include "tst_demoserver.moc"
