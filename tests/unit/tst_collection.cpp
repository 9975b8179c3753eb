// core/collection without a server: the file format (round trip in a stable order, refusals with where and
// why, limits), ${env:} and ${step:} references, each kind of expectation against answers made here, the
// JUnit XML writer with hostile text, and the request history (redaction, size cap, search, damaged lines).
#include "collection/assertions.h"
#include "collection/collection.h"
#include "collection/collectionrunner.h"
#include "collection/history.h"
#include "collection/report.h"
#include "collection/variables.h"
#include "faketransport.h"
#include "session/clientsession.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace mcp;
using namespace mcp::collection;

namespace {

const char kExample[] = R"({
  "format": "mcpwb-collection",
  "version": 1,
  "name": "example",
  "requests": [
    {"id": "list", "method": "tools/list"},
    {"id": "call", "name": "call the first tool", "method": "tools/call", "timeoutMs": 5000,
     "params": {"name": "${step:list/tools/0/name}", "arguments": {"token": "${env:API_TOKEN}"}},
     "expect": {"maxLatencyMs": 100, "outputSchema": true, "matches": {"/content/0/text": "^ok"},
                "equals": {"/isError": false, "": {"a": 1}}}}
  ]
})";

ParseProblem refusalOf(const QByteArray &text)
{
    ParseProblem problem;
    if (parseCollection(text, &problem))
        qFatal("accepted: %s", text.constData());
    return problem;
}

QByteArray withRequest(const char *request)
{
    return QByteArray(
               R"({"format": "mcpwb-collection", "version": 1, "requests": [{"id": "a", "method": "ping"}, )") +
           request + "]}";
}

Reply ok(const Json &result)
{
    return Reply{result, {}};
}

EnvLookup env(QHash<QString, QString> values)
{
    return [values](const QString &name) -> std::optional<QString> {
        if (!values.contains(name))
            return std::nullopt;
        return values.value(name);
    };
}

} // namespace

// Test bodies are outside the class: moc drops slots when raw string literals sit inside a Q_OBJECT body.
class TstCollection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsAndWritesInAStableOrder();
    void savesAndLoadsAFile();
    void refusesWithWhereAndWhy_data();
    void refusesWithWhereAndWhy();
    void limitsAreKept();
    void referencesAreResolved();
    void expectationsAreChecked();
    void outputSchemaIsChecked();
    void junitXmlIsWellFormedWhateverTheServerSent();
    void historyIsRedactedBoundedAndSearchable();
    void uniqueIdsForSavedRequests();
    void appendedRequestsHoldNoLiteralSecret();
    void runnerCarriesAnswersAndEndsWithTheSession();
};

void TstCollection::readsAndWritesInAStableOrder()
{
    ParseProblem problem;
    const std::optional<Collection> c = parseCollection(kExample, &problem);
    QVERIFY2(c, qPrintable(problem.toString()));
    QCOMPARE(c->name, QStringLiteral("example"));
    QCOMPARE(c->requests.size(), 2);
    const Request &call = c->requests[1];
    QCOMPARE(call.label(), QStringLiteral("call the first tool"));
    QCOMPARE(c->requests[0].label(), QStringLiteral("list"));
    QCOMPARE(call.timeoutMs, 5000);
    QCOMPARE(call.expect.maxLatencyMs, std::optional<qint64>(100));
    QVERIFY(call.expect.outputSchema);
    QCOMPARE(call.expect.equals.size(), 2);
    QCOMPARE(call.expect.matches.value(0).second, QStringLiteral("^ok"));

    const QByteArray bytes = collectionBytes(*c);
    const std::optional<Collection> again = parseCollection(bytes, &problem);
    QVERIFY(again);
    QVERIFY(*again == *c);
    QCOMPARE(collectionBytes(*again), bytes);
    // the stable order: document, then request members, as documented
    QVERIFY(bytes.indexOf("\"format\"") < bytes.indexOf("\"version\""));
    QVERIFY(bytes.indexOf("\"version\"") < bytes.indexOf("\"name\""));
    const qsizetype second = bytes.indexOf("\"id\": \"call\"");
    QVERIFY(second < bytes.indexOf("\"name\": \"call the first tool\""));
    QVERIFY(bytes.indexOf("\"method\": \"tools/call\"") < bytes.indexOf("\"params\"", second));
    QVERIFY(bytes.indexOf("\"timeoutMs\"") < bytes.indexOf("\"expect\""));
    QVERIFY(bytes.endsWith("}\n"));
}

void TstCollection::savesAndLoadsAFile()
{
    QTemporaryDir dir;
    ParseProblem problem;
    const Collection c = *parseCollection(kExample, &problem);
    const QString path = dir.filePath(QStringLiteral("c.json"));
    QString error;
    QVERIFY(saveCollection(path, c, &error));
    const std::optional<Collection> loaded = loadCollection(path, &problem);
    QVERIFY2(loaded, qPrintable(problem.toString()));
    QVERIFY(*loaded == c);
    QVERIFY(!loadCollection(dir.filePath(QStringLiteral("missing.json")), &problem));
    QVERIFY(
        problem.toString().startsWith(dir.filePath(QStringLiteral("missing.json")) + QStringLiteral(": ")));
}

void TstCollection::refusesWithWhereAndWhy_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("broken JSON: line and column")
        << QByteArray("{\n  \"format\": \"mcpwb-collection\",\n  x\n}") << QStringLiteral(":3:3: not JSON");
    QTest::newRow("not a collection") << QByteArray(R"({"format": "other", "version": 1})")
                                      << QStringLiteral("/format: not \"mcpwb-collection\"");
    QTest::newRow("newer version") << QByteArray(R"({"format": "mcpwb-collection", "version": 2})")
                                   << QStringLiteral("/version: not a version this mcpwb reads");
    QTest::newRow("unknown member") << withRequest(R"({"id": "b", "method": "x", "expct": {}})")
                                    << QStringLiteral("/requests/1/expct: unknown member");
    QTest::newRow("typo in expect") << withRequest(R"({"id": "b", "method": "x", "expect": {"equal": {}}})")
                                    << QStringLiteral("/requests/1/expect/equal: unknown member");
    QTest::newRow("duplicate id") << withRequest(R"({"id": "a", "method": "x"})")
                                  << QStringLiteral("/requests/1/id: \"a\" is used twice");
    QTest::newRow("bad id") << withRequest(R"({"id": "a b", "method": "x"})")
                            << QStringLiteral("/requests/1/id: not an id");
    QTest::newRow("no method") << withRequest(R"({"id": "b"})")
                               << QStringLiteral("/requests/1/method: no method");
    QTest::newRow("params not an object") << withRequest(R"({"id": "b", "method": "x", "params": []})")
                                          << QStringLiteral("/requests/1/params: not an object");
    QTest::newRow("later step") << withRequest(
                                       R"({"id": "b", "method": "x", "params": {"v": "${step:c/x}"}})")
                                << QStringLiteral("no earlier request has the id \"c\"");
    QTest::newRow("own step") << withRequest(R"({"id": "b", "method": "x", "params": {"v": "${step:b}"}})")
                              << QStringLiteral("/requests/1/params: ${step:b}: no earlier request");
    QTest::newRow("step in expected value")
        << withRequest(R"({"id": "b", "method": "x", "expect": {"equals": {"/x": "${step:z}"}}})")
        << QStringLiteral("/requests/1/expect/equals: ${step:z}");
    QTest::newRow("malformed reference")
        << withRequest(R"({"id": "b", "method": "x", "params": {"v": "${envX}"}})")
        << QStringLiteral("is not ${env:NAME} or ${step:ID/pointer}");
    QTest::newRow("unclosed reference")
        << withRequest(R"({"id": "b", "method": "x", "params": {"v": "${env:A"}})")
        << QStringLiteral("is not ${env:NAME}");
    QTest::newRow("bad pointer")
        << withRequest(R"({"id": "b", "method": "x", "expect": {"equals": {"x": 1}}})")
        << QStringLiteral("/requests/1/expect/equals/x: \"x\" is not a JSON pointer");
    QTest::newRow("bad pattern") << withRequest(
                                        R"({"id": "b", "method": "x", "expect": {"matches": {"/x": "("}}})")
                                 << QStringLiteral("/requests/1/expect/matches/~1x: not a valid pattern");
    QTest::newRow("pattern not a string")
        << withRequest(R"({"id": "b", "method": "x", "expect": {"matches": {"/x": 1}}})")
        << QStringLiteral("not a pattern");
    QTest::newRow("error not a code")
        << withRequest(R"({"id": "b", "method": "x", "expect": {"error": "boom"}})")
        << QStringLiteral("/requests/1/expect/error: not a JSON-RPC error code");
    QTest::newRow("error and toolError")
        << withRequest(R"({"id": "b", "method": "x", "expect": {"error": 1, "toolError": true}})")
        << QStringLiteral("cannot both be expected");
    QTest::newRow("latency") << withRequest(R"({"id": "b", "method": "x", "expect": {"maxLatencyMs": 0}})")
                             << QStringLiteral("/requests/1/expect/maxLatencyMs: not a positive integer");
    QTest::newRow("timeout") << withRequest(R"({"id": "b", "method": "x", "timeoutMs": 1e9})")
                             << QStringLiteral("/requests/1/timeoutMs");
    QTest::newRow("not an object") << QByteArray("[]") << QStringLiteral("(the document): not a JSON object");
}

void TstCollection::refusesWithWhereAndWhy()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const QString message = refusalOf(text).toString();
    QVERIFY2(message.contains(expected), qPrintable(message));
}

void TstCollection::limitsAreKept()
{
    Limits limits;
    limits.maxRequests = 2;
    limits.maxChecksPerRequest = 2;
    ParseProblem problem;
    QByteArray three = R"({"format": "mcpwb-collection", "version": 1, "requests": [)";
    for (int i = 0; i < 3; ++i)
        three +=
            QByteArray(i ? "," : "") + R"({"id": "r)" + QByteArray::number(i) + R"(", "method": "ping"})";
    QVERIFY(!parseCollection(three + "]}", &problem, limits));
    QVERIFY2(problem.toString().contains(QStringLiteral("more than 2 requests")),
             qPrintable(problem.toString()));
    QVERIFY(
        !parseCollection(withRequest(R"({"id": "b", "method": "x", "expect": {"equals": {"/a": 1, "/b": 2},
                                            "matches": {"/c": "x"}}})"),
                         &problem, limits));
    QVERIFY2(problem.toString().contains(QStringLiteral("more than 2 checks")),
             qPrintable(problem.toString()));
    limits.maxFileBytes = 10;
    QVERIFY(!parseCollection(kExample, &problem, limits));
    QVERIFY(problem.toString().contains(QStringLiteral("larger than 10 bytes")));
    // nesting a recursive reader would not survive
    QVERIFY(!parseCollection(QByteArray(100000, '['), &problem));
    QVERIFY(problem.toString().contains(QStringLiteral("not JSON")));
}

void TstCollection::referencesAreResolved()
{
    const QHash<QString, Json> answers{
        {QStringLiteral("list"), Json::parse(R"({"tools": [{"name": "echo"}], "n": 7})")}};
    QString problem;
    const Json params = Json::parse(R"({"name": "${step:list/tools/0/name}", "count": "${step:list/n}",
        "text": "n=${step:list/n}, token ${env:TOKEN}", "literal": "$${env:TOKEN}", "whole": "${step:list}",
        "list": ["${env:TOKEN}", 3]})");
    const std::optional<Json> out =
        substitute(params, env({{QStringLiteral("TOKEN"), QStringLiteral("s3")}}), answers, &problem);
    QVERIFY2(out, qPrintable(problem));
    QCOMPARE((*out)["name"], Json("echo"));
    QCOMPARE((*out)["count"], Json(7)); // exactly one reference: its type kept
    QCOMPARE((*out)["text"], Json("n=7, token s3"));
    QCOMPARE((*out)["literal"], Json("${env:TOKEN}"));
    QCOMPARE((*out)["whole"], answers.value(QStringLiteral("list")));
    QCOMPARE((*out)["list"], Json::parse(R"(["s3", 3])"));

    QVERIFY(!substitute(Json("${env:MISSING}"), env({}), answers, &problem));
    QCOMPARE(problem, QStringLiteral("${env:MISSING}: MISSING is not set in the environment"));
    QVERIFY(!substitute(Json("${step:list/tools/9}"), env({}), answers, &problem));
    QCOMPARE(problem, QStringLiteral("${step:list/tools/9}: nothing at /tools/9 in the answer of list"));
    QVERIFY(!substitute(Json("${step:gone}"), env({}), answers, &problem));
    QVERIFY(problem.contains(QStringLiteral("request gone has no answer")));
    QVERIFY(!substitute(Json("${step:list/~9}"), env({}), answers, &problem));
    QVERIFY(problem.contains(QStringLiteral("is not a JSON pointer")));

    // a large answer referenced many times stays within the bound
    const QHash<QString, Json> big{{QStringLiteral("b"), Json(std::string(1 << 20, 'x'))}};
    Json many = Json::array();
    for (int i = 0; i < 20; ++i)
        many.push_back("${step:b}");
    QVERIFY(!substitute(many, env({}), big, &problem, 4 << 20));
    QVERIFY(problem.contains(QStringLiteral("more than")));

    const QList<Reference> refs = findReferences(params);
    QCOMPARE(refs.size(), 6); // the escaped one is not a reference
}

void TstCollection::expectationsAreChecked()
{
    Expectation e;
    e.equals = {{QStringLiteral("/content/0/text"), Json("five")}};
    e.matches = {{QStringLiteral("/content/0/text"), QStringLiteral("^fi")}};
    const Json result = Json::parse(R"({"content": [{"type": "text", "text": "five"}],
                                        "structuredContent": {"n": 5}})");
    QVERIFY(check(e, ok(result), 10, std::nullopt).isEmpty());

    e.equals = {{QStringLiteral("/content/0"), Json::parse(R"({"type": "text", "text": "six"})")}};
    e.matches = {{QStringLiteral("/content/0/text"), QStringLiteral("^six$")},
                 {QStringLiteral("/missing"), QStringLiteral("x")}};
    e.maxLatencyMs = 5;
    QList<Failure> failures = check(e, ok(result), 10, std::nullopt);
    QCOMPARE(failures.size(), 4);
    QCOMPARE(failures[0].check, QStringLiteral("equals /content/0"));
    QCOMPARE(failures[0].diff.size(), 1);
    QCOMPARE(failures[0].diff[0].path, QStringLiteral("/content/0/text")); // from the answer's root
    QVERIFY2(failures[0].toString().contains(QStringLiteral("changed /content/0/text: \"six\" -> \"five\"")),
             qPrintable(failures[0].toString()));
    QVERIFY(failures[1].message.contains(QStringLiteral("does not match /^six$/")));
    QVERIFY(failures[2].message.startsWith(QStringLiteral("nothing at /missing")));
    QCOMPARE(failures[3].check, QStringLiteral("maxLatencyMs"));

    // success is expected unless an error is
    const Reply rpcError{
        nullptr, makeError(Error::Category::Rpc, QStringLiteral("x"), QStringLiteral("nope"), -32602)};
    failures = check(Expectation{}, rpcError, 1, std::nullopt);
    QCOMPARE(failures.size(), 1);
    QCOMPARE(failures[0].check, QStringLiteral("success"));
    Expectation wantsError;
    wantsError.errorCode = -32602;
    wantsError.equals = {{QStringLiteral("/message"), Json("nope")}};
    QVERIFY(check(wantsError, rpcError, 1, std::nullopt).isEmpty());
    wantsError.errorCode = -32601;
    QVERIFY(check(wantsError, rpcError, 1, std::nullopt)
                .value(0)
                .message.contains(QStringLiteral("got error -32602")));
    QVERIFY(check(wantsError, ok(result), 1, std::nullopt)
                .value(0)
                .message.contains(QStringLiteral("got success")));

    const Json toolResult = Json::parse(R"({"content": [], "isError": true})");
    const Reply toolError{
        toolResult, makeError(Error::Category::Tool, QStringLiteral("tools/call"), QStringLiteral("no"))};
    QCOMPARE(check(Expectation{}, toolError, 1, std::nullopt).size(), 1);
    Expectation wantsToolError;
    wantsToolError.toolError = true;
    wantsToolError.equals = {{QStringLiteral("/isError"), Json(true)}};
    QVERIFY(check(wantsToolError, toolError, 1, std::nullopt).isEmpty());
    QCOMPARE(check(wantsToolError, ok(result), 1, std::nullopt).size(), 2);
}

void TstCollection::outputSchemaIsChecked()
{
    Expectation e;
    e.outputSchema = true;
    const Json schema =
        Json::parse(R"({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]})");
    QVERIFY(check(e, ok(Json::parse(R"({"structuredContent": {"n": 5}})")), 1, schema).isEmpty());
    QList<Failure> f = check(e, ok(Json::parse(R"({"structuredContent": {"n": "5"}})")), 1, schema);
    QCOMPARE(f.size(), 1);
    QVERIFY2(f[0].message.contains(QStringLiteral("/n")), qPrintable(f[0].message));
    QVERIFY(check(e, ok(Json::parse(R"({"content": []})")), 1, schema)[0].message.contains(
        QStringLiteral("no structuredContent")));
    QVERIFY(check(e, ok(Json::parse(R"({"structuredContent": {}})")), 1, std::nullopt)[0].message.contains(
        QStringLiteral("no outputSchema")));
}

void TstCollection::junitXmlIsWellFormedWhateverTheServerSent()
{
    RunResult run;
    run.collectionName = QStringLiteral("suite <&>");
    run.connection = QStringLiteral("server");
    run.started = QDateTime::fromString(QStringLiteral("2026-01-02T03:04:05Z"), Qt::ISODate);
    run.elapsedMs = 1234;
    StepResult passed;
    passed.status = StepResult::Status::Passed;
    passed.id = QStringLiteral("a");
    passed.label = QStringLiteral("first");
    StepResult failed = passed;
    failed.status = StepResult::Status::Failed;
    failed.id = QStringLiteral("b");
    failed.failures.append(
        Failure(QStringLiteral("equals /x"), QStringLiteral("differs\x01 \"quoted\" ]]>"),
                {JsonChange{JsonChange::Kind::Changed, QStringLiteral("/x"), Json("a\x02"), Json(1)}}));
    StepResult errored = passed;
    errored.status = StepResult::Status::Errored;
    errored.id = QStringLiteral("c");
    errored.error = QStringLiteral("${env:X}: X is not set");
    run.steps = {passed, failed, errored};

    const QByteArray xml = junitXml(run);
    QXmlStreamReader reader(xml);
    int testcases = 0, failures = 0, errors = 0;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement()) {
            testcases += reader.name() == QStringLiteral("testcase");
            failures += reader.name() == QStringLiteral("failure");
            errors += reader.name() == QStringLiteral("error");
            if (reader.name() == QStringLiteral("testsuite")) {
                QCOMPARE(reader.attributes().value(QStringLiteral("name")), QStringLiteral("suite <&>"));
                QCOMPARE(reader.attributes().value(QStringLiteral("failures")), QStringLiteral("1"));
                QCOMPARE(reader.attributes().value(QStringLiteral("errors")), QStringLiteral("1"));
                QCOMPARE(reader.attributes().value(QStringLiteral("time")), QStringLiteral("1.234"));
                QCOMPARE(reader.attributes().value(QStringLiteral("timestamp")),
                         QStringLiteral("2026-01-02T03:04:05"));
            }
            if (reader.name() == QStringLiteral("failure"))
                QVERIFY(reader.readElementText().contains(QStringLiteral("changed /x: \"a\\u0002\" -> 1")));
        }
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    QCOMPARE(testcases, 3);
    QCOMPARE(failures, 1);
    QCOMPARE(errors, 1);
    QVERIFY(!xml.contains('\x01'));

    const QString text = runText(run);
    QVERIFY(text.contains(QStringLiteral("ERROR first (")) &&
            text.contains(QStringLiteral("not sent: ${env:X}")));
    QVERIFY(text.contains(QStringLiteral("3 requests: 1 passed, 1 failed, 1 not sent")));
    QCOMPARE(runJson(run)["steps"][1]["failures"][0]["diff"][0]["expected"], Json("a\x02"));
}

void TstCollection::historyIsRedactedBoundedAndSearchable()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/history.jsonl"));
    RequestHistory history(path, 4096);
    QString error;
    HistoryEntry e;
    e.time = QDateTime::currentDateTimeUtc();
    e.connection = QStringLiteral("everything");
    e.method = QStringLiteral("tools/call");
    e.params = Json::parse(R"({"name": "login", "arguments": {"user": "ada", "password": "hunter2"}})");
    QVERIFY2(history.append(e, &error), qPrintable(error));
    QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    QFile raw(path);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    QVERIFY(!raw.readAll().contains("hunter2"));
    QList<HistoryEntry> entries = history.entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries[0].params["arguments"]["user"], Json("ada"));
    QVERIFY(entries[0].matches(QStringLiteral("LOGIN")));
    QVERIFY(entries[0].matches(QStringLiteral("everything")));
    QVERIFY(!entries[0].matches(QStringLiteral("hunter2")));

    // damaged lines are skipped, not fatal
    QFile append(path);
    QVERIFY(append.open(QIODevice::Append));
    append.write("not json\n{\"time\": 5}\n{\"method\": \"x\"\n");
    append.close();
    QCOMPARE(history.entries().size(), 1);

    // the file stays near its cap, the newest kept
    for (int i = 0; i < 200; ++i) {
        e.method = QStringLiteral("m%1").arg(i);
        QVERIFY(history.append(e, &error));
    }
    QVERIFY(QFileInfo(path).size() <= 4096);
    entries = history.entries();
    QVERIFY(!entries.isEmpty());
    QCOMPARE(entries.last().method, QStringLiteral("m199"));
    QCOMPARE(history.entries(3).size(), 3);

    // an entry too large is kept as a note of its size
    e.params = {{"blob", std::string(RequestHistory::kMaxEntryBytes, 'x')}};
    RequestHistory roomy(dir.filePath(QStringLiteral("big.jsonl")));
    QVERIFY(roomy.append(e, &error));
    QVERIFY(roomy.entries().value(0).params.contains("[not kept]"));
}

void TstCollection::uniqueIdsForSavedRequests()
{
    QCOMPARE(uniqueId(QStringLiteral("tools/call get sum"), {}), QStringLiteral("tools-call-get-sum"));
    QCOMPARE(uniqueId(QStringLiteral("echo"), {QStringLiteral("echo"), QStringLiteral("echo-2")}),
             QStringLiteral("echo-3"));
    QCOMPARE(uniqueId(QString(), {}), QStringLiteral("request"));
}

void TstCollection::appendedRequestsHoldNoLiteralSecret()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("saved.json"));
    QStringList variables;
    QString error;
    const Json params = Json::parse(R"({"name": "login", "arguments": {"user": "ada", "apiKey": "s3cret",
        "nested": {"client_secret": "x", "token": "${env:MINE}"}, "max_tokens": 5}})");
    QVERIFY2(appendRequest(path, QStringLiteral("tools/call"), params, &variables, &error),
             qPrintable(error));
    QVERIFY2(appendRequest(path, QStringLiteral("tools/call"), params, &variables, &error),
             qPrintable(error));
    QVERIFY(appendRequest(path, QStringLiteral("ping"), Json::object(), &variables, &error));
    QCOMPARE(variables, QStringList({QStringLiteral("API_KEY"), QStringLiteral("CLIENT_SECRET")}));
    ParseProblem problem;
    const std::optional<Collection> c = loadCollection(path, &problem);
    QVERIFY2(c, qPrintable(problem.toString()));
    QCOMPARE(c->name, QStringLiteral("saved"));
    QCOMPARE(c->requests.size(), 3);
    QCOMPARE(c->requests[0].id, QStringLiteral("login"));
    QCOMPARE(c->requests[1].id, QStringLiteral("login-2"));
    QCOMPARE(c->requests[2].id, QStringLiteral("ping"));
    QCOMPARE(c->requests[0].params["arguments"], Json::parse(R"({"user": "ada", "apiKey": "${env:API_KEY}",
                 "nested": {"client_secret": "${env:CLIENT_SECRET}", "token": "${env:MINE}"}, "max_tokens": 5})"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("s3cret"));

    // an unreadable collection is not overwritten
    QFile broken(dir.filePath(QStringLiteral("broken.json")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{oops");
    broken.close();
    QVERIFY(!appendRequest(broken.fileName(), QStringLiteral("ping"), Json::object(), &variables, &error));
    QVERIFY2(error.contains(QStringLiteral("not JSON")), qPrintable(error));
    QVERIFY(broken.open(QIODevice::ReadOnly));
    QCOMPARE(broken.readAll(), QByteArray("{oops"));
}

// The runner over an in-process server that answers tools/call with its arguments, and never answers "hang".
void TstCollection::runnerCarriesAnswersAndEndsWithTheSession()
{
    auto *transport = new FakeTransport;
    transport->onSend = [transport](const Json &message) {
        const std::string method = valueOr(message, "method", std::string());
        if (method == "tools/call")
            transport->injectJson(
                {{"jsonrpc", "2.0"},
                 {"id", message["id"]},
                 {"result",
                  {{"content", Json::array()}, {"structuredContent", message["params"]["arguments"]}}}});
        else if (method == "prompts/get")
            transport->injectJson({{"jsonrpc", "2.0"},
                                   {"id", message["id"]},
                                   {"error", {{"code", -32602}, {"message", "no"}}}});
    };
    auto session = std::make_unique<ClientSession>(transport, nullptr);
    QSignalSpy ready(session.get(), &ClientSession::ready);
    session->start();
    QVERIFY(ready.count() == 1 || ready.wait(5000));

    ParseProblem problem;
    const std::optional<Collection> c =
        parseCollection(R"({"format": "mcpwb-collection", "version": 1, "name": "fake",
      "requests": [
        {"id": "first", "method": "tools/call", "params": {"name": "t", "arguments": {"n": 7, "password": "p"}}},
        {"id": "second", "method": "tools/call", "params": {"name": "t", "arguments": {"m": "${step:first/structuredContent/n}"}},
         "expect": {"equals": {"/structuredContent/m": 7, "/structuredContent": {"m": "${step:first/structuredContent/n}"}}}},
        {"id": "refused", "method": "prompts/get", "params": {"name": "x"}, "expect": {"equals": {"/code": -32601}}},
        {"id": "unsent", "method": "tools/call", "params": {"name": "${env:NOPE}"}},
        {"id": "hang", "method": "resources/read", "params": {"uri": "x:"}}
      ]})",
                        &problem);
    QVERIFY2(c, qPrintable(problem.toString()));
    CollectionRunner runner(session.get(), *c, env({}));
    QSignalSpy finished(&runner, &CollectionRunner::finished);
    QSignalSpy started(&runner, &CollectionRunner::stepStarted);
    runner.start(QStringLiteral("fake server"));
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 5, 5000);
    QCOMPARE(finished.count(), 0); // "hang" waits for its answer
    session.reset();               // the connection goes away under it
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);

    const RunResult &run = runner.result();
    QCOMPARE(run.steps.size(), 5);
    QCOMPARE(run.steps[0].status, StepResult::Status::Passed);
    QCOMPARE(run.steps[0].params["arguments"]["password"], Json("[redacted]")); // reports carry no secret
    QCOMPARE(run.steps[1].status, StepResult::Status::Passed);
    QCOMPARE(run.steps[1].params["arguments"]["m"], Json(7));
    QCOMPARE(run.steps[2].status, StepResult::Status::Failed); // an error, and the wrong code
    QCOMPARE(run.steps[2].failures.size(), 2);
    QCOMPARE(run.steps[2].failures[1].diff.value(0).path, QStringLiteral("/code"));
    QCOMPARE(run.steps[3].status, StepResult::Status::Errored);
    QVERIFY(run.steps[3].error.contains(QStringLiteral("NOPE is not set")));
    QCOMPARE(run.steps[4].status, StepResult::Status::Errored);
    QVERIFY(run.steps[4].error.contains(QStringLiteral("connection was closed")));
    QVERIFY(!run.passed());
    QCOMPARE(run.connection, QStringLiteral("fake server"));
}

QTEST_GUILESS_MAIN(TstCollection)
#include "tst_collection.moc"
