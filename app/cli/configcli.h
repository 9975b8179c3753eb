#pragma once

#include "cliargs.h"

// `mcpwb config list|import|export`. list: see inventorycli.h. import FILE [--host NAME]: the servers the
// file configures, each as the mcpwb options that connect to it (the CLI keeps no connections of its own:
// those options are the connection), with what it asks when connecting (--input) and what mcpwb does not use;
// --json prints them as JSON. export --host NAME: the connection given the usual way (--stdio/--url,
// --header, --env, --env-file, --name) in that host's format, to stdout or --output FILE; notes to stderr.
// Exit 0, or 1 on a usage error, an unreadable file or one with problems (the servers read still listed).
int runConfig(const CliArgs &args);
