#include "report.h"

#include <QHostInfo>
#include <QXmlStreamWriter>

namespace mcp::collection {

namespace {

// XML 1.0 allows #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and the supplementary planes.
QString xmlSafe(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out += c;
            out += text[++i];
        } else if (c == u'\t' || c == u'\n' || c == u'\r' ||
                   (c.unicode() >= 0x20 && c.unicode() <= 0xFFFD && !c.isSurrogate())) {
            out += c;
        } else {
            out += QChar(QChar::ReplacementCharacter);
        }
    }
    return out;
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 3);
}

QString indented(const QString &text)
{
    return QStringLiteral("      ") + QString(text).replace(QLatin1Char('\n'), QStringLiteral("\n      "));
}

} // namespace

QString runText(const RunResult &run)
{
    QStringList lines;
    lines << QStringLiteral("collection \"%1\" against %2").arg(run.collectionName, run.connection);
    for (const StepResult &step : run.steps) {
        const QString status = step.status == StepResult::Status::Passed   ? QStringLiteral("PASS ")
                               : step.status == StepResult::Status::Failed ? QStringLiteral("FAIL ")
                                                                           : QStringLiteral("ERROR");
        QString line = QStringLiteral("  %1 %2 (%3)").arg(status, step.label, step.method);
        if (step.status != StepResult::Status::Errored)
            line += QStringLiteral(" %1 ms").arg(step.latencyMs);
        lines << line;
        if (step.status == StepResult::Status::Errored)
            lines << indented(QStringLiteral("not sent: ") + step.error);
        for (const Failure &failure : step.failures)
            lines << indented(failure.toString());
    }
    lines << QStringLiteral("%1 requests: %2 passed, %3 failed, %4 not sent (%5 ms)")
                 .arg(run.steps.size())
                 .arg(run.count(StepResult::Status::Passed))
                 .arg(run.count(StepResult::Status::Failed))
                 .arg(run.count(StepResult::Status::Errored))
                 .arg(run.elapsedMs);
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

Json runJson(const RunResult &run)
{
    Json steps = Json::array();
    for (const StepResult &step : run.steps) {
        Json failures = Json::array();
        for (const Failure &failure : step.failures) {
            Json diff = Json::array();
            for (const JsonChange &c : failure.diff)
                diff.push_back({{"kind", toStd(JsonChange::kindName(c.kind))},
                                {"path", toStd(c.path)},
                                {"expected", c.before},
                                {"actual", c.after}});
            failures.push_back(
                {{"check", toStd(failure.check)}, {"message", toStd(failure.message)}, {"diff", diff}});
        }
        Json s = {{"id", toStd(step.id)},         {"name", toStd(step.label)},
                  {"method", toStd(step.method)}, {"status", toStd(StepResult::statusName(step.status))},
                  {"latencyMs", step.latencyMs},  {"params", step.params},
                  {"answer", step.answer},        {"failures", failures}};
        if (!step.error.isEmpty())
            s["error"] = toStd(step.error);
        steps.push_back(s);
    }
    return {{"collection", toStd(run.collectionName)},
            {"connection", toStd(run.connection)},
            {"passed", run.count(StepResult::Status::Passed)},
            {"failed", run.count(StepResult::Status::Failed)},
            {"errors", run.count(StepResult::Status::Errored)},
            {"elapsedMs", run.elapsedMs},
            {"steps", steps}};
}

QByteArray junitXml(const RunResult &run)
{
    const QString suiteName =
        run.collectionName.isEmpty() ? QStringLiteral("collection") : run.collectionName;
    const QString failures = QString::number(run.count(StepResult::Status::Failed));
    const QString errors = QString::number(run.count(StepResult::Status::Errored));
    const QString tests = QString::number(run.steps.size());
    QByteArray bytes;
    QXmlStreamWriter xml(&bytes);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("testsuites"));
    xml.writeAttribute(QStringLiteral("name"), xmlSafe(suiteName));
    xml.writeAttribute(QStringLiteral("tests"), tests);
    xml.writeAttribute(QStringLiteral("failures"), failures);
    xml.writeAttribute(QStringLiteral("errors"), errors);
    xml.writeAttribute(QStringLiteral("time"), seconds(run.elapsedMs));

    xml.writeStartElement(QStringLiteral("testsuite"));
    xml.writeAttribute(QStringLiteral("name"), xmlSafe(suiteName));
    xml.writeAttribute(QStringLiteral("tests"), tests);
    xml.writeAttribute(QStringLiteral("failures"), failures);
    xml.writeAttribute(QStringLiteral("errors"), errors);
    xml.writeAttribute(QStringLiteral("skipped"), QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("time"), seconds(run.elapsedMs));
    xml.writeAttribute(QStringLiteral("timestamp"),
                       run.started.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss")));
    xml.writeAttribute(QStringLiteral("hostname"), xmlSafe(QHostInfo::localHostName()));
    xml.writeStartElement(QStringLiteral("properties"));
    xml.writeStartElement(QStringLiteral("property"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("connection"));
    xml.writeAttribute(QStringLiteral("value"), xmlSafe(run.connection));
    xml.writeEndElement();
    xml.writeEndElement(); // properties

    for (const StepResult &step : run.steps) {
        xml.writeStartElement(QStringLiteral("testcase"));
        xml.writeAttribute(QStringLiteral("name"), xmlSafe(step.label));
        xml.writeAttribute(QStringLiteral("classname"), xmlSafe(suiteName + QLatin1Char('.') + step.id));
        xml.writeAttribute(QStringLiteral("time"), seconds(step.latencyMs));
        if (step.status == StepResult::Status::Errored) {
            xml.writeStartElement(QStringLiteral("error"));
            xml.writeAttribute(QStringLiteral("message"), xmlSafe(step.error));
            xml.writeAttribute(QStringLiteral("type"), QStringLiteral("reference"));
            xml.writeCharacters(xmlSafe(step.error));
            xml.writeEndElement();
        }
        for (const Failure &failure : step.failures) {
            xml.writeStartElement(QStringLiteral("failure"));
            xml.writeAttribute(QStringLiteral("message"),
                               xmlSafe(failure.message.section(QLatin1Char('\n'), 0, 0)));
            xml.writeAttribute(QStringLiteral("type"), xmlSafe(failure.check));
            xml.writeCharacters(xmlSafe(failure.toString()));
            xml.writeEndElement();
        }
        xml.writeEndElement(); // testcase
    }
    xml.writeEndElement(); // testsuite
    xml.writeEndElement(); // testsuites
    xml.writeEndDocument();
    return bytes;
}

} // namespace mcp::collection
