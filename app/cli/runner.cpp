#include "runner.h"

#include "authcli.h"
#include "collectioncli.h"
#include "conformance.h"
#include "reviewcli.h"
#include "session/skills.h"
#include "surfacecli.h"
#include "traffic/replay.h"
#include "traffic/tracefile.h"

#include <QCoreApplication>
#include <QTimer>

using mcp::Error;
using mcp::Json;

Runner::Runner(CliArgs args, QObject *parent)
    : QObject(parent), m_args(std::move(args)), m_printer(m_args.json)
{}

int Runner::exitCodeFor(const Error &error)
{
    switch (error.category) {
    case Error::Category::None:
        return 0;
    case Error::Category::Usage:
        return 1;
    case Error::Category::Connection:
    case Error::Category::Auth:
        return 2;
    case Error::Category::Protocol:
    case Error::Category::Timeout:
    case Error::Category::Cancelled:
        return 3;
    case Error::Category::Rpc:
        return 4;
    case Error::Category::Tool:
        return 5;
    }
    return 1;
}

static Json parseArgumentsJson(const QString &text, Error *error)
{
    if (text.isEmpty())
        return Json::object();
    const QByteArray bytes = text.toUtf8();
    Json j = Json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        *error = mcp::makeError(Error::Category::Usage, QStringLiteral("arguments"),
                                QStringLiteral("'%1' is not a JSON object").arg(text));
    return j;
}

bool Runner::start()
{
    if (m_args.verb.value(0) == QStringLiteral("conformance")) {
        // The harness appends the server URL; the scenario comes from the environment.
        Error e = applyConformanceScenario(&m_args, &m_steps);
        if (e) {
            fail(e);
            return false;
        }
    } else {
        m_steps = {m_args.verb};
    }
    if (!m_args.inlineRules.is_null())
        m_rules = mcp::RulesHandler(m_args.inlineRules);
    if (!m_args.rulesFile.isEmpty()) {
        Error e;
        m_rules = mcp::RulesHandler::fromFile(m_args.rulesFile, &e);
        if (e) {
            fail(e);
            return false;
        }
    }
    if (!m_args.traceFile.isEmpty()) {
        m_trace =
            std::make_unique<mcp::TraceWriter>(&m_recorder, nullptr, mcp::ExportOptions{!m_args.showSecrets});
        Error e;
        if (!m_trace->open(m_args.traceFile, &e)) {
            fail(e);
            return false;
        }
    }
    if (!m_args.auditDir.isEmpty()) {
        m_audit = std::make_unique<mcp::audit::AuditLog>(m_args.auditDir);
        m_audit->watch(&m_recorder);
        const Json detail = {{"client", "mcpwb"}, {"verb", mcp::toStd(m_args.verb.value(0))}};
        if (!m_audit->action(connectionLabel(m_args), QStringLiteral("connect"), detail)) {
            fail(m_audit->lastError()); // an audit that was asked for and cannot be kept stops the run
            return false;
        }
    }
    if (!m_args.transport.http.url.isEmpty() && m_args.transport.kind != mcp::TransportConfig::Kind::Stdio)
        m_auth = attachAuth(&m_args, &m_printer);
    Error e;
    std::unique_ptr<mcp::Transport> transport = mcp::TransportFactory::create(m_args.transport, &e);
    if (!transport) {
        fail(e);
        return false;
    }
    mcp::SessionOptions options;
    options.clientName = QStringLiteral("mcpwb");
    options.connectionName = connectionLabel(m_args);
    options.protocolVersion = m_args.protocolVersion;
    options.requestTimeoutMs = m_args.timeoutMs;
    options.logLevel = m_args.logLevel;
    options.listenForChanges = m_args.verb.value(0) == QStringLiteral("watch"); // 2026-07-28 must ask
    m_session = new mcp::ClientSession(transport.release(), &m_recorder, options, this);
    m_session->setServerRequestHandler(&m_rules);

    connect(m_session, &mcp::ClientSession::ready, this, &Runner::runNextStep);
    connect(m_session, &mcp::ClientSession::failed, this, &Runner::fail);
    connect(m_session, &mcp::ClientSession::protocolError, this, [this](const Error &error) {
        m_printer.diagnostic(error.toString());
        // Only once connected: during the version probe, legacy servers (the conformance suite's among
        // them) answer server/discover with an error without an id, which the handshake allows for.
        if (!m_protocolViolation && m_session->state() == mcp::ClientSession::State::Ready)
            m_protocolViolation = error;
    });
    connect(m_session, &mcp::ClientSession::diagnostic, this, [this](const mcp::Diagnostic &d) {
        if (d.kind == mcp::Diagnostic::Kind::Stderr)
            m_printer.diagnostic(QStringLiteral("server stderr: ") + d.text);
        else if (d.kind != mcp::Diagnostic::Kind::Info && d.kind != mcp::Diagnostic::Kind::Http)
            m_printer.diagnostic(d.text);
    });
    connect(m_session, &mcp::ClientSession::logMessage, this,
            [this](const QString &level, const QString &logger, const Json &data) {
                m_printer.diagnostic(QStringLiteral("server log [%1]%2: %3")
                                         .arg(level,
                                              logger.isEmpty() ? QString() : QStringLiteral(" ") + logger,
                                              data.is_string() ? mcp::toQString(data.get<std::string>())
                                                               : QString::fromUtf8(mcp::dumpCompact(data))));
            });
    m_session->start();
    return true;
}

void Runner::runNextStep()
{
    if (m_steps.isEmpty()) {
        shutdown();
        return;
    }
    m_stepRunning = true;
    runVerb(m_steps.takeFirst());
}

void Runner::runVerb(const QStringList &v)
{
    const QString noun = v.value(0);
    const QString action = v.value(1);
    Error e;
    if (noun == QStringLiteral("info")) {
        Json info = {{"protocolVersion", mcp::toStd(m_session->protocolVersion())},
                     {"serverInfo", m_session->serverInfo()},
                     {"capabilities", m_session->serverCapabilities()}};
        if (!m_session->instructions().isEmpty())
            info["instructions"] = mcp::toStd(m_session->instructions());
        m_printer.result(QStringLiteral("info"), info);
        stepDone(0);
    } else if (noun == QStringLiteral("ping")) {
        request(QStringLiteral("ping"), QStringLiteral("ping"), Json::object());
    } else if (noun == QStringLiteral("tools") && action == QStringLiteral("list")) {
        list(QStringLiteral("tools list"), QStringLiteral("tools/list"), "tools");
    } else if (noun == QStringLiteral("tools") && action == QStringLiteral("call") && v.size() >= 3) {
        const Json arguments = parseArgumentsJson(v.value(3), &e);
        if (e)
            return fail(e);
        callTool(v[2], arguments);
    } else if (noun == QStringLiteral("tools") && action == QStringLiteral("echo-schema") && v.size() == 4) {
        echoToolSchema(v[2], v[3]);
    } else if (noun == QStringLiteral("resources") && action == QStringLiteral("list")) {
        list(QStringLiteral("resources list"), QStringLiteral("resources/list"), "resources");
    } else if (noun == QStringLiteral("resources") && action == QStringLiteral("templates")) {
        list(QStringLiteral("resources templates"), QStringLiteral("resources/templates/list"),
             "resourceTemplates");
    } else if (noun == QStringLiteral("resources") && action == QStringLiteral("read") && v.size() == 3) {
        request(QStringLiteral("resources read"), QStringLiteral("resources/read"),
                {{"uri", mcp::toStd(v[2])}});
    } else if (noun == QStringLiteral("resources") && action == QStringLiteral("subscribe") &&
               v.size() == 3) {
        m_session->subscribeToResource(v[2], true, [this](const mcp::Reply &r) {
            if (!r.ok())
                return fail(r.error);
            watch();
        });
    } else if (noun == QStringLiteral("prompts") && action == QStringLiteral("list")) {
        list(QStringLiteral("prompts list"), QStringLiteral("prompts/list"), "prompts");
    } else if (noun == QStringLiteral("prompts") && action == QStringLiteral("get") && v.size() >= 3) {
        const Json arguments = parseArgumentsJson(v.value(3), &e);
        if (e)
            return fail(e);
        request(QStringLiteral("prompts get"), QStringLiteral("prompts/get"),
                {{"name", mcp::toStd(v[2])}, {"arguments", arguments}});
    } else if (noun == QStringLiteral("complete") && v.size() == 5 &&
               (action == QStringLiteral("prompt") || action == QStringLiteral("resource"))) {
        const Json ref = action == QStringLiteral("prompt")
                             ? Json{{"type", "ref/prompt"}, {"name", mcp::toStd(v[2])}}
                             : Json{{"type", "ref/resource"}, {"uri", mcp::toStd(v[2])}};
        request(QStringLiteral("complete"), QStringLiteral("completion/complete"),
                {{"ref", ref}, {"argument", {{"name", mcp::toStd(v[3])}, {"value", mcp::toStd(v[4])}}}});
    } else if (noun == QStringLiteral("skills") && action == QStringLiteral("list")) {
        list(QStringLiteral("skills list"), QStringLiteral("skills/list"), "skills");
    } else if (noun == QStringLiteral("skills") && action == QStringLiteral("load") && v.size() == 3) {
        loadSkill(v[2]);
    } else if (noun == QStringLiteral("request") && (v.size() == 2 || v.size() == 3)) {
        const Json params = parseArgumentsJson(v.value(2), &e);
        if (e)
            return fail(e);
        request(QStringLiteral("request"), action, params);
    } else if (noun == QStringLiteral("trace") && action == QStringLiteral("replay") &&
               (v.size() == 4 || v.size() == 5)) {
        replayRecorded(v[2], v[3], v.value(4));
    } else if (noun == QStringLiteral("review") && v.size() == 1) {
        runReview(m_session, m_args, m_auth, this, [this](int exitCode, const Error &error) {
            if (error)
                return fail(error);
            stepDone(exitCode);
        });
    } else if (isSurfaceVerb(v)) {
        runSurfaceVerb(m_session, m_args, this, [this](int exitCode, const Error &error) {
            if (error)
                return fail(error);
            stepDone(exitCode);
        });
    } else if (isCollectionVerb(v)) {
        runCollectionVerb(m_session, m_args, this, [this](int exitCode, const Error &error) {
            if (error)
                return fail(error);
            stepDone(exitCode);
        });
    } else if (noun == QStringLiteral("watch")) {
        watch();
    } else {
        fail(mcp::makeError(Error::Category::Usage, QStringLiteral("arguments"),
                            QStringLiteral("unknown or incomplete verb \"%1\"; see mcpwb --help")
                                .arg(v.join(QLatin1Char(' ')))));
    }
}

void Runner::callTool(const QString &name, const Json &arguments)
{
    if (m_args.pinsFile.isEmpty())
        return sendToolCall(name, arguments);
    // The approved definitions decide first.
    guardToolCall(m_session, m_args, name, this,
                  [this, name, arguments](const QString &held, const Error &e) {
                      if (e)
                          return fail(e);
                      if (!held.isEmpty()) {
                          m_printer.diagnostic(QStringLiteral("call held, not sent: ") + held);
                          return stepDone(kExitCallHeld);
                      }
                      sendToolCall(name, arguments);
                  });
}

void Runner::sendToolCall(const QString &name, const Json &arguments)
{
    const Json params = {{"name", mcp::toStd(name)}, {"arguments", arguments}};
    if (!m_session->mirrorsToolHeaders() || m_session->knowsTool(name)) {
        request(QStringLiteral("tools call"), QStringLiteral("tools/call"), params);
        return;
    }
    // Over 2026-07-28 HTTP the call's headers come from the tool's schema: list the tools first.
    m_session->listAll(QStringLiteral("tools/list"), QStringLiteral("tools"),
                       [this, params](const mcp::Reply &r) {
                           if (!r.ok())
                               return fail(r.error);
                           request(QStringLiteral("tools call"), QStringLiteral("tools/call"), params);
                       });
}

// Calls echoTool with {"schema": <schemaTool's inputSchema exactly as listed>}.
void Runner::echoToolSchema(const QString &schemaTool, const QString &echoTool)
{
    m_session->listAll(
        QStringLiteral("tools/list"), QStringLiteral("tools"),
        [this, schemaTool, echoTool](const mcp::Reply &r) {
            if (!r.ok())
                return fail(r.error);
            for (const auto &tool : r.result["tools"])
                if (mcp::stringOr(tool, "name") == schemaTool)
                    return callTool(echoTool,
                                    {{"schema", mcp::valueOr(tool, "inputSchema", Json::object())}});
            fail(mcp::makeError(Error::Category::Usage, QStringLiteral("tools echo-schema"),
                                QStringLiteral("the server lists no tool \"%1\"").arg(schemaTool)));
        });
}

// Lists skills, reads the named skill's SKILL.md and verifies it against the listing before trusting it.
void Runner::loadSkill(const QString &name)
{
    m_session->listAll(
        QStringLiteral("skills/list"), QStringLiteral("skills"), [this, name](const mcp::Reply &r) {
            if (!r.ok())
                return fail(r.error);
            Json skill;
            for (const auto &s : r.result["skills"])
                if (mcp::stringOr(mcp::valueOr(s, "frontmatter", Json::object()), "name") == name)
                    skill = s;
            if (skill.is_null())
                return fail(mcp::makeError(Error::Category::Usage, QStringLiteral("skills load"),
                                           QStringLiteral("no skill named \"%1\"").arg(name)));
            const QString uri = mcp::stringOr(skill, "uri");
            Json entry = Json::object();
            for (const auto &res : mcp::valueOr(skill, "resources", Json::array()))
                if (mcp::stringOr(res, "uri") == uri)
                    entry = res;
            m_session->request(
                QStringLiteral("resources/read"), {{"uri", mcp::toStd(uri)}},
                [this, skill, entry, uri](const mcp::Reply &read) {
                    if (!read.ok())
                        return fail(read.error);
                    const Json contents = mcp::valueOr(read.result, "contents", Json::array());
                    const QByteArray text =
                        contents.empty() ? QByteArray() : mcp::stringOr(contents[0], "text").toUtf8();
                    const QString problem =
                        mcp::skills::verify(entry, mcp::valueOr(skill, "frontmatter", Json::object()), text);
                    if (!problem.isEmpty())
                        return fail(mcp::makeError(
                            Error::Category::Protocol, QStringLiteral("skills load"),
                            QStringLiteral("%1 failed verification, skill rejected: %2").arg(uri, problem)));
                    m_printer.result(QStringLiteral("resources read"), read.result);
                    stepDone(0);
                });
        });
}

// Re-sends request `frame` of a session file (numbered from 1, as `trace show` lists them), with other
// params where given, and prints how the new answer differs from the recorded one.
void Runner::replayRecorded(const QString &file, const QString &frame, const QString &paramsJson)
{
    mcp::Recorder recording;
    Error e;
    if (!mcp::readTrace(file, recording, &e))
        return fail(e);
    bool isNumber = false;
    const qsizetype number = frame.toLongLong(&isNumber);
    QString problem = !isNumber || number < 1 || number > recording.size()
                          ? QStringLiteral("frame \"%1\": give a number from 1 to %2 (see mcpwb trace show)")
                                .arg(frame)
                                .arg(recording.size())
                          : QString();
    std::optional<mcp::ReplayRequest> recorded;
    if (problem.isEmpty())
        recorded = mcp::ReplayRequest::fromRecording(recording, number - 1, &problem);
    if (!recorded)
        return fail(mcp::makeError(Error::Category::Usage, QStringLiteral("trace replay"), problem));
    if (!paramsJson.isEmpty()) {
        recorded->params = parseArgumentsJson(paramsJson, &e);
        if (e)
            return fail(e);
    }
    mcp::replay(
        *m_session, *recorded,
        [this, recorded](const mcp::ReplayOutcome &o) {
            if (o.outcome.is_null())
                return fail(o.reply.error);
            const bool comparable = !recorded->recorded.is_null();
            if (m_args.json) {
                Json changes = Json::array();
                for (const mcp::JsonChange &c : o.changes)
                    changes.push_back({{"kind", mcp::toStd(mcp::JsonChange::kindName(c.kind))},
                                       {"path", mcp::toStd(c.path)},
                                       {"before", c.before},
                                       {"after", c.after}});
                m_printer.result(QStringLiteral("trace replay"), {{"method", mcp::toStd(recorded->method)},
                                                                  {"recorded", recorded->recorded},
                                                                  {"outcome", o.outcome},
                                                                  {"changes", changes}});
            } else {
                const QString verdict = !comparable ? QStringLiteral("the recording has no answer to compare")
                                        : o.changes.isEmpty() ? QStringLiteral("same answer as recorded")
                                                              : QStringLiteral("differs from the recording:");
                m_printer.line(recorded->method + QStringLiteral(" replayed: ") + verdict);
                if (!o.changes.isEmpty())
                    m_printer.line(mcp::describeChanges(o.changes));
            }
            stepDone(o.changes.isEmpty() ? 0 : kExitReplayDiffers);
        },
        m_args.replayIgnore, this);
}

void Runner::request(const QString &verb, const QString &method, Json params)
{
    if (m_audit)
        m_audit->action(connectionLabel(m_args), QStringLiteral("request"),
                        {{"method", mcp::toStd(method)}, {"params", params}});
    mcp::RequestOptions options;
    options.reportProgress = method == QStringLiteral("tools/call");
    connect(m_session, &mcp::ClientSession::progress, this,
            [this](qint64, double progress, double total, const QString &message) {
                m_printer.diagnostic(QStringLiteral("progress %1%2%3")
                                         .arg(progress)
                                         .arg(total > 0 ? QStringLiteral("/%1").arg(total) : QString())
                                         .arg(message.isEmpty() ? QString() : QStringLiteral(" ") + message));
            });
    m_session->request(
        method, std::move(params),
        [this, verb](const mcp::Reply &r) {
            if (r.error.category == Error::Category::Tool) {
                m_printer.result(verb, r.result); // the tool's own words are the useful part
                return fail(r.error);
            }
            if (!r.ok())
                return fail(r.error);
            m_printer.result(verb, r.result);
            stepDone(0);
        },
        options);
}

void Runner::list(const QString &verb, const QString &method, const char *key)
{
    auto print = [this, verb](const mcp::Reply &r) {
        if (!r.ok())
            return fail(r.error);
        m_printer.result(verb, r.result);
        if (!m_args.json && r.result.contains("nextCursor"))
            m_printer.diagnostic(
                QStringLiteral("next page: --cursor %1").arg(mcp::stringOr(r.result, "nextCursor")));
        stepDone(0);
    };
    if (!m_args.cursor.isNull()) {
        Json params = Json::object();
        if (!m_args.cursor.isEmpty())
            params["cursor"] = mcp::toStd(m_args.cursor);
        m_session->request(method, params, print);
    } else {
        m_session->listAll(method, QString::fromLatin1(key), print);
    }
}

void Runner::watch()
{
    connect(m_session, &mcp::ClientSession::notificationReceived, this,
            [this](const QString &method, const Json &params) { m_printer.notification(method, params); });
    if (m_args.watchSeconds > 0)
        QTimer::singleShot(int(m_args.watchSeconds * 1000), this, [this] { stepDone(0); });
}

void Runner::fail(const Error &error)
{
    m_printer.error(error);
    if (m_stepRunning) {
        stepDone(exitCodeFor(error));
        return;
    }
    m_exitCode = exitCodeFor(error);
    shutdown();
}

void Runner::stepDone(int exitCode)
{
    if (!m_stepRunning)
        return;
    m_stepRunning = false;
    if (m_exitCode == 0)
        m_exitCode = exitCode; // the first failure decides
    if (exitCode != 0 && !m_args.keepGoing)
        m_steps.clear();
    runNextStep();
}

void Runner::shutdown()
{
    if (m_done)
        return;
    m_done = true;
    if (m_exitCode == 0 && m_protocolViolation) { // the answers were printed; the server broke the rules
        m_printer.error(m_protocolViolation);
        m_exitCode = exitCodeFor(m_protocolViolation);
    }
    if (m_audit)
        m_audit->action(connectionLabel(m_args), QStringLiteral("disconnect"), {{"exitCode", m_exitCode}});
    if (!m_session) {
        Q_EMIT finished(m_exitCode);
        return;
    }
    // Let the transport shut down politely (stdin close, DELETE), bounded by its own grace timers.
    auto finish = [this] {
        if (m_trace)
            m_trace->close();
        Q_EMIT finished(m_exitCode);
    };
    connect(m_session, &mcp::ClientSession::stateChanged, this, [finish](mcp::ClientSession::State s) {
        if (s == mcp::ClientSession::State::Closed || s == mcp::ClientSession::State::Failed)
            finish();
    });
    QTimer::singleShot(8000, this, finish);
    m_session->close();
    if (m_session->state() == mcp::ClientSession::State::Closed ||
        m_session->state() == mcp::ClientSession::State::Failed)
        finish();
}
