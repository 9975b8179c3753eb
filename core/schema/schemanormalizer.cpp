#include "schemanormalizer.h"

#include <QByteArray>
#include <map>
#include <set>

namespace mcp::schema {

namespace {

using Out = nlohmann::json;

// Keywords copied as they are: valijson checks them and throws on a malformed value.
const std::set<std::string> AssertionKeywords = {"type",
                                                 "enum",
                                                 "const",
                                                 "required",
                                                 "minimum",
                                                 "maximum",
                                                 "exclusiveMinimum",
                                                 "exclusiveMaximum",
                                                 "multipleOf",
                                                 "minLength",
                                                 "maxLength",
                                                 "minItems",
                                                 "maxItems",
                                                 "uniqueItems",
                                                 "minProperties",
                                                 "maxProperties"};
// Subschemas checked at the same place in the value (no descent): loops through these never end.
const std::set<std::string> InPlaceSchemaKeywords = {"not", "if", "then", "else"};
const std::set<std::string> InPlaceListKeywords = {"allOf", "anyOf", "oneOf"};
// Subschemas checked one level down in the value.
const std::set<std::string> DescendingSchemaKeywords = {"additionalProperties", "contains", "propertyNames"};
// 2020-12 keywords without a draft-07 equivalent in valijson 1.0.
const std::set<std::string> Unsupported2020 = {"$dynamicRef",   "$dynamicAnchor",        "$anchor",
                                               "$recursiveRef", "$recursiveAnchor",      "unevaluatedItems",
                                               "maxContains",   "unevaluatedProperties", "minContains"};

struct Refusal
{
    QString why;
    bool invalid;
};

std::string token(const std::string &key)
{
    std::string escaped;
    for (char c : key)
        escaped += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return escaped;
}

QString where(const std::string &pointer)
{
    return pointer.empty() ? QStringLiteral("the root") : QString::fromStdString(pointer);
}

class Normalizer
{
public:
    Normalizer(Dialect dialect, const Limits &limits) : m_dialect(dialect), m_limits(limits) {}

    NormalizedSchema run(const Json &schema)
    {
        NormalizedSchema result;
        try {
            result.schema = node(schema, "", "", 0);
            resolveRefs(result.schema);
            checkInPlaceLoops();
        } catch (const Refusal &refusal) {
            result.schema = Out();
            result.refused = refusal.why;
            result.invalid = refusal.invalid;
        }
        result.notChecked = m_notChecked;
        if (m_skipsNotListed)
            result.notChecked << QStringLiteral("%1 more keywords").arg(m_skipsNotListed);
        return result;
    }

private:
    struct Ref
    {
        std::string origin;  // where the $ref is in the server's schema
        std::string at;      // pointer of the node holding "$ref" in the normalized schema
        std::string target;  // the pointer it names in the server's schema
        std::string written; // as the server wrote it
    };

    [[noreturn]] static void invalid(const std::string &at, const QString &what)
    {
        throw Refusal{QStringLiteral("at %1: %2").arg(where(at), what), true};
    }
    [[noreturn]] static void refuse(const QString &why) { throw Refusal{why, false}; }

    void skip(const std::string &keyword, const std::string &at, const QString &why)
    {
        if (m_notChecked.size() < MaxSkipsListed)
            m_notChecked
                << QStringLiteral("%1 at %2: %3").arg(QString::fromStdString(keyword), where(at), why);
        else
            ++m_skipsNotListed;
    }

    // One schema, with the height of its subtree recorded for the $ref expansion bound.
    Out node(const Json &in, const std::string &orig, const std::string &norm, int depth)
    {
        const int deepestOutside = m_deepest;
        m_deepest = depth;
        Out out = body(in, orig, norm, depth);
        m_height[norm] = m_deepest - depth + 1;
        m_deepest = std::max(deepestOutside, m_deepest);
        return out;
    }

    Out body(const Json &in, const std::string &orig, const std::string &norm, int depth)
    {
        if (depth > m_limits.maxSchemaDepth)
            refuse(QStringLiteral("schemas are nested deeper than %1 levels").arg(m_limits.maxSchemaDepth));
        if (++m_nodes > m_limits.maxSchemaNodes)
            refuse(QStringLiteral("the schema has more than %1 subschemas").arg(m_limits.maxSchemaNodes));
        m_normalOf[orig] = norm;
        m_inPlace[norm];
        if (in.is_boolean())
            return in.get<bool>();
        if (!in.is_object())
            invalid(orig, QStringLiteral("a schema must be an object or a boolean"));

        Out out = Out::object();
        for (const char *container : {"$defs", "definitions"})
            if (const auto it = in.find(container); it != in.end())
                out[container] = map(*it, orig + "/" + container, norm + "/" + container, depth);
        if (const auto ref = in.find("$ref"); ref != in.end()) {
            if (m_dialect == Dialect::Draft07) { // draft-07 ignores everything beside $ref
                reference(*ref, orig, norm);
                return out;
            }
        }
        for (const auto &[key, value] : in.items()) {
            const std::string o = orig + "/" + token(key), n = norm + "/" + token(key);
            if (AssertionKeywords.count(key)) {
                out[key] = Out(value);
            } else if (key == "pattern") {
                out[PatternKeyword] = Out(value);
            } else if (key == "properties") {
                out[key] = map(value, o, n, depth);
            } else if (key == "patternProperties") {
                skip(key, orig,
                     QStringLiteral("not supported (valijson matches it with std::regex, which a "
                                    "long property name can overflow)"));
                if (in.contains("additionalProperties"))
                    skip("additionalProperties", orig, QStringLiteral("depends on patternProperties"));
            } else if (key == "additionalProperties" && in.contains("patternProperties")) {
                continue;
            } else if (InPlaceSchemaKeywords.count(key)) {
                out[key] = node(value, o, n, depth + 1);
                m_inPlace[norm].push_back(n);
            } else if (DescendingSchemaKeywords.count(key)) {
                if (key == "contains" && m_dialect == Dialect::Draft2020 && in.contains("minContains"))
                    continue; // minContains may allow none: skipped below with it
                out[key] = node(value, o, n, depth + 1);
            } else if (InPlaceListKeywords.count(key)) {
                out[key] = list(value, o, n, depth, norm);
            } else if (key == "items") {
                if (value.is_array() && m_dialect == Dialect::Draft2020)
                    invalid(orig, QStringLiteral("in 2020-12 \"items\" is one schema (prefixItems lists)"));
                const bool afterPrefix = in.contains("prefixItems");
                const std::string target = afterPrefix ? "additionalItems" : "items";
                out[target] = value.is_array() ? list(value, o, norm + "/items", depth, {})
                                               : node(value, o, norm + "/" + target, depth + 1);
            } else if (key == "prefixItems" && m_dialect == Dialect::Draft2020) {
                out["items"] = list(value, o, norm + "/items", depth, {});
            } else if (key == "additionalItems" && m_dialect == Dialect::Draft07) {
                out[key] = node(value, o, n, depth + 1);
            } else if (key == "dependencies" && m_dialect == Dialect::Draft07) {
                dependencies(out, value, o, norm, depth, true, true);
            } else if (key == "dependentRequired" && m_dialect == Dialect::Draft2020) {
                dependencies(out, value, o, norm, depth, true, false);
            } else if (key == "dependentSchemas" && m_dialect == Dialect::Draft2020) {
                dependencies(out, value, o, norm, depth, false, true);
            } else if (key == "$id" && !orig.empty()) {
                skip(key, orig,
                     QStringLiteral("a nested $id is not supported ($ref resolves from the root)"));
            } else if (m_dialect == Dialect::Draft2020 && Unsupported2020.count(key)) {
                skip(key, orig, QStringLiteral("not supported by valijson 1.0 (a draft-07 validator)"));
                if (key == "minContains" && in.contains("contains"))
                    skip("contains", orig, QStringLiteral("depends on minContains"));
            }
            // Anything else is an annotation (title, description, default, examples, format, ...) or a
            // keyword this dialect does not have, which JSON Schema says to ignore.
        }
        if (const auto ref = in.find("$ref"); ref != in.end()) {
            // 2020-12 applies $ref beside the other keywords: the same as one more allOf entry.
            Out &allOf = out["allOf"];
            const std::string at = norm + "/allOf/" + std::to_string(allOf.is_array() ? allOf.size() : 0);
            allOf.push_back(Out::object());
            m_inPlace[norm].push_back(at);
            m_inPlace[at];
            reference(*ref, orig, at);
        }
        out[StepKeyword] = true;
        return out;
    }

    // properties, $defs, definitions: schemas by name.
    Out map(const Json &in, const std::string &orig, const std::string &norm, int depth)
    {
        if (!in.is_object())
            invalid(orig, QStringLiteral("must be an object of schemas"));
        Out out = Out::object();
        for (const auto &[key, value] : in.items())
            out[key] = node(value, orig + "/" + token(key), norm + "/" + token(key), depth + 1);
        return out;
    }

    // allOf/anyOf/oneOf (checked in place, so owner gets the edges) and tuple items (owner empty).
    Out list(const Json &in, const std::string &orig, const std::string &norm, int depth,
             const std::optional<std::string> &owner)
    {
        if (!in.is_array() || (owner && in.empty()))
            invalid(orig, QStringLiteral("must be a non-empty array of schemas"));
        Out out = Out::array();
        for (size_t i = 0; i < in.size(); ++i) {
            const std::string n = norm + "/" + std::to_string(i);
            out.push_back(node(in[i], orig + "/" + std::to_string(i), n, depth + 1));
            if (owner)
                m_inPlace[*owner].push_back(n);
        }
        return out;
    }

    // draft-07 "dependencies" holds both forms that 2020-12 splits into dependentRequired/dependentSchemas.
    void dependencies(Out &out, const Json &in, const std::string &orig, const std::string &norm, int depth,
                      bool names, bool schemas)
    {
        if (!in.is_object())
            invalid(orig, QStringLiteral("must be an object"));
        for (const auto &[key, value] : in.items()) {
            const std::string n = norm + "/dependencies/" + token(key);
            if (out.contains("dependencies") && out["dependencies"].contains(key)) {
                skip(
                    names ? "dependentRequired" : "dependentSchemas", orig + "/" + token(key),
                    QStringLiteral("a name in both dependentRequired and dependentSchemas is not supported"));
                out["dependencies"].erase(key);
            } else if (names && value.is_array()) {
                out["dependencies"][key] = Out(value);
            } else if (schemas) {
                out["dependencies"][key] = node(value, orig + "/" + token(key), n, depth + 1);
                m_inPlace[norm].push_back(n);
            } else {
                invalid(orig + "/" + token(key), QStringLiteral("must be an array of property names"));
            }
        }
    }

    void reference(const Json &ref, const std::string &orig, const std::string &at)
    {
        if (!ref.is_string())
            invalid(orig, QStringLiteral("$ref must be a string"));
        const std::string written = ref.get<std::string>();
        if (written.empty() || written[0] != '#') {
            skip("$ref", orig,
                 QStringLiteral("\"%1\" names another document, which is never fetched")
                     .arg(QString::fromStdString(written)));
            return;
        }
        const std::string fragment =
            QByteArray::fromPercentEncoding(QByteArray::fromStdString(written.substr(1))).toStdString();
        if (!fragment.empty() && fragment[0] != '/') {
            skip("$ref", orig,
                 QStringLiteral("\"%1\": named anchors are not supported")
                     .arg(QString::fromStdString(written)));
            return;
        }
        m_refs.push_back({orig, at, fragment, written});
    }

    // Points each $ref at its place in the normalized schema, or drops it (an accept-all there) with why.
    void resolveRefs(Out &root)
    {
        std::set<std::string> targets;
        for (const Ref &ref : m_refs) {
            Out &holder = ref.at.empty() ? root : root[nlohmann::json::json_pointer(ref.at)];
            if (!holder.is_object())
                holder = Out::object();
            const auto target = m_normalOf.find(ref.target);
            if (target == m_normalOf.end()) {
                skip("$ref", ref.origin,
                     QStringLiteral("\"%1\" does not point to a schema that is checked")
                         .arg(QString::fromStdString(ref.written)));
                continue;
            }
            holder["$ref"] = "#" + target->second;
            m_inPlace[ref.at].push_back(target->second);
            targets.insert(target->second);
        }
        if (int(targets.size()) > m_limits.maxRefTargets)
            refuse(QStringLiteral("$ref points to more than %1 places").arg(m_limits.maxRefTargets));
        // valijson builds each $ref target once, recursing into it where it is first met: its recursion is
        // at most the root's height plus every target's.
        int expanded = m_height[""];
        for (const std::string &target : targets)
            expanded += m_height[target];
        if (expanded > m_limits.maxRefExpansion)
            refuse(QStringLiteral("schemas nested through $ref deeper than %1 levels")
                       .arg(m_limits.maxRefExpansion));
    }

    // Without descending into the value, a loop of allOf/anyOf/oneOf/not/if/$ref would never end, and a
    // long chain would recurse deeply: refuse both (iterative depth-first search, memoized chain length).
    void checkInPlaceLoops() const
    {
        enum State { Open, Done };
        std::map<std::string, State> state;
        std::map<std::string, int> chain;
        for (const auto &entry : m_inPlace) {
            if (state.count(entry.first))
                continue;
            std::vector<std::pair<std::string, size_t>> stack{{entry.first, 0}};
            state[entry.first] = Open;
            while (!stack.empty()) {
                const std::string current = stack.back().first;
                const std::vector<std::string> &next = m_inPlace.at(current);
                if (stack.back().second < next.size()) {
                    const std::string child = next[stack.back().second++];
                    const auto seen = state.find(child);
                    if (seen != state.end() && seen->second == Open)
                        refuse(QStringLiteral("the schema loops at %1 without descending into the value")
                                   .arg(where(child)));
                    if (seen == state.end()) {
                        state[child] = Open;
                        stack.push_back({child, 0});
                    }
                    continue;
                }
                int longest = 0;
                for (const std::string &child : next)
                    longest = std::max(longest, chain[child]);
                if ((chain[current] = longest + 1) > m_limits.maxInPlaceChain)
                    refuse(QStringLiteral("allOf/anyOf/oneOf/not/if/$ref chain longer than %1 at %2")
                               .arg(m_limits.maxInPlaceChain)
                               .arg(where(current)));
                state[current] = Done;
                stack.pop_back();
            }
        }
    }

    const Dialect m_dialect;
    const Limits &m_limits;
    static constexpr int MaxSkipsListed = 20; // a hostile schema could repeat one keyword 20,000 times
    int m_nodes = 0;
    int m_skipsNotListed = 0;
    int m_deepest = 0;                   // deepest schema met in the current subtree
    std::map<std::string, int> m_height; // normalized pointer -> subtree height
    QStringList m_notChecked;
    std::map<std::string, std::string> m_normalOf;             // server's pointer -> normalized one
    std::map<std::string, std::vector<std::string>> m_inPlace; // normalized pointer -> in-place subschemas
    std::vector<Ref> m_refs;
};

} // namespace

std::optional<Dialect> dialectOf(const Json &schema)
{
    const std::string declared = valueOr(schema, "$schema", std::string());
    if (declared.empty())
        return Dialect::Draft2020;
    std::string uri = declared;
    while (!uri.empty() && (uri.back() == '#'))
        uri.pop_back();
    for (const char *prefix : {"https://", "http://"})
        if (uri.rfind(prefix, 0) == 0)
            uri = uri.substr(std::string(prefix).size());
    if (uri == "json-schema.org/draft-07/schema")
        return Dialect::Draft07;
    if (uri == "json-schema.org/draft/2020-12/schema")
        return Dialect::Draft2020;
    return std::nullopt;
}

NormalizedSchema normalize(const Json &schema, Dialect dialect, const Limits &limits)
{
    return Normalizer(dialect, limits).run(schema);
}

} // namespace mcp::schema
