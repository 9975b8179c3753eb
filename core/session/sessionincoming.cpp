// ClientSession: what the server sends: replies (tasks, input_required retries, version retries), its
// requests to the client, and notifications.
#include "../traffic/recorder.h"
#include "clientsession.h"
#include "clientsessionprivate.h"
#include "protocolversion.h"
#include "toolheaders.h"

namespace mcp {

using jsonrpc::Kind;
using jsonrpc::Message;

// A tool result with isError: true is an error of its own kind, carrying the tool's words.
static Error toolError(const Json &result)
{
    if (const auto flag = result.find("isError"); flag != result.end() && !flag->is_boolean())
        return makeError(Error::Category::Protocol, QStringLiteral("tools/call"),
                         QStringLiteral("the result's \"isError\" must be a boolean, got %1")
                             .arg(QString::fromLatin1(flag->type_name())));
    if (!valueOr(result, "isError", false))
        return {};
    QString text;
    for (const auto &c : valueOr(result, "content", Json::array()))
        if (stringOr(c, "type") == QStringLiteral("text"))
            text += stringOr(c, "text");
    return makeError(Error::Category::Tool, QStringLiteral("tools/call"),
                     text.isEmpty() ? QStringLiteral("the tool reported an error") : text);
}

void ClientSession::onFrame(const QByteArray &bytes)
{
    jsonrpc::Limits limits;
    limits.allowBatch = m_version.isEmpty() || protocol::allowsBatches(m_version);
    jsonrpc::ParseResult parsed = jsonrpc::parse(bytes, limits);
    if (m_recorder)
        m_recorder->record(m_connectionId, Direction::Received, bytes, parsed);
    if (!parsed.ok()) {
        const Error e =
            makeError(Error::Category::Protocol, QStringLiteral("receive"),
                      QStringLiteral("invalid frame from the server: %1").arg(parsed.error->toString()));
        // A reply without an id answers no request, so it cannot break one: said, and kept in the traffic.
        // Legacy servers answer the version probe so (sometimes after the handshake went on), and the
        // conformance harness's server answers notifications/initialized with {"result":{}}.
        if (parsed.replyWithoutId) {
            Q_EMIT diagnostic({Diagnostic::Kind::Warning, e.message});
            return;
        }
        if (parsed.errorId.is_number_integer() && m_pending.count(parsed.errorId.get<qint64>()))
            finish(parsed.errorId.get<qint64>(), Reply{nullptr, e});
        else
            Q_EMIT protocolError(e);
        return;
    }
    // Handlers check types before reading fields; this is the net under a check that was missed, so that
    // one frame cannot end the process.
    try {
        for (Message &m : parsed.messages)
            onMessage(m);
    } catch (const Json::exception &e) {
        Q_EMIT protocolError(makeError(
            Error::Category::Protocol, QStringLiteral("receive"),
            QStringLiteral("could not handle a frame from the server: %1").arg(QString::fromUtf8(e.what()))));
    }
}

void ClientSession::onMessage(Message &m)
{
    switch (m.kind) {
    case Kind::Response:
    case Kind::Error:
        onReply(m);
        break;
    case Kind::Request:
        onServerRequest(m);
        break;
    case Kind::Notification:
        onNotification(m);
        break;
    }
}

// Takes the result out of m for the reply: a result can be large.
void ClientSession::onReply(Message &m)
{
    const qint64 id = m.id.is_number_integer() ? m.id.get<qint64>() : -1;
    auto it = m_pending.find(id);
    if (it == m_pending.end()) {
        // A server that cannot tell which request failed (id null) during the modern probe: it is legacy.
        if (m.kind == Kind::Error && m.id.is_null()) {
            for (auto &[pid, p] : m_pending)
                if (p->handshake) {
                    finish(pid, Reply{nullptr, makeError(Error::Category::Rpc, p->method, m.errorMessage(),
                                                         m.errorCode())});
                    return;
                }
        }
        if (m_abandoned.remove(id)) { // allowed: the server may have answered before it saw the cancellation
            Q_EMIT diagnostic({Diagnostic::Kind::Info,
                               QStringLiteral("a late response to request %1, which had timed out or was "
                                              "cancelled; ignored")
                                   .arg(id)});
            return;
        }
        const QString idText = jsonrpc::shortIdText(m.id);
        Q_EMIT protocolError(makeError(
            Error::Category::Protocol, QStringLiteral("receive"),
            id > 0 && id < m_nextId
                ? QStringLiteral("a second response to request %1, which was already answered").arg(idText)
                : QStringLiteral("a response to request %1, which was never sent").arg(idText)));
        return;
    }
    Pending &p = *it->second;
    if (m.kind == Kind::Error && m.errorCode() == jsonrpc::ErrorCode::UnsupportedProtocolVersion &&
        isModern() && retryWithSupportedVersion(id, valueOr(m.error, "data", Json::object())))
        return;
    if (m.kind == Kind::Error) {
        finish(id, Reply{nullptr, makeError(Error::Category::Rpc, p.method, m.errorMessage(), m.errorCode(),
                                            valueOr(m.error, "data", Json()))});
        return;
    }
    if (!m.result.is_object()) {
        finish(id, Reply{nullptr, makeError(Error::Category::Protocol, p.method,
                                            QStringLiteral("the result is not a JSON object"))});
        return;
    }
    if (p.options.asTask && valueOr(m.result, "task", Json::object()).contains("taskId")) {
        awaitTaskResult(id, m.result["task"]);
        return;
    }
    if (stringOr(m.result, "resultType") == QStringLiteral("input_required")) {
        answerInputRequired(id, m.result);
        return;
    }
    Reply reply{std::move(m.result), {}};
    if (p.method == QStringLiteral("tools/list"))
        screenTools(reply.result);
    if (p.method == QStringLiteral("tools/call"))
        reply.error = toolError(reply.result);
    finish(id, reply);
}

// A task was created: tasks/result blocks until it ends and answers with the original request's result.
void ClientSession::awaitTaskResult(qint64 id, const Json &task)
{
    std::unique_ptr<Pending> creator = take(id);
    Q_EMIT taskCreated(id, task);
    Pending result;
    result.method = QStringLiteral("tasks/result");
    result.params = {{"taskId", task["taskId"]}};
    result.options = creator->options;
    result.options.asTask = false;
    result.options.reportProgress = false;
    result.handler = [this, id, method = creator->method, handler = creator->handler](const Reply &reply) {
        m_progressAlias.remove(id);
        Reply r = reply;
        if (r.ok() && method == QStringLiteral("tools/call"))
            r.error = toolError(r.result);
        if (handler)
            handler(r);
    };
    result.context = creator->context;
    result.hasContext = creator->hasContext;
    const qint64 resultId = resend(result, Json::object(), 0, 0);
    if (creator->options.reportProgress)
        m_progressAlias.insert(id, resultId); // progress keeps naming the creating request's token
}

// A modern server that wants another version names the ones it supports: retry with one we share.
bool ClientSession::retryWithSupportedVersion(qint64 id, const Json &errorData)
{
    constexpr int maxRetries = 2;
    Pending &p = *m_pending[id];
    if (p.versionRetries >= maxRetries)
        return false;
    const QStringList theirs = versionList(valueOr(errorData, "supported", Json::array()));
    const QString chosen = chooseModernVersion(theirs);
    if (chosen.isEmpty())
        return false;
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Info, QStringLiteral("%1: the server asked for another protocol version "
                                                "(it supports %2); retrying with %3")
                                     .arg(p.method, theirs.join(QStringLiteral(", ")), chosen)});
    m_version = chosen;
    m_transport->setProtocolVersion(chosen);
    std::unique_ptr<Pending> original = take(id);
    resend(*original, Json::object(), original->inputRounds, original->versionRetries + 1);
    return true;
}

// 2026-07-28 multi round-trip requests: answer every input request, then retry with a new id.
void ClientSession::answerInputRequired(qint64 id, const Json &result)
{
    std::shared_ptr<Pending> original = take(id);
    const Json requests = valueOr(result, "inputRequests", Json::object());
    if (original->inputRounds >= m_options.maxInputRounds) {
        deliver(*original,
                Reply{nullptr, makeError(Error::Category::Protocol, original->method,
                                         QStringLiteral("the server asked for input %1 times; giving up")
                                             .arg(original->inputRounds))});
        return;
    }
    struct Round
    {
        Json responses = Json::object();
        size_t outstanding = 0;
        Error error;
    };
    auto round = std::make_shared<Round>();
    round->outstanding = requests.is_object() ? requests.size() : 0;
    const Json state = result.contains("requestState") ? result["requestState"] : Json();
    auto retry = [this, round, state, original, alive = QPointer<ClientSession>(this)] {
        if (!alive)
            return;
        if (round->error) {
            deliver(*original, Reply{nullptr, round->error});
            return;
        }
        Json additions = Json::object();
        if (!round->responses.empty())
            additions["inputResponses"] = round->responses;
        if (!state.is_null())
            additions["requestState"] = state;
        resend(*original, additions, original->inputRounds + 1, original->versionRetries);
    };
    if (round->outstanding == 0) {
        retry();
        return;
    }
    for (const auto &[key, inputRequest] : requests.items()) {
        const QString method = stringOr(inputRequest, "method");
        // key copied by name: clang 14 cannot capture a structured binding
        auto answer = [round, key = key, retry](const Json &answerResult, const Error &error) {
            if (error && !round->error)
                round->error = error;
            else
                round->responses[key] = answerResult;
            if (--round->outstanding == 0)
                retry();
        };
        if (!m_handler)
            answer({}, makeError(Error::Category::Protocol, original->method,
                                 QStringLiteral(
                                     "the server needs %1 from the client, which this client does not answer")
                                     .arg(method)));
        else
            m_handler->handle(method, valueOr(inputRequest, "params", Json::object()), answer);
    }
}

void ClientSession::onServerRequest(const Message &m)
{
    const QString method = toQString(m.method);
    const Json id = m.id;
    auto respond = [this, id, method, alive = QPointer<ClientSession>(this)](const Json &result,
                                                                             const Error &error) {
        if (!alive || (m_state != State::Ready && m_state != State::Initializing))
            return;
        if (error)
            transmit(Message::errorResponse(id, error.code ? error.code : jsonrpc::ErrorCode::InternalError,
                                            toStd(error.message), error.data),
                     {}, {}, false);
        else
            transmit(Message::response(id, result), {}, {}, false);
    };
    if (method == QStringLiteral("ping")) {
        respond(Json::object(), {});
        return;
    }
    const bool known = method == QStringLiteral("sampling/createMessage") ||
                       method == QStringLiteral("elicitation/create") ||
                       method == QStringLiteral("roots/list");
    if (known && !m.params.is_null() && !m.params.is_object()) {
        respond({}, makeError(Error::Category::Rpc, method,
                              QStringLiteral("%1: \"params\" must be an object").arg(method),
                              jsonrpc::ErrorCode::InvalidParams));
        return;
    }
    if (!known || !m_handler) {
        respond({}, makeError(Error::Category::Rpc, method,
                              known ? QStringLiteral("this client does not answer %1").arg(method)
                                    : QStringLiteral("method not found: %1").arg(method),
                              jsonrpc::ErrorCode::MethodNotFound));
        return;
    }
    m_handler->handle(method, m.params, respond);
}

// Why a notification the session acts on is malformed, or empty when it is fine.
static QString malformedNotification(const QString &method, const Json &params)
{
    if (method == QStringLiteral("notifications/progress")) {
        const Json token = valueOr(params, "progressToken", Json());
        if (!params.is_object() || !(token.is_string() || token.is_number_integer()) ||
            !valueOr(params, "progress", Json()).is_number())
            return QStringLiteral("\"params\" must be an object with a string or integer \"progressToken\" "
                                  "and a number \"progress\"");
    } else if (method == QStringLiteral("notifications/message")) {
        if (!params.is_object() || !valueOr(params, "level", Json()).is_string())
            return QStringLiteral("\"params\" must be an object with a string \"level\"");
    }
    return {};
}

void ClientSession::onNotification(const Message &m)
{
    if (isFromCancelledSubscription(m.params))
        return; // a stream we cancelled may go on over HTTP until it closes: the traffic keeps it
    const QString method = toQString(m.method);
    if (const QString why = malformedNotification(method, m.params); !why.isEmpty()) {
        Q_EMIT protocolError(makeError(Error::Category::Protocol, QStringLiteral("receive"),
                                       QStringLiteral("%1: %2").arg(method, why)));
        return;
    }
    if (method == QStringLiteral("notifications/progress")) {
        const Json &token = m.params["progressToken"];
        if (token.is_number_integer()) {
            auto it = m_pending.find(m_progressAlias.value(token.get<qint64>(), token.get<qint64>()));
            if (it != m_pending.end()) {
                armTimeout(*it->second); // progress proves the server is alive
                Q_EMIT progress(token.get<qint64>(), m.params["progress"].get<double>(),
                                valueOr(m.params, "total", 0.0), stringOr(m.params, "message"));
            }
        }
    } else if (method == QStringLiteral("notifications/message")) {
        Q_EMIT logMessage(stringOr(m.params, "level"), stringOr(m.params, "logger"),
                          valueOr(m.params, "data", Json()));
    } else if (method == QStringLiteral("notifications/subscriptions/acknowledged")) {
        onListenAcknowledged(m.params);
    }
    Q_EMIT notificationReceived(method, m.params);
}

} // namespace mcp
