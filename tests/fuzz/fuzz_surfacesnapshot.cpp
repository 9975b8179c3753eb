// Surface snapshots (core/surface), given to `mcpwb diff` or opened in the workbench's Compare: any bytes
// load or give an error; what loads is canonical (written and read back, the same), and diffs against
// itself with no change and against an empty surface without failing.
#include "surface/surfacediff.h"
#include "surface/surfacesnapshot.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mcp::surface;
    QString error;
    const mcp::Json snapshot =
        parseSnapshot(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)), &error);
    if (snapshot.is_discarded()) {
        if (error.isEmpty())
            std::abort(); // a refusal always says why
        return 0;
    }
    const mcp::Json again = parseSnapshot(snapshotBytes(snapshot), &error);
    if (again.is_discarded() || snapshotBytes(again) != snapshotBytes(snapshot))
        std::abort(); // what we write must read back as the same snapshot
    if (!diffSurfaces(snapshot, snapshot).isEmpty())
        std::abort();
    const mcp::Json empty = makeSnapshot({}, mcp::Json::object(), mcp::Json::object());
    (void)diffSurfaces(snapshot, empty).toText();
    (void)diffSurfaces(empty, snapshot).toJson().dump();
    return 0;
}
