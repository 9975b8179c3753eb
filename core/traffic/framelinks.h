#pragma once

#include "recorder.h"

#include <vector>

namespace mcp {

// Links between recorded frames and HTTP exchanges that FrameRecord does not store: they are found on demand,
// when a view asks about one frame, so recording stays as cheap as it is.
namespace framelinks {

// The request a notification belongs to: notifications/progress by its progressToken (the request's
// params._meta.progressToken), notifications/cancelled by its requestId. Looks back at most maxLookBack
// frames; -1 when there is none or the frame is not such a notification.
int requestOf(const Recorder &recorder, int frame, int maxLookBack = 100'000);

// The progress and cancellation notifications that belong to a request, in order (between the request and
// its response, or at most maxLookAhead frames after an unanswered one).
std::vector<int> notificationsOf(const Recorder &recorder, int request, int maxLookAhead = 100'000);

// Indices into recorder.httpExchanges() of the exchanges that carried a frame: the POST whose body it was
// (sent), or the response or SSE stream whose body holds it (received). Found by content, oldest first.
std::vector<int> httpExchangesOf(const Recorder &recorder, int frame);

} // namespace framelinks
} // namespace mcp
