// Session files (core/traffic/tracefile), opened from disk or given to mcpwb: any bytes load or give an
// error; what loads, the writer writes back as a file the reader loads again, frame for frame.
#include "traffic/tracefile.h"

#include <QBuffer>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer file(&bytes);
    file.open(QIODevice::ReadOnly);
    mcp::Recorder recorder;
    mcp::Error error;
    if (!mcp::readTrace(file, QStringLiteral("fuzz.jsonl"), recorder, &error)) {
        (void)error.toString();
        return 0;
    }
    QByteArray written = mcp::exportTrace(recorder);
    QBuffer again(&written);
    again.open(QIODevice::ReadOnly);
    mcp::Recorder reread;
    if (!mcp::readTrace(again, QStringLiteral("written.jsonl"), reread, &error) ||
        reread.size() != recorder.size())
        std::abort(); // a file we wrote must load again with the same frames
    return 0;
}
