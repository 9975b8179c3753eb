#include "ruleshandler.h"

#include <QFile>

namespace mcp {

RulesHandler RulesHandler::fromFile(const QString &path, Error *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = makeError(Error::Category::Usage, QStringLiteral("rules"),
                           QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        return RulesHandler();
    }
    const QByteArray text = f.readAll();
    Json rules = Json::parse(text.begin(), text.end(), nullptr, false);
    if (rules.is_discarded() || !rules.is_object()) {
        *error = makeError(Error::Category::Usage, QStringLiteral("rules"),
                           QStringLiteral("%1 is not a JSON object").arg(path));
        return RulesHandler();
    }
    return RulesHandler(std::move(rules));
}

Json RulesHandler::capabilities() const
{
    Json caps = Json::object();
    if (m_rules.contains("sampling"))
        caps["sampling"] = Json::object();
    if (m_rules.contains("elicitation"))
        caps["elicitation"] = {{"form", Json::object()}, {"url", Json::object()}};
    if (m_rules.contains("roots"))
        caps["roots"] = {{"listChanged", false}};
    return caps;
}

Json elicitationDefaults(const Json &requestedSchema)
{
    Json content = Json::object();
    const Json properties = requestedSchema.value("properties", Json::object());
    for (const auto &[name, property] : properties.items())
        if (property.is_object() && property.contains("default"))
            content[name] = property["default"];
    return content;
}

static Error refused(const QString &method, const QString &why)
{
    return makeError(Error::Category::Rpc, method, why, -32600);
}

void RulesHandler::handle(const QString &method, const Json &params, Respond respond)
{
    if (method == QStringLiteral("roots/list")) {
        if (!m_rules.contains("roots"))
            return respond({}, refused(method, QStringLiteral("no roots rule: the client offers no roots")));
        respond({{"roots", m_rules["roots"]}}, {});
        return;
    }
    if (method == QStringLiteral("sampling/createMessage")) {
        const Json rule = m_rules.value("sampling", Json());
        if (rule.is_null())
            return respond({}, refused(method, QStringLiteral("no sampling rule: sampling refused")));
        if (rule == "reject")
            return respond({}, refused(method, QStringLiteral("sampling rejected by rule")));
        respond({{"role", "assistant"},
                 {"content", {{"type", "text"}, {"text", rule.value("text", "")}}},
                 {"model", rule.value("model", "mcpwb-rules")},
                 {"stopReason", rule.value("stopReason", "endTurn")}},
                {});
        return;
    }
    if (method == QStringLiteral("elicitation/create")) {
        const Json rule = m_rules.value("elicitation", Json());
        if (rule.is_null())
            return respond({}, refused(method, QStringLiteral("no elicitation rule: elicitation refused")));
        if (rule.is_string()) {
            if (rule == "defaults")
                return respond(
                    {{"action", "accept"},
                     {"content", elicitationDefaults(params.value("requestedSchema", Json::object()))}},
                    {});
            return respond({{"action", rule}}, {});
        }
        Json result = {{"action", rule.value("action", "accept")}};
        if (rule.contains("content") && stringOr(params, "mode") != QStringLiteral("url"))
            result["content"] = rule["content"];
        respond(result, {});
        return;
    }
    respond({}, makeError(Error::Category::Rpc, method, QStringLiteral("method not found: %1").arg(method),
                          -32601));
}

} // namespace mcp
