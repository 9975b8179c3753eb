#pragma once

#include "recorder.h"
#include "redaction.h"

#include <QFile>
#include <QObject>

namespace mcp {

// A session file: JSONL, one frame a line:
//   {"time":"2026-11-25T17:00:00.123456Z","connection":"name","direction":"send","bytes":57,"message":{...}}
// "message" holds the frame's exact bytes when they are one line of valid JSON, and stands last so a reader
// can take those bytes back verbatim; otherwise the line has "raw": the bytes as a string, or "rawBase64"
// where they are not UTF-8 (a JSON string cannot hold them).
// HTTP exchanges (for HAR and OTLP exports of the file) are lines of their own:
//   {"time":"...","connection":"name","http":{"method":"POST","url":...,"requestHeaders":[["K","V"]],...}}
// Secrets are redacted unless the options keep them: secret headers and query items of exchanges, and secret
// fields in frames and bodies (a frame without secrets is written byte-identical).
class TraceWriter : public QObject
{
    Q_OBJECT
public:
    explicit TraceWriter(Recorder *recorder, QObject *parent = nullptr, ExportOptions options = {});
    bool open(const QString &path, Error *error);
    void close();

    static QByteArray line(const Recorder &recorder, const FrameRecord &frame,
                           const ExportOptions &options = {});
    static QByteArray httpLine(const Recorder &recorder, const Recorder::HttpRecord &record,
                               const ExportOptions &options = {});

private:
    void write(int index);
    void writeHttp(int index);

    Recorder *m_recorder;
    ExportOptions m_options;
    QFile m_file;
};

// The whole recording as a session file (frames, then HTTP exchanges).
QByteArray exportTrace(const Recorder &recorder, const ExportOptions &options = {});

// Loads a session file into a recorder, frames byte-identical to what was written.
bool readTrace(const QString &path, Recorder &recorder, Error *error);
// The same from an open device; path names it in messages.
bool readTrace(QIODevice &f, const QString &path, Recorder &recorder, Error *error);

} // namespace mcp
