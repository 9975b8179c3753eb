// core/schema: the one JSON Schema validator (valijson behind SchemaValidator) against the schemas MCP
// servers emit (Pydantic/FastMCP, zod, hand-written 2020-12 and draft-07), and against hostile ones.
#include "schema/schemavalidator.h"

#include <QTest>

using mcp::Json;
using namespace mcp::schema;
using Status = ValidationResult::Status;

class TestSchemaValidator : public QObject
{
    Q_OBJECT

private slots:
    void fittingValuesAreValid_data();
    void fittingValuesAreValid();
    void errorsNameThePointerAndTheBrokenRule_data();
    void errorsNameThePointerAndTheBrokenRule();
    void unsupportedKeywordsAreNotCheckedNeverValid_data();
    void unsupportedKeywordsAreNotCheckedNeverValid();
    void translated2020KeywordsAreChecked();
    void remoteRefsAreRefusedAndNothingFetched();
    void invalidSchemasAreReportedAsTheServers();
    void loopingSchemasAreRefused();
    void recursiveSchemasValidateNestedValues();
    void limitsRefuseOversizedSchemasAndValues();
    void costlyPatternsAndLongStringsStayBounded();
    void oneCompiledSchemaValidatesManyValues();
};

namespace {

// FastMCP/Pydantic v2: a model with $defs, a $ref beside a description, additionalProperties false, an
// Optional field as anyOf with null, constr(pattern, min_length) and conlist(max_length).
const char *PydanticSchema = R"({
  "$defs": {
    "Address": {"type": "object", "additionalProperties": false, "required": ["city"],
                "properties": {"city": {"type": "string", "minLength": 1, "title": "City"},
                               "zip": {"type": "string", "pattern": "^[0-9]{5}$"}}}
  },
  "type": "object", "additionalProperties": false, "required": ["name", "address"],
  "properties": {
    "name": {"type": "string", "minLength": 2, "maxLength": 8},
    "address": {"$ref": "#/$defs/Address", "description": "where"},
    "nickname": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}], "default": null},
    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
    "when": {"type": "string", "format": "date-time"}
  }
})";

// zod-to-json-schema (draft-07): nullable as anyOf, a definitions block the root $ref points into.
const char *ZodSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$ref": "#/definitions/Args",
  "definitions": {
    "Args": {"type": "object", "additionalProperties": false, "required": ["query"],
             "properties": {"query": {"type": "string", "minLength": 3},
                            "limit": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]},
                            "pair": {"type": "array", "items": [{"type": "string"}, {"type": "number"}],
                                     "additionalItems": false}}}
  }
})";

ValidationResult check(const char *schema, const char *value)
{
    return validate(Json::parse(value), Json::parse(schema));
}

} // namespace

void TestSchemaValidator::fittingValuesAreValid_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("value");
    QTest::newRow("pydantic") << PydanticSchema
                              << R"({"name": "Ada", "address": {"city": "Paris", "zip": "75001"},
                                     "nickname": null, "tags": ["a"], "when": "not checked: format"})";
    QTest::newRow("pydantic optional given")
        << PydanticSchema << R"({"name": "Ada", "address": {"city": "P"}, "nickname": "A"})";
    QTest::newRow("zod draft-07") << ZodSchema << R"({"query": "abc", "limit": null, "pair": ["x", 1]})";
    QTest::newRow("empty schema") << "{}"
                                  << R"([1, "x"])";
    QTest::newRow("true schema") << "true"
                                 << "null";
    QTest::newRow("integer-valued float") << R"({"type": "integer"})"
                                          << "3.0";
}

void TestSchemaValidator::fittingValuesAreValid()
{
    QFETCH(QString, schema);
    QFETCH(QString, value);
    const ValidationResult result =
        validate(Json::parse(value.toStdString()), Json::parse(schema.toStdString()));
    QVERIFY2(result.status == Status::Valid, qPrintable(result.lines().join(QLatin1Char('\n'))));
    QVERIFY(result.errors.isEmpty());
    QVERIFY(result.notChecked.isEmpty());
}

void TestSchemaValidator::errorsNameThePointerAndTheBrokenRule_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("message");
    const QString ok = R"("name": "Ada", "address": {"city": "Paris"})";
    QTest::newRow("additionalProperties false") << PydanticSchema << "{" + ok + R"(, "extra": 1})"
                                                << ""
                                                << "'extra'";
    QTest::newRow("additionalProperties false in $defs via $ref")
        << PydanticSchema << R"({"name": "Ada", "address": {"city": "Paris", "street": "x"}})"
        << "/address"
        << "'street'";
    QTest::newRow("required in $defs") << PydanticSchema << R"({"name": "Ada", "address": {}})"
                                       << "/address"
                                       << "Missing required property 'city'";
    QTest::newRow("minLength") << PydanticSchema << R"({"name": "A", "address": {"city": "P"}})"
                               << "/name"
                               << "no fewer than 2";
    QTest::newRow("maxLength") << PydanticSchema << R"({"name": "Augustina", "address": {"city": "P"}})"
                               << "/name"
                               << "no more than 8";
    QTest::newRow("pattern") << PydanticSchema
                             << R"({"name": "Ada", "address": {"city": "P", "zip": "7500"}})"
                             << "/address/zip"
                             << "does not match the pattern ^[0-9]{5}$";
    QTest::newRow("maxItems") << PydanticSchema << "{" + ok + R"(, "tags": ["a", "b", "c"]})"
                              << "/tags"
                              << "no more than 2";
    QTest::newRow("items type") << PydanticSchema << "{" + ok + R"(, "tags": ["a", 2]})"
                                << "/tags/1"
                                << "type";
    QTest::newRow("anyOf nullable, neither") << PydanticSchema << "{" + ok + R"(, "nickname": ""})"
                                             << "/nickname"
                                             << "anyOf";
    QTest::newRow("zod nullable integer") << ZodSchema << R"({"query": "abc", "limit": 0})"
                                          << "/limit"
                                          << "anyOf";
    QTest::newRow("zod minLength") << ZodSchema << R"({"query": "ab"})"
                                   << "/query"
                                   << "no fewer than 3";
    QTest::newRow("zod tuple") << ZodSchema << R"({"query": "abc", "pair": ["x", "y"]})"
                               << "/pair/1"
                               << "type";
    QTest::newRow("zod strict") << ZodSchema << R"({"query": "abc", "other": true})"
                                << ""
                                << "'other'";
    QTest::newRow("key with slash") << R"({"properties": {"a/b": {"type": "string"}}})"
                                    << R"({"a/b": 1})"
                                    << "/a~1b"
                                    << "type";
    QTest::newRow("false schema") << "false"
                                  << "1"
                                  << ""
                                  << "";
}

void TestSchemaValidator::errorsNameThePointerAndTheBrokenRule()
{
    QFETCH(QString, schema);
    QFETCH(QString, value);
    QFETCH(QString, pointer);
    QFETCH(QString, message);
    const ValidationResult result =
        validate(Json::parse(value.toStdString()), Json::parse(schema.toStdString()));
    QCOMPARE(result.status, Status::Invalid);
    QVERIFY(!result.errors.isEmpty());
    const auto match =
        std::find_if(result.errors.begin(), result.errors.end(), [&](const ValidationError &e) {
            return e.pointer == pointer && e.message.contains(message);
        });
    QVERIFY2(match != result.errors.end(), qPrintable(result.lines().join(QLatin1Char('\n'))));
}

void TestSchemaValidator::unsupportedKeywordsAreNotCheckedNeverValid_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("keyword");
    QTest::newRow("unevaluatedProperties") << R"({"type": "object", "unevaluatedProperties": false})"
                                           << "unevaluatedProperties at the root";
    QTest::newRow("$dynamicRef") << R"({"properties": {"a": {"$dynamicRef": "#node"}}})"
                                 << "$dynamicRef at /properties/a";
    QTest::newRow("$anchor ref") << R"({"$defs": {"a": {"$anchor": "x"}}, "$ref": "#x"})"
                                 << "named anchors";
    QTest::newRow("minContains") << R"({"contains": {"type": "string"}, "minContains": 0})"
                                 << "minContains";
    QTest::newRow("patternProperties") << R"({"patternProperties": {"^a": {"type": "string"}}})"
                                       << "patternProperties";
    QTest::newRow("draft-04") << R"({"$schema": "http://json-schema.org/draft-04/schema#"})"
                              << "dialect";
}

void TestSchemaValidator::unsupportedKeywordsAreNotCheckedNeverValid()
{
    QFETCH(QString, schema);
    QFETCH(QString, keyword);
    const ValidationResult result =
        validate(Json::parse(R"({"a": ["x"]})"), Json::parse(schema.toStdString()));
    QCOMPARE(result.status, Status::NotChecked);
    QVERIFY2(result.notChecked.join(QLatin1Char('\n')).contains(keyword),
             qPrintable(result.notChecked.join('\n')));
    QVERIFY(result.lines().last().startsWith(QLatin1String("not checked: ")));
}

void TestSchemaValidator::translated2020KeywordsAreChecked()
{
    // prefixItems + items, dependentRequired, dependentSchemas: 2020-12 spellings of draft-07 keywords.
    const char *schema = R"({"type": "object",
        "properties": {"point": {"prefixItems": [{"type": "number"}, {"type": "number"}], "items": false}},
        "dependentRequired": {"card": ["cvv"]},
        "dependentSchemas": {"coupon": {"required": ["code"]}}})";
    QCOMPARE(check(schema, R"({"point": [1, 2], "card": 1, "cvv": 2, "coupon": 1, "code": 2})").status,
             Status::Valid);
    ValidationResult result = check(schema, R"({"point": [1, 2, 3]})");
    QCOMPARE(result.status, Status::Invalid);
    QCOMPARE(result.errors.first().pointer, QStringLiteral("/point"));
    result = check(schema, R"({"card": 1})");
    QCOMPARE(result.status, Status::Invalid);
    QVERIFY2(result.errors.first().message.contains("cvv"), qPrintable(result.lines().join('\n')));
    QCOMPARE(check(schema, R"({"coupon": 1})").status, Status::Invalid);
    // 2020-12 applies $ref together with its siblings; draft-07 ignores the siblings.
    QCOMPARE(check(R"({"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "minLength": 3})", R"("ab")")
                 .status,
             Status::Invalid);
    QCOMPARE(
        check(
            R"({"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"s": {"type": "string"}},
                       "$ref": "#/definitions/s", "minLength": 3})",
            R"("ab")")
            .status,
        Status::Valid);
}

void TestSchemaValidator::remoteRefsAreRefusedAndNothingFetched()
{
    for (const char *ref : {"https://example.com/schema.json", "file:///etc/passwd", "other.json#/a"}) {
        const Json schema = {{"type", "object"}, {"properties", {{"a", {{"$ref", ref}}}}}};
        const ValidationResult result = validate(Json::parse(R"({"a": 1})"), schema);
        QCOMPARE(result.status, Status::NotChecked);
        QVERIFY2(result.notChecked.join('\n').contains("never fetched"),
                 qPrintable(result.notChecked.join('\n')));
        // what is checkable still is
        QCOMPARE(validate(Json::array(), schema).status, Status::Invalid);
    }
    // A $ref into a dropped keyword, or nowhere, is reported, not followed.
    const ValidationResult nowhere = check(R"({"$ref": "#/$defs/missing"})", "1");
    QCOMPARE(nowhere.status, Status::NotChecked);
    QVERIFY(nowhere.notChecked.join('\n').contains("#/$defs/missing"));
}

void TestSchemaValidator::invalidSchemasAreReportedAsTheServers()
{
    for (const char *schema :
         {R"({"type": 5})", R"({"properties": []})", R"({"allOf": []})", R"({"minLength": "x"})",
          R"({"pattern": "(unclosed"})", R"({"required": "a"})", R"({"items": [{}]})", "[]"}) {
        const SchemaValidator validator(Json::parse(schema));
        QVERIFY2(!validator.usable(), schema);
        const ValidationResult result = validator.validate(Json::object());
        QCOMPARE(result.status, Status::NotChecked);
        QVERIFY2(result.notChecked.join('\n').contains("the server's schema is invalid"),
                 qPrintable(QString::fromLatin1(schema) + ": " + result.notChecked.join('\n')));
    }
}

void TestSchemaValidator::loopingSchemasAreRefused()
{
    for (
        const char *schema :
        {R"({"$ref": "#"})", R"({"allOf": [{"$ref": "#"}]})", R"({"$defs": {"a": {"$ref": "#/$defs/b"},
             "b": {"anyOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"})",
         R"({"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"a": {"$ref": "#/definitions/a"}},
              "not": {"$ref": "#/definitions/a"}})"}) {
        const SchemaValidator validator(Json::parse(schema));
        QVERIFY2(!validator.usable(), schema);
        QVERIFY2(validator.notChecked().join('\n').contains("loops"),
                 qPrintable(validator.notChecked().join('\n')));
        QCOMPARE(validator.validate(Json::object()).status, Status::NotChecked);
    }
}

void TestSchemaValidator::recursiveSchemasValidateNestedValues()
{
    // A tree: recursion through properties descends into the value, so it ends with the value.
    const SchemaValidator tree(Json::parse(R"({"$defs": {"node": {"type": "object", "required": ["v"],
        "properties": {"v": {"type": "integer"}, "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
        "$ref": "#/$defs/node"})"));
    QVERIFY(tree.usable());
    QCOMPARE(tree.validate(Json::parse(R"({"v": 1, "kids": [{"v": 2, "kids": [{"v": 3}]}]})")).status,
             Status::Valid);
    const ValidationResult bad =
        tree.validate(Json::parse(R"({"v": 1, "kids": [{"v": 2, "kids": [{"v": "x"}]}]})"));
    QCOMPARE(bad.status, Status::Invalid);
    QCOMPARE(bad.errors.first().pointer, QStringLiteral("/kids/0/kids/0/v"));
    // As deep as the frame parser allows (256 levels).
    Json deep = Json::parse(R"({"v": 0})");
    for (int i = 0; i < 120; ++i)
        deep = Json{{"v", i}, {"kids", Json::array({deep})}};
    QCOMPARE(tree.validate(deep).status, Status::Valid);
}

void TestSchemaValidator::limitsRefuseOversizedSchemasAndValues()
{
    Limits limits;
    Json nested = Json::object();
    for (int i = 0; i <= limits.maxSchemaDepth; ++i)
        nested = Json{{"properties", {{"a", nested}}}};
    QVERIFY(SchemaValidator(nested).notChecked().join('\n').contains("nested deeper than 32"));

    Json wide = Json::object();
    for (int i = 0; i <= limits.maxSchemaNodes; ++i)
        wide["properties"][std::to_string(i)] = Json::object();
    QVERIFY(SchemaValidator(wide).notChecked().join('\n').contains("more than 20000 subschemas"));

    Json big = {{"enum", Json::array({std::string(size_t(limits.maxSchemaBytes), 'x')})}};
    QVERIFY(SchemaValidator(big).notChecked().join('\n').contains("larger than"));

    Json chain = {{"$defs", Json::object()}};
    for (int i = 0; i <= limits.maxInPlaceChain; ++i)
        chain["$defs"][std::to_string(i)] = {{"allOf", {{{"$ref", "#/$defs/" + std::to_string(i + 1)}}}}};
    chain["$ref"] = "#/$defs/0";
    QVERIFY(SchemaValidator(chain).notChecked().join('\n').contains("chain longer than"));

    // valijson recurses into each $ref target where it first meets it: 255 targets 30 deep overflowed the
    // 8 MiB stack before maxRefExpansion.
    Json expanded = {{"$defs", Json::object()}, {"$ref", "#/$defs/0"}};
    for (int i = 0; i < 100; ++i) {
        Json leaf = {{"$ref", "#/$defs/" + std::to_string(i + 1)}};
        for (int d = 0; d < 20; ++d)
            leaf = Json{{"properties", {{"a", leaf}}}};
        expanded["$defs"][std::to_string(i)] = leaf;
    }
    expanded["$defs"]["100"] = true;
    QVERIFY(
        SchemaValidator(expanded).notChecked().join('\n').contains("nested through $ref deeper than 1000"));

    Json repeated = {{"properties", Json::object()}};
    for (int i = 0; i < 1000; ++i)
        repeated["properties"][std::to_string(i)] = {{"unevaluatedProperties", false}};
    const QStringList listed = SchemaValidator(repeated).notChecked();
    QCOMPARE(listed.size(), 21);
    QCOMPARE(listed.last(), QStringLiteral("980 more keywords"));

    Json deepValue = Json::array();
    for (int i = 0; i <= limits.maxInstanceDepth; ++i)
        deepValue = Json::array({deepValue});
    const ValidationResult result = validate(deepValue, Json::object());
    QCOMPARE(result.status, Status::NotChecked);
    QVERIFY(result.notChecked.join('\n').contains("the value: nested deeper"));
}

void TestSchemaValidator::costlyPatternsAndLongStringsStayBounded()
{
    // Catastrophic backtracking and per-character recursion (which overflows std::regex) on a 1 MB string:
    // PCRE2 bounds both; the result is an answer, not a hang or a crash.
    const std::string longString = std::string(1 << 20, 'a') + "!";
    for (const char *pattern : {"^(a+)+$", "^(a|b)*$", "(.|\\n)*x"}) {
        const ValidationResult result = validate(Json(longString), Json{{"pattern", pattern}});
        QVERIFY2(result.status == Status::Invalid, pattern);
    }
    QCOMPARE(validate(Json(longString), Json{{"pattern", "^a*!$"}}).status, Status::Valid);
    // Many alternatives over a large value: the step budget stops it with "not checked".
    Limits limits;
    limits.maxSteps = 1000;
    Json manyItems = Json::array();
    for (int i = 0; i < 5000; ++i)
        manyItems.push_back(i);
    const ValidationResult stopped = validate(
        manyItems, Json::parse(R"({"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})"), limits);
    QCOMPARE(stopped.status, Status::NotChecked);
    QVERIFY(stopped.notChecked.join('\n').contains("stopped after 1000 steps"));
}

void TestSchemaValidator::oneCompiledSchemaValidatesManyValues()
{
    const SchemaValidator validator(Json::parse(PydanticSchema));
    QVERIFY(validator.usable());
    QVERIFY(validator.notChecked().isEmpty());
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(validator.validate(Json::parse(R"({"name": "Ada", "address": {"city": "P"}})")).status,
                 Status::Valid);
        QCOMPARE(validator.validate(Json::parse(R"({"name": "Ada"})")).status, Status::Invalid);
    }
}

QTEST_GUILESS_MAIN(TestSchemaValidator)
#include "tst_schemavalidator.moc"
