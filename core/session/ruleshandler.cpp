#include "ruleshandler.h"

#include "../jsonrpc/message.h"

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
    const Json properties = valueOr(requestedSchema, "properties", Json::object());
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
        const Json rule = valueOr(m_rules, "sampling", Json());
        if (rule.is_null())
            return respond({}, refused(method, QStringLiteral("no sampling rule: sampling refused")));
        if (rule == "reject")
            return respond({}, refused(method, QStringLiteral("sampling rejected by rule")));
        respond({{"role", "assistant"},
                 {"content", {{"type", "text"}, {"text", valueOr(rule, "text", "")}}},
                 {"model", valueOr(rule, "model", "mcpwb-rules")},
                 {"stopReason", valueOr(rule, "stopReason", "endTurn")}},
                {});
        return;
    }
    if (method == QStringLiteral("elicitation/create")) {
        const Json rule = valueOr(m_rules, "elicitation", Json());
        if (rule.is_null())
            return respond({}, refused(method, QStringLiteral("no elicitation rule: elicitation refused")));
        const Json schema = valueOr(params, "requestedSchema", Json());
        if (!schema.is_null() && !schema.is_object())
            return respond({},
                           makeError(Error::Category::Rpc, method,
                                     QStringLiteral("%1: \"requestedSchema\" must be an object").arg(method),
                                     jsonrpc::ErrorCode::InvalidParams));
        if (rule.is_string()) {
            if (rule == "defaults")
                return respond({{"action", "accept"}, {"content", elicitationDefaults(schema)}}, {});
            return respond({{"action", rule}}, {});
        }
        Json result = {{"action", valueOr(rule, "action", "accept")}};
        if (rule.contains("content") && stringOr(params, "mode") != QStringLiteral("url"))
            result["content"] = rule["content"];
        respond(result, {});
        return;
    }
    respond({}, makeError(Error::Category::Rpc, method, QStringLiteral("method not found: %1").arg(method),
                          -32601));
}

} // namespace mcp
