// The conformance harness's results directory read as hostile input, and frames given to scenarios by time.
#include "conformance/serverresults.h"
#include "traffic/recorder.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace mcp::conformance;

namespace {

void write(const QString &dir, const QString &entry, const QByteArray &checks)
{
    QVERIFY(QDir(dir).mkpath(entry));
    QFile f(QDir(dir).filePath(entry + QStringLiteral("/checks.json")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(checks);
}

const QByteArray passing = "[{\"id\":\"ping\",\"name\":\"Ping\",\"description\":\"d\",\"status\":\"SUCCESS\","
                           "  \"timestamp\":\"2026-12-07T14:14:33.330Z\"}]";
const QByteArray failing =
    "[{\"id\":\"tools-call\",\"name\":\"T\",\"description\":\"d\",\"status\":\"FAILURE\","
    "  \"errorMessage\":\"Failed: unknown "
    "tool\",\"specReferences\":[{\"id\":\"x\",\"url\":\"https://spec/x\"}],"
    "  \"details\":{\"a\":1}},{\"id\":\"w\",\"status\":\"WARNING\"},{\"id\":\"i\",\"status\":\"INFO\"},\"not "
    "an object\"]";

const QByteArray notAnArray = "{\"id\":\"x\"}";
const QByteArray longCheckHead = "[{\"id\":\"x\",\"status\":\"FAILURE\",\"errorMessage\":\"";
const QByteArray longCheckMiddle = "\",\"details\":\"";
const QByteArray longCheckTail = "\"}]";
const QByteArray successCheck = "{\"id\":\"c\",\"status\":\"SUCCESS\"}";
const QByteArray pingRequest = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

} // namespace

class TestConformanceResults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsScenariosInTheOrderTheyRan()
    {
        QTemporaryDir dir;
        write(dir.path(), QStringLiteral("server-tools-call-simple-text-2026-12-07T14-14-33-400Z"), failing);
        write(dir.path(), QStringLiteral("server-ping-2026-12-07T14-14-33-328Z"), passing);
        QStringList problems;
        const QList<ScenarioResult> results = readServerResults(dir.path(), &problems);
        QVERIFY(problems.isEmpty());
        QCOMPARE(results.size(), 2);
        QCOMPARE(results[0].scenario, QStringLiteral("ping"));
        QVERIFY(!results[0].failed());
        QCOMPARE(results[1].scenario, QStringLiteral("tools-call-simple-text"));
        QCOMPARE(results[1].checks.size(), 3); // the string is not a check
        QCOMPARE(results[1].count(HarnessCheck::Status::Failure), 1);
        QCOMPARE(results[1].count(HarnessCheck::Status::Warning), 1);
        QCOMPARE(results[1].checks[0].errorMessage, QStringLiteral("Failed: unknown tool"));
        QCOMPARE(results[1].checks[0].specUrls, QStringList{QStringLiteral("https://spec/x")});
        QCOMPARE(results[1].checks[0].details["a"].get<int>(), 1);
        QCOMPARE(results[1].started.toMSecsSinceEpoch() - results[0].started.toMSecsSinceEpoch(), qint64(72));
    }

    void hostileFilesAreProblemsNotCrashes()
    {
        QTemporaryDir dir;
        write(dir.path(), QStringLiteral("server-garbage-2026-12-07T14-14-33-001Z"), "{not json");
        write(dir.path(), QStringLiteral("server-object-2026-12-07T14-14-33-002Z"), notAnArray);
        const QByteArray longText(100000, 'A');
        write(dir.path(), QStringLiteral("server-long-2026-12-07T14-14-33-003Z"),
              longCheckHead + longText + longCheckMiddle + QByteArray(200000, 'b') + longCheckTail);
        write(dir.path(), QStringLiteral("server-huge-2026-12-07T14-14-33-004Z"),
              QByteArray(maxChecksFileBytes + 10, ' '));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("not-a-scenario-dir")));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("server-nochecks-2026-12-07T14-14-33-005Z")));
        QStringList problems;
        const QList<ScenarioResult> results = readServerResults(dir.path(), &problems);
        QCOMPARE(results.size(), 5);
        for (const ScenarioResult &r : results) {
            QVERIFY2(r.failed(), qPrintable(r.scenario));
            if (r.scenario == QStringLiteral("long")) {
                QVERIFY(r.checks[0].errorMessage.size() < maxTextChars + 20);
                QVERIFY(mcp::dumpCompact(r.checks[0].details).size() < maxDetailBytes + 20);
            } else {
                QVERIFY2(!r.problem.isEmpty(), qPrintable(r.scenario));
            }
        }
    }

    void tooManyChecksAreCut()
    {
        QTemporaryDir dir;
        QByteArray many = "[";
        for (int i = 0; i < maxChecksPerScenario + 5; ++i)
            many += QByteArray(i ? "," : "") + successCheck;
        write(dir.path(), QStringLiteral("server-many-2026-12-07T14-14-33-001Z"), many + "]");
        QStringList problems;
        const QList<ScenarioResult> results = readServerResults(dir.path(), &problems);
        QCOMPARE(results.size(), 1);
        QCOMPARE(results[0].checks.size(), maxChecksPerScenario);
        QVERIFY(results[0].problem.contains(QStringLiteral("more than")));
    }

    void framesGoToTheScenarioRunningThen()
    {
        QList<ScenarioResult> scenarios(2);
        scenarios[0].started = QDateTime::fromMSecsSinceEpoch(1000, Qt::UTC);
        scenarios[1].started = QDateTime::fromMSecsSinceEpoch(2000, Qt::UTC);
        mcp::Recorder recorder;
        const int c = recorder.addConnection(QStringLiteral("x"));
        const QByteArray ping = pingRequest;
        recorder.record(c, mcp::Direction::Sent, ping, 500 * 1000);  // before any: the first
        recorder.record(c, mcp::Direction::Sent, ping, 1500 * 1000); // first
        recorder.record(c, mcp::Direction::Sent, ping, 2000 * 1000); // second, from its first ms
        recorder.record(c, mcp::Direction::Sent, ping, 9000 * 1000);
        attributeFrames(&scenarios, recorder);
        QCOMPARE(scenarios[0].frames, (QList<int>{0, 1}));
        QCOMPARE(scenarios[1].frames, (QList<int>{2, 3}));
    }
};

QTEST_GUILESS_MAIN(TestConformanceResults)
#include "tst_conformanceresults.moc"
