// McpServer and ServerSession in-process: frames in, frames out, no transport.
#include "demomedia.h"
#include "demoserver.h"
#include "server/httprequesthead.h"
#include "server/mcpserver.h"
#include "session/protocolversion.h"

#include <QDeadlineTimer>
#include <QTest>
#include <QTimer>
#include <QtEndian>

using mcp::Json;

namespace {

const char *Modern = "2026-07-28";

Json modernMeta(Json caps = Json::object())
{
    return {{mcp::protocol::MetaProtocolVersion, Modern},
            {mcp::protocol::MetaClientInfo, {{"name", "tst"}, {"version", "1"}}},
            {mcp::protocol::MetaClientCapabilities, caps}};
}

// One session on a server, with everything it sends kept in order.
struct Harness
{
    explicit Harness(mcp::ServerOptions options = {}) : server(options), session(&server)
    {
        QObject::connect(&session, &mcp::ServerSession::frameOut, &session,
                         [this](const mcp::ServerFrame &f) { frames << f; });
        QObject::connect(&session, &mcp::ServerSession::requestAbandoned, &session,
                         [this](const QString &key) { abandoned << key; });
    }

    void feed(const Json &message) { session.handleFrame(mcp::dumpCompact(message)); }
    QList<Json> sent() const
    {
        QList<Json> out;
        for (const auto &f : frames)
            out << Json::parse(f.bytes.toStdString());
        return out;
    }
    // The response to id, waiting (bounded) for handlers that answer later.
    Json responseTo(const Json &id, int timeoutMs = 3000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            for (const Json &m : sent())
                if (m.contains("id") && m["id"] == id && !m.contains("method"))
                    return m;
            QTest::qWait(5);
        }
        return nullptr;
    }
    Json call(const Json &id, const QString &method, Json params = Json::object())
    {
        feed({{"jsonrpc", "2.0"}, {"id", id}, {"method", mcp::toStd(method)}, {"params", params}});
        return responseTo(id);
    }
    QList<Json> notifications(const std::string &method) const
    {
        QList<Json> out;
        for (const Json &m : sent())
            if (m.value("method", "") == method && !m.contains("id"))
                out << m;
        return out;
    }
    void initialize(const std::string &version = "2025-11-25", Json caps = Json::object())
    {
        const Json r = call("init", QStringLiteral("initialize"),
                            {{"protocolVersion", version},
                             {"capabilities", caps},
                             {"clientInfo", {{"name", "tst"}, {"version", "1"}}}});
        QVERIFY(r.contains("result"));
        feed({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
    }

    mcp::McpServer server;
    mcp::ServerSession session;
    QList<mcp::ServerFrame> frames;
    QStringList abandoned;
};

int errorCode(const Json &response)
{
    return response.value("error", Json::object()).value("code", 0);
}

Json textTool(const std::string &name)
{
    return {{"name", name}, {"description", "test"}, {"inputSchema", {{"type", "object"}}}};
}

// A tool that asks for confirmation, then (on "twice") for a second answer.
void addAskingTool(mcp::McpServer &server)
{
    server.addTool(textTool("ask"), [](const Json &args, mcp::RequestContext::Ptr ctx) {
        const Json form = {
            {"mode", "form"},
            {"message", "Sure?"},
            {"requestedSchema", {{"type", "object"}, {"properties", {{"ok", {{"type", "boolean"}}}}}}}};
        ctx->ask("first", "elicitation/create", form, [ctx, args, form](const Json &a, const mcp::Error &e) {
            if (e) {
                ctx->finish(
                    {{"content", {{{"type", "text"}, {"text", mcp::toStd(e.message)}}}}, {"isError", true}});
                return;
            }
            if (!args.value("twice", false)) {
                ctx->finish({{"content", {{{"type", "text"}, {"text", "first=" + a.value("action", "")}}}}});
                return;
            }
            ctx->ask("second", "elicitation/create", form, [ctx, a](const Json &b, const mcp::Error &) {
                ctx->finish(
                    {{"content",
                      {{{"type", "text"},
                        {"text", "first=" + a.value("action", "") + " second=" + b.value("action", "")}}}}});
            });
        });
    });
}

} // namespace

class TestMcpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initializeNegotiates_data()
    {
        QTest::addColumn<QString>("asked");
        QTest::addColumn<QString>("answered");
        for (const char *v : {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"})
            QTest::newRow(v) << QString::fromLatin1(v) << QString::fromLatin1(v);
        QTest::newRow("unknown") << "2099-01-01"
                                 << "2025-11-25";
        QTest::newRow("modern-over-initialize") << "2026-07-28"
                                                << "2025-11-25";
    }
    void initializeNegotiates()
    {
        QFETCH(QString, asked);
        QFETCH(QString, answered);
        Harness h;
        h.server.addTool(textTool("t"), [](const Json &, mcp::RequestContext::Ptr ctx) { ctx->finish({}); });
        const Json r = h.call(1, QStringLiteral("initialize"),
                              {{"protocolVersion", mcp::toStd(asked)},
                               {"capabilities", Json::object()},
                               {"clientInfo", {{"name", "tst"}, {"version", "1"}}}});
        QCOMPARE(mcp::stringOr(r["result"], "protocolVersion"), answered);
        QVERIFY(r["result"]["capabilities"].contains("tools"));
        QVERIFY(!r["result"].contains("resultType")); // only 2026-07-28 results carry it
        QCOMPARE(h.session.protocolVersion(), answered);
    }

    void errorsAreSpecific()
    {
        Harness h;
        h.server.addTool({{"name", "typed"},
                          {"description", "x"},
                          {"inputSchema",
                           {{"type", "object"},
                            {"properties", {{"n", {{"type", "integer"}, {"maximum", 5}}}}},
                            {"required", {"n"}}}}},
                         [](const Json &, mcp::RequestContext::Ptr ctx) {
                             ctx->finish({{"content", Json::array()}});
                         });
        QCOMPARE(errorCode(h.call(1, QStringLiteral("tools/list"))), mcp::jsonrpc::ErrorCode::InvalidRequest);
        h.initialize();
        QCOMPARE(errorCode(h.call(2, QStringLiteral("no/such"))), mcp::jsonrpc::ErrorCode::MethodNotFound);
        QCOMPARE(errorCode(h.call(3, QStringLiteral("prompts/list"))),
                 mcp::jsonrpc::ErrorCode::MethodNotFound);
        QCOMPARE(errorCode(h.call(4, QStringLiteral("tools/call"))), mcp::jsonrpc::ErrorCode::InvalidParams);
        const Json unknown = h.call(5, QStringLiteral("tools/call"), {{"name", "nope"}});
        QCOMPARE(errorCode(unknown), mcp::jsonrpc::ErrorCode::InvalidParams);
        QVERIFY(mcp::stringOr(unknown["error"], "message").contains(QStringLiteral("unknown tool: nope")));
        const Json bad =
            h.call(6, QStringLiteral("tools/call"), {{"name", "typed"}, {"arguments", {{"n", 9}}}});
        QCOMPARE(bad["result"].value("isError", false), true);
        QVERIFY(bad.dump().find("/n: Expected number less than or equal to 5") != std::string::npos);
        const Json missing =
            h.call(7, QStringLiteral("tools/call"), {{"name", "typed"}, {"arguments", Json::object()}});
        QVERIFY(missing.dump().find("Missing required property 'n'") != std::string::npos);
        h.session.handleFrame("{not json");
        QCOMPARE(errorCode(h.sent().last()), mcp::jsonrpc::ErrorCode::ParseError);
        QCOMPARE(errorCode(h.call(8, QStringLiteral("logging/setLevel"), {{"level", "loud"}})),
                 mcp::jsonrpc::ErrorCode::InvalidParams);
        QVERIFY(!h.call(9, QStringLiteral("ping")).contains("error"));
    }

    void paginates()
    {
        mcp::ServerOptions o;
        o.pageSize = 10;
        Harness h(o);
        for (int i = 0; i < 25; ++i)
            h.server.addTool(textTool("tool" + std::to_string(i)), {});
        h.initialize();
        QStringList names;
        Json cursor;
        int pages = 0;
        do {
            Json params = Json::object();
            if (!cursor.is_null())
                params["cursor"] = cursor;
            const Json r = h.call(100 + pages, QStringLiteral("tools/list"), params);
            for (const auto &t : r["result"]["tools"])
                names << mcp::stringOr(t, "name");
            cursor = r["result"].value("nextCursor", Json());
            ++pages;
        } while (!cursor.is_null() && pages < 10);
        QCOMPARE(pages, 3);
        QCOMPARE(names.size(), 25);
        QCOMPARE(names.last(), QStringLiteral("tool24"));
        QCOMPARE(errorCode(h.call(200, QStringLiteral("tools/list"), {{"cursor", "garbage!"}})),
                 mcp::jsonrpc::ErrorCode::InvalidParams);
    }

    void progressAndLogging()
    {
        Harness h;
        h.server.addTool(textTool("slow"), [](const Json &, mcp::RequestContext::Ptr ctx) {
            auto step = std::make_shared<int>(0);
            auto *timer = new QTimer;
            QObject::connect(timer, &QTimer::timeout, timer, [ctx, step, timer] {
                ++*step;
                ctx->progress(*step, 3, QStringLiteral("step %1").arg(*step));
                ctx->log(QStringLiteral("info"), QStringLiteral("slow"), {{"step", *step}});
                ctx->log(QStringLiteral("error"), QStringLiteral("slow"), "bad");
                if (*step == 3) {
                    timer->deleteLater();
                    ctx->finish({{"content", Json::array()}});
                }
            });
            timer->start(10);
        });
        h.initialize();
        QVERIFY(!h.call(1, QStringLiteral("logging/setLevel"), {{"level", "warning"}}).contains("error"));
        const Json r = h.call(2, QStringLiteral("tools/call"),
                              {{"name", "slow"}, {"_meta", {{"progressToken", "tok"}}}});
        QVERIFY(r.contains("result"));
        const auto progress = h.notifications("notifications/progress");
        QCOMPARE(progress.size(), 3);
        QCOMPARE(progress[2]["params"]["progressToken"], Json("tok"));
        QCOMPARE(progress[2]["params"]["progress"].get<double>(), 3.0);
        QCOMPARE(mcp::stringOr(progress[0]["params"], "message"), QStringLiteral("step 1"));
        const auto logs = h.notifications("notifications/message");
        QCOMPARE(logs.size(), 3); // info is below the warning threshold; error is not
        QCOMPARE(mcp::stringOr(logs[0]["params"], "level"), QStringLiteral("error"));
        for (const auto &f : std::as_const(h.frames))
            if (f.bytes.contains("notifications/progress") || f.bytes.contains("notifications/message"))
                QCOMPARE(f.related, QStringLiteral("2")); // so HTTP can stream them on the request's response
    }

    void cancellationStopsTool()
    {
        Harness h;
        bool stopped = false;
        h.server.addTool(textTool("forever"), [&stopped](const Json &, mcp::RequestContext::Ptr ctx) {
            ctx->onCancelled([&stopped] { stopped = true; });
        });
        h.initialize();
        h.feed({{"jsonrpc", "2.0"}, {"id", 7}, {"method", "tools/call"}, {"params", {{"name", "forever"}}}});
        h.feed({{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}, {"params", {{"requestId", 7}}}});
        QVERIFY(stopped);
        QCOMPARE(h.abandoned, QStringList{QStringLiteral("7")});
        QVERIFY(h.responseTo(7, 50).is_null()); // a cancelled request gets no response
        // The id is free again.
        h.feed({{"jsonrpc", "2.0"}, {"id", 7}, {"method", "ping"}});
        QVERIFY(h.responseTo(7).contains("result"));
    }

    void subscriptionsAndListChanged()
    {
        Harness h;
        h.server.addResource({{"uri", "live://x"}, {"name", "x"}},
                             [](const QString &uri) -> std::optional<Json> {
                                 return Json::array({{{"uri", mcp::toStd(uri)}, {"text", "v"}}});
                             });
        h.initialize();
        QVERIFY(!h.call(1, QStringLiteral("resources/subscribe"), {{"uri", "live://x"}}).contains("error"));
        QCOMPARE(h.server.subscriberCount(QStringLiteral("live://x")), 1);
        h.server.notifyResourceUpdated(QStringLiteral("live://x"));
        h.server.notifyResourceUpdated(QStringLiteral("live://other"));
        QCOMPARE(h.notifications("notifications/resources/updated").size(), 1);
        QVERIFY(!h.call(2, QStringLiteral("resources/unsubscribe"), {{"uri", "live://x"}}).contains("error"));
        QCOMPARE(h.server.subscriberCount(QStringLiteral("live://x")), 0);
        h.server.notifyResourceUpdated(QStringLiteral("live://x"));
        QCOMPARE(h.notifications("notifications/resources/updated").size(), 1);
        h.server.notifyListChanged(QStringLiteral("resources"));
        QCOMPARE(h.notifications("notifications/resources/list_changed").size(), 1);
        QCOMPARE(errorCode(h.call(3, QStringLiteral("resources/read"), {{"uri", "live://missing"}})),
                 mcp::ServerErrorCode::ResourceNotFound);
    }

    void legacyServerRequests()
    {
        mcp::ServerOptions o;
        o.clientRequestTimeoutMs = 100;
        Harness h(o);
        addAskingTool(h.server);
        h.initialize("2025-11-25", {{"elicitation", Json::object()}});
        h.feed({{"jsonrpc", "2.0"}, {"id", "c1"}, {"method", "tools/call"}, {"params", {{"name", "ask"}}}});
        const Json ask = h.sent().last();
        QCOMPARE(mcp::stringOr(ask, "method"), QStringLiteral("elicitation/create"));
        QVERIFY(ask["id"].is_number_integer()); // the server's own id space
        QCOMPARE(h.frames.last().related, QStringLiteral("\"c1\""));
        h.feed({{"jsonrpc", "2.0"}, {"id", ask["id"]}, {"result", {{"action", "accept"}}}});
        QVERIFY(h.responseTo("c1").dump().find("first=accept") != std::string::npos);

        // No answer: the server gives up after its timeout and tells the client.
        h.feed({{"jsonrpc", "2.0"}, {"id", "c2"}, {"method", "tools/call"}, {"params", {{"name", "ask"}}}});
        const Json r = h.responseTo("c2");
        QCOMPARE(r["result"].value("isError", false), true);
        QVERIFY(r.dump().find("did not answer within 100 ms") != std::string::npos);
        QCOMPARE(h.notifications("notifications/cancelled").size(), 1);

        // Without the capability nothing is asked.
        Harness bare;
        addAskingTool(bare.server);
        bare.initialize();
        const Json refused = bare.call(1, QStringLiteral("tools/call"), {{"name", "ask"}});
        QVERIFY(refused.dump().find("did not declare the elicitation capability") != std::string::npos);
    }

    void discoverAndModernRequests()
    {
        Harness h;
        addAskingTool(h.server);
        const Json d = h.call(1, QStringLiteral("server/discover"), {{"_meta", modernMeta()}});
        const Json &result = d["result"];
        QCOMPARE(mcp::stringOr(result, "resultType"), QStringLiteral("complete"));
        QVERIFY(result.contains("ttlMs") && result.contains("cacheScope"));
        for (const char *v : {"2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"})
            QVERIFY(std::find(result["supportedVersions"].begin(), result["supportedVersions"].end(),
                              Json(v)) != result["supportedVersions"].end());
        QVERIFY(result["_meta"].contains(mcp::protocol::MetaServerInfo));

        const Json list = h.call(2, QStringLiteral("tools/list"), {{"_meta", modernMeta()}});
        QCOMPARE(mcp::stringOr(list["result"], "resultType"), QStringLiteral("complete"));
        QVERIFY(list["result"].contains("ttlMs"));
        QCOMPARE(mcp::stringOr(list["result"], "cacheScope"), QStringLiteral("public"));
        // Legacy-only methods do not exist in 2026-07-28; unknown per-request versions are refused.
        QCOMPARE(errorCode(h.call(3, QStringLiteral("ping"), {{"_meta", modernMeta()}})),
                 mcp::jsonrpc::ErrorCode::MethodNotFound);
        Json old = modernMeta();
        old[mcp::protocol::MetaProtocolVersion] = "2031-01-01";
        const Json refused = h.call(4, QStringLiteral("tools/list"), {{"_meta", old}});
        QCOMPARE(errorCode(refused), mcp::jsonrpc::ErrorCode::UnsupportedProtocolVersion);
        QCOMPARE(refused["error"]["data"]["requested"], Json("2031-01-01"));
    }

    void mrtrRoundTrips()
    {
        Harness h;
        addAskingTool(h.server);
        const Json meta = modernMeta({{"elicitation", Json::object()}});
        Json params = {{"_meta", meta}, {"name", "ask"}, {"arguments", {{"twice", true}}}};
        const Json first = h.call(1, QStringLiteral("tools/call"), params)["result"];
        QCOMPARE(mcp::stringOr(first, "resultType"), QStringLiteral("input_required"));
        QCOMPARE(mcp::stringOr(first["inputRequests"]["first"], "method"),
                 QStringLiteral("elicitation/create"));
        QVERIFY(first["requestState"].is_string());
        QVERIFY(h.notifications("elicitation/create").isEmpty()); // no server-to-client request on 2026-07-28

        // Second round: the earlier answer travels in requestState, only the new one in inputResponses.
        params["requestState"] = first["requestState"];
        params["inputResponses"] = {{"first", {{"action", "accept"}}}};
        const Json second = h.call(2, QStringLiteral("tools/call"), params)["result"];
        QCOMPARE(mcp::stringOr(second, "resultType"), QStringLiteral("input_required"));
        QVERIFY(second["inputRequests"].contains("second"));

        params["requestState"] = second["requestState"];
        params["inputResponses"] = {{"second", {{"action", "decline"}}}};
        const Json done = h.call(3, QStringLiteral("tools/call"), params)["result"];
        QCOMPARE(mcp::stringOr(done, "resultType"), QStringLiteral("complete"));
        QVERIFY(done.dump().find("first=accept second=decline") != std::string::npos);

        params["requestState"] = "tampered." + second["requestState"].get<std::string>();
        QCOMPARE(errorCode(h.call(4, QStringLiteral("tools/call"), params)),
                 mcp::jsonrpc::ErrorCode::InvalidParams);
        params["requestState"] = second["requestState"];
        params["name"] = "other";
        h.server.addTool(textTool("other"),
                         [](const Json &, mcp::RequestContext::Ptr ctx) { ctx->finish({}); });
        QCOMPARE(errorCode(h.call(5, QStringLiteral("tools/call"), params)),
                 mcp::jsonrpc::ErrorCode::InvalidParams);
        // A forged state nested a million levels deep: refused by its signature, before it is parsed.
        params["name"] = "ask";
        params["requestState"] =
            QByteArray(1000000, '[').toBase64(QByteArray::Base64UrlEncoding).toStdString() + ".forged";
        QCOMPARE(errorCode(h.call(6, QStringLiteral("tools/call"), params)),
                 mcp::jsonrpc::ErrorCode::InvalidParams);
    }

    void listenStreams()
    {
        Harness h;
        h.server.addResource({{"uri", "live://x"}, {"name", "x"}}, {});
        h.server.addTool(textTool("t"), {});
        Json filter = Json::object();
        filter["toolsListChanged"] = true;
        filter["resourceSubscriptions"] = Json::array({"live://x"});
        Json listen = {{"jsonrpc", "2.0"}, {"id", 40}, {"method", "subscriptions/listen"}};
        listen["params"] = {{"_meta", modernMeta()}, {"notifications", filter}};
        h.feed(listen);
        const auto ack = h.notifications("notifications/subscriptions/acknowledged");
        QCOMPARE(ack.size(), 1);
        QCOMPARE(ack[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], Json(40));
        QCOMPARE(h.server.subscriberCount(QStringLiteral("live://x")), 1);
        h.server.notifyResourceUpdated(QStringLiteral("live://x"));
        h.server.notifyListChanged(QStringLiteral("tools"));
        h.server.notifyListChanged(QStringLiteral("prompts")); // not asked for
        QCOMPARE(h.notifications("notifications/resources/updated").size(), 1);
        QCOMPARE(h.notifications("notifications/tools/list_changed").size(), 1);
        QCOMPARE(h.notifications("notifications/prompts/list_changed").size(), 0);
        QCOMPARE(h.frames.last().related, QStringLiteral("40"));
        h.session.shutdown(); // graceful end: a complete response to the listen request
        QCOMPARE(mcp::stringOr(h.responseTo(40)["result"], "resultType"), QStringLiteral("complete"));
        QCOMPARE(h.server.subscriberCount(QStringLiteral("live://x")), 0);
    }

    void olderVersionsGetOlderShapes()
    {
        Harness h;
        h.server.addTool({{"name", "media"},
                          {"title", "Media"},
                          {"description", "x"},
                          {"inputSchema", {{"type", "object"}}},
                          {"outputSchema", {{"type", "object"}}},
                          {"annotations", {{"readOnlyHint", true}}}},
                         [](const Json &, mcp::RequestContext::Ptr ctx) {
                             ctx->finish({{"content",
                                           {{{"type", "audio"}, {"data", "AA=="}, {"mimeType", "audio/wav"}},
                                            {{"type", "resource_link"}, {"uri", "a://b"}, {"name", "b"}}}},
                                          {"structuredContent", Json::object()}});
                         });
        h.initialize("2024-11-05");
        const Json tool = h.call(1, QStringLiteral("tools/list"))["result"]["tools"][0];
        QVERIFY(!tool.contains("title") && !tool.contains("outputSchema") && !tool.contains("annotations"));
        const Json r = h.call(2, QStringLiteral("tools/call"), {{"name", "media"}})["result"];
        QVERIFY(!r.contains("structuredContent"));
        for (const auto &block : r["content"])
            QCOMPARE(mcp::stringOr(block, "type"), QStringLiteral("text"));
    }

    void demoContent()
    {
        mcp::McpServer server;
        demo::installDemoContent(server, {});
        mcp::ServerSession session(&server);
        QList<Json> out;
        QObject::connect(&session, &mcp::ServerSession::frameOut, &session,
                         [&out](const mcp::ServerFrame &f) { out << Json::parse(f.bytes.toStdString()); });
        auto call = [&](int id, const char *method, Json params) {
            session.handleFrame(
                mcp::dumpCompact({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}));
            return out.last();
        };
        call(1, "initialize",
             {{"protocolVersion", "2025-11-25"},
              {"capabilities", Json::object()},
              {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
        const Json tools = call(2, "tools/list", Json::object())["result"];
        QVERIFY(tools["tools"].size() >= 8);
        const Json resources = call(3, "resources/list", Json::object())["result"];
        QCOMPARE(resources["resources"].size(), 10u); // the demo's page size, so pagination shows
        QVERIFY(resources.contains("nextCursor"));
        const Json complete = call(4, "completion/complete",
                                   {{"ref", {{"type", "ref/prompt"}, {"name", "daily_briefing"}}},
                                    {"argument", {{"name", "city"}, {"value", "s"}}}})["result"];
        QCOMPARE(complete["completion"]["values"], Json({"San Francisco", "Seattle", "Sydney"}));
        const Json templ = call(5, "resources/read", {{"uri", "notes://3"}})["result"];
        QVERIFY(templ["contents"][0]["text"].get<std::string>().find("frost") != std::string::npos);
    }

    void demoMediaIsValid()
    {
        const QByteArray png = demo::barChartPng({1, 5, 3}, 64, 48);
        QVERIFY(png.startsWith("\x89PNG\r\n\x1a\n"));
        QCOMPARE(png.mid(12, 4), QByteArray("IHDR"));
        QCOMPARE(qFromBigEndian<quint32>(png.constData() + 16), 64u);
        QCOMPARE(qFromBigEndian<quint32>(png.constData() + 20), 48u);
        const qsizetype idat = png.indexOf("IDAT");
        const quint32 length = qFromBigEndian<quint32>(png.constData() + idat - 4);
        QByteArray zlib(4, '\0');
        qToBigEndian<quint32>((64 * 3 + 1) * 48, zlib.data());
        QCOMPARE(qUncompress(zlib + png.mid(idat + 4, length)).size(), (64 * 3 + 1) * 48);
        QVERIFY(png.endsWith(QByteArray("IEND\xae\x42\x60\x82", 8))); // the well-known CRC of an empty IEND

        const QByteArray wav = demo::toneWav(440, 2);
        QVERIFY(wav.startsWith("RIFF") && wav.mid(8, 4) == "WAVE");
        QCOMPARE(qFromLittleEndian<quint32>(wav.constData() + 4), quint32(wav.size() - 8));
    }

    // The request head parser our HTTP server and proxy share.
    void requestHeadParsing()
    {
        QVERIFY(!mcp::parseRequestHead("POST /mcp HTTP/1.1\r\nHost: x\r\n"));
        const QByteArray raw = "POST /mcp?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-LENGTH:  12 \r\n"
                               "Mcp-Session-Id: abc\r\nX-Empty:\r\n\r\n{\"jsonrpc\":1}";
        const auto head = mcp::parseRequestHead(raw);
        QVERIFY(head);
        QCOMPARE(head->method, QByteArray("POST"));
        QCOMPARE(head->target, QByteArray("/mcp?x=1"));
        QCOMPARE(head->size, raw.indexOf("{"));
        QCOMPARE(head->headers.size(), 4);
        QCOMPARE(head->headers[2].first, QByteArray("Mcp-Session-Id")); // names as sent
        QCOMPARE(head->header("mcp-session-id"), QByteArray("abc"));
        QVERIFY(head->hasHeader("x-empty"));
        QVERIFY(!head->hasHeader("origin"));
        QCOMPARE(head->contentLength(), 12);
        QVERIFY(!head->chunked());

        const auto lengthOf = [](const QByteArray &field) {
            return mcp::parseRequestHead("POST / HTTP/1.1\r\n" + field + "\r\n\r\n")->contentLength();
        };
        QCOMPARE(lengthOf("Host: x"), 0);
        QCOMPARE(lengthOf("Content-Length: forty"), -1);
        QCOMPARE(lengthOf("Content-Length: -5"), -1);
        const auto chunkedBy = [](const QByteArray &field) {
            return mcp::parseRequestHead("POST / HTTP/1.1\r\n" + field + "\r\n\r\n")->chunked();
        };
        QVERIFY(chunkedBy("Transfer-Encoding: chunked"));
        QVERIFY(chunkedBy("Transfer-Encoding: gzip, chunked"));
        QVERIFY(!chunkedBy("Transfer-Encoding: Identity"));
    }
};

QTEST_GUILESS_MAIN(TestMcpServer)
#include "tst_mcpserver.moc"
