// Validating a large structuredContent (core/schema) against the output schema of server-everything's
// get-structured-content tool, as it lists it (copied below). Not a ctest test; run by hand (see
// RESULTS.md):  bench_schemavalidator [megabytes]
#include "schema/schemavalidator.h"

#include <QElapsedTimer>
#include <cstdio>

namespace {

// tools/list of @modelcontextprotocol/server-everything 2026.8.31 (tests/integration/tst_schemaeverything).
constexpr char kOutputSchema[] =
    R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"temperature":)"
    R"({"type":"number","description":"Temperature in celsius"},"conditions":{"type":"string","description":)"
    R"("Weather conditions description"},"humidity":{"type":"number","description":"Humidity percentage"}},)"
    R"("required":["temperature","conditions","humidity"],"additionalProperties":false})";

void measure(const char *what, const mcp::Json &schema, const mcp::Json &value)
{
    QElapsedTimer timer;
    timer.start();
    const mcp::schema::SchemaValidator validator(schema);
    const qint64 compiled = timer.nsecsElapsed();
    const mcp::schema::ValidationResult result = validator.validate(value);
    const qint64 total = timer.nsecsElapsed();
    std::printf("%-58s %7.1f MB  compile %6.2f ms  validate %8.1f ms  %s\n", what,
                double(mcp::dumpCompact(value).size()) / 1e6, double(compiled) / 1e6,
                double(total - compiled) / 1e6,
                result.valid() ? "valid" : qPrintable(result.lines().value(0)));
}

} // namespace

int main(int argc, char *argv[])
{
    const double megabytes = argc > 1 ? std::atof(argv[1]) : 10;
    const mcp::Json schema = mcp::Json::parse(kOutputSchema);

    mcp::Json oneString = {
        {"temperature", 33}, {"conditions", std::string(size_t(megabytes * 1e6), 'c')}, {"humidity", 82}};
    measure("one object, 'conditions' a 10 MB string", schema, oneString);

    // The same shape many times: validation visits every property of every item.
    const mcp::Json item = {{"temperature", 20.5}, {"conditions", "Light rain / drizzle"}, {"humidity", 82}};
    mcp::Json many = mcp::Json::array();
    for (qsizetype size = 0; size < qsizetype(megabytes * 1e6); size += mcp::dumpCompact(item).size() + 1)
        many.push_back(item);
    measure("array of weather objects (items: the output schema)", {{"type", "array"}, {"items", schema}},
            many);
    return 0;
}
