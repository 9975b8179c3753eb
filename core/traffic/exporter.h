#pragma once

#include "recorder.h"
#include "redaction.h"

#include <QFileDevice>

namespace mcp {

// Files that hold traffic (session files, exports) are readable and writable by their owner only.
constexpr QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

enum class ExportFormat { Jsonl, Har, Otlp };

// A recording in one of the export formats (session JSONL, HAR 1.2, OTLP/JSON), redacted per options.
QByteArray exportRecording(const Recorder &recorder, ExportFormat format, const ExportOptions &options = {});
// The same, written to a file.
bool writeExport(const Recorder &recorder, ExportFormat format, const QString &path,
                 const ExportOptions &options, Error *error);

} // namespace mcp
