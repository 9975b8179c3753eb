#include "assertions.h"

#include "../schema/schemavalidator.h"

#include <QRegularExpression>

namespace mcp::collection {

namespace {

constexpr int kMaxShownChars = 2000; // a value in a message; the diff itself holds the whole value

QString shown(const Json &value)
{
    const QString text = QString::fromUtf8(dumpCompact(value));
    return text.size() <= kMaxShownChars ? text : text.left(kMaxShownChars) + QStringLiteral("…");
}

std::optional<Json> at(const Json &document, const QString &pointer)
{
    try {
        const Json::json_pointer p(toStd(pointer));
        if (document.contains(p))
            return document.at(p);
    } catch (const Json::exception &) {
    }
    return std::nullopt;
}

QString pointerLabel(const QString &pointer)
{
    return pointer.isEmpty() ? QStringLiteral("(whole answer)") : pointer;
}

void checkOutcome(const Expectation &expect, const Reply &reply, QList<Failure> *failures)
{
    const bool rpcError = reply.error.category == Error::Category::Rpc;
    if (expect.errorCode) {
        if (!rpcError)
            failures->append({QStringLiteral("error"),
                              QStringLiteral("expected error %1, got %2")
                                  .arg(*expect.errorCode)
                                  .arg(reply.ok() ? QStringLiteral("success") : reply.error.toString())});
        else if (reply.error.code != *expect.errorCode)
            failures->append({QStringLiteral("error"), QStringLiteral("expected error %1, got error %2: %3")
                                                           .arg(*expect.errorCode)
                                                           .arg(reply.error.code)
                                                           .arg(reply.error.message)});
        return;
    }
    if (expect.toolError) {
        if (reply.error.category != Error::Category::Tool)
            failures->append({QStringLiteral("toolError"),
                              QStringLiteral("expected a tool result with isError, got %1")
                                  .arg(reply.ok() ? QStringLiteral("success") : reply.error.toString())});
        return;
    }
    if (!reply.ok())
        failures->append({QStringLiteral("success"),
                          QStringLiteral("expected success, got %1 error: %2")
                              .arg(Error::categoryName(reply.error.category), reply.error.toString())});
}

void checkOutputSchema(const Reply &reply, const std::optional<Json> &outputSchema, QList<Failure> *failures)
{
    const QString check = QStringLiteral("outputSchema");
    if (!outputSchema)
        return failures->append({check, QStringLiteral("the server lists no outputSchema for this tool")});
    if (!reply.result.is_object() || !reply.result.contains("structuredContent"))
        return failures->append({check, QStringLiteral("the result has no structuredContent")});
    const schema::ValidationResult result =
        schema::validate(reply.result["structuredContent"], *outputSchema);
    if (result.status == schema::ValidationResult::Status::Invalid)
        failures->append({check, QStringLiteral("structuredContent does not fit the tool's outputSchema:\n") +
                                     result.lines().join(QLatin1Char('\n'))});
    else if (result.status == schema::ValidationResult::Status::NotChecked)
        failures->append({check, QStringLiteral("the outputSchema could not be fully checked:\n") +
                                     result.lines().join(QLatin1Char('\n'))});
}

} // namespace

QString Failure::toString() const
{
    QString text = check + QStringLiteral(": ") + message;
    if (!diff.isEmpty())
        text += QLatin1Char('\n') + describeChanges(diff);
    return text;
}

Json answerDocument(const Reply &reply)
{
    if (reply.error.category != Error::Category::Rpc)
        return reply.result;
    Json error = {{"code", reply.error.code}, {"message", toStd(reply.error.message)}};
    if (!reply.error.data.is_null())
        error["data"] = reply.error.data;
    return error;
}

QList<Failure> check(const Expectation &expect, const Reply &reply, qint64 latencyMs,
                     const std::optional<Json> &outputSchema)
{
    QList<Failure> failures;
    checkOutcome(expect, reply, &failures);
    const Json answer = answerDocument(reply);
    for (const auto &[pointer, expected] : expect.equals) {
        const QString check = QStringLiteral("equals ") + pointerLabel(pointer);
        const std::optional<Json> actual = at(answer, pointer);
        if (!actual) {
            failures.append(
                {check,
                 QStringLiteral("nothing at %1; expected %2").arg(pointerLabel(pointer), shown(expected))});
            continue;
        }
        QList<JsonChange> diff = diffJson(expected, *actual);
        if (diff.isEmpty())
            continue;
        for (JsonChange &change : diff)
            change.path = pointer + change.path;
        failures.append({check,
                         QStringLiteral("the answer differs from the expected value (expected -> actual):"),
                         diff});
    }
    for (const auto &[pointer, pattern] : expect.matches) {
        const QString check = QStringLiteral("matches ") + pointerLabel(pointer);
        const std::optional<Json> actual = at(answer, pointer);
        if (!actual) {
            failures.append(
                {check, QStringLiteral("nothing at %1 to match /%2/").arg(pointerLabel(pointer), pattern)});
            continue;
        }
        const QString text = actual->is_string() ? toQString(actual->get<std::string>())
                                                 : QString::fromUtf8(dumpCompact(*actual));
        const QRegularExpressionMatch match = QRegularExpression(pattern).match(text);
        if (!match.hasMatch())
            failures.append({check, QStringLiteral("%1 does not match /%2/").arg(shown(*actual), pattern)});
    }
    if (expect.outputSchema)
        checkOutputSchema(reply, outputSchema, &failures);
    if (expect.maxLatencyMs && latencyMs > *expect.maxLatencyMs)
        failures.append(
            {QStringLiteral("maxLatencyMs"),
             QStringLiteral("answered in %1 ms, more than %2 ms").arg(latencyMs).arg(*expect.maxLatencyMs)});
    return failures;
}

} // namespace mcp::collection
