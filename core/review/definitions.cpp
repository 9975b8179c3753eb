#include "definitions.h"

#include <QRegularExpression>

namespace mcp::review {

namespace {

constexpr int kMaxSchemaDepth = 16;
constexpr int kMaxSites = 100000; // per server: beyond this a listing is not reviewable text anyway

class Walker
{
public:
    explicit Walker(const std::function<void(const TextSite &)> &visit) : m_visit(visit) {}

    void text(const TextSite &where, const Json &value)
    {
        if (!value.is_string() || m_count >= kMaxSites)
            return;
        ++m_count;
        TextSite site = where;
        site.text = toQString(value.get<std::string>());
        m_visit(site);
    }

    // title/description/enum/default strings of a JSON schema, and its property names, recursively.
    void schema(const TextSite &at, const Json &node, int depth)
    {
        if (!node.is_object() || depth > kMaxSchemaDepth)
            return;
        for (const char *key : {"title", "description", "default"})
            if (node.contains(key))
                text(child(at, key), node[key]);
        if (const auto it = node.find("enum"); it != node.end() && it->is_array())
            for (size_t i = 0; i < it->size(); ++i)
                text(child(at, "enum", QString::number(i)), (*it)[i]);
        if (const auto it = node.find("properties"); it != node.end() && it->is_object()) {
            for (const auto &[name, sub] : it->items()) {
                TextSite property = child(at, "properties", toQString(name));
                TextSite nameSite = property;
                nameSite.isName = true;
                text(nameSite, Json(name));
                schema(property, sub, depth + 1);
            }
        }
        for (const char *key : {"items", "additionalProperties"})
            if (node.contains(key))
                schema(child(at, key), node[key], depth + 1);
        for (const char *key : {"anyOf", "oneOf", "allOf"})
            if (const auto it = node.find(key); it != node.end() && it->is_array())
                for (size_t i = 0; i < it->size(); ++i)
                    schema(child(at, key, QString::number(i)), (*it)[i], depth + 1);
    }

    static TextSite child(const TextSite &at, const char *key, const QString &sub = {})
    {
        TextSite c = at;
        c.isName = false;
        c.field += (c.field.isEmpty() ? QString() : QStringLiteral(".")) + QLatin1String(key);
        c.pointer += QLatin1Char('/') + QLatin1String(key);
        if (!sub.isNull()) {
            c.field += QLatin1Char('.') + sub;
            c.pointer += QLatin1Char('/') + escapePointerToken(sub);
        }
        return c;
    }

private:
    const std::function<void(const TextSite &)> &m_visit;
    int m_count = 0;
};

} // namespace

QString escapePointerToken(QString token)
{
    return token.replace(QLatin1Char('~'), QStringLiteral("~0"))
        .replace(QLatin1Char('/'), QStringLiteral("~1"));
}

void forEachText(const Json &definitions, const std::function<void(const TextSite &)> &visit)
{
    if (!definitions.is_object())
        return;
    Walker walker(visit);
    const TextSite server{QStringLiteral("server"), {}, {}, {}, {}, false};
    walker.text(Walker::child(server, "instructions"), valueOr(definitions, "instructions", Json()));
    const Json info = valueOr(definitions, "serverInfo", Json::object());
    for (const char *key : {"name", "title", "description"})
        walker.text(Walker::child(Walker::child(server, "serverInfo"), key), valueOr(info, key, Json()));

    for (const ItemList &list : kItemLists) {
        const Json items = valueOr(definitions, list.key, Json::array());
        for (size_t i = 0; i < items.size(); ++i) {
            const Json &item = items[i];
            TextSite at{QLatin1String(list.kind),
                        stringOr(item, "name"),
                        {},
                        QStringLiteral("/%1/%2").arg(QLatin1String(list.key)).arg(i),
                        {},
                        false};
            TextSite name = Walker::child(at, "name");
            name.isName = true;
            walker.text(name, valueOr(item, "name", Json()));
            for (const char *key : {"title", "description", "uri", "uriTemplate"})
                walker.text(Walker::child(at, key), valueOr(item, key, Json()));
            walker.text(Walker::child(Walker::child(at, "annotations"), "title"),
                        valueOr(valueOr(item, "annotations", Json::object()), "title", Json()));
            walker.schema(Walker::child(at, "inputSchema"), valueOr(item, "inputSchema", Json()), 0);
            walker.schema(Walker::child(at, "outputSchema"), valueOr(item, "outputSchema", Json()), 0);
            const Json arguments = valueOr(item, "arguments", Json::array()); // a prompt's
            for (size_t a = 0; a < arguments.size(); ++a) {
                const TextSite argument = Walker::child(at, "arguments", QString::number(a));
                TextSite argName = Walker::child(argument, "name");
                argName.isName = true;
                walker.text(argName, valueOr(arguments[a], "name", Json()));
                walker.text(Walker::child(argument, "description"),
                            valueOr(arguments[a], "description", Json()));
            }
        }
    }
}

QStringList nameWords(const QString &name)
{
    static const QRegularExpression boundary(QStringLiteral("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])"));
    QStringList words;
    for (const QString &w : name.split(boundary, Qt::SkipEmptyParts))
        words << w.toLower();
    return words;
}

} // namespace mcp::review
