#pragma once

#include "../jsonrpc/json.h"

#include <QHash>
#include <QList>
#include <QString>

namespace mcp::review {

// The OWASP MCP Top 10 (beta) categories, by their numbers.
enum class Category {
    TokenMismanagement = 1, // MCP01 token mismanagement and secret exposure
    ScopeCreep,             // MCP02 privilege escalation via scope creep
    ToolPoisoning,          // MCP03 tool poisoning
    SupplyChain,            // MCP04 supply chain attacks and dependency tampering
    CommandInjection,       // MCP05 command injection and execution
    IntentFlowSubversion,   // MCP06 intent flow subversion
    InsufficientAuth,       // MCP07 insufficient authentication and authorization
    LackOfAudit,            // MCP08 lack of audit and telemetry
    ShadowServers,          // MCP09 shadow MCP servers
    ContextOverSharing,     // MCP10 context injection and over-sharing
};
QString categoryId(Category c);   // "MCP03"
QString categoryName(Category c); // "Tool poisoning"

enum class Severity { Info, Low, Medium, High, Critical };
QString severityName(Severity s); // "high"

// Where a finding is: the server, the definition (a tool, prompt, resource, template, or the server itself),
// the field by name, and a JSON pointer into that server's definitions document (see ServerSnapshot).
struct Location
{
    QString server;
    QString itemKind; // "tool", "prompt", "resource", "resourceTemplate", "server", "connection"
    QString item;     // its name; empty for the server itself
    QString field;    // e.g. "description", "inputSchema.properties.path"
    QString pointer;  // e.g. "/tools/3/description"
    // Findings in traffic (trafficcheck.h): the frame's Recorder index (reports number frames from 1, as
    // `mcpwb trace show` does) and its JSON-RPC id; pointer then points into that frame's message, e.g.
    // "/result/content/0/text".
    qint64 frame = -1;
    QString messageId = {};
};

struct Finding
{
    QString ruleId; // what the check calls it: "unicode.tag-characters", "flow.toxic"
    Category category = Category::ToolPoisoning;
    Severity severity = Severity::Info;
    QString title;    // one line: what is wrong
    QString evidence; // exactly what was seen, as plain text with every invisible character made visible
    QString advice;
    Location location;

    // Stable across reviews of the same definitions (the pointer's list index is left out, so a server that
    // reorders its tools keeps its acceptances); a changed evidence is a new finding.
    QString fingerprint() const;
};

// Text from a server shown safely: every invisible, format, control or bidi character becomes
// "[U+202E RIGHT-TO-LEFT OVERRIDE]", a run of Unicode tag characters becomes its decoded ASCII in one
// bracket, newlines and tabs are written as \n and \t. At most maxChars of the result (then "…").
QString visibleText(const QString &text, int maxChars = 400);
// The name of a character that visibleText spells out, or empty for an ordinary one.
QString invisibleCharacterName(char32_t c);

// A run of Unicode tag characters (U+E0000..U+E007F): invisible to the user, yet models read
// U+E0020..U+E007E as the ASCII characters they mirror (ASCII smuggling).
struct TagRun
{
    qsizetype start = 0; // in code points of the text
    qsizetype length = 0;
    char32_t first = 0;
    char32_t last = 0;
    QString decoded;        // the ASCII it smuggles
    bool emojiFlag = false; // a flag's tag sequence after U+1F3F4 (lower-case letters, CANCEL TAG): harmless
    QString describe() const; // "U+E0069..U+E0073: 38 TAG characters"
};
// Every run in text, in order.
QList<TagRun> tagRuns(const QString &text);

// A reviewer's decisions: findings accepted, each with a reason, kept by fingerprint.
class Acceptances
{
public:
    void accept(const QString &fingerprint, const QString &reason);
    void revoke(const QString &fingerprint);
    bool isAccepted(const QString &fingerprint) const { return m_reasons.contains(fingerprint); }
    QString reason(const QString &fingerprint) const { return m_reasons.value(fingerprint); }

    Json toJson() const;
    // Reads what toJson wrote; a malformed document gives false with *error (file and reason).
    static bool fromJson(const Json &json, Acceptances *out, QString *error);
    bool save(const QString &path, QString *error) const;
    static bool load(const QString &path, Acceptances *out, QString *error);

private:
    QHash<QString, QString> m_reasons;
};

// The highest severity among findings that are not accepted, or nothing when all are.
std::optional<Severity> highestOpenSeverity(const QList<Finding> &findings, const Acceptances &accepted);

} // namespace mcp::review
