#include "session/clientsession.h"
#include "traffic/recorder.h"
#include "transport/stdiotransport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <optional>

using namespace mcp;

// StdioTransport and ClientSession against misbehaving server processes, each a few lines of `sh -c`:
// missing programs, servers that exit mid-request, hang, ignore end of input and SIGTERM, flood stdout
// without a newline, write garbage between valid frames, talk on stderr, and need env and cwd.
class TestStdioTransport : public QObject
{
    Q_OBJECT

    // A line-oriented fake MCP server in sh: answers initialize, answers every other request with an empty
    // result, ignores notifications. @BEFORE_REPLY@ runs before each non-initialize answer (with $id set),
    // @AFTER_INIT@ once after the initialize answer; @ON_EOF@ runs when stdin ends.
    static QString shServer(const QString &beforeReply = QString(), const QString &onEof = QString(),
                            const QString &afterInit = QString())
    {
        QString script = QStringLiteral(R"SH(
while IFS= read -r line; do
  case "$line" in *'"id":'*) ;; *) continue ;; esac
  id=$(printf '%s\n' "$line" | sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p')
  case "$line" in
    *'"method":"initialize"'*)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"sh-server","version":"1"}}}\n' "$id"
      @AFTER_INIT@
      ;;
    *)
      @BEFORE_REPLY@
      printf '{"jsonrpc":"2.0","id":%s,"result":{}}\n' "$id"
      ;;
  esac
done
@ON_EOF@
)SH");
        script.replace(QStringLiteral("@BEFORE_REPLY@"),
                       beforeReply.isEmpty() ? QStringLiteral(":") : beforeReply);
        script.replace(QStringLiteral("@AFTER_INIT@"), afterInit.isEmpty() ? QStringLiteral(":") : afterInit);
        script.replace(QStringLiteral("@ON_EOF@"), onEof.isEmpty() ? QStringLiteral(":") : onEof);
        return script;
    }

    static StdioOptions shOptions(const QString &script)
    {
        StdioOptions o;
        o.program = QStringLiteral("/bin/sh");
        o.arguments = {QStringLiteral("-c"), script};
        o.shutdownGraceMs = 300;
        return o;
    }

    struct Fixture
    {
        Recorder recorder;
        StdioTransport *transport;
        ClientSession *session;
        QList<Diagnostic> diagnostics;
        QList<Error> protocolErrors;
        std::optional<Error> failure;

        explicit Fixture(StdioOptions options, int requestTimeoutMs = 5000)
        {
            transport = new StdioTransport(std::move(options));
            SessionOptions so;
            so.probeModern = false; // straight to initialize: the sh servers speak 2025-11-25 only
            so.requestTimeoutMs = requestTimeoutMs;
            session = new ClientSession(transport, &recorder, so);
            QObject::connect(session, &ClientSession::diagnostic, session,
                             [this](const Diagnostic &d) { diagnostics << d; });
            QObject::connect(session, &ClientSession::protocolError, session,
                             [this](const Error &e) { protocolErrors << e; });
            QObject::connect(session, &ClientSession::failed, session,
                             [this](const Error &e) { failure = e; });
        }
        ~Fixture() { delete session; }

        bool start(int timeoutMs = 5000)
        {
            QSignalSpy ready(session, &ClientSession::ready);
            session->start();
            return ready.count() > 0 || ready.wait(timeoutMs);
        }

        // Sends a request and waits (bounded) for its one reply.
        std::optional<Reply> await(const QString &method, RequestOptions options = {}, int timeoutMs = 10000)
        {
            // a real event loop, not qWaitFor: that sleeps 10 ms between rounds and throttles a flood
            std::optional<Reply> reply;
            QEventLoop loop;
            QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
            session->request(
                method, Json::object(),
                [&reply, &loop](const Reply &r) {
                    reply = r;
                    loop.quit();
                },
                options);
            if (!reply)
                loop.exec();
            return reply;
        }

        QStringList diagnosticTexts(Diagnostic::Kind kind) const
        {
            QStringList out;
            for (const Diagnostic &d : diagnostics)
                if (d.kind == kind)
                    out << d.text;
            return out;
        }

        qint64 receivedBytes() const
        {
            qint64 n = 0;
            for (qsizetype i = 0; i < recorder.size(); ++i)
                if (recorder.at(i).direction == Direction::Received)
                    n += recorder.at(i).bytes.size();
            return n;
        }

        bool receivedFrame(const QByteArray &bytes) const
        {
            for (qsizetype i = 0; i < recorder.size(); ++i)
                if (recorder.at(i).direction == Direction::Received && recorder.at(i).bytes == bytes)
                    return true;
            return false;
        }
    };

    static qint64 peakRssKb()
    {
        QFile status(QStringLiteral("/proc/self/status"));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("VmHWM:"))
                return line.mid(6).trimmed().split(' ').first().toLongLong();
        return -1;
    }

private Q_SLOTS:
    void wrongCommand_data()
    {
        QTest::addColumn<QString>("program");
        QTest::newRow("absolute path that does not exist")
            << QStringLiteral("/nonexistent/mcpwb-no-such-server");
        QTest::newRow("name not on PATH") << QStringLiteral("mcpwb-no-such-server-on-path");
        QTest::newRow("a directory") << QDir::tempPath();
    }

    void wrongCommand()
    {
        QFETCH(QString, program);
        StdioOptions o;
        o.program = program;
        Fixture f(o);
        QSignalSpy failed(f.session, &ClientSession::failed);
        f.session->start();
        QVERIFY(failed.count() > 0 || failed.wait(5000));
        QVERIFY(f.failure.has_value());
        QCOMPARE(f.failure->category, Error::Category::Connection);
        QVERIFY2(f.failure->message.contains(QStringLiteral("could not start")),
                 qPrintable(f.failure->toString()));
        QVERIFY2(f.failure->message.contains(program), qPrintable(f.failure->toString()));
        QCOMPARE(f.session->state(), ClientSession::State::Failed);
        QCOMPARE(f.transport->state(), Transport::State::Failed);
    }

    void emptyCommandIsUsageError()
    {
        Fixture f(StdioOptions{});
        QSignalSpy failed(f.session, &ClientSession::failed);
        f.session->start();
        QVERIFY(failed.count() > 0 || failed.wait(2000));
        QCOMPARE(f.failure->category, Error::Category::Usage);
    }

    // The server answers initialize, reads the next request and dies: that request fails at once with a
    // Connection error that says how the process ended.
    void exitMidRequest_data()
    {
        QTest::addColumn<QString>("death");
        QTest::addColumn<QString>("expected");
        QTest::newRow("exit 3") << QStringLiteral("exit 3") << QStringLiteral("exited with status 3");
        QTest::newRow("exit 0") << QStringLiteral("exit 0") << QStringLiteral("exited with status 0");
        QTest::newRow("SIGKILL") << QStringLiteral("kill -KILL $$") << QStringLiteral("crashed");
        QTest::newRow("SIGTERM") << QStringLiteral("kill -TERM $$") << QStringLiteral("crashed");
    }

    void exitMidRequest()
    {
        QFETCH(QString, death);
        QFETCH(QString, expected);
        Fixture f(shOptions(shServer(death)), 30000);
        QVERIFY(f.start());
        QElapsedTimer clock;
        clock.start();
        const auto reply = f.await(QStringLiteral("tools/list"), {}, 10000);
        QVERIFY2(reply.has_value(), "the pending request was never answered");
        QVERIFY(clock.elapsed() < 5000); // not the 30 s request timeout
        QCOMPARE(reply->error.category, Error::Category::Connection);
        QVERIFY2(reply->error.message.contains(expected), qPrintable(reply->error.toString()));
        QCOMPARE(f.session->state(), ClientSession::State::Failed);
        QVERIFY(f.failure.has_value());
        QVERIFY2(f.failure->message.contains(expected), qPrintable(f.failure->toString()));
        // a request after the death fails too, without hanging
        const auto after = f.await(QStringLiteral("ping"), {}, 2000);
        QVERIFY(after.has_value());
        QCOMPARE(after->error.category, Error::Category::Connection);
    }

    // A request the server never answers fails with Timeout after its own timeout, not before, and the
    // session stays usable.
    void hangingRequestTimesOut()
    {
        // tools/list is read and never answered
        Fixture f(shOptions(
            shServer(QStringLiteral(R"(case "$line" in *'"method":"tools/list"'*) continue ;; esac)"))));
        QVERIFY(f.start());
        RequestOptions o;
        o.timeoutMs = 700;
        QElapsedTimer clock;
        clock.start();
        const auto reply = f.await(QStringLiteral("tools/list"), o, 5000);
        const qint64 elapsed = clock.elapsed();
        QVERIFY(reply.has_value());
        QCOMPARE(reply->error.category, Error::Category::Timeout);
        QVERIFY2(reply->error.message.contains(QStringLiteral("700 ms")),
                 qPrintable(reply->error.toString()));
        QVERIFY2(elapsed >= 700, qPrintable(QStringLiteral("timed out after %1 ms").arg(elapsed)));
        QVERIFY2(elapsed < 3000, qPrintable(QStringLiteral("timed out after %1 ms").arg(elapsed)));
        // the server was told to stop, and the session still works
        bool cancelled = false;
        for (qsizetype i = 0; i < f.recorder.size(); ++i)
            cancelled |= f.recorder.method(f.recorder.at(i)) == QStringLiteral("notifications/cancelled");
        QVERIFY(cancelled);
        const auto ping = f.await(QStringLiteral("ping"));
        QVERIFY(ping.has_value());
        QVERIFY2(ping->ok(), qPrintable(ping->error.toString()));
        QCOMPARE(f.session->state(), ClientSession::State::Ready);
    }

    // close(): stdin closed, then SIGTERM after the grace period, then SIGKILL; each stage is a diagnostic
    // and the process is gone within a bounded time.
    void closeEscalates_data()
    {
        QTest::addColumn<QString>("afterInit");
        QTest::addColumn<int>("warnings");
        QTest::addColumn<bool>("termTrapped");
        // exits on end of input: no escalation
        QTest::newRow("exits on stdin EOF") << QString() << 0 << false;
        // stops reading (so never sees end of input), dies of SIGTERM
        QTest::newRow("ignores EOF") << QStringLiteral("while :; do sleep 0.05; done") << 1 << false;
        // ignores end of input and survives SIGTERM (saying so on stderr): needs SIGKILL
        QTest::newRow("ignores EOF and traps TERM")
            << QStringLiteral("trap 'echo got TERM >&2' TERM; while :; do sleep 0.05; done") << 2 << true;
    }

    void closeEscalates()
    {
        QFETCH(QString, afterInit);
        QFETCH(int, warnings);
        QFETCH(bool, termTrapped);
        Fixture f(shOptions(shServer(QString(), QString(), afterInit)));
        QVERIFY(f.start());
        const qint64 pid = f.transport->processId();
        QVERIFY(pid > 0);
        QVERIFY(QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)));

        QElapsedTimer clock;
        clock.start();
        f.session->close();
        QTRY_VERIFY_WITH_TIMEOUT(f.session->state() == ClientSession::State::Closed, 5000);
        const qint64 elapsed = clock.elapsed();
        QVERIFY(!f.failure.has_value());
        QCOMPARE(f.transport->state(), Transport::State::Closed);
        QVERIFY2(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)),
                 "the server process is still there");

        const QStringList w = f.diagnosticTexts(Diagnostic::Kind::Warning);
        QVERIFY2(w.size() == warnings, qPrintable(w.join(QStringLiteral(" | "))));
        if (warnings >= 1)
            QVERIFY2(w[0].contains(QStringLiteral("stdin closed; sending SIGTERM")), qPrintable(w[0]));
        if (warnings >= 2)
            QVERIFY2(w[1].contains(QStringLiteral("ignored SIGTERM; sending SIGKILL")), qPrintable(w[1]));
        if (termTrapped)
            QTRY_VERIFY_WITH_TIMEOUT(
                f.diagnosticTexts(Diagnostic::Kind::Stderr).contains(QStringLiteral("got TERM")), 1000);
        // each stage waits its grace period (300 ms), no longer than needed
        QVERIFY2(elapsed >= warnings * 300 - 20, qPrintable(QString::number(elapsed)));
        QVERIFY2(elapsed < warnings * 300 + 1500, qPrintable(QString::number(elapsed)));
    }

    // 100 MB without a newline: the transport gives up past the frame limit with a clear error, the
    // recorder keeps every byte that arrived before that, and memory does not grow with the flood.
    void floodWithoutNewline_data()
    {
        QTest::addColumn<qsizetype>("limit");
        QTest::newRow("1 MiB limit") << qsizetype(1024 * 1024);
        QTest::newRow("default limit (64 MiB)") << StdioOptions().maxFrameBytes;
    }

    void floodWithoutNewline()
    {
        QFETCH(qsizetype, limit);
        StdioOptions o = shOptions(shServer(QStringLiteral("head -c 100000000 /dev/zero | tr '\\0' a")));
        o.maxFrameBytes = limit;
        Fixture f(o, 60000);
        QVERIFY(f.start());
        const qint64 rssBefore = peakRssKb();
        QElapsedTimer clock;
        clock.start();
        const auto reply = f.await(QStringLiteral("tools/list"), {}, 60000);
        qInfo("failed after %lld ms", clock.elapsed());
        QVERIFY(reply.has_value());
        QVERIFY(f.failure.has_value());
        QCOMPARE(f.failure->category, Error::Category::Protocol);
        QVERIFY2(f.failure->message.contains(QStringLiteral("without a newline")) &&
                     f.failure->message.contains(QStringLiteral("frame limit of %1 bytes").arg(limit)),
                 qPrintable(f.failure->toString()));
        QCOMPARE(reply->error.category, Error::Category::Protocol);
        QCOMPARE(f.session->state(), ClientSession::State::Failed);
        QCOMPARE(f.transport->state(), Transport::State::Failed);
        QVERIFY2(f.receivedBytes() >= limit, qPrintable(QString::number(f.receivedBytes())));
        // the partial frame is recorded as it arrived: only 'a's, and it did not parse
        const FrameRecord &last = f.recorder.at(f.recorder.size() - 1);
        QCOMPARE(last.direction, Direction::Received);
        QVERIFY(last.parseFailed());
        QVERIFY(last.bytes.size() >= limit);
        QCOMPARE(last.bytes.count('a'), last.bytes.size());
        // bounded: the buffer, the recorded copy and the pipe's reads, not the 100 MB that were written
        const qint64 growthKb = peakRssKb() - rssBefore;
        qInfo("peak RSS grew by %lld KiB", growthKb);
        QVERIFY2(growthKb < 4 * limit / 1024 + 48 * 1024, qPrintable(QString::number(growthKb)));
        // the writer is killed rather than left to fill the pipe
        const qint64 pid = f.transport->processId();
        QTRY_VERIFY_WITH_TIMEOUT(pid <= 0 || !QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)), 2000);
    }

    // Frames larger than the pipe (64 KiB) are written as the server reads them, without blocking the
    // event loop (blocking would deadlock here: cat would fill our stdout pipe while we wait on its
    // stdin); a frame sent after one still queued waits its turn.
    void largeFramesArriveWholeAndInOrder()
    {
        StdioTransport transport(shOptions(QStringLiteral("sleep 0.2; exec cat")));
        QList<QByteArray> echoed;
        connect(&transport, &Transport::frameReceived, this, [&](const QByteArray &f) { echoed << f; });
        transport.open();
        QTRY_COMPARE_WITH_TIMEOUT(transport.state(), Transport::State::Open, 5000);
        OutgoingFrame big;
        big.bytes = QByteArray(R"({"jsonrpc":"2.0","method":"big","params":{"text":"TEXT"}})")
                        .replace("TEXT", QByteArray(4 << 20, 'x'));
        OutgoingFrame small;
        small.bytes = R"({"jsonrpc":"2.0","method":"small"})";
        transport.send(big);
        transport.send(small);
        QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), 2, 20000);
        QCOMPARE(echoed[0].size(), big.bytes.size());
        QVERIFY(echoed[0] == big.bytes);
        QCOMPARE(echoed[1], small.bytes);
    }

    // A server that closes its stdin: the next request fails at once with a clear error instead of
    // waiting for its timeout, the failed write is a diagnostic, and no SIGPIPE ends this process.
    void serverClosedItsStdin()
    {
        Fixture f(shOptions(shServer(QString(), QString(),
                                     QStringLiteral("exec 0<&-; echo stdin closed >&2; sleep 10"))),
                  60000);
        QVERIFY(f.start());
        QTRY_VERIFY_WITH_TIMEOUT(
            f.diagnosticTexts(Diagnostic::Kind::Stderr).contains(QStringLiteral("stdin closed")), 5000);
        const auto reply = f.await(QStringLiteral("tools/list"), {}, 10000); // well before the 60 s timeout
        QVERIFY(reply.has_value());
        QCOMPARE(reply->error.category, Error::Category::Connection);
        QVERIFY2(reply->error.message.contains(QStringLiteral("not reading its input")),
                 qPrintable(reply->error.toString()));
        const QStringList warnings = f.diagnosticTexts(Diagnostic::Kind::Warning);
        QVERIFY2(warnings.contains(QStringLiteral("write to the server failed: Broken pipe")),
                 qPrintable(warnings.join(QStringLiteral(" | "))));
        // the process still runs: closing the session is the user's call
        QCOMPARE(f.session->state(), ClientSession::State::Ready);
    }

    // A server that closes its stdin and then exits: the broken pipe comes first (deterministically here,
    // 300 ms before the exit), but what the user is told is the exit and its status, the same as when the
    // exit is noticed first (mcpwb once said one or the other depending on which event won the race).
    void exitAfterClosingStdinReportsTheExit()
    {
        Fixture f(shOptions(shServer(QString(), QString(),
                                     QStringLiteral("exec 0<&-; echo bye >&2; sleep 0.3; exit 7"))),
                  60000);
        QVERIFY(f.start());
        QTRY_VERIFY_WITH_TIMEOUT(f.diagnosticTexts(Diagnostic::Kind::Stderr).contains(QStringLiteral("bye")),
                                 5000);
        const auto reply = f.await(QStringLiteral("tools/list"), {}, 10000);
        QVERIFY(reply.has_value());
        QCOMPARE(reply->error.category, Error::Category::Connection);
        QVERIFY2(reply->error.message.contains(QStringLiteral("exited with status 7")),
                 qPrintable(reply->error.toString()));
        QVERIFY(f.failure.has_value());
    }

    // A server started through a shell or a launcher has children of its own: closing the connection stops
    // them too (the whole process group), not only the process we started.
    void closingStopsWhatTheServerStarted()
    {
        Fixture f(shOptions(QStringLiteral("sleep 30 & echo \"child=$!\" >&2\n") + shServer()));
        QVERIFY(f.start());
        QTRY_VERIFY_WITH_TIMEOUT(!f.diagnosticTexts(Diagnostic::Kind::Stderr).isEmpty(), 5000);
        const QString line = f.diagnosticTexts(Diagnostic::Kind::Stderr).first();
        QVERIFY2(line.startsWith(QStringLiteral("child=")), qPrintable(line));
        const QString stat = QStringLiteral("/proc/%1/stat").arg(line.mid(6));
        QVERIFY(QFile::exists(stat));
        f.session->close();
        QTRY_VERIFY_WITH_TIMEOUT(f.session->state() == ClientSession::State::Closed, 5000);
        // Gone, or a zombie that its new parent has not reaped yet.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&stat] {
                QFile f(stat);
                if (!f.open(QIODevice::ReadOnly))
                    return true;
                const QByteArray s = f.readAll();
                return s.mid(s.lastIndexOf(')') + 2, 1) == "Z";
            }(),
            5000);
    }

    // The last line a server writes before it exits may lack its newline: it is still handed over, so the
    // recorder has every byte.
    void lastLineWithoutNewlineIsKept()
    {
        const QByteArray last =
            R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"error","data":"bye"}})";
        Fixture f(shOptions(shServer(QString(), QString(),
                                     QStringLiteral("printf '%1'; exit 1").arg(QString::fromUtf8(last)))));
        f.session->start();
        QTRY_VERIFY_WITH_TIMEOUT(f.failure.has_value(), 5000);
        QVERIFY2(f.failure->message.contains(QStringLiteral("exited with status 1")),
                 qPrintable(f.failure->toString()));
        QVERIFY(f.receivedFrame(last));
    }

    // Junk lines between valid frames: each is a protocolError, recorded byte for byte, and the session
    // carries on with the valid frames around it.
    void garbageBetweenFrames_data()
    {
        QTest::addColumn<QByteArray>("junk");     // as written, without the newline
        QTest::addColumn<QByteArray>("recorded"); // as the recorder must hold it
        QTest::newRow("plain text") << QByteArray("Server listening on stdio...")
                                    << QByteArray("Server listening on stdio...");
        QTest::newRow("truncated JSON")
            << QByteArray(R"({"jsonrpc":"2.0","id":)") << QByteArray(R"({"jsonrpc":"2.0","id":)");
        QTest::newRow("JSON, not an object") << QByteArray("42") << QByteArray("42");
        QTest::newRow("object, not JSON-RPC")
            << QByteArray(R"({"hello":"world"})") << QByteArray(R"({"hello":"world"})");
        QTest::newRow("invalid UTF-8") << QByteArray("\xff\xfe{\"a\":1}") << QByteArray("\xff\xfe{\"a\":1}");
        QTest::newRow("CRLF line ending") << QByteArray("junk with CR\r") << QByteArray("junk with CR");
        QTest::newRow("reply to an unknown id") << QByteArray(R"({"jsonrpc":"2.0","id":9999,"result":{}})")
                                                << QByteArray(R"({"jsonrpc":"2.0","id":9999,"result":{}})");
    }

    void garbageBetweenFrames()
    {
        QFETCH(QByteArray, junk);
        QFETCH(QByteArray, recorded);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile junkFile(dir.filePath(QStringLiteral("junk")));
        QVERIFY(junkFile.open(QIODevice::WriteOnly));
        junkFile.write(junk + '\n');
        junkFile.close();
        // before and after every reply: the junk line
        const QString cat = QStringLiteral("cat '%1'").arg(junkFile.fileName());
        Fixture f(shOptions(shServer(cat + QStringLiteral("; printf '\\n  \\n'"), QString(), cat)));
        QVERIFY(f.start());
        for (const char *method : {"tools/list", "ping", "resources/list"}) {
            const auto reply = f.await(QString::fromLatin1(method));
            QVERIFY(reply.has_value());
            QVERIFY2(reply->ok(), qPrintable(reply->error.toString()));
        }
        QCOMPARE(f.session->state(), ClientSession::State::Ready);
        QTRY_COMPARE_WITH_TIMEOUT(f.protocolErrors.size(), 4, 2000); // after initialize and each of 3 replies
        for (const Error &e : f.protocolErrors)
            QCOMPARE(e.category, Error::Category::Protocol);
        QVERIFY(f.receivedFrame(recorded));
        int junkFrames = 0;
        for (qsizetype i = 0; i < f.recorder.size(); ++i)
            if (f.recorder.at(i).direction == Direction::Received && f.recorder.at(i).bytes == recorded)
                ++junkFrames;
        QCOMPARE(junkFrames, 4);
        // blank lines are not frames; the valid replies are all there, exactly as written
        QVERIFY(!f.receivedFrame(QByteArray()));
        QVERIFY(!f.receivedFrame("  "));
        QVERIFY(f.receivedFrame(R"({"jsonrpc":"2.0","id":2,"result":{}})"));
        QVERIFY(f.receivedFrame(R"({"jsonrpc":"2.0","id":4,"result":{}})"));
    }

    void stderrLinesAreDiagnostics_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("two lines") << QStringLiteral("echo one >&2; echo two >&2")
                                   << QStringList{QStringLiteral("one"), QStringLiteral("two")};
        QTest::newRow("CRLF") << QStringLiteral("printf 'crlf line\\r\\n' >&2")
                              << QStringList{QStringLiteral("crlf line")};
        QTest::newRow("last line unterminated")
            << QStringLiteral("echo first >&2; printf 'no newline' >&2")
            << QStringList{QStringLiteral("first"), QStringLiteral("no newline")};
        QTest::newRow("UTF-8") << QStringLiteral("printf '\\342\\234\\223 ready\\n' >&2")
                               << QStringList{QStringLiteral("✓ ready")};
    }

    void stderrLinesAreDiagnostics()
    {
        QFETCH(QString, script);
        QFETCH(QStringList, expected);
        // stderr first, then a working server: stderr must not disturb the protocol
        Fixture f(shOptions(script + QLatin1Char('\n') + shServer()));
        QVERIFY(f.start());
        QVERIFY(f.await(QStringLiteral("ping"))->ok());
        f.session->close();
        QTRY_VERIFY_WITH_TIMEOUT(f.session->state() == ClientSession::State::Closed, 3000);
        QCOMPARE(f.diagnosticTexts(Diagnostic::Kind::Stderr), expected);
        QVERIFY(f.diagnosticTexts(Diagnostic::Kind::Warning).isEmpty());
    }

    void longStderrLineIsShownInPieces()
    {
        Fixture f(
            shOptions(QStringLiteral("head -c 200000 /dev/zero | tr '\\0' e >&2; echo >&2\n") + shServer()));
        QVERIFY(f.start());
        QVERIFY(f.await(QStringLiteral("ping"))->ok());
        auto total = [&f] {
            qsizetype n = 0;
            for (const QString &l : f.diagnosticTexts(Diagnostic::Kind::Stderr))
                n += l.size();
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(total(), qsizetype(200000), 3000);
        const QStringList lines = f.diagnosticTexts(Diagnostic::Kind::Stderr);
        QVERIFY2(lines.size() >= 2, "a 200 kB line without a newline must be shown before it ends");
        for (const QString &l : lines)
            QVERIFY(l.size() < 200000);
    }

    void environmentAndWorkingDirectory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        StdioOptions o = shOptions(QStringLiteral("echo \"FOO=$FOO\" >&2; pwd >&2\n") + shServer());
        o.environment.insert(QStringLiteral("FOO"), QStringLiteral("bar baz"));
        o.workingDirectory = dir.path();
        Fixture f(o);
        QVERIFY(f.start());
        QVERIFY(f.await(QStringLiteral("ping"))->ok());
        QTRY_COMPARE_WITH_TIMEOUT(f.diagnosticTexts(Diagnostic::Kind::Stderr).size(), 2, 3000);
        const QStringList lines = f.diagnosticTexts(Diagnostic::Kind::Stderr);
        QCOMPARE(lines[0], QStringLiteral("FOO=bar baz"));
        QCOMPARE(QFileInfo(lines[1]).canonicalFilePath(), QFileInfo(dir.path()).canonicalFilePath());
    }

    // A server gets HOME, PATH and the like, never the rest of our environment (cloud keys, tokens); the user
    // is told which variables it got, by name only.
    void environmentIsMinimalByDefault()
    {
        qputenv("AWS_SECRET_ACCESS_KEY", "aws-secret");
        qputenv("GITHUB_TOKEN", "ghp_secret");
        StdioOptions o = shOptions(QStringLiteral("echo \"aws=${AWS_SECRET_ACCESS_KEY-unset} "
                                                  "gh=${GITHUB_TOKEN-unset} path=${PATH:+set}\" >&2\n") +
                                   shServer());
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        qunsetenv("GITHUB_TOKEN");
        Fixture f(o);
        QVERIFY(f.start());
        QTRY_COMPARE_WITH_TIMEOUT(f.diagnosticTexts(Diagnostic::Kind::Stderr),
                                  QStringList{QStringLiteral("aws=unset gh=unset path=set")}, 3000);
        const QStringList told = f.diagnosticTexts(Diagnostic::Kind::Info)
                                     .filter(QStringLiteral("environment passed to the server: "));
        QCOMPARE(told.size(), 1);
        QVERIFY2(told[0].contains(QStringLiteral("PATH")) && !told[0].contains(QStringLiteral("GITHUB")) &&
                     !told[0].contains(QStringLiteral("secret")),
                 qPrintable(told[0]));
    }

    void environmentIsExactlyTheGivenOne()
    {
        StdioOptions o =
            shOptions(QStringLiteral("echo \"HOME=${HOME-unset} ONLY=$ONLY\" >&2\n") + shServer());
        o.environment = QProcessEnvironment();
        o.environment.insert(QStringLiteral("ONLY"), QStringLiteral("1"));
        o.environment.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        Fixture f(o);
        QVERIFY(f.start());
        QTRY_COMPARE_WITH_TIMEOUT(f.diagnosticTexts(Diagnostic::Kind::Stderr),
                                  QStringList{QStringLiteral("HOME=unset ONLY=1")}, 3000);
    }

    void commandLineSplitting_data()
    {
        QTest::addColumn<QString>("commandLine");
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("plain") << QStringLiteral("node server.js --flag") << QStringLiteral("node")
                               << QStringList{QStringLiteral("server.js"), QStringLiteral("--flag")};
        QTest::newRow("quoted") << QStringLiteral("sh -c 'echo \"a b\"'") << QStringLiteral("sh")
                                << QStringList{QStringLiteral("-c"), QStringLiteral("echo \"a b\"")};
        QTest::newRow("single quotes keep double quotes and spaces")
            << QStringLiteral("node server.js --flag 'a b' '\"q\"'") << QStringLiteral("node")
            << QStringList{QStringLiteral("server.js"), QStringLiteral("--flag"), QStringLiteral("a b"),
                           QStringLiteral("\"q\"")};
        QTest::newRow("double quotes with escapes")
            << QStringLiteral("\"/opt/my server/run\" \"say \\\"hi\\\"\"")
            << QStringLiteral("/opt/my server/run") << QStringList{QStringLiteral("say \"hi\"")};
        QTest::newRow("backslash escapes a space") << QStringLiteral("cat my\\ file") << QStringLiteral("cat")
                                                   << QStringList{QStringLiteral("my file")};
        QTest::newRow("adjacent quoted parts, empty argument, tabs")
            << QStringLiteral("  prog\t'a'\"b\"c ''  ") << QStringLiteral("prog")
            << QStringList{QStringLiteral("abc"), QString()};
        QTest::newRow("empty") << QString() << QString() << QStringList{};
    }

    void commandLineSplitting()
    {
        QFETCH(QString, commandLine);
        QFETCH(QString, program);
        QFETCH(QStringList, arguments);
        const StdioOptions o = StdioOptions::fromCommandLine(commandLine);
        QCOMPARE(o.program, program);
        QCOMPARE(o.arguments, arguments);
    }
};

QTEST_GUILESS_MAIN(TestStdioTransport)
#include "tst_stdiotransport.moc"
