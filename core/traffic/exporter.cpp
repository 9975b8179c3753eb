#include "exporter.h"

#include "harexport.h"
#include "otlpexport.h"
#include "tracefile.h"

#include <QSaveFile>

namespace mcp {

QByteArray exportRecording(const Recorder &recorder, ExportFormat format, const ExportOptions &options)
{
    switch (format) {
    case ExportFormat::Jsonl:
        return exportTrace(recorder, options);
    case ExportFormat::Har:
        return exportHar(recorder, options);
    case ExportFormat::Otlp:
        return exportOtlp(recorder, options);
    }
    return {};
}

bool writeExport(const Recorder &recorder, ExportFormat format, const QString &path,
                 const ExportOptions &options, Error *error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.setPermissions(ownerOnly)) { // as session files are
        file.write(exportRecording(recorder, format, options));
        if (file.commit())
            return true;
    }
    *error = makeError(Error::Category::Usage, QStringLiteral("export"),
                       QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return false;
}

} // namespace mcp
