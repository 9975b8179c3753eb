// core/schema against the schemas a real server sends: every tool of @modelcontextprotocol/server-everything
// (zod through the MCP SDK) compiles with nothing left unchecked; arguments and a real structuredContent
// validate, broken ones fail at the right JSON pointer.
#include "schema/schemavalidator.h"
#include "session/clientsession.h"
#include "testsupport.h"
#include "traffic/recorder.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>
#include <optional>

using namespace mcp;
using Status = schema::ValidationResult::Status;

class TestSchemaEverything : public QObject
{
    Q_OBJECT

    Recorder m_recorder;
    std::unique_ptr<ClientSession> m_session;
    QHash<QString, Json> m_tools; // by name, as tools/list gave them

    Reply await(const std::function<void(ClientSession::ReplyHandler)> &send)
    {
        std::optional<Reply> got;
        send([&](const Reply &r) { got = r; });
        const QDeadlineTimer deadline(25000);
        while (!got && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return got.value_or(
            Reply{nullptr, makeError(Error::Category::Timeout, QString(), QStringLiteral("timeout"))});
    }

    Json tool(const QString &name) const { return m_tools.value(name, Json::object()); }

    static QString describe(const schema::ValidationResult &result)
    {
        return result.lines().join(QLatin1Char('\n'));
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QString error;
        m_session =
            testsupport::everythingStdioSession(&m_recorder, QStringLiteral("everything-schemas"), &error);
        QVERIFY2(m_session, qPrintable(error));
        QSignalSpy ready(m_session.get(), &ClientSession::ready);
        m_session->start();
        QVERIFY2(ready.wait(20000), qPrintable(m_session->lastError().toString()));
        const Reply tools = await([&](auto handler) {
            m_session->listAll(QStringLiteral("tools/list"), QStringLiteral("tools"), handler);
        });
        QVERIFY2(tools.ok(), qPrintable(tools.error.toString()));
        for (const Json &t : tools.result["tools"])
            m_tools.insert(stringOr(t, "name"), t);
        QVERIFY2(m_tools.size() >= 10, qPrintable(QString::number(m_tools.size())));
    }

    void cleanupTestCase() { m_session.reset(); }

    void everyToolSchemaIsFullyChecked()
    {
        int schemas = 0;
        for (const Json &t : std::as_const(m_tools))
            for (const char *key : {"inputSchema", "outputSchema"}) {
                if (!t.contains(key))
                    continue;
                const schema::SchemaValidator validator(t[key]);
                QVERIFY2(validator.usable() && validator.notChecked().isEmpty(),
                         qPrintable(stringOr(t, "name") + QLatin1Char(' ') + QLatin1String(key) +
                                    QLatin1String(": ") + validator.notChecked().join(QLatin1Char('\n'))));
                ++schemas;
            }
        QVERIFY(schemas > m_tools.size()); // every input schema and at least one output schema
    }

    void echoArguments()
    {
        const schema::SchemaValidator echo(tool(QStringLiteral("echo"))["inputSchema"]);
        QCOMPARE(echo.validate(Json{{"message", "hi"}}).status, Status::Valid);
        schema::ValidationResult result = echo.validate(Json::object());
        QCOMPARE(result.status, Status::Invalid);
        QCOMPARE(result.errors.first().pointer, QString());
        QCOMPARE(result.errors.first().message, QStringLiteral("Missing required property 'message'."));
        result = echo.validate(Json{{"message", 5}});
        QCOMPARE(result.status, Status::Invalid);
        QCOMPARE(result.errors.first().pointer, QStringLiteral("/message"));
        QCOMPARE(result.errors.first().message, QStringLiteral("integer is not a type the schema allows"));
    }

    void structuredContentAgainstItsOutputSchema()
    {
        const Json structured = tool(QStringLiteral("get-structured-content"));
        const schema::SchemaValidator input(structured["inputSchema"]);
        QCOMPARE(input.validate(Json{{"location", "Chicago"}}).status, Status::Valid);
        const schema::ValidationResult city = input.validate(Json{{"location", "Paris"}});
        QCOMPARE(city.status, Status::Invalid);
        QCOMPARE(city.errors.first().pointer, QStringLiteral("/location"));
        QCOMPARE(city.errors.first().message, QStringLiteral("Failed to match against any enum values."));

        const Reply reply = await([&](auto handler) {
            m_session->request(
                QStringLiteral("tools/call"),
                Json{{"name", "get-structured-content"}, {"arguments", {{"location", "Chicago"}}}}, handler);
        });
        QVERIFY2(reply.ok(), qPrintable(reply.error.toString()));
        Json content = reply.result["structuredContent"];
        const schema::SchemaValidator output(structured["outputSchema"]);
        QVERIFY2(output.validate(content).status == Status::Valid,
                 qPrintable(describe(output.validate(content))));

        content["humidity"] = "high";
        schema::ValidationResult broken = output.validate(content);
        QCOMPARE(broken.status, Status::Invalid);
        QCOMPARE(broken.errors.first().pointer, QStringLiteral("/humidity"));
        QCOMPARE(broken.errors.first().message, QStringLiteral("string is not a type the schema allows"));
        content.erase("temperature");
        broken = output.validate(content);
        QCOMPARE(broken.errors.size(), 2);
        QVERIFY2(
            describe(broken).contains(QStringLiteral("(root): Missing required property 'temperature'.")),
            qPrintable(describe(broken)));
    }
};

QTEST_GUILESS_MAIN(TestSchemaEverything)
#include "tst_schemaeverything.moc"
