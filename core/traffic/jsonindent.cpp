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

} // namespace mcp
