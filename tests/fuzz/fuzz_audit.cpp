// Audit files (core/audit), given to `mcpwb audit verify`: any bytes give a verdict, never a crash; a verdict
// that is not intact names a line of the input; an intact one counts no more entries than lines.
#include "audit/auditverify.h"

#include <QBuffer>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer file(&bytes);
    file.open(QIODevice::ReadOnly);
    const mcp::audit::Verdict verdict = mcp::audit::verifyDevice(file, QStringLiteral("fuzz.jsonl"));
    (void)verdict.toString();
    const qsizetype lines = bytes.count('\n') + 1;
    if (verdict.intact() ? verdict.entries > lines : verdict.line < 1 || verdict.line > lines)
        std::abort();
    return 0;
}
