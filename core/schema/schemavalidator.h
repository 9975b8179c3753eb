#pragma once

#include "jsonrpc/json.h"

#include <QList>
#include <QStringList>
#include <memory>

namespace mcp::schema {

// What a server's schema may cost us. Schemas come from hostile servers: beyond these the schema is not
// used ("not checked"), never half-built. The defaults are far above what Pydantic, zod or FastMCP emit.
struct Limits
{
    int maxSchemaBytes = 1 << 20; // compact JSON text of the whole schema
    int maxSchemaDepth = 32;      // nesting of schemas inside schemas (not counting $ref)
    int maxSchemaNodes = 20000;   // schema objects and booleans
    int maxRefTargets = 256;      // distinct places $ref points to
    int maxRefExpansion = 1000;   // schema height with every $ref target expanded once (valijson recursion)
    int maxInPlaceChain = 32;     // longest chain of allOf/anyOf/oneOf/not/if/$ref at one instance place
    int maxInstanceDepth = 256;   // nesting of the value checked (the frame parser's own limit)
    qint64 maxSteps = 5'000'000;  // schema visits in one validation
    int maxMilliseconds = 2000;   // wall time of one validation
    int maxErrors = 100;          // errors reported; the rest are counted
};

struct ValidationError
{
    QString pointer; // JSON pointer into the value ("" = the value itself, "/items/0/name")
    QString message;
};

struct ValidationResult
{
    enum class Status {
        Valid,      // every keyword was checked and the value fits
        Invalid,    // at least one error (other keywords may still be in notChecked)
        NotChecked, // no error found, but some or all of the schema was not checked: see notChecked
    };
    Status status = Status::NotChecked;
    QList<ValidationError> errors;
    int moreErrors = 0;     // errors beyond Limits::maxErrors
    QStringList notChecked; // "unevaluatedProperties at /properties/a: not supported", whole-schema refusals

    bool valid() const { return status == Status::Valid; }
    // One line per error ("/a/b: message") and per part not checked ("not checked: ...").
    QStringList lines() const;
};

// A server's JSON Schema (an inputSchema, outputSchema or requestedSchema), compiled once and then used to
// validate values. Dialects: 2020-12 (MCP's default when $schema is absent) and draft-07. Validation is
// valijson's (draft-07 engine); 2020-12 keywords with a draft-07 equivalent are translated, the others are
// reported in notChecked() and make a result NotChecked rather than Valid. Never fetches or reads anything:
// only $ref into the same schema ("#/...") is followed. `pattern` uses QRegularExpression (PCRE2, bounded
// backtracking) instead of std::regex, whose recursion a long string turns into a stack overflow.
class SchemaValidator
{
public:
    explicit SchemaValidator(const Json &schema, const Limits &limits = {});
    ~SchemaValidator();
    SchemaValidator(const SchemaValidator &) = delete;
    SchemaValidator &operator=(const SchemaValidator &) = delete;

    // False when the schema could not be used at all (invalid, too large, unknown dialect): every result
    // is then NotChecked with the reason.
    bool usable() const;
    // Parts of the schema that are not checked, with why (empty when all of it is).
    QStringList notChecked() const;

    ValidationResult validate(const Json &value) const;

private:
    struct Compiled;
    std::unique_ptr<Compiled> m_compiled;
    QStringList m_notChecked;
    Limits m_limits;
};

// Convenience for a single check: compiles schema and validates value.
ValidationResult validate(const Json &value, const Json &schema, const Limits &limits = {});

} // namespace mcp::schema
