// A server's JSON Schema and a value (core/schema): compiling never throws, crashes, loops or recurses
// without bound, whatever the schema; a value is always answered Valid, Invalid (with errors) or NotChecked
// (with why). Input: schema text, a NUL byte, value text (no NUL: the value is the schema itself).
#include "jsonrpc/message.h"
#include "schema/schemavalidator.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace mcp::schema;
using Status = ValidationResult::Status;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = reinterpret_cast<const char *>(data);
    const char *nul = static_cast<const char *>(std::memchr(text, 0, size));
    const size_t schemaSize = nul ? size_t(nul - text) : size;
    const mcp::Json schema = mcp::jsonrpc::parseJson(QByteArrayView(text, qsizetype(schemaSize)));
    if (schema.is_discarded())
        return 0;
    const mcp::Json value =
        nul ? mcp::jsonrpc::parseJson(QByteArrayView(nul + 1, qsizetype(size - schemaSize - 1))) : schema;
    if (value.is_discarded())
        return 0;
    Limits limits;
    limits.maxSteps = 200000; // keeps each run short; the budget's own behaviour is tested in unit tests
    const SchemaValidator validator(schema, limits);
    const ValidationResult result = validator.validate(value);
    if (!validator.usable() && (result.status != Status::NotChecked || result.notChecked.isEmpty()))
        std::abort(); // a schema we could not use must say so, never pass
    if ((result.status == Status::Invalid) != !result.errors.isEmpty())
        std::abort(); // invalid exactly when there is an error to show
    if (result.status == Status::Valid && !result.notChecked.isEmpty())
        std::abort(); // never "matches" for what was not checked
    (void)result.lines();
    return 0;
}
