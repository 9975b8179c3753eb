#pragma once

#include "definitions.h"
#include "findings.h"
#include "pinning.h"

namespace mcp::review {

// The whole review of one or more servers: each server's definitions and connection, then what is wrong
// across them (shadowing, toxic flows). Findings come most severe first, then by server and place.
QList<Finding> reviewServers(const QList<ServerSnapshot> &servers);
// reviewServers, plus for each server the reviewer approved (pins), what changed since (pinFindings).
QList<Finding> reviewServers(const QList<ServerSnapshot> &servers, const PinStore &pins);
// That order, for findings gathered elsewhere too.
void sortFindings(QList<Finding> *findings);

} // namespace mcp::review
