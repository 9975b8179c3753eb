#include "jsonschema.h"

namespace mcpui {

using mcp::Json;

QString schemaType(const Json &schema)
{
    if (!schema.is_object())
        return {};
    const Json type = mcp::valueOr(schema, "type", Json());
    if (type.is_string())
        return mcp::toQString(type.get<std::string>());
    if (type.is_array())
        for (const Json &t : type)
            if (t.is_string() && t != "null")
                return mcp::toQString(t.get<std::string>());
    if (schema.contains("properties"))
        return QStringLiteral("object");
    return {};
}

QList<EnumOption> enumOptions(const Json &schema)
{
    QList<EnumOption> options;
    if (!schema.is_object())
        return options;
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
        const Json names = mcp::valueOr(schema, "enumNames", Json::array()); // legacy titles, same order
        for (size_t i = 0; i < e->size(); ++i) {
            const Json &v = (*e)[i];
            const QString title = i < names.size() && names[i].is_string()
                                      ? mcp::toQString(names[i].get<std::string>())
                                  : v.is_string() ? mcp::toQString(v.get<std::string>())
                                                  : mcp::toQString(v.dump());
            options.append({v, title});
        }
        return options;
    }
    for (const char *key : {"oneOf", "anyOf"}) {
        auto alts = schema.find(key);
        if (alts == schema.end() || !alts->is_array() || alts->empty())
            continue;
        for (const Json &alt : *alts) {
            if (!alt.is_object() || !alt.contains("const"))
                return {}; // a real union, not a list of titled constants
            const Json &v = alt["const"];
            options.append({v, mcp::stringOr(alt, "title",
                                             v.is_string() ? mcp::toQString(v.get<std::string>())
                                                           : mcp::toQString(v.dump()))});
        }
        return options;
    }
    return options;
}

static bool hasType(const Json &value, const QString &type)
{
    if (type == QLatin1String("string"))
        return value.is_string();
    if (type == QLatin1String("integer"))
        return value.is_number_integer() ||
               (value.is_number_float() && value.get<double>() == double(qint64(value.get<double>())));
    if (type == QLatin1String("number"))
        return value.is_number();
    if (type == QLatin1String("boolean"))
        return value.is_boolean();
    if (type == QLatin1String("object"))
        return value.is_object();
    if (type == QLatin1String("array"))
        return value.is_array();
    if (type == QLatin1String("null"))
        return value.is_null();
    return true; // a type we do not know: do not complain
}

static QString typeName(const Json &value)
{
    if (value.is_number_integer())
        return QStringLiteral("integer");
    return QString::fromLatin1(value.type_name());
}

QStringList validate(const Json &value, const Json &schema, const QString &path)
{
    QStringList problems;
    if (!schema.is_object())
        return problems;
    const QString where = path.isEmpty() ? QStringLiteral("(root)") : path;

    if (const Json type = mcp::valueOr(schema, "type", Json()); type.is_string() || type.is_array()) {
        bool ok = false;
        QStringList names;
        for (const Json &t : type.is_array() ? type : Json::array({type}))
            if (t.is_string()) {
                names << mcp::toQString(t.get<std::string>());
                ok = ok || hasType(value, names.last());
            }
        if (!ok) {
            problems << QStringLiteral("%1: expected %2, got %3")
                            .arg(where, names.join(QStringLiteral(" or ")), typeName(value));
            return problems;
        }
    }
    if (const QList<EnumOption> options = enumOptions(schema); !options.isEmpty()) {
        const bool found = std::any_of(options.begin(), options.end(),
                                       [&](const EnumOption &o) { return o.value == value; });
        if (!found)
            problems << QStringLiteral("%1: %2 is not one of the allowed values")
                            .arg(where, mcp::toQString(value.dump()));
    }
    if (value.is_number()) {
        const double v = value.get<double>();
        if (schema.contains("minimum") && schema["minimum"].is_number() &&
            v < schema["minimum"].get<double>())
            problems << QStringLiteral("%1: must be at least %2")
                            .arg(where, mcp::toQString(schema["minimum"].dump()));
        if (schema.contains("maximum") && schema["maximum"].is_number() &&
            v > schema["maximum"].get<double>())
            problems << QStringLiteral("%1: must be at most %2")
                            .arg(where, mcp::toQString(schema["maximum"].dump()));
    }
    if (value.is_object()) {
        for (const Json &r : mcp::valueOr(schema, "required", Json::array()))
            if (r.is_string() && !value.contains(r.get<std::string>()))
                problems << QStringLiteral("%1: required")
                                .arg(path.isEmpty()
                                         ? mcp::toQString(r.get<std::string>())
                                         : path + QLatin1Char('.') + mcp::toQString(r.get<std::string>()));
        const Json properties = mcp::valueOr(schema, "properties", Json::object());
        for (const auto &[key, item] : value.items()) {
            const QString sub =
                path.isEmpty() ? mcp::toQString(key) : path + QLatin1Char('.') + mcp::toQString(key);
            if (properties.contains(key))
                problems << validate(item, properties[key], sub);
        }
    }
    if (value.is_array() && schema.contains("items")) {
        for (size_t i = 0; i < value.size(); ++i)
            problems << validate(value[i], schema["items"], QStringLiteral("%1[%2]").arg(path).arg(i));
    }
    return problems;
}

} // namespace mcpui
