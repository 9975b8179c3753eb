#pragma once

#include <QProcess>
#include <csignal>
#include <functional>

namespace mcp {

// Servers we start must not outlive us, however we end (a crash, an abort, SIGKILL): on Linux the kernel
// sends the child `signal` when this process ends (PR_SET_PDEATHSIG); elsewhere the child is stopped only
// by our own shutdown. `inChild` runs first in the child, between fork and exec, where only
// async-signal-safe calls are allowed. Replaces any child process modifier set before.
void endWithThisProcess(QProcess &process, int signal = SIGTERM, std::function<void()> inChild = {});

} // namespace mcp
