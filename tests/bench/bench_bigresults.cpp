// Big tool results in the real window: a stdio server of our own (bigresult-server.cjs, pinned Node 22)
// answers one ~64 MB text result and one ~64 MB structuredContent of ~1.2 million small objects. For each,
// measured: Send to first paint of the result, frame recorded to first paint, the longest event-loop stall
// (a 5 ms heartbeat), resident-memory growth (/proc/self/status), and what closing the result and clearing
// the traffic gives back; the same call through `mcpwb` is the baseline. Run (see RESULTS.md):
// QT_QPA_PLATFORM=offscreen build/tests/bench/bench_bigresults [--mb 64] [--only big_text|big_structured]
#include "composer/composer.h"
#include "composer/resultview.h"
#include "connections/connection.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/toolspane.h"
#include "mainwindow.h"
#include "stallwatchdog.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "traffic/redaction.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <functional>
#include <malloc.h>

namespace {

qint64 statusKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    return -1;
}
qint64 rssMb()
{
    return statusKb("VmRSS:") / 1024;
}
qint64 peakMb()
{
    return statusKb("VmHWM:") / 1024;
}
void resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

// Timestamps the first paint of a widget inside `area` after arm().
class PaintClock : public QObject
{
public:
    explicit PaintClock(QWidget *area) : m_area(area) { qApp->installEventFilter(this); }
    void arm(const QElapsedTimer *clock)
    {
        m_clock = clock;
        m_paintedAt = -1;
    }
    qint64 paintedAt() const { return m_paintedAt; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (m_clock && m_paintedAt < 0 && event->type() == QEvent::Paint && watched->isWidgetType() &&
            m_area->isAncestorOf(static_cast<QWidget *>(watched)))
            m_paintedAt = m_clock->elapsed();
        return false;
    }

private:
    QWidget *m_area;
    const QElapsedTimer *m_clock = nullptr;
    qint64 m_paintedAt = -1;
};

// QTest::qWaitFor sleeps 10 ms between event-loop passes, and the stdio transport reads one 64 KiB chunk
// per pass: a 64 MB answer would take 10 s to arrive. An event loop polls the predicate without sleeping.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    poll.start(5);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!done())
        loop.exec();
    return done();
}
void settle(int ms)
{
    waitFor([] { return false; }, ms);
}

QString serverScript()
{
    return QStringLiteral(MCPWB_BENCH_DIR "/bigresult-server.cjs");
}

// Wall time of one `mcpwb` run against the server, its output thrown away.
qint64 mcpwbMs(const QStringList &command, int megabytes, int *exitCode)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BIG_MB"), QString::number(megabytes));
    p.setProcessEnvironment(env);
    p.setStandardOutputFile(QProcess::nullDevice());
    const QString server = QStringLiteral("\"%1\" \"%2\"").arg(testsupport::nodeBinary(), serverScript());
    QElapsedTimer clock;
    clock.start();
    p.start(testsupport::mcpwbBinary(), QStringList{QStringLiteral("--stdio"), server} + command);
    p.waitForFinished(300000);
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return clock.elapsed();
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    int megabytes = 64;
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--mb")); at >= 0)
        megabytes = args.value(at + 1).toInt();
    qputenv("BIG_MB", QByteArray::number(megabytes));
    QStringList tools = {QStringLiteral("big_text"), QStringLiteral("big_structured")};
    if (const qsizetype at = args.indexOf(QStringLiteral("--only")); at >= 0)
        tools = {args.value(at + 1)};

    printf("payloads of about %d MB; mcpwb baseline (output to /dev/null):\n", megabytes);
    int exitCode = 0;
    const qint64 listMs = mcpwbMs({QStringLiteral("tools"), QStringLiteral("list")}, megabytes, &exitCode);
    printf("  mcpwb tools list (start, server build, initialize): %lld ms, exit %d\n", listMs, exitCode);
    for (const QString &tool : tools) {
        const qint64 ms =
            mcpwbMs({QStringLiteral("tools"), QStringLiteral("call"), tool}, megabytes, &exitCode);
        printf("  mcpwb tools call %s: %lld ms (%lld ms over tools list), exit %d\n", qPrintable(tool), ms,
               ms - listMs, exitCode);
    }

    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("bench.ini")), QSettings::IniFormat);
    mcpui::MainWindow window(&settings);
    window.resize(1500, 950);
    window.show();
    mcpui::ConnectionProfile profile;
    profile.name = QStringLiteral("big results");
    profile.command = testsupport::nodeBinary();
    profile.arguments = {serverScript()};
    mcpui::Connection *connection = window.addConnection(profile);
    window.selectConnection(connection);
    connection->open();
    mcpui::ToolsPane *pane = window.pageFor(connection)->tools();
    if (!waitFor([&] { return pane->model()->rowCount() == 2; }, 120000)) {
        qCritical("the tools did not arrive");
        return 1;
    }
    mcp::Recorder *recorder = connection->recorder();
    PaintClock paints(pane->resultView());
    bool ok = true;
    for (const QString &tool : tools) {
        pane->selectTool(tool);
        settle(200);
        malloc_trim(0);
        const qint64 rssBefore = rssMb();
        resetPeak();
        QElapsedTimer clock;
        qint64 recordedAt = -1;
        qsizetype frameBytes = 0;
        const auto hook = QObject::connect(recorder, &mcp::Recorder::frameRecorded, [&](int index) {
            if (recorder->at(index).bytes.size() > 1024 * 1024) {
                recordedAt = clock.elapsed();
                frameBytes = recorder->at(index).bytes.size();
                paints.arm(&clock);
            }
        });
        StallWatchdog watchdog;
        watchdog.start();
        clock.start();
        pane->composer()->sendButton()->click();
        const bool shown =
            waitFor([&] { return paints.paintedAt() >= 0 && !pane->composer()->cancelButton()->isVisible(); },
                    300000);
        settle(3000); // what follows the first screen
        const qint64 stall = watchdog.stop();
        QObject::disconnect(hook);
        const qint64 rssShown = rssMb();
        const qint64 peak = peakMb();
        QElapsedTimer trimClock;
        trimClock.start();
        malloc_trim(0); // what glibc keeps of freed small blocks (the parsed result's nodes) without a trim
        const qint64 trimMs = trimClock.elapsed();
        const qint64 rssTrimmed = rssMb();
        // The GUI thread's work before the result reaches the view, timed again on the recorded bytes.
        qint64 parseMs = 0;
        qint64 redactMs = 0;
        bool parsedOk = false;
        {
            const QByteArray frame = recorder->at(recorder->size() - 1).bytes;
            QElapsedTimer step;
            step.start();
            parsedOk = mcp::jsonrpc::parse(frame).ok();
            parseMs = step.restart();
            mcp::redaction::redactBody(frame);
            redactMs = step.elapsed();
        }
        pane->resultView()->clear();
        recorder->clear();
        settle(500);
        malloc_trim(0);
        const qint64 rssClosed = rssMb();
        printf("%s: frame %.1f MB; %s\n", qPrintable(tool), frameBytes / 1e6,
               shown ? "shown" : "NOT SHOWN in 300 s");
        printf("  Send -> frame recorded %lld ms, -> first paint %lld ms (%lld ms after the frame was "
               "recorded)\n",
               recordedAt, paints.paintedAt(), paints.paintedAt() - recordedAt);
        printf("  of the GUI thread's work before the view: parse %lld ms (%s), audit redaction %lld ms\n",
               parseMs, parsedOk ? "ok" : "failed", redactMs);
        printf("  longest event-loop stall %lld ms (Send to 3 s after the first paint)\n", stall);
        printf("  RSS %lld MB before, %lld MB shown (+%lld MB, %.1fx the frame), peak %lld MB (+%lld MB, "
               "%.1fx); %lld MB after a malloc_trim of %lld ms; after closing it and clearing the traffic "
               "%lld MB (+%lld "
               "MB)\n",
               rssBefore, rssShown, rssShown - rssBefore, (rssShown - rssBefore) * 1048576.0 / frameBytes,
               peak, peak - rssBefore, (peak - rssBefore) * 1048576.0 / frameBytes, rssTrimmed, trimMs,
               rssClosed, rssClosed - rssBefore);
        const bool met = shown && paints.paintedAt() - recordedAt < 1000 && stall < 100 &&
                         (rssShown - rssBefore) * 1048576.0 <= 3.0 * frameBytes;
        printf("  %s (targets: first paint < 1 s after arrival, stall < 100 ms, growth <= 3x)\n",
               met ? "PASS" : "FAIL");
        ok = ok && met;
    }
    window.close();
    settle(500);
    return ok ? 0 : 1;
}
