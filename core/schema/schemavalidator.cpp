#include "schemavalidator.h"

#include "schemanormalizer.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QScopeGuard>
#include <cmath>
#include <new>
#include <stdexcept>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace mcp::schema {

namespace {

using valijson::adapters::Adapter;

// What one validation may still spend; valijson has no budget of its own, so a constraint on every
// schema (StepKeyword) counts visits and ends the validation by throwing BudgetSpent.
struct Budget
{
    qint64 stepsLeft;
    QDeadlineTimer deadline;
};
thread_local Budget *t_budget = nullptr;
struct BudgetSpent
{
};

template <typename Self> class OwnConstraint : public valijson::constraints::PolyConstraint
{
    Constraint *cloneInto(void *memory) const override
    {
        return new (memory) Self(static_cast<const Self &>(*this));
    }
    size_t sizeOf() const override { return sizeof(Self); }
};

class StepConstraint : public OwnConstraint<StepConstraint>
{
public:
    bool validate(const Adapter &, const std::vector<std::string> &,
                  valijson::ValidationResults *) const override
    {
        if (t_budget && (--t_budget->stepsLeft < 0 ||
                         (t_budget->stepsLeft % 1024 == 0 && t_budget->deadline.hasExpired())))
            throw BudgetSpent{};
        return true;
    }
};

class PatternConstraint : public OwnConstraint<PatternConstraint>
{
public:
    explicit PatternConstraint(const QRegularExpression &regex) : m_regex(regex) {}

    bool validate(const Adapter &target, const std::vector<std::string> &context,
                  valijson::ValidationResults *results) const override
    {
        if (!target.isString() || m_regex.match(QString::fromStdString(target.asString())).hasMatch())
            return true;
        if (results)
            results->pushError(context, "does not match the pattern " + m_regex.pattern().toStdString());
        return false;
    }

private:
    QRegularExpression m_regex;
};

struct StepBuilder : valijson::ConstraintBuilder
{
    valijson::constraints::Constraint *make(const Adapter &) const override { return new StepConstraint; }
};

struct PatternBuilder : valijson::ConstraintBuilder
{
    valijson::constraints::Constraint *make(const Adapter &value) const override
    {
        if (!value.isString())
            throw std::runtime_error("pattern must be a string");
        QRegularExpression regex(QString::fromStdString(value.asString()));
        if (!regex.isValid())
            throw std::runtime_error("pattern " + value.asString() + ": " +
                                     regex.errorString().toStdString());
        regex.optimize();
        return new PatternConstraint(regex);
    }
};

bool deeperThan(const Json &value, int limit)
{
    std::vector<std::pair<const Json *, int>> open{{&value, 0}};
    while (!open.empty()) {
        const auto [json, depth] = open.back();
        open.pop_back();
        if (depth > limit)
            return true;
        if (json->is_structured())
            for (const Json &child : *json)
                open.push_back({&child, depth + 1});
    }
    return false;
}

// The value as valijson's adapter reads it (nlohmann::json, not the ordered kind), with integral floats
// (3.0) made integers: JSON Schema counts them as "integer", valijson's type check does not.
nlohmann::json forValijson(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::object: {
        nlohmann::json object = nlohmann::json::object();
        for (const auto &[key, item] : value.items())
            object[key] = forValijson(item);
        return object;
    }
    case Json::value_t::array: {
        nlohmann::json array = nlohmann::json::array();
        for (const Json &item : value)
            array.push_back(forValijson(item));
        return array;
    }
    case Json::value_t::number_float: {
        const double number = value.get<double>();
        if (std::trunc(number) == number && std::abs(number) < 9.0e15)
            return std::int64_t(number);
        return number;
    }
    default:
        return nlohmann::json(value);
    }
}

// valijson's context ("<root>", "[name]", "[0]") as a JSON pointer.
QString pointerOf(const std::vector<std::string> &context)
{
    QString pointer;
    for (size_t i = 1; i < context.size(); ++i) {
        QString step = QString::fromStdString(context[i].substr(1, context[i].size() - 2));
        pointer += QLatin1Char('/') + step.replace(QLatin1Char('~'), QLatin1String("~0"))
                                          .replace(QLatin1Char('/'), QLatin1String("~1"));
    }
    return pointer;
}

// valijson also reports, at each parent, that a child failed: the child's own error says more.
bool onlySaysAChildFailed(const std::string &message)
{
    for (const char *prefix :
         {"Failed to validate against schema associated with property name", "Failed to validate item #",
          "Failed to validate against additional properties", "Failed to validate against child schema #"})
        if (message.rfind(prefix, 0) == 0)
            return true;
    return false;
}

QString typeOf(const Json &value)
{
    return value.is_number_integer() ? QStringLiteral("integer") : QString::fromLatin1(value.type_name());
}

// valijson's words, made specific where they say less than we know.
QString messageOf(const valijson::ValidationResults::Error &error, const Json &value, const QString &pointer)
{
    // std::to_string writes 5 as "5.000000"
    static const QRegularExpression zeros(QStringLiteral("(\\d+\\.\\d*?[1-9])0+(?!\\d)|(\\d+)\\.0+(?!\\d)"));
    const QString message =
        QString::fromStdString(error.description).replace(zeros, QStringLiteral("\\1\\2"));
    if (error.description == "Value type not permitted by 'type' constraint.") {
        const auto at = Json::json_pointer(pointer.toStdString());
        if (value.contains(at))
            return QStringLiteral("%1 is not a type the schema allows").arg(typeOf(value.at(at)));
    }
    return message;
}

} // namespace

struct SchemaValidator::Compiled
{
    valijson::Schema schema;
};

SchemaValidator::SchemaValidator(const Json &schema, const Limits &limits) : m_limits(limits)
{
    if (deeperThan(schema, limits.maxInstanceDepth) ||
        int(dumpCompact(schema).size()) > limits.maxSchemaBytes) {
        m_notChecked << QStringLiteral(
                            "the whole schema: larger than %1 bytes or nested deeper than %2 levels")
                            .arg(limits.maxSchemaBytes)
                            .arg(limits.maxInstanceDepth);
        return;
    }
    const std::optional<Dialect> dialect = dialectOf(schema);
    if (!dialect) {
        m_notChecked << QStringLiteral(
                            "the whole schema: dialect %1 is not supported (2020-12 and draft-07 are)")
                            .arg(mcp::toQString(schema["$schema"].dump()));
        return;
    }
    NormalizedSchema normalized = normalize(schema, *dialect, limits);
    m_notChecked = normalized.notChecked;
    if (!normalized.refused.isEmpty()) {
        m_notChecked << (normalized.invalid
                             ? QStringLiteral("the whole schema: the server's schema is invalid: %1")
                             : QStringLiteral("the whole schema: %1"))
                            .arg(normalized.refused);
        return;
    }
    auto compiled = std::make_unique<Compiled>();
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        parser.addConstraintBuilder(PatternKeyword, new PatternBuilder);
        parser.addConstraintBuilder(StepKeyword, new StepBuilder);
        // No fetch function: valijson refuses any $ref outside this document (the normalizer drops them).
        parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(normalized.schema), compiled->schema);
    } catch (const std::exception &e) {
        m_notChecked << QStringLiteral("the whole schema: the server's schema is invalid: %1")
                            .arg(QString::fromStdString(e.what()));
        return;
    }
    m_compiled = std::move(compiled);
}

SchemaValidator::~SchemaValidator() = default;

bool SchemaValidator::usable() const
{
    return m_compiled != nullptr;
}

QStringList SchemaValidator::notChecked() const
{
    return m_notChecked;
}

ValidationResult SchemaValidator::validate(const Json &value) const
{
    ValidationResult result;
    result.notChecked = m_notChecked;
    if (!m_compiled)
        return result;
    if (deeperThan(value, m_limits.maxInstanceDepth)) {
        result.notChecked
            << QStringLiteral("the value: nested deeper than %1 levels").arg(m_limits.maxInstanceDepth);
        return result;
    }
    const nlohmann::json target = forValijson(value); // depth checked above
    valijson::ValidationResults errors;
    Budget budget{m_limits.maxSteps, QDeadlineTimer(m_limits.maxMilliseconds)};
    t_budget = &budget;
    const auto spent = qScopeGuard([] { t_budget = nullptr; });
    bool fits = false;
    try {
        valijson::Validator validator;
        fits =
            validator.validate(m_compiled->schema, valijson::adapters::NlohmannJsonAdapter(target), &errors);
    } catch (const BudgetSpent &) {
        result.notChecked << QStringLiteral("the value: validation stopped after %1 steps or %2 ms")
                                 .arg(m_limits.maxSteps)
                                 .arg(m_limits.maxMilliseconds);
        return result;
    } catch (const std::exception &e) {
        result.notChecked << QStringLiteral("the value: %1").arg(QString::fromStdString(e.what()));
        return result;
    }
    for (const valijson::ValidationResults::Error &error : errors) {
        if (onlySaysAChildFailed(error.description))
            continue;
        const QString pointer = pointerOf(error.context);
        if (result.errors.size() < m_limits.maxErrors)
            result.errors.append({pointer, messageOf(error, value, pointer)});
        else
            ++result.moreErrors;
    }
    if (!fits && result.errors.isEmpty()) // every error was a summary: keep the first one
        result.errors.append(errors.numErrors()
                                 ? ValidationError{pointerOf(errors.begin()->context),
                                                   QString::fromStdString(errors.begin()->description)}
                                 : ValidationError{QString(), QStringLiteral("not allowed")});
    result.status = !fits                         ? ValidationResult::Status::Invalid
                    : result.notChecked.isEmpty() ? ValidationResult::Status::Valid
                                                  : ValidationResult::Status::NotChecked;
    return result;
}

QStringList ValidationResult::lines() const
{
    QStringList lines;
    for (const ValidationError &error : errors)
        lines << QStringLiteral("%1: %2").arg(
            error.pointer.isEmpty() ? QStringLiteral("(root)") : error.pointer, error.message);
    if (moreErrors)
        lines << QStringLiteral("... and %1 more errors").arg(moreErrors);
    for (const QString &part : notChecked)
        lines << QStringLiteral("not checked: %1").arg(part);
    return lines;
}

ValidationResult validate(const Json &value, const Json &schema, const Limits &limits)
{
    return SchemaValidator(schema, limits).validate(value);
}

} // namespace mcp::schema
