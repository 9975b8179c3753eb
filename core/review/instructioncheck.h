#pragma once

#include "definitions.h"
#include "findings.h"

namespace mcp::review {

// Text aimed at the model rather than the user (tool poisoning as Invariant Labs published it): pseudo-tags
// such as <IMPORTANT>, wording that overrides other instructions or asks for secrecy, orders about other
// tools, requests to read files, keys or the conversation, and URLs to send data to. Also descriptions far
// longer than a tool needs (room for such text).
void checkInstructions(const ServerSnapshot &server, QList<Finding> *findings);

struct InstructionMatch
{
    QString kind;    // "pseudo-tag", "override", "secrecy", "other tools", "sensitive data", "send data out"
    QString excerpt; // the matched words with some context, made visible
};
// The instruction-like passages in one text (also for tool results and resource contents).
QList<InstructionMatch> findInstructionText(const QString &text);

} // namespace mcp::review
