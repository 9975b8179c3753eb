#pragma once

#include "serverrequesthandler.h"

namespace mcp {

// Answers server requests from fixed rules, for scripts, CI and the conformance harness.
// Rules file (JSON):
//   {"sampling":    {"text": "...", "model": "...", "stopReason": "endTurn"} | "reject",
//    "elicitation": {"action": "accept", "content": {...}} | "defaults" | "decline" | "cancel",
//    "roots":       [{"uri": "file:///tmp", "name": "tmp"}]}
// A kind with no rule is refused with an error that says so.
class RulesHandler : public ServerRequestHandler
{
public:
    explicit RulesHandler(Json rules = Json::object()) : m_rules(std::move(rules)) {}
    static RulesHandler fromFile(const QString &path, Error *error);

    Json capabilities() const override;
    void handle(const QString &method, const Json &params, Respond respond) override;

    const Json &rules() const { return m_rules; }

private:
    Json m_rules;
};

// The content an elicitation form would start with: each property's schema default, where there is one.
Json elicitationDefaults(const Json &requestedSchema);

} // namespace mcp
