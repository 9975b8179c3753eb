#include "pinning.h"

#include "definitions.h"
#include "jsonfile.h"

#include <QCryptographicHash>
#include <nlohmann/json.hpp>

namespace mcp::review {

namespace {

QString pinKey(const QString &kind, const QString &name)
{
    return kind + QLatin1Char('/') + name;
}

// Definitions by "kind/name" (resources by URI when they have no name).
QHash<QString, Json> definitionsByKey(const Json &definitions)
{
    QHash<QString, Json> byKey;
    for (const ItemList &list : kItemLists) {
        for (const Json &item : valueOr(definitions, list.key, Json::array())) {
            QString name = stringOr(item, "name");
            if (name.isEmpty())
                name = stringOr(item, "uri", stringOr(item, "uriTemplate"));
            byKey.insert(pinKey(QLatin1String(list.kind), name), item);
        }
    }
    return byKey;
}

} // namespace

QString DefinitionChange::describe() const
{
    static const char *kinds[] = {"appeared since approval", "changed since approval",
                                  "disappeared since approval"};
    QString text =
        QStringLiteral("%1 %2 %3").arg(itemKind, visibleText(name, 80), QLatin1String(kinds[int(kind)]));
    if (!diff.isEmpty())
        text += QStringLiteral(":\n") + visibleText(describeChanges(diff), 2000);
    return text;
}

QString PinStore::definitionHash(const Json &definition)
{
    // Canonical: keys sorted (nlohmann::json sorts), so a server that reorders members changes nothing.
    const nlohmann::json canonical =
        nlohmann::json::parse(definition.dump(-1, ' ', false, Json::error_handler_t::replace));
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray::fromStdString(canonical.dump(
                                     -1, ' ', false, nlohmann::json::error_handler_t::replace)),
                                 QCryptographicHash::Sha256)
            .toHex());
}

void PinStore::approve(const QString &server, const Json &definitions)
{
    QHash<QString, Pin> pins;
    const QHash<QString, Json> byKey = definitionsByKey(definitions);
    for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
        pins.insert(it.key(), {definitionHash(it.value()), it.value()});
    m_pins.insert(server, pins);
}

QList<DefinitionChange> PinStore::changes(const QString &server, const Json &definitions) const
{
    const QHash<QString, Pin> pins = m_pins.value(server);
    const QHash<QString, Json> now = definitionsByKey(definitions);
    QList<DefinitionChange> out;
    QStringList keys = now.keys();
    for (const QString &key : pins.keys())
        if (!now.contains(key))
            keys << key;
    keys.sort();
    for (const QString &key : keys) {
        const QString kind = key.section(QLatin1Char('/'), 0, 0);
        const QString name = key.section(QLatin1Char('/'), 1);
        const auto pin = pins.constFind(key);
        if (pin == pins.cend())
            out.append({DefinitionChange::Kind::Added, kind, name, Json(), now.value(key), {}});
        else if (!now.contains(key))
            out.append({DefinitionChange::Kind::Removed, kind, name, pin->definition, Json(), {}});
        else if (definitionHash(now.value(key)) != pin->hash)
            out.append({DefinitionChange::Kind::Changed, kind, name, pin->definition, now.value(key),
                        diffJson(pin->definition, now.value(key))});
    }
    return out;
}

std::optional<DefinitionChange> PinStore::holdCall(const QString &server, const Json &definitions,
                                                   const QString &tool) const
{
    for (const DefinitionChange &c : changes(server, definitions))
        if (c.itemKind == QStringLiteral("tool") && c.name == tool &&
            c.kind != DefinitionChange::Kind::Removed)
            return c;
    return std::nullopt;
}

Json PinStore::toJson() const
{
    Json servers = Json::object();
    QStringList names = m_pins.keys();
    names.sort();
    for (const QString &server : names) {
        Json pins = Json::object();
        const QHash<QString, Pin> &p = m_pins[server];
        QStringList keys = p.keys();
        keys.sort();
        for (const QString &key : keys)
            pins[toStd(key)] = {{"sha256", toStd(p[key].hash)}, {"definition", p[key].definition}};
        servers[toStd(server)] = pins;
    }
    return {{"mcpwbPins", 1}, {"servers", servers}};
}

bool PinStore::fromJson(const Json &json, PinStore *out, QString *error)
{
    const Json servers = valueOr(json, "servers", Json());
    if (valueOr(json, "mcpwbPins", 0) != 1 || !servers.is_object()) {
        *error = QStringLiteral("not a pins document (version 1 with a \"servers\" object)");
        return false;
    }
    PinStore store;
    for (const auto &[server, pins] : servers.items()) {
        if (!pins.is_object()) {
            *error =
                QStringLiteral("server %1: pins are not an object").arg(visibleText(toQString(server), 80));
            return false;
        }
        QHash<QString, Pin> &p = store.m_pins[toQString(server)];
        for (const auto &[key, pin] : pins.items()) {
            const QString hash = stringOr(pin, "sha256");
            if (hash.size() != 64 || !pin.contains("definition")) {
                *error = QStringLiteral("server %1, %2: no sha256 or definition")
                             .arg(visibleText(toQString(server), 80), visibleText(toQString(key), 80));
                return false;
            }
            p.insert(toQString(key), {hash, pin["definition"]});
        }
    }
    *out = std::move(store);
    return true;
}

bool PinStore::save(const QString &path, QString *error) const
{
    return saveDocument(path, *this, error);
}

bool PinStore::load(const QString &path, PinStore *out, QString *error)
{
    return loadDocument(path, 64 * 1024 * 1024, out, error);
}

QList<Finding> pinFindings(const QString &server, const QList<DefinitionChange> &changes)
{
    QList<Finding> findings;
    for (const DefinitionChange &c : changes) {
        if (c.kind == DefinitionChange::Kind::Removed)
            continue; // nothing left to call
        const bool changed = c.kind == DefinitionChange::Kind::Changed;
        findings.append({changed ? QStringLiteral("pinning.changed") : QStringLiteral("pinning.added"),
                         Category::ToolPoisoning,
                         changed ? Severity::High : Severity::Medium,
                         QStringLiteral("%1 %2 %3 since it was approved")
                             .arg(c.itemKind, visibleText(c.name, 80),
                                  changed ? QStringLiteral("changed") : QStringLiteral("appeared")),
                         changed ? visibleText(describeChanges(c.diff), 2000)
                                 : visibleText(QString::fromUtf8(dumpCompact(c.after)), 600),
                         QStringLiteral("A definition that changes after approval (a rug pull) can turn a "
                                        "reviewed tool into a poisoned one. Calls to it are held: review the "
                                        "difference, then approve again or disconnect."),
                         {server, c.itemKind, c.name, QString(), QString()}});
    }
    return findings;
}

} // namespace mcp::review
