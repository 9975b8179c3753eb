#pragma once

#include "audit/auditlog.h"
#include "cliargs.h"
#include "printer.h"
#include "session/clientsession.h"
#include "session/ruleshandler.h"
#include "traffic/recorder.h"
#include "traffic/tracefile.h"

#include <QObject>
#include <memory>

namespace mcp::auth {
class OAuthProvider;
}

// Connects, runs one verb, prints, and decides the exit code.
class Runner : public QObject
{
    Q_OBJECT
public:
    Runner(CliArgs args, QObject *parent = nullptr);
    // Returns false (with the exit code set) when the arguments cannot work.
    bool start();
    int exitCode() const { return m_exitCode; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void runNextStep();
    void runVerb(const QStringList &verb);
    void request(const QString &verb, const QString &method, mcp::Json params);
    void callTool(const QString &name, const mcp::Json &arguments); // held first where --pins says so
    void sendToolCall(const QString &name, const mcp::Json &arguments);
    void list(const QString &verb, const QString &method, const char *key);
    void loadSkill(const QString &name);
    void echoToolSchema(const QString &schemaTool, const QString &echoTool);
    void replayRecorded(const QString &file, const QString &frame, const QString &paramsJson);
    void watch();
    void stepDone(int exitCode);
    void shutdown();
    void fail(const mcp::Error &error);
    static int exitCodeFor(const mcp::Error &error);
    static constexpr int kExitReplayDiffers = 6;
    static constexpr int kExitCallHeld = 11; // --pins: the tool changed or appeared since approval

    CliArgs m_args;
    Printer m_printer;
    mcp::Recorder m_recorder;
    mcp::RulesHandler m_rules;
    std::unique_ptr<mcp::TraceWriter> m_trace;
    std::unique_ptr<mcp::audit::AuditLog> m_audit; // --audit only; after m_recorder, so it goes first
    mcp::ClientSession *m_session = nullptr;
    std::shared_ptr<mcp::auth::OAuthProvider> m_auth; // HTTP connections only
    QList<QStringList> m_steps;                       // verbs run one after another on the same connection
    int m_exitCode = 0;
    mcp::Error m_protocolViolation; // the first frame that broke the rules: the run fails with it at the end
    bool m_stepRunning = false;
    bool m_done = false;
};
