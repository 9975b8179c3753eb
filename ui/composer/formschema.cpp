#include "formschema.h"

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

} // namespace mcpui
