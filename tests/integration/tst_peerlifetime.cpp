// No server outlives the process that started it, however that process ends. A test that aborts on a failed
// assertion (or is killed by ctest's timeout) once left its server-everything running for good. Here a holder
// process (this executable with --hold-peers) starts real server-everything peers the three ways tests and
// users do: a PeerProcess (streamable HTTP), the core's StdioTransport, and mcpwb (whose StdioTransport
// starts the server over stdio). Then the holder is killed, and every one of those processes must be gone.
#include "transport/stdiotransport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTest>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <csignal>
#include <testsupport.h>

using namespace mcp;

namespace {

// Running, and not a zombie waiting for a parent that will never reap it.
bool running(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype afterName = line.lastIndexOf(')');
    return afterName > 0 && line.mid(afterName + 2, 1) != "Z";
}

// The children of pid, from each process's /proc status (PPid).
QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 candidate = entry.toLongLong(&numeric);
        QFile status(QStringLiteral("/proc/%1/status").arg(entry));
        if (!numeric || !status.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("PPid:") && line.mid(5).trimmed().toLongLong() == pid)
                children << candidate;
    }
    return children;
}

// The holder: starts the peers, prints their pids on one line, then waits to be killed (a minute at most).
int holdPeers(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    testsupport::PeerProcess http;
    quint16 port = 0;
    if (!http.startEverything(QStringLiteral("streamableHttp"), &port))
        return 3;
    StdioTransport stdio(StdioOptions::fromCommandLine(testsupport::everythingStdioCommand()));
    stdio.open();
    QProcess mcpwb;
    testsupport::endWithTest(mcpwb);
    mcpwb.start(testsupport::mcpwbBinary(),
                {QStringLiteral("--stdio"), testsupport::everythingStdioCommand(), QStringLiteral("watch"),
                 QStringLiteral("--seconds"), QStringLiteral("60")});
    if (!mcpwb.waitForStarted(5000) || stdio.processId() <= 0)
        return 4;
    QList<qint64> mcpwbChildren;
    for (int i = 0; i < 100 && mcpwbChildren.isEmpty(); ++i) { // mcpwb starts its server at once
        QThread::msleep(50);
        mcpwbChildren = childrenOf(mcpwb.processId());
    }
    if (mcpwbChildren.isEmpty())
        return 5;
    QTextStream out(stdout);
    out << "peers " << http.process()->processId() << ' ' << stdio.processId() << ' ' << mcpwb.processId()
        << ' ' << mcpwbChildren.first() << Qt::endl;
    QTimer::singleShot(60000, &app, &QCoreApplication::quit);
    return app.exec();
}

} // namespace

class TestPeerLifetime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedHolderLeavesNoPeer_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGKILL (ctest's timeout, a crash)") << int(SIGKILL);
        QTest::newRow("SIGABRT (a failed assertion)") << int(SIGABRT);
    }

    void killedHolderLeavesNoPeer()
    {
        MCPWB_REQUIRE_PEERS();
        QFETCH(int, signal);
        QProcess holder;
        testsupport::endWithTest(holder);
        holder.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--hold-peers")});
        QVERIFY(holder.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(holder.canReadLine() || holder.state() == QProcess::NotRunning, 30000);
        const QByteArray line = holder.readLine().trimmed();
        QVERIFY2(line.startsWith("peers "),
                 qPrintable(QStringLiteral("holder said \"%1\", exit %2, stderr: %3")
                                .arg(QString::fromUtf8(line))
                                .arg(holder.exitCode())
                                .arg(QString::fromUtf8(holder.readAllStandardError()))));
        QList<qint64> pids;
        for (const QByteArray &pid : line.mid(6).split(' '))
            pids << pid.toLongLong();
        QCOMPARE(pids.size(), 4);
        for (qint64 pid : pids)
            QVERIFY2(running(pid), qPrintable(QStringLiteral("peer %1 is not running").arg(pid)));

        ::kill(pid_t(holder.processId()), signal);
        QVERIFY(holder.waitForFinished(10000));
        for (qint64 pid : pids) {
            QTRY_VERIFY2_WITH_TIMEOUT(
                !running(pid), qPrintable(QStringLiteral("process %1 outlived its holder").arg(pid)), 10000);
        }
    }
};

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "--hold-peers") == 0)
        return holdPeers(argc, argv);
    QCoreApplication app(argc, argv);
    TestPeerLifetime test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_peerlifetime.moc"
