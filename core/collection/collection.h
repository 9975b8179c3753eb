#pragma once

#include "../jsonrpc/json.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <optional>

namespace mcp::collection {

// A collection: a named, ordered list of requests with what their answers must show, kept as a JSON file
// (docs/collections.md) that can live in a server's repository and run in its CI (`mcpwb run`):
//   {"format": "mcpwb-collection", "version": 1, "name": "...",
//    "requests": [{"id": "sum", "method": "tools/call", "params": {...}, "expect": {...}}, ...]}
// Written with a stable key order (format, version, name, requests; in a request id, name, method, params,
// timeoutMs, expect), so that a saved collection diffs well in git.
inline constexpr const char *kCollectionFormat = "mcpwb-collection";
inline constexpr int kCollectionVersion = 1;

// What a collection file may cost: it comes from a repository or a colleague, as hostile as a server.
struct Limits
{
    qint64 maxFileBytes = 4 * 1024 * 1024;
    int maxRequests = 1000;
    int maxChecksPerRequest = 100; // equals and matches entries together
    int maxPatternLength = 4096;
    int maxIdLength = 128;
};

// What one request's answer must show. Pointers (RFC 6901) point into the result, or into the error
// object {code, message, data} when the request is expected to fail.
struct Expectation
{
    std::optional<int> errorCode;           // a JSON-RPC error with this code; absent: success expected
    bool toolError = false;                 // a tool result with isError: true (the tool said no)
    QList<QPair<QString, Json>> equals;     // pointer -> the value found there (references resolved)
    QList<QPair<QString, QString>> matches; // pointer -> a regular expression (PCRE) the string there matches
    bool outputSchema = false;              // tools/call: structuredContent fits the tool's outputSchema
    std::optional<qint64> maxLatencyMs;     // the answer came within this many milliseconds

    bool operator==(const Expectation &) const = default;
};

struct Request
{
    QString id;   // unique in the collection; what ${step:ID/...} refers to
    QString name; // what a person reads in reports; may be empty (the id is shown)
    QString method;
    Json params = Json::object(); // may hold ${env:NAME} and ${step:ID/pointer} in its strings
    int timeoutMs = 0;            // 0: the connection's
    Expectation expect;

    QString label() const { return name.isEmpty() ? id : name; }
    bool operator==(const Request &) const = default;
};

struct Collection
{
    QString name;
    QList<Request> requests;

    Json toJson() const;
    bool operator==(const Collection &) const = default;
};

// Where a file went wrong: "requests.json:12:5: not JSON: ..." or "requests.json /requests/2/expect: ...".
struct ParseProblem
{
    QString file; // empty for bytes not from a file
    int line = 0; // 1-based, when known (the JSON text itself is broken)
    int column = 0;
    QString pointer; // JSON pointer to the offending member, when the JSON is well-formed
    QString reason;

    QString toString() const;
};

// Reads a collection: size, nesting and every member's type checked, unknown members refused (a typo in
// "expect" must not silently check nothing), ids unique, every ${step:ID} naming an earlier request.
std::optional<Collection> parseCollection(QByteArrayView bytes, ParseProblem *problem,
                                          const Limits &limits = {});
std::optional<Collection> fromJson(const Json &document, ParseProblem *problem, const Limits &limits = {});
std::optional<Collection> loadCollection(const QString &path, ParseProblem *problem,
                                         const Limits &limits = {});

// The file's text: two-space indented JSON in the stable key order, ending in a newline.
QByteArray collectionBytes(const Collection &collection);
bool saveCollection(const QString &path, const Collection &collection, QString *error);

// A request id made from a method and tool name, unique among `taken` ("get-sum", "get-sum-2").
QString uniqueId(const QString &wanted, const QStringList &taken);

// Appends a request (an id from its tool's name or method) to the collection file, made when missing. A
// collection is meant for git: each string under a secret name (core/traffic/redaction) is written as a
// ${env:NAME} reference instead, NAME listed in *variables for the user to set. False with *error.
bool appendRequest(const QString &path, const QString &method, const Json &params, QStringList *variables,
                   QString *error);

} // namespace mcp::collection
