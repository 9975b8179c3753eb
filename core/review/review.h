#pragma once

#include "definitions.h"
#include "findings.h"

namespace mcp::review {

// The whole review of one or more servers: each server's definitions and connection, then what is wrong
// across them (shadowing, toxic flows). Findings come most severe first, then by server and place.
QList<Finding> reviewServers(const QList<ServerSnapshot> &servers);
// That order, for findings gathered elsewhere too (pinning).
void sortFindings(QList<Finding> *findings);

} // namespace mcp::review
