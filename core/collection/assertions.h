#pragma once

#include "../session/clientsession.h"
#include "../traffic/jsondiff.h"
#include "collection.h"

#include <optional>

namespace mcp::collection {

// One expectation an answer did not meet.
struct Failure
{
    Failure() = default;
    Failure(QString check, QString message, QList<JsonChange> diff = {})
        : check(std::move(check)), message(std::move(message)), diff(std::move(diff))
    {}

    QString
        check; // "success", "error", "equals /content/0/text", "matches /x", "outputSchema", "maxLatencyMs"
    QString message;        // why, in a sentence
    QList<JsonChange> diff; // equals: expected (before) -> actual (after), paths from the document's root

    QString toString() const; // the message, then the diff one change a line
};

// The answer as pointers see it: the result, or the error object {code, message, data} of a JSON-RPC error.
Json answerDocument(const Reply &reply);

// Every expectation the reply does not meet. Without "error" the request must succeed (a tool result with
// isError counts as failing). outputSchema: the tool's outputSchema from tools/list, nullopt when the
// server listed none for it.
QList<Failure> check(const Expectation &expect, const Reply &reply, qint64 latencyMs,
                     const std::optional<Json> &outputSchema);

} // namespace mcp::collection
