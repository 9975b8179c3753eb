#include "faketransport.h"
#include "session/clientsession.h"
#include "session/protocolversion.h"
#include "session/ruleshandler.h"
#include "traffic/recorder.h"

#include <QSignalSpy>
#include <QTest>
#include <functional>
#include <optional>

using namespace mcp;

// The session against an in-process transport: negotiation, ids, timeouts, progress, cancellation,
// pagination, server requests and the bad inputs a real server can produce.
class TestSession : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        Recorder recorder;
        FakeTransport *transport = new FakeTransport;
        ClientSession *session;
        explicit Fixture(SessionOptions options = {})
        {
            options.requestTimeoutMs = options.requestTimeoutMs == 60000 ? 2000 : options.requestTimeoutMs;
            session = new ClientSession(transport, &recorder, options);
        }
        ~Fixture() { delete session; }
        bool start()
        {
            QSignalSpy ready(session, &ClientSession::ready);
            session->start();
            return ready.count() > 0 || ready.wait(2000);
        }
        // Answers as a 2026-07-28 server named "modern" with these capabilities; every other request the
        // session sends goes to `onRequest`.
        void serveModern(Json capabilities, std::function<void(const Json &)> onRequest = {})
        {
            transport->autoInitialize = false;
            transport->onSend = [this, capabilities = std::move(capabilities),
                                 onRequest = std::move(onRequest)](const Json &m) {
                if (m["method"] == "server/discover")
                    transport->injectJson(reply(
                        m,
                        {{"resultType", "complete"},
                         {"supportedVersions", {"2026-07-28"}},
                         {"capabilities", capabilities},
                         {"_meta", {{protocol::MetaServerInfo, {{"name", "modern"}, {"version", "2"}}}}}}));
                else if (onRequest)
                    onRequest(m);
            };
        }
    };

    static Json reply(const Json &request, Json result)
    {
        return {{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", std::move(result)}};
    }

private Q_SLOTS:
    void negotiatesLegacyAfterDiscoverProbe()
    {
        Fixture f;
        QVERIFY(f.start());
        QCOMPARE(f.session->protocolVersion(), protocol::V2025_11_25);
        QCOMPARE(f.session->serverInfo().value("name", ""), std::string("fake"));
        // probe, initialize, initialized: in that order
        QCOMPARE(f.transport->sent.size(), 3);
        QCOMPARE(f.transport->sent[0].method, QStringLiteral("server/discover"));
        QCOMPARE(f.transport->sent[1].method, QStringLiteral("initialize"));
        QCOMPARE(f.transport->sent[2].method, QStringLiteral("notifications/initialized"));
        QCOMPARE(f.transport->protocolVersion(), protocol::V2025_11_25);
    }

    // A legacy server answers the version probe with an error without an id, and under load that answer can
    // come after the handshake went on: a warning, never a protocol violation (the CLI's exit status
    // depends on those; conformance/stable/initialize failed so once in CI). Other invalid frames still are.
    // A reply without an id answers no request: a warning, not a broken session. The conformance harness's
    // server answers notifications/initialized with {"result":{}}, and the CLI then ended with exit 3 when
    // that answer came before it was done (conformance/stable/initialize failed about one run in ten).
    void replyWithoutIdIsAWarning()
    {
        Fixture f;
        QVERIFY(f.start());
        QSignalSpy violations(f.session, &ClientSession::protocolError);
        QSignalSpy diagnostics(f.session, &ClientSession::diagnostic);
        f.transport->inject(R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Bad Request"}})");
        f.transport->inject(R"({"jsonrpc":"2.0","result":{}})");
        QCOMPARE(violations.count(), 0);
        QCOMPARE(diagnostics.count(), 2);
        QVERIFY(diagnostics[1][0].value<Diagnostic>().text.contains(QLatin1String("invalid frame")));
        f.transport->inject(R"({"jsonrpc":"2.0","id":99,"result":{},"error":{}})"); // still a violation
        f.transport->inject(R"({"jsonrpc":"2.0","params":{}})");
        QCOMPARE(violations.count(), 2);
    }

    void pinnedLegacyVersionSkipsProbe()
    {
        SessionOptions o;
        o.protocolVersion = protocol::V2025_03_26;
        Fixture f(o);
        f.transport->serverVersion = protocol::V2025_03_26;
        QVERIFY(f.start());
        QCOMPARE(f.transport->sent[0].method, QStringLiteral("initialize"));
        QCOMPARE(f.transport->lastSent(QStringLiteral("initialize"))["params"]["protocolVersion"],
                 "2025-03-26");
    }

    void refusesUnknownServerVersion()
    {
        Fixture f;
        f.transport->serverVersion = QStringLiteral("1999-01-01");
        QSignalSpy failed(f.session, &ClientSession::failed);
        f.session->start();
        QVERIFY(failed.wait(2000));
        const Error e = failed.first().first().value<Error>();
        QVERIFY2(e.message.contains(QStringLiteral("1999-01-01")), qPrintable(e.toString()));
        QCOMPARE(f.session->state(), ClientSession::State::Failed);
    }

    void modernServerViaDiscover()
    {
        Fixture f;
        f.serveModern({{"tools", Json::object()}}, [&](const Json &m) {
            if (m["method"] == "tools/list")
                f.transport->injectJson(reply(m, {{"resultType", "complete"}, {"tools", Json::array()}}));
        });
        QVERIFY(f.start());
        QCOMPARE(f.session->protocolVersion(), protocol::V2026_07_28);
        QCOMPARE(f.session->serverInfo()["name"], "modern");
        bool answered = false;
        f.session->request(QStringLiteral("tools/list"), Json::object(),
                           [&](const Reply &r) { answered = r.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 2000);
        const Json sent = f.transport->lastSent(QStringLiteral("tools/list"));
        QCOMPARE(sent["params"]["_meta"][protocol::MetaProtocolVersion], "2026-07-28");
        QVERIFY(sent["params"]["_meta"].contains(protocol::MetaClientInfo));
        QVERIFY(sent["params"]["_meta"].contains(protocol::MetaClientCapabilities));
        // no initialize in the modern era
        QVERIFY(f.transport->lastSent(QStringLiteral("initialize")).is_null());
    }

    // 2026-07-28 servers announce list changes only on a subscriptions/listen stream: the session opens one
    // for what the server says it announces, never times it out, says when the server honours less, and
    // ends it when the user closes (stdio needs notifications/cancelled) or hears that the server did.
    void listensForAnnouncedChanges_data()
    {
        QTest::addColumn<bool>("serverEndsIt");
        QTest::newRow("the user closes") << false;
        QTest::newRow("the server ends it") << true;
    }

    void listensForAnnouncedChanges()
    {
        QFETCH(bool, serverEndsIt);
        SessionOptions o;
        o.listenForChanges = true;
        o.requestTimeoutMs = 100;
        Fixture f(o);
        f.serveModern({{"tools", {{"listChanged", true}}},
                       {"prompts", {{"listChanged", true}}},
                       {"resources", {{"subscribe", true}}}});
        QSignalSpy diagnostics(f.session, &ClientSession::diagnostic);
        QVERIFY(f.start());
        const Json listen = f.transport->lastSent(QStringLiteral("subscriptions/listen"));
        QCOMPARE(listen["params"]["notifications"],
                 Json({{"toolsListChanged", true}, {"promptsListChanged", true}}));
        QCOMPARE(listen["params"]["_meta"][protocol::MetaProtocolVersion], "2026-07-28");

        f.transport->injectJson({{"jsonrpc", "2.0"},
                                 {"method", "notifications/subscriptions/acknowledged"},
                                 {"params",
                                  {{"notifications", {{"toolsListChanged", true}}},
                                   {"_meta", {{"io.modelcontextprotocol/subscriptionId", listen["id"]}}}}}});
        QCOMPARE(diagnostics.count(), 1);
        const Diagnostic narrowed = diagnostics[0][0].value<Diagnostic>();
        QCOMPARE(narrowed.kind, Diagnostic::Kind::Warning);
        QVERIFY2(narrowed.text.contains(QLatin1String("will not announce changes to: prompts")),
                 qPrintable(narrowed.text));

        QTest::qWait(400); // four times the request timeout: a subscription has none
        QVERIFY(f.transport->lastSent(QStringLiteral("notifications/cancelled")).is_null());

        if (serverEndsIt) {
            f.transport->injectJson(reply(listen, {{"resultType", "complete"}}));
            QCOMPARE(diagnostics.count(), 2);
            QVERIFY(
                diagnostics[1][0].value<Diagnostic>().text.contains(QLatin1String("ended the subscription")));
            f.session->close();
            QVERIFY(f.transport->lastSent(QStringLiteral("notifications/cancelled")).is_null());
        } else {
            f.session->close();
            QCOMPARE(f.transport->lastSent(QStringLiteral("notifications/cancelled"))["params"]["requestId"],
                     listen["id"]);
            QCOMPARE(diagnostics.count(), 1); // the user's close is no news
        }
    }

    // From 2026-07-28 a resource's updates come on a subscriptions/listen stream of its own: subscribing
    // waits for the acknowledgement (a refusal to honour the resource is an error), unsubscribing cancels the
    // stream, and what a cancelled stream still carries (HTTP closes it late) is not passed on.
    void resourceSubscriptionIsAStreamOfItsOwn()
    {
        Fixture f;
        f.serveModern({{"resources", {{"subscribe", true}}}});
        QVERIFY(f.start());
        QVERIFY(f.transport->lastSent(QStringLiteral("subscriptions/listen")).is_null()); // not asked for
        const auto acknowledge = [&](const Json &listen, Json honoured) {
            f.transport->injectJson(
                {{"jsonrpc", "2.0"},
                 {"method", "notifications/subscriptions/acknowledged"},
                 {"params",
                  {{"notifications", std::move(honoured)},
                   {"_meta", {{"io.modelcontextprotocol/subscriptionId", listen["id"]}}}}}});
        };
        const auto update = [&](const Json &listen) {
            f.transport->injectJson(
                {{"jsonrpc", "2.0"},
                 {"method", "notifications/resources/updated"},
                 {"params",
                  {{"uri", "file:///a"},
                   {"_meta", {{"io.modelcontextprotocol/subscriptionId", listen["id"]}}}}}});
        };
        QSignalSpy heard(f.session, &ClientSession::notificationReceived);

        std::optional<Reply> subscribed;
        f.session->subscribeToResource(QStringLiteral("file:///a"), true,
                                       [&](const Reply &r) { subscribed = r; });
        const Json listen = f.transport->lastSent(QStringLiteral("subscriptions/listen"));
        QCOMPARE(listen["params"]["notifications"], Json({{"resourceSubscriptions", {"file:///a"}}}));
        QVERIFY(!subscribed);
        acknowledge(listen, {{"resourceSubscriptions", {"file:///a"}}});
        QVERIFY(subscribed && subscribed->ok());
        update(listen);
        QCOMPARE(heard.count(), 2); // the acknowledgement and the update

        std::optional<Reply> unsubscribed;
        f.session->subscribeToResource(QStringLiteral("file:///a"), false,
                                       [&](const Reply &r) { unsubscribed = r; });
        QCOMPARE(f.transport->lastSent(QStringLiteral("notifications/cancelled"))["params"]["requestId"],
                 listen["id"]);
        QTRY_VERIFY_WITH_TIMEOUT(unsubscribed && unsubscribed->ok(), 2000);
        update(listen);
        QCOMPARE(heard.count(), 2);

        std::optional<Reply> refused;
        f.session->subscribeToResource(QStringLiteral("file:///b"), true,
                                       [&](const Reply &r) { refused = r; });
        acknowledge(f.transport->lastSent(QStringLiteral("subscriptions/listen")), Json::object());
        QVERIFY(refused && !refused->ok());
        QVERIFY2(refused->error.message.contains(QLatin1String("will not announce updates to file:///b")),
                 qPrintable(refused->error.toString()));
    }

    void unsupportedVersionErrorIsRetriedWithNewId()
    {
        SessionOptions o;
        o.protocolVersion = protocol::V2026_07_28;
        Fixture f(o);
        f.transport->autoInitialize = false;
        int discovers = 0;
        f.transport->onSend = [&](const Json &m) {
            if (m["method"] != "server/discover")
                return;
            if (++discovers == 1) // like the conformance harness: the first request is always refused
                f.transport->injectJson(
                    {{"jsonrpc", "2.0"},
                     {"id", m["id"]},
                     {"error",
                      {{"code", -32022},
                       {"message", "Unsupported protocol version"},
                       {"data", {{"supported", {"2026-07-28"}}, {"requested", "2026-07-28"}}}}}});
            else
                f.transport->injectJson(
                    reply(m, {{"supportedVersions", {"2026-07-28"}}, {"capabilities", Json::object()}}));
        };
        QVERIFY(f.start());
        QCOMPARE(discovers, 2);
        QCOMPARE(f.session->protocolVersion(), protocol::V2026_07_28);
        const Json first = Json::parse(f.transport->sent[0].bytes.toStdString());
        const Json second = Json::parse(f.transport->sent[1].bytes.toStdString());
        QVERIFY(first["id"] != second["id"]);
        QCOMPARE(second["params"]["_meta"][protocol::MetaProtocolVersion], "2026-07-28");
    }

    void inputRequiredIsAnsweredAndRetried()
    {
        Fixture f;
        RulesHandler rules(Json{{"elicitation", {{"action", "accept"}, {"content", {{"name", "octocat"}}}}}});
        f.session->setServerRequestHandler(&rules);
        int calls = 0;
        f.serveModern(Json::object(), [&](const Json &m) {
            if (m["method"] != "tools/call")
                return;
            if (++calls == 1)
                f.transport->injectJson(reply(m, {{"resultType", "input_required"},
                                                  {"inputRequests",
                                                   {{"login",
                                                     {{"method", "elicitation/create"},
                                                      {"params",
                                                       {{"mode", "form"},
                                                        {"message", "who?"},
                                                        {"requestedSchema", {{"type", "object"}}}}}}}}},
                                                  {"requestState", "opaque-1"}}));
            else
                f.transport->injectJson(
                    reply(m, {{"resultType", "complete"},
                              {"content", {{{"type", "text"}, {"text", "hi octocat"}}}}}));
        });
        QVERIFY(f.start());
        Reply got;
        bool done = false;
        f.session->request(QStringLiteral("tools/call"), {{"name", "greet"}}, [&](const Reply &r) {
            got = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 2000);
        QVERIFY2(got.ok(), qPrintable(got.error.toString()));
        QCOMPARE(calls, 2);
        const Json retry = f.transport->lastSent(QStringLiteral("tools/call"));
        QCOMPARE(retry["params"]["requestState"], "opaque-1");
        QCOMPARE(retry["params"]["inputResponses"]["login"]["content"]["name"], "octocat");
        QCOMPARE(retry["params"]["name"], "greet");
        const Json first = Json::parse(f.transport->sent[1].bytes.toStdString());
        QCOMPARE(first["method"], "tools/call");
        QVERIFY(retry["id"] != first["id"]); // the retry is a new request
        QVERIFY(!first["params"].contains("requestState"));
    }

    void timeoutGivesClearErrorAndCancels()
    {
        SessionOptions o;
        o.requestTimeoutMs = 150;
        Fixture f(o);
        QVERIFY(f.start());
        Reply got;
        bool done = false;
        f.session->request(QStringLiteral("tools/call"), {{"name", "hang"}}, [&](const Reply &r) {
            got = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 2000);
        QCOMPARE(got.error.category, Error::Category::Timeout);
        QVERIFY(got.error.message.contains(QStringLiteral("150 ms")));
        QCOMPARE(f.transport->lastSent()["method"], "notifications/cancelled");
    }

    // One timer serves every request's timeout: each request times out at its own deadline, whatever the
    // order they were sent in, and one answered in time never times out later.
    void timeoutsFollowEachDeadline()
    {
        Fixture f;
        QVERIFY(f.start());
        QStringList outcomes;
        const auto call = [&](const QString &name, int timeoutMs) {
            RequestOptions ro;
            ro.timeoutMs = timeoutMs;
            return f.session->request(
                QStringLiteral("tools/call"), {{"name", toStd(name)}},
                [&outcomes, name](const Reply &r) {
                    outcomes << name + (r.ok() ? QStringLiteral(": answered")
                                               : QStringLiteral(": ") + r.error.message);
                },
                ro);
        };
        call(QStringLiteral("long"), 500);
        call(QStringLiteral("short"), 150);
        const qint64 answered = call(QStringLiteral("answered"), 100);
        f.transport->injectJson(
            {{"jsonrpc", "2.0"}, {"id", answered}, {"result", {{"content", Json::array()}}}});
        QTRY_COMPARE_WITH_TIMEOUT(outcomes.size(), 3, 3000);
        QCOMPARE(outcomes, QStringList({QStringLiteral("answered: answered"),
                                        QStringLiteral("short: no answer or progress for 150 ms"),
                                        QStringLiteral("long: no answer or progress for 500 ms")}));
        QTest::qWait(200); // past every deadline: nothing more
        QCOMPARE(outcomes.size(), 3);
    }

    void progressResetsTimeoutUpToHardMaximum()
    {
        SessionOptions o;
        o.requestTimeoutMs = 200;
        o.maxRequestTimeoutMs = 700;
        Fixture f(o);
        QVERIFY(f.start());
        Reply got;
        bool done = false;
        QSignalSpy progress(f.session, &ClientSession::progress);
        RequestOptions ro;
        ro.reportProgress = true;
        const qint64 id = f.session->request(
            QStringLiteral("tools/call"), {{"name", "slow"}},
            [&](const Reply &r) {
                got = r;
                done = true;
            },
            ro);
        QCOMPARE(f.transport->lastSent(QStringLiteral("tools/call"))["params"]["_meta"]["progressToken"], id);
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 20 && !done; ++i) { // progress every 100 ms keeps it alive until the hard max
            f.transport->injectJson({{"jsonrpc", "2.0"},
                                     {"method", "notifications/progress"},
                                     {"params", {{"progressToken", id}, {"progress", i}, {"total", 20}}}});
            QTest::qWait(100);
        }
        QTRY_VERIFY_WITH_TIMEOUT(done, 2000);
        QVERIFY(progress.count() >= 4);
        QCOMPARE(got.error.category, Error::Category::Timeout);
        QVERIFY2(got.error.message.contains(QStringLiteral("maximum")), qPrintable(got.error.message));
        QVERIFY(t.elapsed() >= 600);
    }

    void cancellation()
    {
        Fixture f;
        QVERIFY(f.start());
        Reply got;
        const qint64 id = f.session->request(QStringLiteral("tools/call"), {{"name", "x"}},
                                             [&](const Reply &r) { got = r; });
        f.session->cancel(id, QStringLiteral("user pressed cancel"));
        QCOMPARE(got.error.category, Error::Category::Cancelled);
        const Json n = f.transport->lastSent(QStringLiteral("notifications/cancelled"));
        QCOMPARE(n["params"]["requestId"], id);
        QCOMPARE(n["params"]["reason"], "user pressed cancel");
        // A late answer is allowed (the server may have answered before it saw the cancellation): noted, not
        // a violation. A second one is.
        QSignalSpy protocolError(f.session, &ClientSession::protocolError);
        QSignalSpy diagnostic(f.session, &ClientSession::diagnostic);
        f.transport->injectJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", Json::object()}});
        QCOMPARE(protocolError.count(), 0);
        QCOMPARE(diagnostic.count(), 1);
        QVERIFY(diagnostic.first().first().value<mcp::Diagnostic>().text.contains(
            QStringLiteral("late response")));
        f.transport->injectJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", Json::object()}});
        QCOMPARE(protocolError.count(), 1);
        QCOMPARE(protocolError.first().first().value<Error>().message,
                 QStringLiteral("a second response to request %1, which was already answered").arg(id));
    }

    void badInputIsReportedAndRecorded_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("expected");
        QTest::newRow("malformed JSON") << QByteArray("{\"jsonrpc\":\"2.0\",") << "malformed JSON";
        QTest::newRow("unknown id") << QByteArray(R"({"jsonrpc":"2.0","id":999,"result":{}})")
                                    << "a response to request 999, which was never sent";
        QTest::newRow("string id we never used") << QByteArray(R"({"jsonrpc":"2.0","id":"zz","result":{}})")
                                                 << "a response to request \"zz\", which was never sent";
        QTest::newRow("an id of 100,000 characters, cut in the message")
            << QByteArray(R"({"jsonrpc":"2.0","id":")" + QByteArray(100000, 'x') + R"(","result":{}})")
            << "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100002 characters), which was never sent";
        QTest::newRow("not JSON-RPC") << QByteArray(R"({"hello":"world"})") << "\"jsonrpc\"";
    }

    void badInputIsReportedAndRecorded()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, expected);
        Fixture f;
        QVERIFY(f.start());
        QSignalSpy protocolError(f.session, &ClientSession::protocolError);
        const qsizetype before = f.recorder.size();
        f.transport->inject(frame);
        QCOMPARE(protocolError.count(), 1);
        QVERIFY2(protocolError.first().first().value<Error>().message.contains(expected),
                 qPrintable(protocolError.first().first().value<Error>().message));
        QCOMPARE(f.recorder.size(), before + 1);
        QCOMPARE(f.recorder.at(before).bytes, frame);
        QCOMPARE(f.session->state(), ClientSession::State::Ready); // one bad frame does not end the session
    }

    void duplicateResponseReported()
    {
        Fixture f;
        QVERIFY(f.start());
        int answers = 0;
        const qint64 id =
            f.session->request(QStringLiteral("ping"), Json::object(), [&](const Reply &) { ++answers; });
        QSignalSpy protocolError(f.session, &ClientSession::protocolError);
        f.transport->injectJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", Json::object()}});
        f.transport->injectJson({{"jsonrpc", "2.0"}, {"id", id}, {"result", Json::object()}});
        QCOMPARE(answers, 1);
        QCOMPARE(protocolError.count(), 1);
        QCOMPARE(protocolError.first().first().value<Error>().message,
                 QStringLiteral("a second response to request %1, which was already answered").arg(id));
    }

    void invalidResponseFailsItsRequest()
    {
        Fixture f;
        QVERIFY(f.start());
        Reply got;
        const qint64 id =
            f.session->request(QStringLiteral("ping"), Json::object(), [&](const Reply &r) { got = r; });
        f.transport->inject(QByteArray(R"({"jsonrpc":"2.0","id":)") + QByteArray::number(id) + "}");
        QCOMPARE(got.error.category, Error::Category::Protocol);
        QVERIFY(got.error.message.contains(QStringLiteral("exactly one")));
    }

    void unknownServerMethodAnsweredWithError()
    {
        Fixture f;
        QVERIFY(f.start());
        f.transport->injectJson({{"jsonrpc", "2.0"}, {"id", "s1"}, {"method", "bogus/method"}});
        const Json answer = f.transport->lastSent();
        QCOMPARE(answer["id"], "s1");
        QCOMPARE(answer["error"]["code"], -32601);
        f.transport->injectJson({{"jsonrpc", "2.0"}, {"id", "s2"}, {"method", "ping"}});
        QCOMPARE(f.transport->lastSent()["result"], Json::object());
        // sampling without a rule: refused with a reason
        f.transport->injectJson({{"jsonrpc", "2.0"},
                                 {"id", "s3"},
                                 {"method", "sampling/createMessage"},
                                 {"params", Json::object()}});
        QVERIFY(f.transport->lastSent()["error"]["message"].get<std::string>().find("not answer") !=
                std::string::npos);
    }

    void serverRequestsAnsweredByRules()
    {
        Fixture f;
        RulesHandler rules(Json{{"sampling", {{"text", "42"}}},
                                {"roots", {{{"uri", "file:///tmp"}, {"name", "tmp"}}}},
                                {"elicitation", "defaults"}});
        f.session->setServerRequestHandler(&rules);
        QVERIFY(f.start());
        const Json caps = f.transport->lastSent(QStringLiteral("initialize"))["params"]["capabilities"];
        QVERIFY(caps.contains("sampling") && caps.contains("roots") && caps.contains("elicitation"));
        f.transport->injectJson({{"jsonrpc", "2.0"},
                                 {"id", 1},
                                 {"method", "sampling/createMessage"},
                                 {"params", {{"messages", Json::array()}, {"maxTokens", 5}}}});
        QCOMPARE(f.transport->lastSent()["result"]["content"]["text"], "42");
        f.transport->injectJson({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "roots/list"}});
        QCOMPARE(f.transport->lastSent()["result"]["roots"][0]["uri"], "file:///tmp");
        const Json properties = {{"n", {{"type", "integer"}, {"default", 7}}}, {"s", {{"type", "string"}}}};
        const Json schema = {{"type", "object"}, {"properties", properties}};
        f.transport->injectJson({{"jsonrpc", "2.0"},
                                 {"id", 3},
                                 {"method", "elicitation/create"},
                                 {"params", {{"message", "m"}, {"requestedSchema", schema}}}});
        QCOMPARE(f.transport->lastSent()["result"]["content"], (Json{{"n", 7}}));
    }

    void paginationWalksAllPagesAndStopsOnLoops()
    {
        Fixture f;
        QVERIFY(f.start());
        f.transport->onSend = [&](const Json &m) {
            if (m["method"] != "tools/list")
                return;
            const std::string cursor = m["params"].value("cursor", "");
            const int page = cursor.empty() ? 0 : std::stoi(cursor);
            Json result = {{"tools", {{{"name", "t" + std::to_string(page)}}}}};
            if (page < 4)
                result["nextCursor"] = std::to_string(page + 1);
            f.transport->injectJson(reply(m, result));
        };
        Reply got;
        bool done = false;
        f.session->listAll(QStringLiteral("tools/list"), QStringLiteral("tools"), [&](const Reply &r) {
            got = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 2000);
        QCOMPARE(got.result["tools"].size(), 5u);
        QVERIFY(!got.result.contains("nextCursor"));

        // a server whose cursor never changes must not loop forever
        f.transport->onSend = [&](const Json &m) {
            if (m["method"] == "prompts/list")
                f.transport->injectJson(reply(m, {{"prompts", {{{"name", "p"}}}}, {"nextCursor", "same"}}));
        };
        done = false;
        f.session->listAll(QStringLiteral("prompts/list"), QStringLiteral("prompts"), [&](const Reply &r) {
            got = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 2000);
        QCOMPARE(got.result["prompts"].size(), 2u);
    }

    void transportDeathFailsPendingRequests()
    {
        Fixture f;
        QVERIFY(f.start());
        Reply got;
        f.session->request(QStringLiteral("tools/call"), {{"name", "x"}}, [&](const Reply &r) { got = r; });
        QSignalSpy failed(f.session, &ClientSession::failed);
        f.transport->die(QStringLiteral("the server process exited with status 1"));
        QCOMPARE(got.error.category, Error::Category::Connection);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(f.session->state(), ClientSession::State::Failed);
        // a request on a dead session answers with a clear error, later, never synchronously re-entering
        Reply late;
        bool done = false;
        f.session->request(QStringLiteral("ping"), Json::object(), [&](const Reply &r) {
            late = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 1000);
        QVERIFY(late.error.message.contains(QStringLiteral("not connected")));
    }

    void toolErrorIsDistinct()
    {
        Fixture f;
        QVERIFY(f.start());
        f.transport->onSend = [&](const Json &m) {
            f.transport->injectJson(
                reply(m, {{"isError", true}, {"content", {{{"type", "text"}, {"text", "boom"}}}}}));
        };
        Reply got;
        f.session->request(QStringLiteral("tools/call"), {{"name", "fail"}},
                           [&](const Reply &r) { got = r; });
        QTRY_COMPARE_WITH_TIMEOUT(got.error.category, Error::Category::Tool, 1000);
        QCOMPARE(got.error.message, QStringLiteral("boom"));
        QCOMPARE(got.result["isError"], true);
    }

    void recorderPairsRequestsAndResponses()
    {
        Fixture f;
        QVERIFY(f.start());
        // discover(out), error(in), initialize(out), result(in), initialized(out)
        QCOMPARE(f.recorder.size(), 5);
        QCOMPARE(f.recorder.at(0).pairedIndex, 1);
        QCOMPARE(f.recorder.at(1).pairedIndex, 0);
        QVERIFY(f.recorder.at(1).isError());
        QCOMPARE(f.recorder.at(3).pairedIndex, 2);
        QCOMPARE(f.recorder.method(f.recorder.at(3)), QStringLiteral("initialize"));
        QVERIFY(f.recorder.at(3).latencyUs >= 0);
        QCOMPARE(f.recorder.at(4).pairedIndex, -1);
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
