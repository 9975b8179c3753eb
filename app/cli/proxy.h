#pragma once

#include <QStringList>

// mcpwb proxy --stdio "COMMAND" [--record FILE]  |  mcpwb proxy --url UPSTREAM --listen PORT [--record FILE]
// Runs until the host (stdio) or the user (HTTP) ends it; returns the exit code.
int runProxy(const QStringList &args);
