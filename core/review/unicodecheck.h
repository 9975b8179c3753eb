#pragma once

#include "definitions.h"
#include "findings.h"

namespace mcp::review {

// Invisible and deceptive Unicode in a server's definitions (MCP03): Unicode tag characters (their smuggled
// ASCII decoded into the evidence), bidi controls, zero-width and other invisible characters, and names that
// mix scripts or use letters that look like Latin ones (homoglyphs).
void checkUnicode(const ServerSnapshot &server, QList<Finding> *findings);

// What a name looks like to a reader: look-alike letters (Cyrillic, Greek, fullwidth) mapped to the Latin
// letters they imitate. Equal skeletons of different names mean one can pass for the other.
QString confusableSkeleton(const QString &name);

} // namespace mcp::review
