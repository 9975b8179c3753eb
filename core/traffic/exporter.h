#pragma once

#include "recorder.h"
#include "redaction.h"

namespace mcp {

enum class ExportFormat { Jsonl, Har, Otlp };

// A recording in one of the export formats (session JSONL, HAR 1.2, OTLP/JSON), redacted per options.
QByteArray exportRecording(const Recorder &recorder, ExportFormat format, const ExportOptions &options = {});
// The same, written to a file.
bool writeExport(const Recorder &recorder, ExportFormat format, const QString &path,
                 const ExportOptions &options, Error *error);

} // namespace mcp
