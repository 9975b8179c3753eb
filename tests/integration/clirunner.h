#pragma once

// The built `mcpwb` CLI driven with QProcess, for tst_cli and tst_clipeers: each run that talks to a server
// writes a --trace file, which is validated against the official MCP schema of the negotiated version beside
// the next runs, and each test function's cleanup waits for their verdicts. Test classes derive from it; Qt
// Test runs its initTestCase, cleanup and cleanupTestCase for them.
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <vector>

class CliRunner : public QObject
{
    Q_OBJECT
protected:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
        qint64 elapsedMs = 0;
        QString trace; // the --trace file, when the run wrote one
        QStringList args;
        QString describe() const
        {
            return QStringLiteral("exit %1 after %2 ms\n--- stdout:\n%3\n--- stderr:\n%4")
                .arg(exitCode)
                .arg(elapsedMs)
                .arg(out.left(4000), err.left(4000));
        }
    };

    QTemporaryDir m_tmp;
    int m_traceCount = 0;
    int m_validated = 0;

    static QString quoted(const QString &s) { return QLatin1Char('"') + s + QLatin1Char('"'); }

    static QString everything() { return testsupport::everythingStdioCommand(); }
    static QString filesystem(const QString &dir)
    {
        return quoted(testsupport::nodeBinary()) + QLatin1Char(' ') +
               quoted(testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-filesystem")) +
                      QStringLiteral("/dist/index.js")) +
               QLatin1Char(' ') + quoted(dir);
    }
    static QString memory()
    {
        return quoted(testsupport::nodeBinary()) + QLatin1Char(' ') +
               quoted(testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-memory")) +
                      QStringLiteral("/dist/index.js"));
    }

    // Runs mcpwb with args; a run with a server gets a --trace file of its own unless it has one.
    Run mcpwb(QStringList args, int timeoutMs = 60000)
    {
        Run r;
        const bool talksToServer =
            args.contains(QStringLiteral("--stdio")) || args.contains(QStringLiteral("--url"));
        if (talksToServer && !args.contains(QStringLiteral("--trace"))) {
            r.trace = m_tmp.filePath(QStringLiteral("trace-%1.jsonl").arg(++m_traceCount));
            args << QStringLiteral("--trace") << r.trace;
        } else if (const qsizetype i = args.indexOf(QStringLiteral("--trace")); i >= 0) {
            r.trace = args.value(i + 1);
        }
        QProcess p;
        testsupport::endWithTest(p);
        QElapsedTimer clock;
        clock.start();
        p.start(testsupport::mcpwbBinary(), args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(2000);
            r.exitCode = -2; // hung
        } else {
            r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
        }
        r.elapsedMs = clock.elapsed();
        r.args = args;
        if (r.elapsedMs > 5000)
            qInfo("slow run (%lld ms): mcpwb %s", r.elapsedMs, qPrintable(args.join(QLatin1Char(' '))));
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    // The embedded demo server on HTTP (127.0.0.1, a free port), ended with the test; its MCP URL.
    static QString startDemoHttp(QProcess &demo)
    {
        testsupport::endWithTest(demo);
        const quint16 port = testsupport::freeLoopbackPort();
        demo.start(testsupport::mcpwbBinary(),
                   {QStringLiteral("demo-server"), QStringLiteral("--http"), QString::number(port)});
        return demo.waitForStarted(5000) ? QStringLiteral("http://127.0.0.1:%1/mcp").arg(port) : QString();
    }

    // The first run that is not refused a connection (a server just started may not listen yet).
    Run firstRun(const QStringList &args)
    {
        Run r;
        for (int i = 0; i < 50; ++i) {
            r = mcpwb(args, 20000);
            if (r.exitCode != 2)
                break;
            QTest::qWait(100);
        }
        return r;
    }

    // The frames mcpwb sent validate against the schema (skipped with a message without ../shared). The
    // validator runs beside the next mcpwb runs; cleanup() collects its verdict before the test function
    // ends.
    void validateTrace(const Run &run)
    {
        QVERIFY2(QFileInfo(run.trace).size() > 0,
                 qPrintable(QStringLiteral("no trace written: ") + run.trace));
        const QString schemaDir = testsupport::sharedDir() + QStringLiteral("/mcp-schema");
        if (!QFileInfo::exists(schemaDir)) {
            qInfo("../shared is absent: schema validation of %s skipped", qPrintable(run.trace));
            return;
        }
        auto validator = std::make_unique<QProcess>();
        validator->setProcessChannelMode(QProcess::MergedChannels);
        testsupport::endWithTest(*validator);
        validator->start(testsupport::nodeBinary(),
                         {testsupport::peersDir() + QStringLiteral("/validate-trace.mjs"),
                          QStringLiteral("--schema-dir"), schemaDir, QStringLiteral("--version"),
                          QStringLiteral("auto"), run.trace});
        m_validations.push_back(
            {run.trace + QStringLiteral(" (mcpwb ") + run.args.join(QLatin1Char(' ')) + u')',
             std::move(validator)});
    }

    struct Validation
    {
        QString what;
        std::unique_ptr<QProcess> process;
    };
    std::vector<Validation> m_validations;

    static QList<QJsonObject> traceMessages(const QString &path)
    {
        QList<QJsonObject> out;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return out;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            out << QJsonDocument::fromJson(line).object();
        }
        return out;
    }

    // Runs with --json and returns stdout parsed as one JSON object.
    QJsonObject jsonOf(const QStringList &args)
    {
        const Run r = mcpwb(args + QStringList{QStringLiteral("--json")});
        if (r.exitCode != 0) {
            qWarning("%s", qPrintable(r.describe()));
            return {};
        }
        validateTrace(r);
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile f(m_tmp.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(content);
        return f.fileName();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(QFileInfo(testsupport::mcpwbBinary()).isExecutable(),
                 qPrintable(testsupport::mcpwbBinary()));
    }

    // Waits for every validator started in the test function and fails it for each that refused.
    void cleanup()
    {
        auto validations = std::move(m_validations);
        m_validations.clear();
        for (Validation &v : validations) {
            QVERIFY2(v.process->waitForFinished(60000),
                     qPrintable(QStringLiteral("validator hung: ") + v.what));
            const QString out = QString::fromUtf8(v.process->readAll());
            QVERIFY2(v.process->exitStatus() == QProcess::NormalExit && v.process->exitCode() == 0,
                     qPrintable(v.what + QLatin1Char('\n') + out));
            ++m_validated;
        }
    }

    void cleanupTestCase() { qInfo("%d traces validated against the MCP schema", m_validated); }
};

// A run's exit status as expected, and its trace valid; ends the test function on failure.
#define CHECK_RUN(run, expectedExit)                                                                         \
    do {                                                                                                     \
        QVERIFY2((run).exitCode == (expectedExit), qPrintable((run).describe()));                            \
        if (!(run).trace.isEmpty())                                                                          \
            validateTrace(run);                                                                              \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (0)
