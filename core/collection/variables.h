#pragma once

#include "../jsonrpc/json.h"

#include <QHash>
#include <QStringList>
#include <functional>
#include <optional>

namespace mcp::collection {

// References in a request's strings, resolved just before it is sent:
//   ${env:NAME}          the variable NAME of mcpwb's environment (a token for the server under test)
//   ${step:ID}           the whole answer of the earlier request ID (its result, or its error object)
//   ${step:ID/pointer}   the value at a JSON pointer in it: ${step:create/content/0/text}
//   $${                  a literal "${"
// A string that is exactly one reference takes the referenced value with its type (a number stays a number);
// inside a longer string a value is written as its text (strings as they are, others as compact JSON).
struct Reference
{
    enum class Kind { Env, Step };
    Kind kind;
    QString name;    // the variable, or the request id
    QString pointer; // Step: "" for the whole answer
};

// Every reference in the strings of value, in order; *problem names a malformed one ("${step:}").
QList<Reference> findReferences(const Json &value, QString *problem = nullptr);

using EnvLookup = std::function<std::optional<QString>(const QString &name)>;
EnvLookup processEnvironment();

// value with every reference replaced; nullopt with *problem when one cannot be ("${env:TOKEN}: TOKEN is not
// set", "${step:list/tools/9}: nothing at /tools/9 in list's answer"). answers holds the answers so far by
// request id. The result is bounded (maxBytes of substituted text) whatever the answers hold.
std::optional<Json> substitute(const Json &value, const EnvLookup &env, const QHash<QString, Json> &answers,
                               QString *problem, qint64 maxBytes = 16 * 1024 * 1024);

} // namespace mcp::collection
