#pragma once

#include "assertions.h"
#include "collection.h"
#include "variables.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

namespace mcp::collection {

struct StepResult
{
    enum class Status {
        Passed,
        Failed,  // answered, and an expectation was not met (failures says which)
        Errored, // not sent: a reference could not be resolved (error says why)
    };
    Status status = Status::Errored;
    QString id;
    QString label;
    QString method;
    Json params;          // as sent, secrets redacted (what ${env:…} brought in may be one)
    Json answer;          // the result, or the error object; null when not sent
    qint64 latencyMs = 0; // request to answer
    QList<Failure> failures;
    QString error;

    static QString statusName(Status status); // "passed", "failed", "error"
};

struct RunResult
{
    QString collectionName;
    QString connection; // what was run against (a command or a URL, as the caller names it)
    QDateTime started;
    qint64 elapsedMs = 0;
    QList<StepResult> steps;

    int count(StepResult::Status status) const;
    bool passed() const { return count(StepResult::Status::Passed) == steps.size(); }
};

// Runs a collection's requests one after another on a ready session, resolving each one's references from
// the environment and the answers before it, and checking each answer against its expectations. A failed
// request does not stop the run; the ones that refer to its answer are reported as errors.
class CollectionRunner : public QObject
{
    Q_OBJECT
public:
    CollectionRunner(ClientSession *session, Collection collection, EnvLookup env = processEnvironment(),
                     QObject *parent = nullptr);

    void start(const QString &connection);
    const RunResult &result() const { return m_result; }
    const Collection &collection() const { return m_collection; }

Q_SIGNALS:
    void stepStarted(int index);
    void stepFinished(int index); // result().steps[index] is complete
    void finished();

private:
    void runNext();
    void send(const Request &request, const Json &params);
    void answered(const Request &request, const Json &params, const Reply &reply, qint64 latencyMs);
    void finishStep(StepResult step);
    void sessionGone(); // a request in flight is never answered: said as its error, and the run ends
    // The tool's definitions are listed once, before the first step that needs them: a check against the
    // outputSchema, or a tools/call whose headers come from the schema (2026-07-28 over HTTP).
    bool needsToolList(const Request &request) const;
    std::optional<Json> outputSchemaOf(const Request &request) const;

    QPointer<ClientSession> m_session;
    Collection m_collection;
    EnvLookup m_env;
    RunResult m_result;
    QHash<QString, Json> m_answers; // by request id, for ${step:…}
    std::optional<Json> m_tools;    // tools/list, once listed
    QElapsedTimer m_clock;
    bool m_finished = false;
};

} // namespace mcp::collection
