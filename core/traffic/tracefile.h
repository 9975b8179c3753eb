#pragma once

#include "recorder.h"

#include <QFile>
#include <QObject>

namespace mcp {

// A session file: JSONL, one frame a line:
//   {"time":"2026-11-25T17:00:00.123456Z","connection":"name","direction":"send","bytes":57,"message":{...}}
// "message" holds the frame's exact bytes when they are one line of valid JSON, and stands last so a reader
// can take those bytes back verbatim; otherwise the line has "raw": the bytes as a string.
class TraceWriter : public QObject
{
    Q_OBJECT
public:
    explicit TraceWriter(Recorder *recorder, QObject *parent = nullptr);
    bool open(const QString &path, Error *error);
    void close();

    static QByteArray line(const Recorder &recorder, const FrameRecord &frame);

private:
    void write(int index);

    Recorder *m_recorder;
    QFile m_file;
};

// Loads a session file into a recorder, frames byte-identical to what was written.
bool readTrace(const QString &path, Recorder &recorder, Error *error);

} // namespace mcp
