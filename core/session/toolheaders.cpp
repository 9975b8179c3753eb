#include "toolheaders.h"

#include "../transport/httptransport.h"

#include <QSet>

namespace mcp::toolheaders {

static bool isTokenChar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

namespace {
struct Annotation
{
    QStringList path; // chain of properties keys
    Json name;
    Json schema;
};
} // namespace

// Collects x-mcp-header annotations reachable through properties chains; reports any found elsewhere.
static void collect(const Json &schema, QStringList path, bool reachable, QList<Annotation> *out,
                    QString *misplaced)
{
    if (!schema.is_object())
        return;
    if (schema.contains("x-mcp-header")) {
        if (reachable && !path.isEmpty())
            out->append({path, schema["x-mcp-header"], schema});
        else if (misplaced->isEmpty())
            *misplaced =
                QStringLiteral("x-mcp-header at %1 is not reachable through properties alone")
                    .arg(path.isEmpty() ? QStringLiteral("the schema root") : path.join(QLatin1Char('.')));
    }
    for (const auto &[key, value] : schema.items()) {
        if (key == "properties" && value.is_object()) {
            for (const auto &[name, sub] : value.items())
                collect(sub, path + QStringList{toQString(name)}, reachable, out, misplaced);
        } else if (value.is_object()) {
            collect(value, path + QStringList{toQString(key)}, false, out, misplaced);
        } else if (value.is_array()) {
            for (const auto &item : value)
                collect(item, path + QStringList{toQString(key)}, false, out, misplaced);
        }
    }
}

QString validate(const Json &inputSchema)
{
    QList<Annotation> annotations;
    QString misplaced;
    collect(inputSchema, {}, true, &annotations, &misplaced);
    if (!misplaced.isEmpty())
        return misplaced;
    QSet<QString> seen;
    for (const Annotation &a : annotations) {
        const QString where = a.path.join(QLatin1Char('.'));
        if (!a.name.is_string() || a.name.get<std::string>().empty())
            return QStringLiteral("x-mcp-header of %1 is empty or not a string").arg(where);
        const std::string name = a.name.get<std::string>();
        for (char c : name)
            if (!isTokenChar(c))
                return QStringLiteral("x-mcp-header \"%1\" of %2 is not an HTTP token")
                    .arg(toQString(name), where);
        const QString type = stringOr(a.schema, "type");
        if (type != QStringLiteral("string") && type != QStringLiteral("integer") &&
            type != QStringLiteral("boolean"))
            return QStringLiteral(
                       "x-mcp-header \"%1\" is on %2 of type %3; only string, integer and boolean may be "
                       "mirrored")
                .arg(toQString(name), where, type.isEmpty() ? QStringLiteral("(none)") : type);
        const QString folded = toQString(name).toLower();
        if (seen.contains(folded))
            return QStringLiteral("x-mcp-header \"%1\" is used twice (names are case-insensitive)")
                .arg(toQString(name));
        seen.insert(folded);
    }
    return {};
}

QList<QPair<QByteArray, QByteArray>> paramHeaders(const Json &inputSchema, const Json &arguments)
{
    QList<Annotation> annotations;
    QString misplaced;
    collect(inputSchema, {}, true, &annotations, &misplaced);
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const Annotation &a : annotations) {
        if (!a.name.is_string())
            continue;
        const Json *value = &arguments;
        for (const QString &key : a.path) {
            if (!value->is_object() || !value->contains(toStd(key))) {
                value = nullptr;
                break;
            }
            value = &(*value)[toStd(key)];
        }
        if (!value || value->is_null())
            continue; // absent or null: no header
        QString text;
        if (value->is_string())
            text = toQString(value->get<std::string>());
        else if (value->is_boolean())
            text = value->get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
        else if (value->is_number_integer() || value->is_number_unsigned())
            text = toQString(value->dump());
        else
            continue;
        headers.append({QByteArray("Mcp-Param-") + QByteArray::fromStdString(a.name.get<std::string>()),
                        HttpTransportBase::encodeHeaderValue(text)});
    }
    return headers;
}

} // namespace mcp::toolheaders
