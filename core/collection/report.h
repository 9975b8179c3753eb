#pragma once

#include "collectionrunner.h"

#include <QByteArray>

namespace mcp::collection {

// A run as a person reads it: one line per request (PASS, FAIL, ERROR, its method and latency), under each
// failure its reason and diff, and a closing count.
QString runText(const RunResult &run);
// The same as JSON (mcpwb run --json): the counts, then each step with its params as sent (redacted), its
// answer, and its failures with their diffs.
Json runJson(const RunResult &run);

// A run as JUnit XML (the Jenkins/Ant dialect CI systems read; tests/data/junit.xsd): one <testsuite> for the
// collection, one <testcase> per request with a <failure> per expectation not met (the diff in its text) or
// an <error> for a request not sent. Characters XML 1.0 cannot carry (a server's control characters) become
// U+FFFD.
QByteArray junitXml(const RunResult &run);

} // namespace mcp::collection
