#include "replay.h"

namespace mcp {

static std::optional<jsonrpc::Message> single(const FrameRecord &frame)
{
    if (frame.parseFailed())
        return std::nullopt;
    jsonrpc::ParseResult parsed = jsonrpc::parse(frame.bytes);
    if (parsed.error || parsed.batch || parsed.messages.size() != 1)
        return std::nullopt;
    return std::move(parsed.messages.front());
}

std::optional<ReplayRequest> ReplayRequest::fromRecording(const Recorder &recorder, qsizetype index,
                                                          QString *error)
{
    qsizetype requestIndex = index;
    if (recorder.at(index).kind != jsonrpc::Kind::Request)
        requestIndex = recorder.at(index).pairedIndex;
    const std::optional<jsonrpc::Message> request =
        requestIndex < 0 ? std::nullopt : single(recorder.at(requestIndex));
    if (!request || !request->isRequest()) {
        *error = QStringLiteral("only a request (or its response) can be replayed");
        return std::nullopt;
    }
    if (recorder.at(requestIndex).direction != Direction::Sent) {
        *error = QStringLiteral("this request came from the server; only our own requests can be replayed");
        return std::nullopt;
    }
    ReplayRequest out;
    out.method = toQString(request->method);
    out.params = request->params.is_object() ? request->params : Json::object();
    if (auto meta = out.params.find("_meta"); meta != out.params.end() && meta->is_object()) {
        meta->erase("progressToken");
        if (meta->empty())
            out.params.erase(meta);
    }
    const qsizetype responseIndex = recorder.at(requestIndex).pairedIndex;
    if (const auto response = responseIndex < 0 ? std::nullopt : single(recorder.at(responseIndex)))
        out.recorded =
            response->kind == jsonrpc::Kind::Error ? Json{{"error", response->error}} : response->result;
    return out;
}

Json outcomeOf(const Reply &reply)
{
    if (reply.error.category == Error::Category::Rpc) {
        Json error = {{"code", reply.error.code}, {"message", toStd(reply.error.message)}};
        if (!reply.error.data.is_null())
            error["data"] = reply.error.data;
        return {{"error", error}};
    }
    return reply.result; // also a tool's isError result
}

qint64 replay(ClientSession &session, const ReplayRequest &request,
              std::function<void(const ReplayOutcome &)> done, const QStringList &ignore, QObject *context)
{
    const Json recorded = request.recorded;
    return session.request(
        request.method, request.params,
        [done = std::move(done), recorded, ignore](const Reply &reply) {
            ReplayOutcome out{reply, outcomeOf(reply), {}};
            if (!out.outcome.is_null())
                out.changes = diffJson(recorded, out.outcome, ignore);
            done(out);
        },
        {}, context);
}

} // namespace mcp
