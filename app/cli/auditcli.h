#pragma once

#include "cliargs.h"

// mcpwb audit verify FILE...: the audit files as one chain, in the order given; returns the exit code
// (0 intact, kExitAuditChanged at the first bad entry, 1 when a file cannot be read or verified).
inline constexpr int kExitAuditChanged = 12;
int runAuditVerify(const CliArgs &args);
