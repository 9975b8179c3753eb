// `mcpwb --audit DIR` and `mcpwb audit verify` as processes, against mcpwb's own demo server over stdio: the
// session's connect, request, frames and disconnect are chained in DIR with the arguments' secrets masked;
// verify exits 0 on the untouched file, 12 with the place and reason on an edited, deleted or reordered
// one, and 1 on a file it cannot read.
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr char kCallArguments[] = R"({"city":"Lisbon","api_key":"SECRET-cli-key"})";

QList<QByteArray> linesOf(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = f.readAll().split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

bool writeLines(const QString &path, const QList<QByteArray> &lines)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    for (const QByteArray &line : lines)
        f.write(line + '\n');
    return true;
}

QString describe(const testsupport::CliRun &r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(r.exitCode)
        .arg(QString::fromUtf8(r.out), QString::fromUtf8(r.err));
}

} // namespace

class TestCliAudit : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_day; // the audit file of one recorded session

    using Run = testsupport::CliRun;

    Run verify(const QString &file)
    {
        return testsupport::runMcpwb({QStringLiteral("audit"), QStringLiteral("verify"), file});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        const QString server =
            QLatin1Char('"') + testsupport::mcpwbBinary() + QStringLiteral("\" demo-server");
        const QString dir = m_tmp.filePath(QStringLiteral("audit"));
        const Run r = testsupport::runMcpwb(
            {QStringLiteral("--stdio"), server, QStringLiteral("--audit"), dir, QStringLiteral("tools"),
             QStringLiteral("call"), QStringLiteral("get_forecast"), QString::fromLatin1(kCallArguments)},
            20000);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList days = QDir(dir).entryList({QStringLiteral("*.jsonl")}, QDir::Files);
        QCOMPARE(days.size(), 1);
        m_day = QDir(dir).filePath(days.first());
    }

    void sessionIsChainedWithoutSecrets()
    {
        QFile f(m_day);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(!text.contains("SECRET-cli-key"), text.constData());
        const QList<QByteArray> lines = linesOf(m_day);
        QVERIFY(lines.size() >= 6); // connect, discovery frames, the request, its frames, disconnect
        QVERIFY(lines.first().contains(R"("event":"connect")"));
        QVERIFY(lines.last().contains(R"("event":"disconnect")"));
        QVERIFY(text.contains(R"("event":"request","detail":{"method":"tools/call")"));
        QVERIFY(text.contains(R"("kind":"frame")"));
        const Run r = verify(m_day);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.startsWith(QStringLiteral("intact: %1 entries").arg(lines.size()).toUtf8()),
                 qPrintable(describe(r)));
    }

    void changedFileIsReportedWithPlaceAndReason_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("expected");
        QTest::newRow("edited") << QStringLiteral("edit") << QStringLiteral(":2 (seq 2): edited: ");
        QTest::newRow("deleted") << QStringLiteral("delete") << QStringLiteral(":2 (seq 3): deleted: ");
        QTest::newRow("reordered") << QStringLiteral("swap") << QStringLiteral(":2 (seq 3): reordered: ");
    }
    void changedFileIsReportedWithPlaceAndReason()
    {
        QFETCH(QString, change);
        QFETCH(QString, expected);
        QList<QByteArray> lines = linesOf(m_day);
        if (change == QStringLiteral("edit"))
            lines[1].replace("\"bytes\":", "\"bytes\":1");
        else if (change == QStringLiteral("delete"))
            lines.removeAt(1);
        else
            lines.swapItemsAt(1, 2);
        const QString changed = m_tmp.filePath(change + QStringLiteral(".jsonl"));
        QVERIFY(writeLines(changed, lines));
        const Run r = verify(changed);
        QVERIFY2(r.exitCode == 12, qPrintable(describe(r)));
        QVERIFY2(r.err.contains((changed + expected).toUtf8()), qPrintable(describe(r)));
    }

    void unreadableFileIsAUsageError()
    {
        const Run r = verify(m_tmp.filePath(QStringLiteral("absent.jsonl")));
        QVERIFY2(r.exitCode == 1 && r.err.contains("absent.jsonl: unreadable"), qPrintable(describe(r)));
        const Run none = testsupport::runMcpwb({QStringLiteral("audit"), QStringLiteral("verify")});
        QVERIFY2(none.exitCode == 1 && none.err.contains("usage: mcpwb audit verify"),
                 qPrintable(describe(none)));
    }
};

QTEST_GUILESS_MAIN(TestCliAudit)
#include "tst_cliaudit.moc"
