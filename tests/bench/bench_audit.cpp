// The audit trail's cost per frame: frames recorded with and without an AuditLog watching the Recorder (the
// workbench always has one), each entry redacted, hashed, written, flushed under the file's lock. Not a
// ctest test; run by hand (see RESULTS.md):  bench_audit [frames]
#include "audit/auditlog.h"
#include "traffic/recorder.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <cstdio>

namespace {

constexpr char kNotification[] =
    R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"flood 12345"}})";

// Microseconds per frame for `frames` notifications, audited or not.
double perFrame(int frames, bool audited)
{
    QTemporaryDir dir;
    mcp::audit::AuditLog log(dir.path());
    mcp::Recorder recorder;
    if (audited)
        log.watch(&recorder);
    const int connection = recorder.addConnection(QStringLiteral("bench"));
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < frames; ++i)
        recorder.record(connection, mcp::Direction::Received, QByteArray(kNotification));
    return double(timer.nsecsElapsed()) / 1000.0 / frames;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int frames = argc > 1 ? QByteArray(argv[1]).toInt() : 100000;
    const double plain = perFrame(frames, false);
    const double audited = perFrame(frames, true);
    std::printf("%d frames: %.1f us each recorded, %.1f us each recorded and audited (+%.1f us)\n", frames,
                plain, audited, audited - plain);
    return 0;
}
