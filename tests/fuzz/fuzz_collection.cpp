// Collection files (core/collection), given to `mcpwb run` or opened in the workbench: any bytes load or give
// an error that says why; what loads writes out and reads back as the same collection, and its references
// resolve (or are refused) without failing, against answers made of the file itself.
#include "collection/collection.h"
#include "collection/variables.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mcp::collection;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    ParseProblem problem;
    const std::optional<Collection> collection = parseCollection(bytes, &problem);
    if (!collection) {
        if (problem.reason.isEmpty())
            std::abort(); // a refusal always says why
        return 0;
    }
    const QByteArray written = collectionBytes(*collection);
    const std::optional<Collection> again = parseCollection(written, &problem);
    if (!again || !(*again == *collection) || collectionBytes(*again) != written)
        std::abort(); // what we write must read back as the same collection
    QHash<QString, mcp::Json> answers;
    const EnvLookup env = [](const QString &name) -> std::optional<QString> { return name; };
    for (const Request &request : collection->requests) {
        QString why;
        (void)substitute(request.params, env, answers, &why, 1 << 20);
        answers.insert(request.id, request.params);
    }
    return 0;
}
