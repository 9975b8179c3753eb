#include "surfacesnapshot.h"

#include "../jsonrpc/message.h"
#include "../review/collect.h"
#include "../review/jsonfile.h"
#include "../session/clientsession.h"

#include <algorithm>
#include <map>

namespace mcp::surface {

namespace {

// Every object's members in sorted order, at every depth (arrays keep theirs: it can mean something).
Json sortedKeys(const Json &value)
{
    if (value.is_array()) {
        Json out = Json::array();
        for (const Json &element : value)
            out.push_back(sortedKeys(element));
        return out;
    }
    if (!value.is_object())
        return value;
    std::map<std::string, const Json *> members;
    for (auto it = value.begin(); it != value.end(); ++it)
        members.emplace(it.key(), &it.value());
    Json out = Json::object();
    for (const auto &[key, member] : members)
        out[key] = sortedKeys(*member);
    return out;
}

// The list's items sorted by identity (stable: duplicates keep the server's order).
Json sortedList(const Json &items, const char *idKey)
{
    std::vector<Json> sorted;
    for (const Json &item : items)
        sorted.push_back(sortedKeys(item));
    std::stable_sort(sorted.begin(), sorted.end(), [idKey](const Json &a, const Json &b) {
        return valueOr(a, idKey, std::string()) < valueOr(b, idKey, std::string());
    });
    return Json(sorted);
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

// The document's own members have the types a snapshot's have.
bool checkShape(const Json &document, QString *error)
{
    if (!document.is_object())
        return fail(error, QStringLiteral("not a JSON object"));
    if (valueOr(document, "format", std::string()) != kSnapshotFormat)
        return fail(error, QStringLiteral("not a surface snapshot (no \"format\": \"%1\")")
                               .arg(QLatin1String(kSnapshotFormat)));
    const Json version = valueOr(document, "version", Json());
    if (!version.is_number_integer())
        return fail(error, QStringLiteral("no integer \"version\""));
    if (version.get<std::int64_t>() != kSnapshotVersion)
        return fail(error, QStringLiteral("version %1 is not one this mcpwb reads (it reads %2)")
                               .arg(version.get<std::int64_t>())
                               .arg(kSnapshotVersion));
    for (const char *key : {"protocolVersion", "instructions"})
        if (document.contains(key) && !document[key].is_string())
            return fail(error, QStringLiteral("\"%1\" is not a string").arg(QLatin1String(key)));
    for (const char *key : {"serverInfo", "capabilities"})
        if (document.contains(key) && !document[key].is_object())
            return fail(error, QStringLiteral("\"%1\" is not an object").arg(QLatin1String(key)));
    for (const SurfaceList &list : kSurfaceLists) {
        if (!document.contains(list.key))
            continue;
        const Json &items = document[list.key];
        if (!items.is_array())
            return fail(error, QStringLiteral("\"%1\" is not an array").arg(QLatin1String(list.key)));
        for (size_t i = 0; i < items.size(); ++i)
            if (!items[i].is_object() || !items[i].contains(list.idKey) || !items[i][list.idKey].is_string())
                return fail(error, QStringLiteral("%1[%2]: not an object with a string \"%3\"")
                                       .arg(QLatin1String(list.key))
                                       .arg(i)
                                       .arg(QLatin1String(list.idKey)));
    }
    return true;
}

} // namespace

Json makeSnapshot(const QString &protocolVersion, const Json &capabilities, const Json &definitions)
{
    Json document = Json::object();
    document["format"] = kSnapshotFormat;
    document["version"] = kSnapshotVersion;
    document["protocolVersion"] = toStd(protocolVersion);
    document["serverInfo"] = valueOr(definitions, "serverInfo", Json::object());
    document["capabilities"] = capabilities.is_object() ? capabilities : Json::object();
    if (const Json instructions = valueOr(definitions, "instructions", Json()); instructions.is_string())
        document["instructions"] = instructions;
    // Items a server lists without an identity (no name, no uri) cannot be paired with anything: left out.
    for (const SurfaceList &list : kSurfaceLists) {
        Json items = Json::array();
        for (const Json &item : valueOr(definitions, list.key, Json::array()))
            if (item.is_object() && item.contains(list.idKey) && item[list.idKey].is_string())
                items.push_back(item);
        document[list.key] = sortedList(items, list.idKey);
    }
    return sortedKeys(document);
}

void takeSnapshot(ClientSession *session, std::function<void(const Json &, const Error &)> done,
                  QObject *context)
{
    review::collectDefinitions(
        session,
        [session, done](const Json &definitions, const Error &error) {
            if (error)
                return done(Json(), error);
            done(makeSnapshot(session->protocolVersion(), session->serverCapabilities(), definitions), {});
        },
        context);
}

QByteArray snapshotBytes(const Json &snapshot)
{
    return QByteArray::fromStdString(snapshot.dump(2, ' ', false, Json::error_handler_t::replace)) + '\n';
}

bool saveSnapshot(const QString &path, const Json &snapshot, QString *error)
{
    return review::writeFileAtomically(path, snapshotBytes(snapshot), error);
}

Json snapshotFromJson(const Json &document, QString *error)
{
    if (!checkShape(document, error))
        return Json(Json::value_t::discarded);
    Json canonical = document;
    for (const SurfaceList &list : kSurfaceLists)
        canonical[list.key] = sortedList(valueOr(document, list.key, Json::array()), list.idKey);
    for (const char *key : {"serverInfo", "capabilities"})
        canonical[key] = valueOr(document, key, Json::object());
    canonical["protocolVersion"] = valueOr(document, "protocolVersion", std::string());
    return sortedKeys(canonical);
}

Json parseSnapshot(QByteArrayView bytes, QString *error)
{
    jsonrpc::Limits limits;
    limits.maxFrameBytes = kMaxSnapshotBytes;
    jsonrpc::ParseError problem;
    const Json document = jsonrpc::parseJson(bytes, &problem, limits);
    if (document.is_discarded()) {
        fail(error, QStringLiteral("not JSON: ") + problem.toString());
        return document;
    }
    return snapshotFromJson(document, error);
}

Json loadSnapshot(const QString &path, QString *error)
{
    const std::optional<Json> document = review::readJsonFile(path, kMaxSnapshotBytes, error);
    if (!document)
        return Json(Json::value_t::discarded);
    QString problem;
    Json snapshot = snapshotFromJson(*document, &problem);
    if (snapshot.is_discarded())
        fail(error, QStringLiteral("%1: %2").arg(path, problem));
    return snapshot;
}

} // namespace mcp::surface
