#pragma once

#include "../session/clientsession.h"
#include "jsondiff.h"
#include "recorder.h"

#include <functional>
#include <optional>

namespace mcp {

// A recorded request ready to be sent again, with what it got back then.
struct ReplayRequest
{
    QString method;
    Json params;   // editable; the recorded progress token is dropped (the session adds its own)
    Json recorded; // the recorded outcome: the result, or {"error": {...}}; null when it was never answered

    // The request at `index`, or the request that `index` answers. Empty with *error set for notifications,
    // server requests, frames that are not JSON-RPC and batches.
    static std::optional<ReplayRequest> fromRecording(const Recorder &recorder, qsizetype index,
                                                      QString *error);
};

struct ReplayOutcome
{
    Reply reply;
    // The new outcome in the recorded one's shape (result, or {"error": {...}} for a JSON-RPC error); null
    // when no answer came (timeout, connection lost: see reply.error).
    Json outcome;
    QList<JsonChange> changes; // recorded -> new; empty when both are equal (or there is nothing to compare)
};

// The outcome of a reply, shaped like the recorded one.
Json outcomeOf(const Reply &reply);

// Sends the request on a ready session and reports the new outcome and its differences from the recorded
// one (paths in `ignore` left out, see diffJson). Returns the request id.
qint64 replay(ClientSession &session, const ReplayRequest &request,
              std::function<void(const ReplayOutcome &)> done, const QStringList &ignore = {},
              QObject *context = nullptr);

} // namespace mcp
