// The real workbench window (offscreen) against tests/support/misbehaving-server over stdio and Streamable
// HTTP: after a correct handshake the server dies, hangs, floods or breaks JSON-RPC on the first tools/list.
// The window shows the problem where the user looks (the connection's error banner or its Log tab), its
// event loop keeps running meanwhile (a timer's ticks never stall for long), its memory grows far less than
// what the server sent, the recorder holds the bytes that arrived, and where the connection survives, a
// later tools/call still gets its answer.
#include "connections/connection.h"
#include "connections/connectionpage.h"
#include "mainwindow.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "workbenchtest.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QTimer>
#include <QtTest>

using namespace mcpui;

namespace {

constexpr int settleMs = 60000; // a case that takes this long has failed
// The longest the event loop may be away: generous, a loaded CI machine is slow, and still far below what a
// blocked window would show (the flood takes seconds to send).
constexpr qint64 maxStallMs = 3000;
constexpr qint64 maxGrowthKb = 400 * 1024;

// This process's peak resident set (VmHWM), in KiB.
qint64 peakRssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Sets the peak back to the current resident set (Linux's clear_refs 5), so that each case measures its own
// peak and not one an earlier case left.
void resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

// Measures the longest gap between ticks of a fast timer: how long the event loop was away.
class StallMeter
{
public:
    StallMeter()
    {
        m_clock.start();
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout,
                         [this] { m_longest = qMax(m_longest, m_clock.restart()); });
        m_timer.start();
    }
    qint64 longestMs() const { return qMax(m_longest, m_clock.elapsed()); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_longest = 0;
};

// The rows of the misbehaviour test (out of the class: moc loses its slots over raw strings with quotes).
void addMisbehaviourRows()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<bool>("http");
    QTest::addColumn<bool>("survives"); // the connection stays up: a later call must answer
    QTest::addColumn<QString>("shown"); // what the banner or the log says, a regular expression
    QTest::addColumn<QByteArray>("arrived");
    for (const bool http : {false, true}) {
        const char *over = http ? "http" : "stdio";
        QTest::addRow("die/%s", over)
            << "die" << http << false
            << (http ? QStringLiteral("Could not list tools") : QStringLiteral("exited with status 3"))
            << QByteArray(R"({"jsonrpc":"2.0","id":)");
        QTest::addRow("hang/%s", over) << "hang" << http << true << QString() << QByteArray();
        QTest::addRow("flood-line/%s", over)
            << "flood-line" << http << http << QStringLiteral("67108864 bytes")
            << QByteArray(R"(,"result":{"pad":"aaaaaaaa)");
        QTest::addRow("flood-notifications/%s", over)
            << "flood-notifications" << http << true << QStringLiteral("flood 199999")
            << QByteArray("flood 199999");
        QTest::addRow("invalid-utf8/%s", over)
            << "invalid-utf8" << http << true << QStringLiteral("\\[protocol\\] .*UTF-8")
            << QByteArray("bad \xff\xfe\xc3\x28 bytes");
        QTest::addRow("unknown-id/%s", over)
            << "unknown-id" << http << true
            << QStringLiteral("\\[protocol\\] .*a response to request 99, which was never sent")
            << QByteArray(R"("id":99)");
        QTest::addRow("malformed-error/%s", over)
            << "malformed-error" << http << true
            << QStringLiteral("Could not list tools: .*\"error\" must be an object")
            << QByteArray(R"("code":"broken")");
    }
}

} // namespace

class TstMisbehavingGui : public QObject
{
    Q_OBJECT

    static QString logText(MainWindow *window, Connection *c)
    {
        return window->pageFor(c)->log()->toPlainText();
    }

    // A received frame, or the body of a recorded HTTP exchange (which keeps what never became a frame: a
    // cut-off answer, an event over the limit), holds bytes.
    static bool recorded(const mcp::Recorder &recorder, const QByteArray &bytes)
    {
        for (qsizetype i = 0; i < recorder.size(); ++i)
            if (recorder.at(i).direction == mcp::Direction::Received && recorder.at(i).bytes.contains(bytes))
                return true;
        for (const auto &http : recorder.httpExchanges())
            if (http.exchange.responseBody.contains(bytes))
                return true;
        return false;
    }

private Q_SLOTS:
    void misbehaviour_data() { addMisbehaviourRows(); }

    void misbehaviour()
    {
        QFETCH(QString, mode);
        QFETCH(bool, http);
        QFETCH(bool, survives);
        QFETCH(QString, shown);
        QFETCH(QByteArray, arrived);

        QProcess server;
        ConnectionProfile profile;
        profile.name = QStringLiteral("misbehaving ") + mode;
        if (http) {
            testsupport::endWithTest(server);
            server.start(QStringLiteral(MISBEHAVING_SERVER_BIN), {mode, QStringLiteral("--http")});
            for (int i = 0; i < 50 && !server.canReadLine(); ++i)
                server.waitForReadyRead(200);
            const QByteArray line = server.readLine().trimmed();
            QVERIFY2(line.startsWith("port "), line.constData());
            profile.kind = ConnectionProfile::Kind::Url;
            profile.url = QStringLiteral("http://127.0.0.1:%1/mcp").arg(QString::fromLatin1(line.mid(5)));
            profile.transport = QStringLiteral("http");
        } else {
            profile.command = QStringLiteral(MISBEHAVING_SERVER_BIN);
            profile.arguments = {mode};
        }

        testsupport::Workbench bench;
        MainWindow *window = bench.show();
        QVERIFY(window);
        resetPeakRss();
        const qint64 peakBefore = peakRssKb();
        StallMeter stalls;
        Connection *c = testsupport::connectTo(window, profile);
        QTRY_VERIFY_WITH_TIMEOUT(c->state() != Connection::State::Connecting &&
                                     c->state() != Connection::State::Initializing,
                                 settleMs);
        QLabel *banner = window->pageFor(c)->errorBanner();
        auto *details = window->pageFor(c)->findChild<QTextBrowser *>(QStringLiteral("toolDetails"));
        const QRegularExpression expected(shown);
        auto isShown = [&] {
            return expected.match(logText(window, c)).hasMatch() ||
                   (banner->isVisible() && expected.match(banner->text()).hasMatch()) ||
                   (details && expected.match(details->toPlainText()).hasMatch());
        };
        if (!shown.isEmpty())
            QTRY_VERIFY2_WITH_TIMEOUT(isShown(), qPrintable(logText(window, c).right(3000)), settleMs);
        if (!arrived.isEmpty())
            QTRY_VERIFY_WITH_TIMEOUT(recorded(*window->recorder(), arrived), settleMs);

        if (survives) {
            QVERIFY2(c->isReady(), qPrintable(c->lastError()));
            bool answered = false;
            c->session()->request(QStringLiteral("tools/call"),
                                  {{"name", "echo"}, {"arguments", mcp::Json::object()}},
                                  [&answered](const mcp::Reply &r) { answered = r.ok(); });
            QTRY_VERIFY_WITH_TIMEOUT(answered, settleMs);
        } else {
            if (c->isReady()) { // over HTTP a dead server is found at the next request
                bool answered = false;
                c->session()->request(QStringLiteral("tools/call"), {{"name", "echo"}},
                                      [&answered](const mcp::Reply &) { answered = true; });
                QTRY_VERIFY_WITH_TIMEOUT(answered, settleMs);
            }
            QTRY_VERIFY_WITH_TIMEOUT(c->state() == Connection::State::Failed, settleMs);
            QVERIFY(banner->isVisible());
            QVERIFY2(!c->lastError().isEmpty(), "the banner names no error");
        }

        const qint64 growthKb = peakRssKb() - peakBefore;
        qInfo("%s over %s: longest event-loop stall %lld ms, peak RSS grew by %lld KiB", qPrintable(mode),
              http ? "http" : "stdio", stalls.longestMs(), growthKb);
        QVERIFY2(stalls.longestMs() < maxStallMs, qPrintable(QString::number(stalls.longestMs())));
        QVERIFY2(growthKb < maxGrowthKb, qPrintable(QString::number(growthKb)));
        bench.close();
        server.kill();
        server.waitForFinished(2000);
    }
};

QTEST_MAIN(TstMisbehavingGui)
#include "tst_misbehavinggui.moc"
