#include "childprocess.h"

#include <unistd.h>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace mcp {

void endWithThisProcess(QProcess &process, int signal, std::function<void()> inChild)
{
    const pid_t parent = ::getpid();
    process.setChildProcessModifier([parent, signal, inChild = std::move(inChild)] {
        if (inChild)
            inChild();
#ifdef Q_OS_LINUX
        ::prctl(PR_SET_PDEATHSIG, signal);
        if (::getppid() != parent) // we ended between fork and prctl: nobody would send the signal now
            ::raise(signal);
#else
        Q_UNUSED(parent);
        Q_UNUSED(signal);
#endif
    });
}

} // namespace mcp
