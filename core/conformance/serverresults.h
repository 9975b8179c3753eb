#pragma once

#include "../jsonrpc/json.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace mcp {
class Recorder;
}

namespace mcp::conformance {

// One check of a scenario as the harness wrote it in checks.json.
struct HarnessCheck
{
    enum class Status { Success, Failure, Warning, Info, Skipped, Unknown };

    QString id;
    QString name;
    QString description;
    Status status = Status::Unknown;
    QString errorMessage;
    QDateTime timestamp;
    QStringList specUrls;
    Json details; // as written, cut to maxDetailBytes

    static QString statusText(Status status);
};

// One scenario: its checks and the frames exchanged while it ran.
struct ScenarioResult
{
    QString scenario;
    QDateTime started; // from the results directory's name: the harness names it when the scenario starts
    QList<HarnessCheck> checks;
    QString problem;   // its checks.json could not be read
    QString note;      // what the reader must know to trust the verdict
    QList<int> frames; // indices into the run's Recorder
    int count(HarnessCheck::Status status) const;
    bool failed() const; // a failed check, a warning or an unreadable checks.json
};

// The harness's output directory (-o DIR) is read as hostile input: bounded directory count, file size,
// check count and text length; what is cut or unreadable is said, never trusted.
inline constexpr int maxScenarios = 500;
inline constexpr int maxChecksPerScenario = 2000;
inline constexpr qint64 maxChecksFileBytes = 8 * 1024 * 1024;
inline constexpr int maxTextChars = 4000;
inline constexpr qsizetype maxDetailBytes = 64 * 1024;

// Scenarios in the order they ran (by start time); problems with the directory itself in *problems.
QList<ScenarioResult> readServerResults(const QString &dir, QStringList *problems);

// The harness runs a server suite one scenario at a time, so a frame belongs to the last scenario that
// started at or before it; frames before the first scenario (none, normally) go to the first.
void attributeFrames(QList<ScenarioResult> *scenarios, const Recorder &recorder);

} // namespace mcp::conformance
