#include "surfacediff.h"

#include "../review/definitions.h"
#include "../review/findings.h"
#include "../traffic/jsondiff.h"
#include "surfacesnapshot.h"

#include <QSet>
#include <algorithm>

namespace mcp::surface {

namespace {

using Kind = SurfaceChange::Kind;

enum class Side { Input, Output }; // what the client sends, what it reads

QString quoted(const QString &text)
{
    return QLatin1Char('"') + review::visibleText(text, 120) + QLatin1Char('"');
}

QString compact(const Json &value)
{
    return review::visibleText(QString::fromUtf8(dumpCompact(value)), 160);
}

// The types a schema accepts; empty for "any" (no "type", or one that is neither a string nor an array).
QSet<QString> typesOf(const Json &schema)
{
    QSet<QString> types;
    const Json type = valueOr(schema, "type", Json());
    if (type.is_string())
        types << toQString(type.get<std::string>());
    else if (type.is_array())
        for (const Json &t : type)
            if (t.is_string())
                types << toQString(t.get<std::string>());
    return types;
}

// Every type in `types` is accepted by `by` (integer is a number).
bool allAccepted(const QSet<QString> &types, const QSet<QString> &by)
{
    if (by.isEmpty())
        return true;
    if (types.isEmpty())
        return false;
    for (const QString &t : types)
        if (!by.contains(t) && !(t == QLatin1String("integer") && by.contains(QStringLiteral("number"))))
            return false;
    return true;
}

QSet<QString> stringSet(const Json &array)
{
    QSet<QString> out;
    if (array.is_array())
        for (const Json &v : array)
            out << (v.is_string() ? toQString(v.get<std::string>()) : QString::fromUtf8(dumpCompact(v)));
    return out;
}

QStringList sortedNames(const QSet<QString> &names)
{
    QStringList list(names.begin(), names.end());
    list.sort();
    return list;
}

QString quotedList(const QSet<QString> &names)
{
    QStringList out;
    for (const QString &n : sortedNames(names))
        out << quoted(n);
    return out.join(QStringLiteral(", "));
}

// The hints whose change makes a tool riskier to call, by the value that is the riskier one: a client (or a
// policy) that let the tool run unconfirmed because it read only, or was not destructive, must look again.
struct RiskyHint
{
    const char *name;
    bool riskyValue;
};
constexpr RiskyHint kRiskyHints[] = {
    {"readOnlyHint", false}, {"destructiveHint", true}, {"idempotentHint", false}, {"openWorldHint", true}};

// An absent readOnlyHint or idempotentHint promises nothing (false); an absent destructiveHint or
// openWorldHint was not stated, and one that appears as true is news a client must see.
bool risky(const Json &value, const RiskyHint &hint)
{
    return value == hint.riskyValue || (value.is_null() && !hint.riskyValue);
}

class Differ
{
public:
    QList<SurfaceChange> changes;

    void server(const Json &before, const Json &after)
    {
        m_itemKind = QStringLiteral("server");
        m_item.clear();
        const std::string beforeVersion = valueOr(before, "protocolVersion", std::string());
        const std::string afterVersion = valueOr(after, "protocolVersion", std::string());
        if (beforeVersion != afterVersion) // versions are dates: an earlier one lacks what came after it
            add(Kind::ProtocolVersionChanged, afterVersion < beforeVersion,
                QStringLiteral("/protocolVersion"),
                afterVersion < beforeVersion ? QStringLiteral("protocol version went back")
                                             : QStringLiteral("protocol version moved on"),
                beforeVersion, afterVersion);
        for (const JsonChange &c : diffJson(valueOr(before, "serverInfo", Json::object()),
                                            valueOr(after, "serverInfo", Json::object())))
            add(textKind(c.path), false, QStringLiteral("/serverInfo") + c.path,
                QStringLiteral("serverInfo %1").arg(JsonChange::kindName(c.kind)), c.before, c.after);
        const Json beforeText = valueOr(before, "instructions", Json());
        const Json afterText = valueOr(after, "instructions", Json());
        if (beforeText != afterText)
            add(Kind::TextChanged, false, QStringLiteral("/instructions"),
                QStringLiteral("instructions changed"), beforeText, afterText);

        m_itemKind = QStringLiteral("capabilities");
        for (const JsonChange &c : diffJson(valueOr(before, "capabilities", Json::object()),
                                            valueOr(after, "capabilities", Json::object()))) {
            const QString name = c.path.mid(1);
            if (c.kind == JsonChange::Kind::Removed)
                add(Kind::CapabilityRemoved, true, c.path, QStringLiteral("capability %1 dropped").arg(name),
                    c.before, nullptr);
            else if (c.kind == JsonChange::Kind::Added)
                add(Kind::CapabilityAdded, false, c.path, QStringLiteral("capability %1 added").arg(name),
                    nullptr, c.after);
            else // a flag turned off is a capability dropped; one turned on, one gained
                add(Kind::CapabilityChanged, c.before == true, c.path,
                    QStringLiteral("capability %1 changed").arg(name), c.before, c.after);
        }
    }

    void list(const SurfaceList &list, const Json &before, const Json &after)
    {
        m_itemKind = QLatin1String(list.kind);
        const QList<std::pair<QString, Json>> beforeItems = keyed(before, list.idKey);
        const QList<std::pair<QString, Json>> afterItems = keyed(after, list.idKey);
        QHash<QString, Json> afterByKey;
        for (const auto &[key, item] : afterItems)
            afterByKey.insert(key, item);
        QSet<QString> seen;
        for (const auto &[key, item] : beforeItems) {
            seen << key;
            m_item = stringOr(item, list.idKey);
            const auto other = afterByKey.constFind(key);
            if (other == afterByKey.cend()) {
                // Resources are data: a listing that changes is normal. The rest is what clients call.
                const bool breaking = m_itemKind != QLatin1String("resource");
                add(Kind::Removed, breaking, {}, QStringLiteral("%1 removed").arg(m_itemKind), item, nullptr);
            } else {
                compareItem(item, *other);
            }
        }
        for (const auto &[key, item] : afterItems) {
            if (seen.contains(key))
                continue;
            m_item = stringOr(item, list.idKey);
            add(Kind::Added, false, {}, QStringLiteral("%1 added").arg(m_itemKind), nullptr, item);
        }
    }

private:
    // The items by identity; the nth duplicate of a name is "name#n".
    static QList<std::pair<QString, Json>> keyed(const Json &items, const char *idKey)
    {
        QList<std::pair<QString, Json>> out;
        QHash<QString, int> count;
        for (const Json &item : items) {
            const QString id = stringOr(item, idKey);
            const int n = count[id]++;
            out.append({n == 0 ? id : QStringLiteral("%1#%2").arg(id).arg(n), item});
        }
        return out;
    }

    static Kind textKind(const QString &path)
    {
        return path.endsWith(QLatin1String("/description")) || path.endsWith(QLatin1String("/title"))
                   ? Kind::TextChanged
                   : Kind::Changed;
    }

    void compareItem(const Json &before, const Json &after)
    {
        const Json noSchema = Json::object();
        compareSchema(valueOr(before, "inputSchema", noSchema), valueOr(after, "inputSchema", noSchema),
                      QStringLiteral("/inputSchema"), Side::Input, 0);
        compareOutputSchema(before, after);
        compareAnnotations(valueOr(before, "annotations", Json::object()),
                           valueOr(after, "annotations", Json::object()));
        compareArguments(valueOr(before, "arguments", Json::array()),
                         valueOr(after, "arguments", Json::array()));
        for (const JsonChange &c :
             diffJson(before, after, {"/inputSchema", "/outputSchema", "/annotations", "/arguments"}))
            add(textKind(c.path), false, c.path,
                QStringLiteral("%1 %2").arg(c.path.mid(1), JsonChange::kindName(c.kind)), c.before, c.after);
    }

    void compareOutputSchema(const Json &before, const Json &after)
    {
        const bool had = before.contains("outputSchema");
        const bool has = after.contains("outputSchema");
        if (had && has)
            compareSchema(before["outputSchema"], after["outputSchema"], QStringLiteral("/outputSchema"),
                          Side::Output, 0);
        else if (had) // structured output clients read is no longer described (nor promised)
            add(Kind::PropertyRemoved, true, QStringLiteral("/outputSchema"),
                QStringLiteral("output schema removed"), before["outputSchema"], nullptr);
        else if (has)
            add(Kind::PropertyAdded, false, QStringLiteral("/outputSchema"),
                QStringLiteral("output schema added"), nullptr, after["outputSchema"]);
    }

    void compareSchema(const Json &before, const Json &after, const QString &path, Side side, int depth)
    {
        if (!before.is_object() || !after.is_object() || depth > 64) { // boolean schemas, or absurdly deep
            for (const JsonChange &c : diffJson(before, after))
                add(Kind::Changed, false, path + c.path, QStringLiteral("schema changed"), c.before, c.after);
            return;
        }
        compareTypes(before, after, path, side);
        compareEnums(before, after, path, side);
        compareProperties(before, after, path, side, depth);
        const Json beforeItems = valueOr(before, "items", Json());
        const Json afterItems = valueOr(after, "items", Json());
        if (beforeItems != afterItems)
            compareSchema(beforeItems, afterItems, path + QStringLiteral("/items"), side, depth + 1);
        // The rest of the keywords (description, default, format, bounds, additionalProperties, ...): listed
        // for the reader to weigh, not judged.
        for (const JsonChange &c :
             diffJson(before, after, {"/type", "/enum", "/properties", "/required", "/items"}))
            add(textKind(c.path), false, path + c.path,
                QStringLiteral("%1 %2").arg(c.path.mid(1), JsonChange::kindName(c.kind)), c.before, c.after);
    }

    void compareTypes(const Json &before, const Json &after, const QString &path, Side side)
    {
        const QSet<QString> was = typesOf(before);
        const QSet<QString> is = typesOf(after);
        const bool narrowed = !allAccepted(was, is);
        const bool widened = !allAccepted(is, was);
        if (!narrowed && !widened)
            return;
        const QString where = path + QStringLiteral("/type");
        const Json from = valueOr(before, "type", Json());
        const Json to = valueOr(after, "type", Json());
        if (narrowed && widened)
            add(Kind::TypeChanged, true, where, QStringLiteral("type changed"), from, to);
        else if (narrowed) // a caller's value of a lost type is refused; a reader gets less: fine
            add(Kind::TypeNarrowed, side == Side::Input, where, QStringLiteral("type narrowed"), from, to);
        else
            add(Kind::TypeWidened, side == Side::Output, where, QStringLiteral("type widened"), from, to);
    }

    void compareEnums(const Json &before, const Json &after, const QString &path, Side side)
    {
        const bool had = before.contains("enum");
        const bool has = after.contains("enum");
        if (!had && !has)
            return;
        const QSet<QString> was = stringSet(valueOr(before, "enum", Json()));
        const QSet<QString> is = stringSet(valueOr(after, "enum", Json()));
        const QString where = path + QStringLiteral("/enum");
        const Json from = valueOr(before, "enum", Json());
        const Json to = valueOr(after, "enum", Json());
        if (!had) { // any value before, only these now
            add(Kind::EnumNarrowed, side == Side::Input, where, QStringLiteral("values limited to an enum"),
                nullptr, to);
            return;
        }
        if (!has) {
            add(Kind::EnumWidened, side == Side::Output, where, QStringLiteral("enum removed: any value"),
                from, nullptr);
            return;
        }
        if (const QSet<QString> lost = was - is; !lost.isEmpty())
            add(Kind::EnumNarrowed, side == Side::Input, where,
                QStringLiteral("enum values removed: %1").arg(quotedList(lost)), from, to);
        if (const QSet<QString> gained = is - was; !gained.isEmpty())
            add(Kind::EnumWidened, side == Side::Output, where,
                QStringLiteral("enum values added: %1").arg(quotedList(gained)), from, to);
    }

    void compareProperties(const Json &before, const Json &after, const QString &path, Side side, int depth)
    {
        const Json was = valueOr(before, "properties", Json::object());
        const Json is = valueOr(after, "properties", Json::object());
        const QSet<QString> wasRequired = stringSet(valueOr(before, "required", Json()));
        const QSet<QString> isRequired = stringSet(valueOr(after, "required", Json()));
        const QString field =
            side == Side::Input ? QStringLiteral("parameter") : QStringLiteral("output field");
        for (auto it = was.begin(); it != was.end(); ++it) {
            const QString name = toQString(it.key());
            const QString where = path + QStringLiteral("/properties/") + review::escapePointerToken(name);
            const auto other = is.find(it.key());
            if (other == is.end()) {
                const bool required = wasRequired.contains(name);
                add(required && side == Side::Output ? Kind::RequiredRemoved : Kind::PropertyRemoved, true,
                    where,
                    QStringLiteral("%1%2 %3 removed")
                        .arg(required ? QStringLiteral("required ") : QString(), field, quoted(name)),
                    *it, nullptr);
            } else if (*it != *other) {
                compareSchema(*it, *other, where, side, depth + 1);
            }
        }
        for (auto it = is.begin(); it != is.end(); ++it)
            if (!was.contains(it.key()) && !isRequired.contains(toQString(it.key())))
                add(Kind::PropertyAdded, false,
                    path + QStringLiteral("/properties/") + review::escapePointerToken(toQString(it.key())),
                    QStringLiteral("optional %1 %2 added").arg(field, quoted(toQString(it.key()))), nullptr,
                    *it);
        const QString requiredPath = path + QStringLiteral("/required");
        for (const QString &name : sortedNames(isRequired - wasRequired)) // callers that omit it fail
            add(Kind::RequiredAdded, side == Side::Input, requiredPath,
                was.contains(toStd(name)) ? QStringLiteral("%1 %2 now required").arg(field, quoted(name))
                                          : QStringLiteral("new required %1 %2").arg(field, quoted(name)),
                nullptr, toStd(name));
        for (const QString &name : sortedNames(wasRequired - isRequired)) // readers that expect it fail
            if (is.contains(toStd(name)))
                add(Kind::RequiredRemoved, side == Side::Output, requiredPath,
                    QStringLiteral("%1 %2 no longer required").arg(field, quoted(name)), toStd(name),
                    nullptr);
    }

    void compareAnnotations(const Json &before, const Json &after)
    {
        for (const JsonChange &c : diffJson(before, after)) {
            bool breaking = false;
            for (const RiskyHint &hint : kRiskyHints)
                if (c.path == QLatin1Char('/') + QLatin1String(hint.name))
                    breaking = risky(c.after, hint) && !risky(c.before, hint);
            const bool hint = c.path.endsWith(QLatin1String("Hint"));
            add(hint ? Kind::AnnotationChanged : textKind(c.path), breaking,
                QStringLiteral("/annotations") + c.path,
                QStringLiteral("annotation %1 %2").arg(c.path.mid(1), JsonChange::kindName(c.kind)), c.before,
                c.after);
        }
    }

    // A prompt's arguments: [{name, description, required}], paired by name.
    void compareArguments(const Json &before, const Json &after)
    {
        QHash<QString, Json> is;
        for (const Json &argument : after)
            if (!is.contains(stringOr(argument, "name")))
                is.insert(stringOr(argument, "name"), argument);
        QSet<QString> seen;
        for (const Json &argument : before) {
            const QString name = stringOr(argument, "name");
            if (seen.contains(name))
                continue;
            seen << name;
            const QString where = QStringLiteral("/arguments/") + review::escapePointerToken(name);
            const auto other = is.constFind(name);
            if (other == is.cend()) {
                add(Kind::PropertyRemoved, true, where,
                    QStringLiteral("argument %1 removed").arg(quoted(name)), argument, nullptr);
                continue;
            }
            const bool wasRequired = valueOr(argument, "required", false);
            const bool isRequired = valueOr(*other, "required", false);
            if (isRequired != wasRequired)
                add(isRequired ? Kind::RequiredAdded : Kind::RequiredRemoved, isRequired, where + "/required",
                    QStringLiteral("argument %1 %2")
                        .arg(quoted(name),
                             isRequired ? QStringLiteral("now required") : QStringLiteral("optional now")),
                    wasRequired, isRequired);
            for (const JsonChange &c : diffJson(argument, *other, {"/required"}))
                add(textKind(c.path), false, where + c.path,
                    QStringLiteral("argument %1: %2 %3")
                        .arg(quoted(name), c.path.mid(1), JsonChange::kindName(c.kind)),
                    c.before, c.after);
        }
        for (auto it = is.cbegin(); it != is.cend(); ++it) {
            if (seen.contains(it.key()))
                continue;
            const bool required = valueOr(*it, "required", false);
            add(required ? Kind::RequiredAdded : Kind::PropertyAdded, required,
                QStringLiteral("/arguments/") + review::escapePointerToken(it.key()),
                QStringLiteral("%1 argument %2 added")
                    .arg(required ? QStringLiteral("new required") : QStringLiteral("optional"),
                         quoted(it.key())),
                nullptr, *it);
        }
    }

    void add(Kind kind, bool breaking, const QString &path, const QString &summary, const Json &before,
             const Json &after)
    {
        // Summaries quote member names a server chose: made visible here, once for every output.
        changes.append(
            {kind, breaking, m_itemKind, m_item, path, review::visibleText(summary, 400), before, after});
    }

    QString m_itemKind;
    QString m_item;
};

} // namespace

QString SurfaceChange::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Removed:
        return QStringLiteral("removed");
    case Kind::Added:
        return QStringLiteral("added");
    case Kind::RequiredAdded:
        return QStringLiteral("required-added");
    case Kind::RequiredRemoved:
        return QStringLiteral("required-removed");
    case Kind::PropertyRemoved:
        return QStringLiteral("property-removed");
    case Kind::PropertyAdded:
        return QStringLiteral("property-added");
    case Kind::TypeNarrowed:
        return QStringLiteral("type-narrowed");
    case Kind::TypeWidened:
        return QStringLiteral("type-widened");
    case Kind::TypeChanged:
        return QStringLiteral("type-changed");
    case Kind::EnumNarrowed:
        return QStringLiteral("enum-narrowed");
    case Kind::EnumWidened:
        return QStringLiteral("enum-widened");
    case Kind::AnnotationChanged:
        return QStringLiteral("annotation-changed");
    case Kind::CapabilityRemoved:
        return QStringLiteral("capability-removed");
    case Kind::CapabilityAdded:
        return QStringLiteral("capability-added");
    case Kind::CapabilityChanged:
        return QStringLiteral("capability-changed");
    case Kind::ProtocolVersionChanged:
        return QStringLiteral("protocol-version-changed");
    case Kind::TextChanged:
        return QStringLiteral("text-changed");
    case Kind::Changed:
        return QStringLiteral("changed");
    }
    return {};
}

QString SurfaceChange::describe() const
{
    QString line = (breaking ? QStringLiteral("BREAKING   ") : QStringLiteral("compatible "));
    line += itemKind;
    if (!item.isEmpty())
        line += QLatin1Char(' ') + review::visibleText(item, 120);
    line += QStringLiteral(": ") + summary;
    if (!before.is_null() && !after.is_null())
        line += QStringLiteral(": %1 -> %2").arg(compact(before), compact(after));
    if (!path.isEmpty())
        line += QStringLiteral(" (%1)").arg(review::visibleText(path, 200));
    return line;
}

Json SurfaceChange::toJson() const
{
    return {{"breaking", breaking},
            {"kind", toStd(kindName(kind))},
            {"itemKind", toStd(itemKind)},
            {"item", toStd(item)},
            {"path", toStd(path)},
            {"summary", toStd(summary)},
            {"before", before},
            {"after", after}};
}

int SurfaceDiff::breakingCount() const
{
    return int(
        std::count_if(changes.cbegin(), changes.cend(), [](const SurfaceChange &c) { return c.breaking; }));
}

QString SurfaceDiff::summaryLine() const
{
    if (changes.isEmpty())
        return QStringLiteral("no changes");
    const int breaking = breakingCount();
    const int compatible = int(changes.size()) - breaking;
    return QStringLiteral("%1 breaking change%2, %3 compatible change%4")
        .arg(breaking)
        .arg(breaking == 1 ? "" : "s")
        .arg(compatible)
        .arg(compatible == 1 ? "" : "s");
}

QString SurfaceDiff::toText() const
{
    QStringList lines{summaryLine()};
    for (const SurfaceChange &c : changes)
        lines << c.describe();
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

Json SurfaceDiff::toJson() const
{
    Json list = Json::array();
    for (const SurfaceChange &c : changes)
        list.push_back(c.toJson());
    const int breaking = breakingCount();
    return {{"breaking", breaking}, {"compatible", int(changes.size()) - breaking}, {"changes", list}};
}

SurfaceDiff diffSurfaces(const Json &before, const Json &after)
{
    Differ differ;
    differ.server(before, after);
    for (const SurfaceList &list : kSurfaceLists)
        differ.list(list, valueOr(before, list.key, Json::array()), valueOr(after, list.key, Json::array()));
    SurfaceDiff diff{differ.changes};
    std::stable_sort(
        diff.changes.begin(), diff.changes.end(),
        [](const SurfaceChange &a, const SurfaceChange &b) { return a.breaking && !b.breaking; });
    return diff;
}

} // namespace mcp::surface
