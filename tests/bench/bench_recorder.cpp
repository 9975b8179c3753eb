// Recorder at scale: memory per frame, ingestion rate, and the longest event-loop stall while frames arrive
// at a steady rate. Not a ctest test; run by hand (see RESULTS.md):  bench_recorder [frames]
// Baseline, measured in the same run: the payloads alone in a std::vector<QByteArray> (what any recorder
// must keep at least), so "overhead" is what the Recorder adds beyond the bytes.
#include "traffic/recorder.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>
#include <cstdio>
#include <malloc.h>

namespace {

// Heap bytes in use (glibc), exact where RSS would count freed-but-kept pages.
qint64 heapBytes()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}

// A realistic mix: a request, its response, a notification now and then; each payload a fresh allocation
// as a transport hands it over.
QByteArray frame(qint64 i, mcp::Direction *direction)
{
    switch (i % 4) {
    case 0:
        *direction = mcp::Direction::Sent;
        return R"({"jsonrpc":"2.0","id":)" + QByteArray::number(i / 4) +
               R"(,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hello"}}})";
    case 1:
        *direction = mcp::Direction::Received;
        return R"({"jsonrpc":"2.0","id":)" + QByteArray::number(i / 4) +
               R"(,"result":{"content":[{"type":"text","text":"Echo: hello"}]}})";
    case 2:
        *direction = mcp::Direction::Received;
        return R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"tick"}})";
    default:
        *direction = mcp::Direction::Received;
        return R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":")" +
               QByteArray::number(i) + R"(","progress":1}})";
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qint64 n = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    mcp::Direction direction;

    // Baseline: payloads only.
    qint64 payload = 0;
    const qint64 rss0 = heapBytes();
    QElapsedTimer timer;
    timer.start();
    {
        std::vector<QByteArray> bare;
        for (qint64 i = 0; i < n; ++i) {
            bare.push_back(frame(i, &direction));
            payload += bare.back().size();
        }
        const double baseSeconds = timer.nsecsElapsed() / 1e9;
        const qint64 baseRss = heapBytes() - rss0;
        std::printf("baseline  %lld frames, payload %.1f MB, heap +%.1f MB (%.1f B/frame over payload), %.0f "
                    "frames/s\n",
                    n, payload / 1e6, baseRss / 1e6, double(baseRss - payload) / n, n / baseSeconds);
    }

    // Recorder: parse, extract, pair, keep.
    const qint64 rss1 = heapBytes();
    mcp::Recorder recorder;
    const int connection = recorder.addConnection(QStringLiteral("bench"));
    timer.restart();
    for (qint64 i = 0; i < n; ++i)
        recorder.record(connection, direction = mcp::Direction::Sent, frame(i, &direction));
    const double seconds = timer.nsecsElapsed() / 1e9;
    const qint64 rss = heapBytes() - rss1;
    std::printf("recorder  %lld frames, heap +%.1f MB (%.1f B/frame over payload), %.0f frames/s, "
                "sizeof(FrameRecord) %zu\n",
                n, rss / 1e6, double(rss - payload) / n, n / seconds, sizeof(mcp::FrameRecord));

    // Live: 100,000 frames/s arriving in 1 ms slices on the event loop; a 1 ms probe timer measures stalls.
    mcp::Recorder live;
    const int liveConnection = live.addConnection(QStringLiteral("live"));
    QElapsedTimer clock;
    clock.start();
    qint64 lastProbe = 0, worstStall = 0, sent = 0;
    const qint64 liveFrames = 300'000;
    QTimer feed, probe;
    feed.setTimerType(Qt::PreciseTimer);
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        worstStall = std::max(worstStall, now - lastProbe);
        lastProbe = now;
    });
    QObject::connect(&feed, &QTimer::timeout, [&] {
        const qint64 due = std::min(liveFrames, clock.elapsed() * 100); // 100 frames per ms
        for (; sent < due; ++sent) {
            const QByteArray bytes = frame(sent, &direction);
            live.record(liveConnection, direction, bytes);
        }
        if (sent == liveFrames)
            app.quit();
    });
    feed.start(1);
    probe.start(1);
    app.exec();
    std::printf("live      %lld frames at 100000 frames/s in %.2f s, longest event-loop stall %.1f ms\n",
                sent, clock.elapsed() / 1000.0, worstStall / 1e6);
    return 0;
}
