#include "jsonindent.h"

#include "../jsonrpc/message.h"

namespace mcp {

static bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

QByteArray indentJson(const QByteArray &json, qsizetype maxInput, bool *cut)
{
    const qsizetype n = maxInput < 0 ? json.size() : qMin(json.size(), maxInput);
    if (cut)
        *cut = n < json.size();
    QByteArray out;
    out.reserve(n + n / 4);
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    // Indentation stops growing at the parser's depth limit: a megabyte of "[" would otherwise need
    // a quadratic terabyte of spaces.
    const int maxIndent = jsonrpc::Limits{}.maxDepth;
    const auto newline = [&] {
        out += '\n';
        out.append(qsizetype(qMin(depth, maxIndent)) * 2, ' ');
    };
    for (qsizetype i = 0; i < n; ++i) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            out += c;
            qsizetype next = i + 1;
            while (next < n && isSpace(json[next]))
                ++next;
            if (next < n && json[next] == (c == '{' ? '}' : ']')) { // {} and [] stay on one line
                out += json[next];
                i = next;
                break;
            }
            ++depth;
            newline();
            break;
        }
        case '}':
        case ']':
            depth = qMax(0, depth - 1);
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += ": ";
            break;
        default:
            if (!isSpace(c))
                out += c;
        }
    }
    return out;
}

// The end of the string that opens at json[i] (the index after its closing quote), or json.size().
static qsizetype skipString(QByteArrayView json, qsizetype i)
{
    for (++i; i < json.size(); ++i) {
        if (json[i] == '\\')
            ++i;
        else if (json[i] == '"')
            return i + 1;
    }
    return json.size();
}

// The end of the value that starts at json[i]: a string, a container (nesting counted, strings skipped)
// or a scalar up to the next delimiter.
static qsizetype skipValue(QByteArrayView json, qsizetype i)
{
    if (i >= json.size())
        return i;
    if (json[i] == '"')
        return skipString(json, i);
    if (json[i] == '{' || json[i] == '[') {
        qsizetype depth = 0;
        while (i < json.size()) {
            const char c = json[i];
            if (c == '"') {
                i = skipString(json, i);
                continue;
            }
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            ++i;
        }
        return i;
    }
    while (i < json.size() && json[i] != ',' && json[i] != '}' && json[i] != ']' && !isSpace(json[i]))
        ++i;
    return i;
}

static qsizetype skipSpace(QByteArrayView json, qsizetype i)
{
    while (i < json.size() && isSpace(json[i]))
        ++i;
    return i;
}

ByteRange findJsonMember(QByteArrayView json, std::initializer_list<QByteArrayView> path)
{
    qsizetype at = skipSpace(json, 0);
    for (const QByteArrayView key : path) {
        if (at >= json.size() || json[at] != '{')
            return {};
        at = skipSpace(json, at + 1);
        bool found = false;
        while (at < json.size() && json[at] == '"') {
            const qsizetype keyEnd = skipString(json, at);
            found = json.sliced(at + 1, qMax<qsizetype>(0, keyEnd - at - 2)) == key;
            at = skipSpace(json, keyEnd);
            if (at >= json.size() || json[at] != ':')
                return {};
            at = skipSpace(json, at + 1);
            if (found)
                break;
            at = skipSpace(json, skipValue(json, at));
            if (at < json.size() && json[at] == ',')
                at = skipSpace(json, at + 1);
        }
        if (!found)
            return {};
    }
    const qsizetype end = skipValue(json, at);
    if (at >= json.size() || end <= at)
        return {};
    return {at, end - at};
}

} // namespace mcp
