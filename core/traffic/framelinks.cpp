#include "framelinks.h"

namespace mcp::framelinks {

namespace {

bool isProgress(const QString &method)
{
    return method == QLatin1String("notifications/progress");
}

bool isCancellation(const QString &method)
{
    return method == QLatin1String("notifications/cancelled");
}

Json paramsOf(const FrameRecord &f)
{
    return valueOr(jsonrpc::parseJson(f.bytes), "params", Json::object());
}

Json progressTokenOf(const FrameRecord &request)
{
    if (!request.bytes.contains("progressToken")) // most requests carry none: skip parsing them
        return nullptr;
    const Json params = paramsOf(request);
    const auto meta = params.find("_meta");
    return meta != params.end() && meta->is_object() ? meta->value("progressToken", Json()) : Json();
}

} // namespace

int requestOf(const Recorder &recorder, int frame, int maxLookBack)
{
    const FrameRecord &n = recorder.at(frame);
    const QString method = recorder.method(n);
    if (n.kind != jsonrpc::Kind::Notification || !(isProgress(method) || isCancellation(method)))
        return -1;
    const Json params = paramsOf(n);
    // Progress travels against its request; a cancellation is sent by whoever sent the request.
    const bool progress = isProgress(method);
    const Json key = params.value(progress ? "progressToken" : "requestId", Json());
    if (key.is_null())
        return -1;
    const Direction requestDirection =
        progress ? (n.direction == Direction::Sent ? Direction::Received : Direction::Sent) : n.direction;
    const QByteArray id = jsonrpc::idText(key).toUtf8();
    for (int i = frame - 1; i >= 0 && i >= frame - maxLookBack; --i) {
        const FrameRecord &f = recorder.at(i);
        if (f.connection != n.connection || f.direction != requestDirection ||
            f.kind != jsonrpc::Kind::Request)
            continue;
        if (progress ? progressTokenOf(f) == key : f.id == id)
            return i;
    }
    return -1;
}

std::vector<int> notificationsOf(const Recorder &recorder, int request, int maxLookAhead)
{
    std::vector<int> out;
    const FrameRecord &r = recorder.at(request);
    if (r.kind != jsonrpc::Kind::Request)
        return out;
    const qsizetype end =
        r.pairedIndex >= 0 ? r.pairedIndex : qMin(recorder.size(), qsizetype(request) + maxLookAhead + 1);
    for (qsizetype i = request + 1; i < end; ++i) {
        const FrameRecord &f = recorder.at(i);
        if (f.connection != r.connection || f.kind != jsonrpc::Kind::Notification)
            continue;
        const QString method = recorder.method(f);
        if ((isProgress(method) || isCancellation(method)) &&
            requestOf(recorder, int(i), int(i) - request) == request)
            out.push_back(int(i));
    }
    return out;
}

std::vector<int> httpExchangesOf(const Recorder &recorder, int frame)
{
    std::vector<int> out;
    const FrameRecord &f = recorder.at(frame);
    const auto &exchanges = recorder.httpExchanges();
    for (size_t i = 0; i < exchanges.size(); ++i) {
        const Recorder::HttpRecord &x = exchanges[i];
        if (x.connection != f.connection)
            continue;
        const QByteArray &body =
            f.direction == Direction::Sent ? x.exchange.requestBody : x.exchange.responseBody;
        if (body.size() >= f.bytes.size() && body.contains(f.bytes))
            out.push_back(int(i));
    }
    return out;
}

} // namespace mcp::framelinks
