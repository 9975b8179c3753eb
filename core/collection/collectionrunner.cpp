#include "collectionrunner.h"

#include "../traffic/redaction.h"

namespace mcp::collection {

QString StepResult::statusName(Status status)
{
    switch (status) {
    case Status::Passed:
        return QStringLiteral("passed");
    case Status::Failed:
        return QStringLiteral("failed");
    case Status::Errored:
        return QStringLiteral("error");
    }
    return {};
}

int RunResult::count(StepResult::Status status) const
{
    return int(std::count_if(steps.begin(), steps.end(),
                             [status](const StepResult &s) { return s.status == status; }));
}

CollectionRunner::CollectionRunner(ClientSession *session, Collection collection, EnvLookup env,
                                   QObject *parent)
    : QObject(parent), m_session(session), m_collection(std::move(collection)), m_env(std::move(env))
{
    connect(session, &QObject::destroyed, this, &CollectionRunner::sessionGone);
}

void CollectionRunner::sessionGone()
{
    const qsizetype index = m_result.steps.size();
    if (m_finished || !m_clock.isValid() || index >= m_collection.requests.size())
        return;
    StepResult step;
    step.id = m_collection.requests[index].id;
    step.label = m_collection.requests[index].label();
    step.method = m_collection.requests[index].method;
    step.params = m_collection.requests[index].params;
    step.error = QStringLiteral("the connection was closed before the answer came");
    finishStep(std::move(step));
}

void CollectionRunner::start(const QString &connection)
{
    m_result = {};
    m_result.collectionName = m_collection.name;
    m_result.connection = connection;
    m_result.started = QDateTime::currentDateTimeUtc();
    m_answers.clear();
    m_tools.reset();
    m_finished = false;
    m_clock.start();
    runNext();
}

void CollectionRunner::runNext()
{
    const qsizetype index = m_result.steps.size();
    if (m_finished)
        return;
    if (index >= m_collection.requests.size() || !m_session) {
        m_finished = true;
        m_result.elapsedMs = m_clock.elapsed();
        Q_EMIT finished();
        return;
    }
    const Request &request = m_collection.requests[index];
    Q_EMIT stepStarted(int(index));
    QString problem;
    const std::optional<Json> params = substitute(request.params, m_env, m_answers, &problem);
    Request resolved = request; // expected values may name earlier answers too
    for (auto &[pointer, expected] : resolved.expect.equals) {
        if (problem.isEmpty())
            expected = substitute(expected, m_env, m_answers, &problem).value_or(Json());
    }
    if (!problem.isEmpty()) {
        StepResult step;
        step.id = request.id;
        step.label = request.label();
        step.method = request.method;
        step.params = request.params; // as written: nothing was resolved
        step.error = problem;
        return finishStep(step);
    }
    if (!needsToolList(request) || m_tools)
        return send(resolved, *params);
    m_session->listAll(
        QStringLiteral("tools/list"), QStringLiteral("tools"),
        [this, request = resolved, params = *params](const Reply &r) {
            m_tools = r.ok() ? valueOr(r.result, "tools", Json::array()) : Json::array();
            send(request, params);
        },
        this);
}

bool CollectionRunner::needsToolList(const Request &request) const
{
    if (request.method != QStringLiteral("tools/call"))
        return false;
    return request.expect.outputSchema ||
           (m_session->mirrorsToolHeaders() && !m_session->knowsTool(stringOr(request.params, "name")));
}

std::optional<Json> CollectionRunner::outputSchemaOf(const Request &request) const
{
    const QString name = stringOr(request.params, "name");
    for (const Json &tool : m_tools.value_or(Json::array()))
        if (stringOr(tool, "name") == name && tool.contains("outputSchema"))
            return tool["outputSchema"];
    return std::nullopt;
}

void CollectionRunner::send(const Request &request, const Json &params)
{
    RequestOptions options;
    options.timeoutMs = request.timeoutMs;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_session->request(
        request.method, params,
        [this, request, params, clock](const Reply &reply) {
            answered(request, params, reply, clock->elapsed());
        },
        options, this);
}

void CollectionRunner::answered(const Request &request, const Json &params, const Reply &reply,
                                qint64 latencyMs)
{
    StepResult step;
    step.id = request.id;
    step.label = request.label();
    step.method = request.method;
    step.params = params;
    redaction::redactJson(step.params);
    step.latencyMs = latencyMs;
    step.answer = answerDocument(reply);
    if (reply.ok() || reply.error.category == Error::Category::Rpc ||
        reply.error.category == Error::Category::Tool)
        m_answers.insert(request.id, step.answer);
    step.failures = check(request.expect, reply, latencyMs, outputSchemaOf(request));
    step.status = step.failures.isEmpty() ? StepResult::Status::Passed : StepResult::Status::Failed;
    finishStep(std::move(step));
}

void CollectionRunner::finishStep(StepResult step)
{
    m_result.steps.append(std::move(step));
    Q_EMIT stepFinished(int(m_result.steps.size() - 1));
    // Queued: a long run of steps that are not sent must not nest a call per step.
    QMetaObject::invokeMethod(this, &CollectionRunner::runNext, Qt::QueuedConnection);
}

} // namespace mcp::collection
