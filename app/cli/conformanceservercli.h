#pragma once

#include "cliargs.h"

// mcpwb --url URL conformance-server [SCENARIO]: the conformance harness's server scenarios against URL.
inline constexpr int kExitConformanceFailed = 15;

int runConformanceServer(const CliArgs &args);
