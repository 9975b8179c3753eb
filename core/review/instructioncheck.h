#pragma once

#include "definitions.h"
#include "findings.h"

namespace mcp::review {

// Text aimed at the model rather than the user (tool poisoning as Invariant Labs published it): pseudo-tags
// such as <IMPORTANT>, wording that overrides other instructions or asks for secrecy, orders about other
// tools, requests to read files, keys or the conversation, and URLs to send data to, visible or smuggled in
// Unicode tag characters (critical then). Also descriptions far longer than a tool needs (room for such
// text).
void checkInstructions(const ServerSnapshot &server, QList<Finding> *findings);

struct InstructionMatch
{
    QString kind;    // "pseudo-tag", "override", "secrecy", "other tools", "sensitive data", "send data out"
    QString excerpt; // the matched words with some context, made visible
    // Where the words were smuggled in Unicode tag characters: the run ("U+E0069..U+E0073: 38 TAG
    // characters"), whose decoded text the excerpt is from; empty for visible text.
    QString tagRun;
    QString evidence() const; // the excerpt, after the tag run where there is one
};
// The instruction-like passages in one text (also for tool results and resource contents), in the text
// itself and in the ASCII its tag character runs decode to.
QList<InstructionMatch> findInstructionText(const QString &text);
// A finding's rule for a match: prefix + "override", or prefix + "tag-smuggled-override" when hidden.
QString instructionRuleId(const QString &prefix, const InstructionMatch &match);

} // namespace mcp::review
