#include "review.h"

#include "crossserver.h"
#include "instructioncheck.h"
#include "toolcheck.h"
#include "toxicflow.h"
#include "transportcheck.h"
#include "unicodecheck.h"

#include <algorithm>

namespace mcp::review {

void sortFindings(QList<Finding> *findings)
{
    std::stable_sort(findings->begin(), findings->end(), [](const Finding &a, const Finding &b) {
        if (a.severity != b.severity)
            return a.severity > b.severity;
        return std::tie(a.location.server, a.location.pointer, a.ruleId) <
               std::tie(b.location.server, b.location.pointer, b.ruleId);
    });
}

QList<Finding> reviewServers(const QList<ServerSnapshot> &servers)
{
    QList<Finding> findings;
    for (const ServerSnapshot &server : servers) {
        checkUnicode(server, &findings);
        checkInstructions(server, &findings);
        checkTools(server, &findings);
        checkTransport(server, &findings);
    }
    checkAcrossServers(servers, &findings);
    checkToxicFlows(servers, &findings);
    sortFindings(&findings);
    return findings;
}

QList<Finding> reviewServers(const QList<ServerSnapshot> &servers, const PinStore &pins)
{
    QList<Finding> findings = reviewServers(servers);
    for (const ServerSnapshot &server : servers)
        if (pins.hasServer(server.name))
            findings += pinFindings(server.name, pins.changes(server.name, server.definitions));
    sortFindings(&findings);
    return findings;
}

} // namespace mcp::review
