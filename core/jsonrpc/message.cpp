#include "message.h"

#include <cstring>

namespace mcp::jsonrpc {

Message Message::request(Json id, std::string method, Json params)
{
    Message m;
    m.kind = Kind::Request;
    m.id = std::move(id);
    m.method = std::move(method);
    m.params = std::move(params);
    return m;
}

Message Message::notification(std::string method, Json params)
{
    Message m;
    m.kind = Kind::Notification;
    m.method = std::move(method);
    m.params = std::move(params);
    return m;
}

Message Message::response(Json id, Json result)
{
    Message m;
    m.kind = Kind::Response;
    m.id = std::move(id);
    m.result = result.is_null() ? Json::object() : std::move(result);
    return m;
}

Message Message::errorResponse(Json id, int code, const std::string &message, Json data)
{
    Message m;
    m.kind = Kind::Error;
    m.id = std::move(id);
    m.error = {{"code", code}, {"message", message}};
    if (!data.is_null())
        m.error["data"] = std::move(data);
    return m;
}

int Message::errorCode() const
{
    if (kind != Kind::Error)
        return 0;
    return error.value("code", 0);
}

QString Message::errorMessage() const
{
    return stringOr(error, "message");
}

QByteArray Message::serialize() const
{
    // Field by field, as a Json object of them would print: building that object would copy the params.
    std::string out = R"({"jsonrpc":"2.0")";
    const auto field = [&out](const char *name, const Json &value) {
        out += ",\"";
        out += name;
        out += "\":";
        out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    if (kind != Kind::Notification)
        field("id", id);
    if (kind == Kind::Request || kind == Kind::Notification) {
        field("method", method);
        if (!params.is_null())
            field("params", params);
    } else {
        field(kind == Kind::Response ? "result" : "error", kind == Kind::Response ? result : error);
    }
    out += '}';
    return QByteArray::fromStdString(out);
}

QString ParseError::toString() const
{
    return offset >= 0 ? QStringLiteral("%1 (at byte %2)").arg(message).arg(offset) : message;
}

static bool validId(const Json &id)
{
    return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

std::optional<Message> fromJson(const Json &v, ParseError *error)
{
    auto fail = [error](const QString &what) -> std::optional<Message> {
        if (error)
            *error = {what, -1};
        return std::nullopt;
    };
    if (!v.is_object())
        return fail(QStringLiteral("a JSON-RPC message must be an object, got %1")
                        .arg(QString::fromLatin1(v.type_name())));
    auto version = v.find("jsonrpc");
    if (version == v.end() || !version->is_string() || version->get<std::string>() != "2.0")
        return fail(QStringLiteral("missing or wrong \"jsonrpc\": \"2.0\""));

    Message m;
    const bool hasId = v.contains("id");
    if (hasId) {
        m.id = v["id"];
        if (!validId(m.id))
            return fail(QStringLiteral("\"id\" must be a string or an integer, got %1")
                            .arg(QString::fromStdString(m.id.dump())));
    }
    auto method = v.find("method");
    if (method != v.end()) {
        if (!method->is_string())
            return fail(QStringLiteral("\"method\" must be a string"));
        m.method = method->get<std::string>();
        m.kind = hasId ? Kind::Request : Kind::Notification;
        if (auto p = v.find("params"); p != v.end()) {
            if (!p->is_object() && !p->is_array())
                return fail(QStringLiteral("\"params\" must be an object or an array"));
            m.params = *p;
        }
        return m;
    }
    const bool hasResult = v.contains("result");
    const bool hasError = v.contains("error");
    if (!hasId)
        return fail(QStringLiteral("a message without \"method\" must be a response with an \"id\""));
    if (hasResult == hasError)
        return fail(QStringLiteral("a response needs exactly one of \"result\" and \"error\""));
    if (hasResult) {
        m.kind = Kind::Response;
        m.result = v["result"];
        return m;
    }
    const Json &e = v["error"];
    if (!e.is_object() || !e.contains("code") || !e["code"].is_number_integer() || !e.contains("message") ||
        !e["message"].is_string())
        return fail(
            QStringLiteral("\"error\" must be an object with an integer \"code\" and a string \"message\""));
    m.kind = Kind::Error;
    m.error = e;
    return m;
}

// Offset of the first bracket nested deeper than maxDepth, or -1. Brackets inside strings do not count, so
// this is exact for valid JSON; strings are skipped with memchr, which keeps it cheap next to the parse.
static qsizetype tooDeepAt(QByteArrayView text, int maxDepth)
{
    const char *const begin = text.data();
    const char *const end = begin + text.size();
    int depth = 0;
    for (const char *p = begin; p < end; ++p) {
        switch (*p) {
        case '"':
            for (;;) { // to the closing quote: one not preceded by an odd number of backslashes
                p = static_cast<const char *>(std::memchr(p + 1, '"', size_t(end - p - 1)));
                if (!p)
                    return -1; // unterminated: the parser reports it
                const char *q = p;
                while (q[-1] == '\\')
                    --q;
                if ((p - q) % 2 == 0)
                    break;
            }
            break;
        case '[':
        case '{':
            if (++depth > maxDepth)
                return p - begin;
            break;
        case ']':
        case '}':
            --depth;
            break;
        default:
            break;
        }
    }
    return -1;
}

Json parseJson(QByteArrayView text, ParseError *error, const Limits &limits)
{
    auto fail = [error](const QString &message, qsizetype offset) {
        if (error)
            *error = {message, offset};
        return Json(Json::value_t::discarded);
    };
    if (text.size() > limits.maxFrameBytes)
        return fail(QStringLiteral("frame of %1 bytes exceeds the limit of %2 bytes")
                        .arg(text.size())
                        .arg(limits.maxFrameBytes),
                    limits.maxFrameBytes);
    if (const qsizetype at = tooDeepAt(text, limits.maxDepth); at >= 0)
        return fail(QStringLiteral("JSON nested deeper than the limit of %1 levels").arg(limits.maxDepth),
                    at);
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error &e) {
        // nlohmann reports "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
        QString what = QString::fromUtf8(e.what());
        const int colon = what.indexOf(QStringLiteral(": "), what.indexOf(QStringLiteral("parse error")));
        return fail(QStringLiteral("malformed JSON: ") + (colon >= 0 ? what.mid(colon + 2) : what),
                    qsizetype(e.byte) - 1);
    } catch (const Json::out_of_range &e) {
        // A number beyond double's range ("1e999999"): found by fuzz_jsonrpc; it used to end the process.
        return fail(QStringLiteral("malformed JSON: %1").arg(QString::fromUtf8(e.what())), 0);
    }
}

ParseResult parse(QByteArrayView frame, const Limits &limits)
{
    ParseResult r;
    ParseError error;
    const Json value = parseJson(frame, &error, limits);
    if (value.is_discarded()) {
        r.error = error;
        return r;
    }
    if (value.is_array()) {
        r.batch = true;
        if (!limits.allowBatch) {
            r.error =
                ParseError{QStringLiteral("JSON-RPC batches are not allowed in this protocol version"), 0};
            return r;
        }
        if (value.empty()) {
            r.error = ParseError{QStringLiteral("empty JSON-RPC batch"), 0};
            return r;
        }
        for (size_t i = 0; i < value.size(); ++i) {
            ParseError e;
            auto m = fromJson(value[i], &e);
            if (!m) {
                e.message = QStringLiteral("batch element %1: %2").arg(i).arg(e.message);
                r.error = e;
                return r;
            }
            r.messages.push_back(std::move(*m));
        }
        return r;
    }
    ParseError e;
    auto m = fromJson(value, &e);
    if (!m) {
        if (value.is_object() && value.contains("id") && validId(value["id"]))
            r.errorId = value["id"];
        r.replyWithoutId = value.is_object() && !value.contains("id") && !value.contains("method") &&
                           (value.contains("result") || value.contains("error"));
        r.error = e;
        return r;
    }
    r.messages.push_back(std::move(*m));
    return r;
}

QString idText(const Json &id)
{
    if (id.is_string())
        return QStringLiteral("\"%1\"").arg(QString::fromStdString(id.get<std::string>()));
    if (id.is_null())
        return {};
    return QString::fromStdString(id.dump());
}

QString shortIdText(const Json &id)
{
    constexpr qsizetype shown = 40;
    const QString text = idText(id);
    if (text.size() <= shown)
        return text;
    return QStringLiteral("%1… (%2 characters)").arg(text.left(shown)).arg(text.size());
}

} // namespace mcp::jsonrpc
