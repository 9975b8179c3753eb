// The audit trail (core/audit, issue 13): entries written by AuditLog chain by hash within a day and across
// days; the verifier finds an edited, deleted, inserted or reordered entry, and a day cut short, at the
// entry where it happened; nothing secret is written in clear; hostile files give a verdict, never a crash.
#include "audit/auditentry.h"
#include "audit/auditlog.h"
#include "audit/auditverify.h"
#include "traffic/recorder.h"
#include "traffic/redaction.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace mcp;
using namespace mcp::audit;
using Problem = Verdict::Problem;

namespace {

const QDateTime kDayOne(QDate(2026, 12, 6), QTime(23, 59, 0), QTimeZone::utc());
const QDateTime kDayTwo(QDate(2026, 12, 7), QTime(0, 1, 0), QTimeZone::utc());

QList<QByteArray> linesOf(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = f.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

void writeLines(const QString &path, const QList<QByteArray> &lines)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    for (const QByteArray &line : lines)
        f.write(line + '\n');
}

// The entry's JSON without its hash member.
Json contentOf(const QByteArray &line)
{
    const QByteArray canonical = canonicalOf(line);
    return Json::parse(canonical.toStdString());
}

// Literals stay out of the class body: moc drops slots after a raw string literal with quotes.
constexpr char kUnfinishedEntry[] = R"({"seq":6,"time":"2026-12-06T23:59:00.000Z","kind":"fra)";
constexpr char kCallWithKey[] = R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"fetch",)"
                                R"("arguments":{"api_key":"SECRET-frame-key","url":"https://example.org"}}})";
constexpr char kTokenResult[] =
    R"({"jsonrpc":"2.0","id":7,"result":{"access_token":"SECRET-token","token_type":"Bearer"}})";
constexpr char kBigHead[] = R"({"jsonrpc":"2.0","method":"notifications/message","params":{"data":")";
constexpr char kBigTail[] = R"("}})";
constexpr char kMethodInClear[] = R"("method":"tools/call")";
constexpr char kInnocuousInClear[] = R"("token_type\":\"Bearer\")";

} // namespace

class TstAudit : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path; // five entries, seq 1..5, written fresh for each test

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).removeRecursively();
        AuditLog log(m_dir.path());
        log.setClock([] { return kDayOne; });
        for (int i = 1; i <= 5; ++i)
            QVERIFY(log.action(QStringLiteral("demo"), QStringLiteral("call"),
                               {{"tool", "step" + std::to_string(i)}}));
        m_path = log.currentPath();
        QCOMPARE(QFileInfo(m_path).fileName(), QStringLiteral("2026-12-06.jsonl"));
    }

    void intactChainVerifies()
    {
        const QList<QByteArray> lines = linesOf(m_path);
        QCOMPARE(lines.size(), 5);
        QCOMPARE(contentOf(lines[0])["prev"], kGenesis);
        for (int i = 1; i < 5; ++i) {
            QCOMPARE(contentOf(lines[i])["seq"], i + 1);
            QCOMPARE(QByteArray::fromStdString(contentOf(lines[i])["prev"]),
                     hashOf(canonicalOf(lines[i - 1])));
        }
        const Verdict v = verifyFiles({m_path});
        QVERIFY2(v.intact(), qPrintable(v.toString()));
        QCOMPARE(v.entries, 5);
        QCOMPARE(v.lastSeq, 5);
        QCOMPARE(v.lastHash, hashOf(canonicalOf(lines[4])));
    }

    void editIsFoundAtTheEditedEntry()
    {
        QList<QByteArray> lines = linesOf(m_path);
        lines[2].replace("step3", "step9");
        writeLines(m_path, lines);
        const Verdict v = verifyFiles({m_path});
        QCOMPARE(v.problem, Problem::Edited);
        QCOMPARE(v.line, 3);
        QCOMPARE(v.seq, 3);
        QVERIFY(
            v.toString().contains(m_path + QStringLiteral(":3 (seq 3): edited: its hash does not match")));
    }

    void editWithItsHashRecomputedIsFoundAtTheEditedEntry()
    {
        QList<QByteArray> lines = linesOf(m_path);
        lines[2] = sealed(canonicalOf(lines[2]).replace("step3", "step9"));
        writeLines(m_path, lines);
        const Verdict v = verifyFiles({m_path});
        QCOMPARE(v.problem, Problem::Edited);
        QCOMPARE(v.line, 3);
        QVERIFY2(v.reason.contains(QStringLiteral(":4) links to another")), qPrintable(v.reason));
    }

    void deletionIsFoundWhereTheEntryWas()
    {
        QList<QByteArray> lines = linesOf(m_path);
        lines.removeAt(2);
        writeLines(m_path, lines);
        const Verdict v = verifyFiles({m_path});
        QCOMPARE(v.problem, Problem::Deleted);
        QCOMPARE(v.line, 3);
        QCOMPARE(v.seq, 4);
        QCOMPARE(v.reason, QStringLiteral("entries 3 to 3 are missing before this one"));
    }

    void forgedInsertionIsFoundAtTheInsertedEntry()
    {
        // The strongest forgery short of rewriting the rest: right sequence, linked to the entry before,
        // its own hash correct.
        QList<QByteArray> lines = linesOf(m_path);
        Json forged = contentOf(lines[2]);
        forged["detail"]["tool"] = "forged";
        lines.insert(2, sealed(dumpCompact(forged)));
        writeLines(m_path, lines);
        const Verdict v = verifyFiles({m_path});
        QCOMPARE(v.problem, Problem::Inserted);
        QCOMPARE(v.line, 3);
        QCOMPARE(v.seq, 3);
    }

    void copiedEntryIsFoundAsInserted()
    {
        QList<QByteArray> lines = linesOf(m_path);
        lines.insert(3, lines[0]);
        writeLines(m_path, lines);
        const Verdict v = verifyFiles({m_path});
        QCOMPARE(v.problem, Problem::Inserted);
        QCOMPARE(v.line, 4);
        QVERIFY(v.reason.contains(QStringLiteral("a copy of the entry at ") + m_path + QStringLiteral(":1")));
    }

    void swapIsFoundAsReordered()
    {
        QList<QByteArray> lines = linesOf(m_path);
        lines.swapItemsAt(2, 3);
        writeLines(m_path, lines);
        const Verdict v = verifyFiles({m_path});
        QCOMPARE(v.problem, Problem::Reordered);
        QCOMPARE(v.line, 3);
        QCOMPARE(v.seq, 4);
        QVERIFY(v.reason.contains(QStringLiteral("entry 3, which belongs here, is at ") + m_path + ":4"));
    }

    void entryMovedBackIsFoundAsReordered()
    {
        QList<QByteArray> lines = linesOf(m_path);
        lines.move(4, 1); // seq 5 now second
        writeLines(m_path, lines);
        const Verdict v = verifyFiles({m_path});
        QCOMPARE(v.problem, Problem::Reordered);
        QCOMPARE(v.line, 2);
        QCOMPARE(v.seq, 5);
    }

    void nextDayLinksBackAndShowsATruncatedDay()
    {
        AuditLog log(m_dir.path());
        log.setClock([] { return kDayTwo; });
        QVERIFY(log.action(QStringLiteral("demo"), QStringLiteral("connect")));
        QVERIFY(log.action(QStringLiteral("demo"), QStringLiteral("disconnect")));
        const QString dayTwo = log.currentPath();
        QVERIFY(dayTwo != m_path);
        const Json first = contentOf(linesOf(dayTwo)[0]);
        QCOMPARE(first["seq"], 6); // the sequence runs on across days
        QCOMPARE(QByteArray::fromStdString(first["prev"]), hashOf(canonicalOf(linesOf(m_path)[4])));
        QVERIFY(verifyFiles({m_path, dayTwo}).intact());

        // The day before loses its last entry: from its own file, nothing shows it; the next day does.
        QList<QByteArray> lines = linesOf(m_path);
        lines.removeLast();
        writeLines(m_path, lines);
        const Verdict alone = verifyFiles({m_path});
        QVERIFY(alone.intact());
        QCOMPARE(alone.lastSeq, 4); // what a kept copy of the last hash would show
        const Verdict both = verifyFiles({m_path, dayTwo});
        QCOMPARE(both.problem, Problem::Truncated);
        QCOMPARE(both.file, dayTwo);
        QCOMPARE(both.line, 1);
        QVERIFY2(both.reason.contains(QStringLiteral("entries 5 to 5 are missing")), qPrintable(both.reason));
    }

    void unfinishedLastLineIsIgnoredThenCutOff()
    {
        {
            QFile f(m_path);
            QVERIFY(f.open(QIODevice::Append));
            f.write(kUnfinishedEntry); // a crash mid-entry
        }
        const Verdict crashed = verifyFiles({m_path});
        QVERIFY2(crashed.intact(), qPrintable(crashed.toString()));
        QCOMPARE(crashed.incompleteLines, 1);
        AuditLog log(m_dir.path());
        log.setClock([] { return kDayOne; });
        QVERIFY(log.action(QStringLiteral("demo"), QStringLiteral("connect")));
        const Verdict resumed = verifyFiles({m_path});
        QVERIFY2(resumed.intact(), qPrintable(resumed.toString()));
        QCOMPARE(resumed.entries, 6);
        QCOMPARE(resumed.incompleteLines, 0);
    }

    void writersSharingADirectoryKeepOneChain()
    {
        AuditLog first(m_dir.path());
        AuditLog second(m_dir.path());
        first.setClock([] { return kDayOne; });
        second.setClock([] { return kDayOne; });
        for (int i = 0; i < 3; ++i) {
            QVERIFY(first.action(QStringLiteral("gui"), QStringLiteral("call")));
            QVERIFY(second.action(QStringLiteral("cli"), QStringLiteral("call")));
        }
        const Verdict v = verifyFiles({m_path});
        QVERIFY2(v.intact(), qPrintable(v.toString()));
        QCOMPARE(v.lastSeq, 11);
    }

    void secretsNeverReachTheFile()
    {
        AuditLog log(m_dir.path());
        log.setClock([] { return kDayOne; });
        Recorder recorder;
        log.watch(&recorder);
        const int c = recorder.addConnection(QStringLiteral("demo"));
        QVERIFY(log.action(QStringLiteral("demo"), QStringLiteral("call"),
                           {{"tool", "fetch"}, {"arguments", {{"api_key", "SECRET-action-key"}}}}));
        recorder.record(c, Direction::Sent, kCallWithKey);
        recorder.record(c, Direction::Received, kTokenResult);
        HttpExchange x;
        x.method = "POST";
        x.url = QUrl(QStringLiteral("https://example.org/mcp?access_token=SECRET-query"));
        x.requestHeaders = {{"Authorization", "Bearer SECRET-authorization"},
                            {"Content-Type", "application/json"}};
        x.status = 200;
        recorder.recordHttp(c, x);

        QFile f(m_path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(!text.contains("SECRET"), text.constData());
        QCOMPARE(text.count(redaction::kMask), 5);
        QVERIFY(text.contains(kMethodInClear));
        QVERIFY(text.contains("Bearer [redacted]"));
        QVERIFY(text.contains(kInnocuousInClear)); // innocuous names stay
        const Verdict v = verifyFiles({m_path});
        QVERIFY2(v.intact(), qPrintable(v.toString()));
        QCOMPARE(v.entries, 9);
    }

    void hugeFrameIsRecordedBySizeAndDigest()
    {
        AuditLog log(m_dir.path());
        log.setClock([] { return kDayOne; });
        Recorder recorder;
        log.watch(&recorder);
        const QByteArray big = kBigHead + QByteArray(1024 * 1024, 'x') + kBigTail;
        recorder.record(recorder.addConnection(QStringLiteral("demo")), Direction::Received, big);
        const QByteArray line = linesOf(m_path).last();
        QVERIFY(line.size() < 1024);
        const Json detail = contentOf(line)["detail"];
        QCOMPARE(detail["bytes"], big.size());
        QCOMPARE(detail["omitted"], true);
        QCOMPARE(QByteArray::fromStdString(detail["sha256"]), hashOf(big));
        QCOMPARE(detail["method"], "notifications/message");
    }

    void hostileFilesGetAVerdict_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("problem");
        QTest::addColumn<int>("line");
        QTest::newRow("empty") << QByteArray() << int(Problem::None) << 0;
        QTest::newRow("not an entry") << QByteArray("hello\nworld\n") << int(Problem::Malformed) << 1;
        QTest::newRow("binary") << QByteArray("\0\xff\x01\n", 4) << int(Problem::Malformed) << 1;
        QTest::newRow("too long") << QByteArray(2 * 1024 * 1024, 'a') << int(Problem::Malformed) << 1;
        QTest::newRow("hash member on an array")
            << QByteArray("[1" + QByteArray(kHashMember) + QByteArray(64, 'a') + "\"}\n")
            << int(Problem::Malformed) << 1;
        QTest::newRow("deep nesting")
            << QByteArray(QByteArray(100000, '[') + kHashMember + QByteArray(64, 'a') + "\"}\n")
            << int(Problem::Malformed) << 1;
    }
    void hostileFilesGetAVerdict()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, problem);
        QFETCH(int, line);
        QBuffer buffer(&bytes);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        const Verdict v = verifyDevice(buffer, QStringLiteral("hostile.jsonl"));
        QCOMPARE(int(v.problem), problem);
        QCOMPARE(v.line, line);
        QVERIFY(!v.toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstAudit)
#include "tst_audit.moc"
