#include "serverresults.h"

#include "../review/jsonfile.h"
#include "../traffic/recorder.h"

#include <QDir>
#include <QRegularExpression>
#include <algorithm>

namespace mcp::conformance {

namespace {

QString bounded(const Json &object, const char *key)
{
    const QString text = stringOr(object, key);
    return text.size() > maxTextChars ? text.left(maxTextChars) + QStringLiteral("… (cut)") : text;
}

HarnessCheck::Status statusFrom(const QString &text)
{
    using S = HarnessCheck::Status;
    static const QList<std::pair<QString, S>> names = {{QStringLiteral("SUCCESS"), S::Success},
                                                       {QStringLiteral("FAILURE"), S::Failure},
                                                       {QStringLiteral("WARNING"), S::Warning},
                                                       {QStringLiteral("INFO"), S::Info},
                                                       {QStringLiteral("SKIPPED"), S::Skipped}};
    for (const auto &[name, status] : names)
        if (name == text)
            return status;
    return S::Unknown;
}

HarnessCheck checkFrom(const Json &c)
{
    HarnessCheck check;
    check.id = bounded(c, "id");
    check.name = bounded(c, "name");
    check.description = bounded(c, "description");
    check.status = statusFrom(stringOr(c, "status"));
    check.errorMessage = bounded(c, "errorMessage");
    check.timestamp = QDateTime::fromString(stringOr(c, "timestamp"), Qt::ISODateWithMs);
    const Json refs = valueOr(c, "specReferences", Json::array());
    if (refs.is_array())
        for (const Json &ref : refs)
            if (ref.is_object() && check.specUrls.size() < 20)
                check.specUrls << bounded(ref, "url");
    if (c.contains("details")) {
        const QByteArray dumped = dumpCompact(c["details"]);
        check.details = dumped.size() <= maxDetailBytes
                            ? c["details"]
                            : Json(dumped.left(maxDetailBytes).toStdString() + "… (cut)");
    }
    return check;
}

void readChecks(const QString &file, ScenarioResult *scenario)
{
    QString error;
    const std::optional<Json> json = review::readJsonFile(file, maxChecksFileBytes, &error);
    if (!json) {
        scenario->problem = error;
        return;
    }
    if (!json->is_array()) {
        scenario->problem = QStringLiteral("%1: not a JSON array of checks").arg(file);
        return;
    }
    for (const Json &c : *json) {
        if (scenario->checks.size() >= maxChecksPerScenario) {
            scenario->problem = QStringLiteral("%1: more than %2 checks; the rest are not shown")
                                    .arg(file)
                                    .arg(maxChecksPerScenario);
            return;
        }
        if (c.is_object())
            scenario->checks << checkFrom(c);
    }
}

} // namespace

QString HarnessCheck::statusText(Status status)
{
    switch (status) {
    case Status::Success:
        return QStringLiteral("passed");
    case Status::Failure:
        return QStringLiteral("FAILED");
    case Status::Warning:
        return QStringLiteral("warning");
    case Status::Info:
        return QStringLiteral("info");
    case Status::Skipped:
        return QStringLiteral("skipped");
    case Status::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

int ScenarioResult::count(HarnessCheck::Status status) const
{
    return int(std::count_if(checks.begin(), checks.end(),
                             [status](const HarnessCheck &c) { return c.status == status; }));
}

bool ScenarioResult::failed() const
{
    return !problem.isEmpty() || count(HarnessCheck::Status::Failure) > 0 ||
           count(HarnessCheck::Status::Warning) > 0;
}

QList<ScenarioResult> readServerResults(const QString &dir, QStringList *problems)
{
    // server-<scenario>-<ISO time with ':' and '.' as '-'>, as the harness names each scenario's directory.
    static const QRegularExpression name(
        QStringLiteral(R"(^server-(.+)-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$)"));
    QList<ScenarioResult> scenarios;
    const QStringList entries = QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &entry : entries) {
        const QRegularExpressionMatch m = name.match(entry);
        if (!m.hasMatch())
            continue;
        if (scenarios.size() >= maxScenarios) {
            *problems
                << QStringLiteral("more than %1 scenario results; the rest are not shown").arg(maxScenarios);
            break;
        }
        ScenarioResult scenario;
        scenario.scenario = m.captured(1).left(200);
        scenario.started = QDateTime::fromString(
            QStringLiteral("%1T%2:%3:%4.%5Z")
                .arg(m.captured(2), m.captured(3), m.captured(4), m.captured(5), m.captured(6)),
            Qt::ISODateWithMs);
        const QString file = QDir(dir).filePath(entry + QStringLiteral("/checks.json"));
        readChecks(file, &scenario);
        scenarios << scenario;
    }
    std::stable_sort(scenarios.begin(), scenarios.end(),
                     [](const ScenarioResult &a, const ScenarioResult &b) { return a.started < b.started; });
    return scenarios;
}

void attributeFrames(QList<ScenarioResult> *scenarios, const Recorder &recorder)
{
    if (scenarios->isEmpty())
        return;
    int current = 0;
    for (qsizetype i = 0; i < recorder.size(); ++i) {
        const qint64 timeMs = recorder.at(i).timeUs / 1000;
        while (current + 1 < scenarios->size() &&
               (*scenarios)[current + 1].started.toMSecsSinceEpoch() <= timeMs)
            ++current;
        (*scenarios)[current].frames << int(i);
    }
}

} // namespace mcp::conformance
