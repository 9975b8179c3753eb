#include "collection.h"

#include "../jsonrpc/message.h"
#include "../review/jsonfile.h"
#include "../traffic/redaction.h"
#include "variables.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace mcp::collection {

namespace {

// A reading failure at a pointer (the JSON is well-formed, a member is wrong).
struct Refusal
{
    QString pointer;
    QString reason;
};

QString escapeToken(const QString &key)
{
    QString s = key;
    return s.replace(QLatin1Char('~'), QStringLiteral("~0")).replace(QLatin1Char('/'), QStringLiteral("~1"));
}

bool onlyKnownMembers(const Json &object, std::initializer_list<const char *> known, const QString &at,
                      Refusal *refusal)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool isKnown = false;
        for (const char *k : known)
            isKnown = isKnown || it.key() == k;
        if (!isKnown) {
            QStringList names;
            for (const char *k : known)
                names << QString::fromLatin1(k);
            *refusal = {
                at + QLatin1Char('/') + escapeToken(toQString(it.key())),
                QStringLiteral("unknown member (known here: %1)").arg(names.join(QStringLiteral(", ")))};
            return false;
        }
    }
    return true;
}

bool validPointer(const QString &pointer)
{
    try {
        (void)Json::json_pointer(toStd(pointer));
        return true;
    } catch (const Json::exception &) {
        return false;
    }
}

// Every reference in value well-formed, and every ${step:ID} naming an earlier request.
bool referencesEarlier(const Json &value, const QSet<QString> &earlier, const QString &at, Refusal *refusal)
{
    QString problem;
    for (const Reference &ref : findReferences(value, &problem))
        if (ref.kind == Reference::Kind::Step && !earlier.contains(ref.name))
            problem = QStringLiteral("${step:%1}: no earlier request has the id \"%1\"").arg(ref.name);
    if (!problem.isEmpty())
        *refusal = {at, problem};
    return problem.isEmpty();
}

bool readExpectation(const Json &e, const QString &at, const Limits &limits, Expectation *out,
                     Refusal *refusal)
{
    if (!e.is_object())
        return *refusal = {at, QStringLiteral("not an object")}, false;
    if (!onlyKnownMembers(e, {"error", "toolError", "equals", "matches", "outputSchema", "maxLatencyMs"}, at,
                          refusal))
        return false;
    if (e.contains("error")) {
        if (!e["error"].is_number_integer() || e["error"].get<std::int64_t>() < INT_MIN ||
            e["error"].get<std::int64_t>() > INT_MAX)
            return *refusal = {at + QStringLiteral("/error"), QStringLiteral("not a JSON-RPC error code")},
                   false;
        out->errorCode = int(e["error"].get<std::int64_t>());
    }
    for (const char *key : {"equals", "matches"}) {
        if (!e.contains(key))
            continue;
        const QString where = at + QLatin1Char('/') + QLatin1String(key);
        const Json &checks = e[key];
        if (!checks.is_object())
            return *refusal = {where, QStringLiteral("not an object of JSON pointers")}, false;
        for (auto it = checks.begin(); it != checks.end(); ++it) {
            const QString pointer = toQString(it.key());
            const QString entry = where + QLatin1Char('/') + escapeToken(pointer);
            if (!validPointer(pointer))
                return *refusal = {entry, QStringLiteral("\"%1\" is not a JSON pointer").arg(pointer)}, false;
            if (out->equals.size() + out->matches.size() >= limits.maxChecksPerRequest)
                return *refusal = {entry,
                                   QStringLiteral("more than %1 checks").arg(limits.maxChecksPerRequest)},
                       false;
            if (key[0] == 'e') {
                out->equals.append({pointer, it.value()});
                continue;
            }
            if (!it.value().is_string() ||
                it.value().get<std::string>().size() > size_t(limits.maxPatternLength))
                return *refusal = {entry, QStringLiteral("not a pattern of at most %1 characters")
                                              .arg(limits.maxPatternLength)},
                       false;
            const QString pattern = toQString(it.value().get<std::string>());
            const QRegularExpression regex(pattern);
            if (!regex.isValid())
                return *refusal = {entry, QStringLiteral("not a valid pattern: %1").arg(regex.errorString())},
                       false;
            out->matches.append({pointer, pattern});
        }
    }
    if (e.contains("toolError")) {
        if (!e["toolError"].is_boolean())
            return *refusal = {at + QStringLiteral("/toolError"), QStringLiteral("not true or false")}, false;
        out->toolError = e["toolError"].get<bool>();
    }
    if (out->errorCode && out->toolError)
        return *refusal = {at, QStringLiteral("\"error\" and \"toolError\" cannot both be expected")}, false;
    if (e.contains("outputSchema")) {
        if (!e["outputSchema"].is_boolean())
            return *refusal = {at + QStringLiteral("/outputSchema"), QStringLiteral("not true or false")},
                   false;
        out->outputSchema = e["outputSchema"].get<bool>();
    }
    if (e.contains("maxLatencyMs")) {
        if (!e["maxLatencyMs"].is_number_integer() || e["maxLatencyMs"].get<std::int64_t>() <= 0)
            return *refusal = {at + QStringLiteral("/maxLatencyMs"),
                               QStringLiteral("not a positive integer")},
                   false;
        out->maxLatencyMs = e["maxLatencyMs"].get<std::int64_t>();
    }
    return true;
}

bool readRequest(const Json &r, const QString &at, const Limits &limits, const QSet<QString> &earlier,
                 Request *out, Refusal *refusal)
{
    if (!r.is_object())
        return *refusal = {at, QStringLiteral("not an object")}, false;
    if (!onlyKnownMembers(r, {"id", "name", "method", "params", "timeoutMs", "expect"}, at, refusal))
        return false;
    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    out->id = stringOr(r, "id");
    if (!idPattern.match(out->id).hasMatch() || out->id.size() > limits.maxIdLength)
        return *refusal = {at + QStringLiteral("/id"),
                           QStringLiteral("not an id of letters, digits, '_', '.' and '-' (at most %1)")
                               .arg(limits.maxIdLength)},
               false;
    if (earlier.contains(out->id))
        return *refusal = {at + QStringLiteral("/id"), QStringLiteral("\"%1\" is used twice").arg(out->id)},
               false;
    if (r.contains("name") && !r["name"].is_string())
        return *refusal = {at + QStringLiteral("/name"), QStringLiteral("not a string")}, false;
    out->name = stringOr(r, "name");
    out->method = stringOr(r, "method");
    if (out->method.isEmpty())
        return *refusal = {at + QStringLiteral("/method"), QStringLiteral("no method (a string)")}, false;
    if (r.contains("params")) {
        if (!r["params"].is_object())
            return *refusal = {at + QStringLiteral("/params"), QStringLiteral("not an object")}, false;
        out->params = r["params"];
        if (!referencesEarlier(out->params, earlier, at + QStringLiteral("/params"), refusal))
            return false;
    }
    if (r.contains("timeoutMs")) {
        if (!r["timeoutMs"].is_number_integer() || r["timeoutMs"].get<std::int64_t>() <= 0 ||
            r["timeoutMs"].get<std::int64_t>() > 3600000)
            return *refusal = {at + QStringLiteral("/timeoutMs"),
                               QStringLiteral("not a number of milliseconds up to an hour")},
                   false;
        out->timeoutMs = int(r["timeoutMs"].get<std::int64_t>());
    }
    if (r.contains("expect") &&
        !readExpectation(r["expect"], at + QStringLiteral("/expect"), limits, &out->expect, refusal))
        return false;
    return !r.contains("expect") || !r["expect"].contains("equals") ||
           referencesEarlier(r["expect"]["equals"], earlier, at + QStringLiteral("/expect/equals"), refusal);
}

// Strings under secret names replaced by ${env:NAME} (the name in upper snake case), recursively.
void secretsAsReferences(Json &value, QStringList *variables)
{
    if (!value.is_structured())
        return;
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (value.is_object() && it.value().is_string() &&
            redaction::isSecretName(QByteArray::fromStdString(it.key()), redaction::Place::Field) &&
            !QString::fromStdString(it.value().get<std::string>()).startsWith(QStringLiteral("${env:"))) {
            QString name = toQString(it.key());
            name.replace(QRegularExpression(QStringLiteral("([a-z0-9])([A-Z])")), QStringLiteral("\\1_\\2"));
            name =
                name.toUpper().replace(QRegularExpression(QStringLiteral("[^A-Z0-9_]")), QStringLiteral("_"));
            if (name.isEmpty() || name[0].isDigit())
                name.prepend(QLatin1Char('_'));
            it.value() = toStd(QStringLiteral("${env:%1}").arg(name));
            if (!variables->contains(name))
                variables->append(name);
        } else {
            secretsAsReferences(it.value(), variables);
        }
    }
}

// 1-based line and column of a byte offset.
void locate(QByteArrayView bytes, qsizetype offset, int *line, int *column)
{
    *line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset && i < bytes.size(); ++i)
        if (bytes[i] == '\n') {
            ++*line;
            lineStart = i + 1;
        }
    *column = int(offset - lineStart) + 1;
}

} // namespace

QString ParseProblem::toString() const
{
    QString where = file;
    if (line > 0)
        where += QStringLiteral(":%1:%2").arg(line).arg(column);
    if (!pointer.isNull())
        where += (where.isEmpty() ? QString() : QStringLiteral(" ")) +
                 (pointer.isEmpty() ? QStringLiteral("(the document)") : pointer);
    return where.isEmpty() ? reason : where + QStringLiteral(": ") + reason;
}

std::optional<Collection> fromJson(const Json &document, ParseProblem *problem, const Limits &limits)
{
    Refusal refusal;
    auto refuse = [&](const Refusal &r) -> std::optional<Collection> {
        problem->pointer = r.pointer.isNull() ? QStringLiteral("") : r.pointer;
        problem->reason = r.reason;
        return std::nullopt;
    };
    if (!document.is_object())
        return refuse({QStringLiteral(""), QStringLiteral("not a JSON object")});
    if (valueOr(document, "format", std::string()) != kCollectionFormat)
        return refuse({QStringLiteral("/format"),
                       QStringLiteral("not \"%1\": not a collection").arg(QLatin1String(kCollectionFormat))});
    if (valueOr(document, "version", Json()) != Json(kCollectionVersion))
        return refuse(
            {QStringLiteral("/version"),
             QStringLiteral("not a version this mcpwb reads (it reads %1)").arg(kCollectionVersion)});
    if (!onlyKnownMembers(document, {"format", "version", "name", "requests"}, QString(""), &refusal))
        return refuse(refusal);
    Collection collection;
    if (document.contains("name") && !document["name"].is_string())
        return refuse({QStringLiteral("/name"), QStringLiteral("not a string")});
    collection.name = stringOr(document, "name");
    const Json requests = valueOr(document, "requests", Json());
    if (!requests.is_array())
        return refuse({QStringLiteral("/requests"), QStringLiteral("not an array")});
    if (requests.size() > size_t(limits.maxRequests))
        return refuse(
            {QStringLiteral("/requests"), QStringLiteral("more than %1 requests").arg(limits.maxRequests)});
    QSet<QString> ids;
    for (size_t i = 0; i < requests.size(); ++i) {
        Request request;
        if (!readRequest(requests[i], QStringLiteral("/requests/%1").arg(i), limits, ids, &request, &refusal))
            return refuse(refusal);
        ids.insert(request.id);
        collection.requests.append(std::move(request));
    }
    return collection;
}

std::optional<Collection> parseCollection(QByteArrayView bytes, ParseProblem *problem, const Limits &limits)
{
    if (bytes.size() > limits.maxFileBytes) {
        problem->reason = QStringLiteral("larger than %1 bytes").arg(limits.maxFileBytes);
        return std::nullopt;
    }
    jsonrpc::Limits jsonLimits;
    jsonLimits.maxFrameBytes = limits.maxFileBytes;
    jsonLimits.maxDepth = 64;
    jsonrpc::ParseError error;
    const Json document = jsonrpc::parseJson(bytes, &error, jsonLimits);
    if (document.is_discarded()) {
        if (error.offset >= 0)
            locate(bytes, error.offset, &problem->line, &problem->column);
        problem->reason = QStringLiteral("not JSON: ") + error.message;
        return std::nullopt;
    }
    return fromJson(document, problem, limits);
}

std::optional<Collection> loadCollection(const QString &path, ParseProblem *problem, const Limits &limits)
{
    problem->file = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        problem->reason = file.errorString();
        return std::nullopt;
    }
    if (file.size() > limits.maxFileBytes) {
        problem->reason = QStringLiteral("larger than %1 bytes").arg(limits.maxFileBytes);
        return std::nullopt;
    }
    return parseCollection(file.read(limits.maxFileBytes + 1), problem, limits);
}

Json Collection::toJson() const
{
    Json requestList = Json::array();
    for (const Request &r : requests) {
        Json request = {{"id", toStd(r.id)}};
        if (!r.name.isEmpty())
            request["name"] = toStd(r.name);
        request["method"] = toStd(r.method);
        request["params"] = r.params;
        if (r.timeoutMs > 0)
            request["timeoutMs"] = r.timeoutMs;
        Json expect = Json::object();
        if (r.expect.errorCode)
            expect["error"] = *r.expect.errorCode;
        if (r.expect.toolError)
            expect["toolError"] = true;
        for (const char *key : {"equals", "matches"}) {
            Json checks = Json::object();
            if (key[0] == 'e')
                for (const auto &[pointer, value] : r.expect.equals)
                    checks[toStd(pointer)] = value;
            else
                for (const auto &[pointer, pattern] : r.expect.matches)
                    checks[toStd(pointer)] = toStd(pattern);
            if (!checks.empty())
                expect[key] = checks;
        }
        if (r.expect.outputSchema)
            expect["outputSchema"] = true;
        if (r.expect.maxLatencyMs)
            expect["maxLatencyMs"] = *r.expect.maxLatencyMs;
        if (!expect.empty())
            request["expect"] = expect;
        requestList.push_back(request);
    }
    Json document = {{"format", kCollectionFormat}, {"version", kCollectionVersion}};
    document["name"] = toStd(name);
    document["requests"] = requestList;
    return document;
}

QByteArray collectionBytes(const Collection &collection)
{
    return QByteArray::fromStdString(
               collection.toJson().dump(2, ' ', false, Json::error_handler_t::replace)) +
           '\n';
}

bool saveCollection(const QString &path, const Collection &collection, QString *error)
{
    return review::writeFileAtomically(path, collectionBytes(collection), error);
}

QString uniqueId(const QString &wanted, const QStringList &taken)
{
    QString base = wanted;
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("-"));
    base = base.left(100);
    if (base.isEmpty())
        base = QStringLiteral("request");
    QString id = base;
    for (int n = 2; taken.contains(id); ++n)
        id = QStringLiteral("%1-%2").arg(base).arg(n);
    return id;
}

bool appendRequest(const QString &path, const QString &method, const Json &params, QStringList *variables,
                   QString *error)
{
    Collection target;
    if (QFileInfo::exists(path)) {
        ParseProblem problem;
        std::optional<Collection> existing = loadCollection(path, &problem);
        if (!existing) {
            *error = problem.toString();
            return false;
        }
        target = std::move(*existing);
    } else {
        target.name = QFileInfo(path).completeBaseName();
    }
    QStringList taken;
    for (const Request &r : target.requests)
        taken << r.id;
    Request request;
    const QString tool = stringOr(params, "name");
    request.id = uniqueId(tool.isEmpty() ? method : tool, taken);
    request.method = method;
    request.params = params.is_object() ? params : Json::object();
    secretsAsReferences(request.params, variables);
    target.requests.append(std::move(request));
    return saveCollection(path, target, error);
}

} // namespace mcp::collection
