#pragma once

#include "recorder.h"

#include <QString>
#include <vector>

namespace mcp {

// The traffic views' filter language, shared by the CLI and the GUI. Terms are separated by spaces and all
// must hold; a leading '!' negates one:
//   method:tools/call  method:notifications/*   id:5  conn:everything  dir:in|out  kind:request|response|
//   notification|error   latency>500ms  latency<=2s  size>10kb   error   unpaired   "free text"   word
// Names compare case-insensitively, a trailing '*' matches a prefix. Bare words and quoted text are
// searched for in the frame's bytes (case-insensitive).
class TrafficFilter
{
public:
    TrafficFilter() = default;
    // On a syntax error returns an empty filter and sets *error to a message with the 1-based column.
    static TrafficFilter parse(const QString &text, QString *error);

    bool isEmpty() const { return m_terms.empty(); }
    bool matches(const Recorder &recorder, const FrameRecord &frame) const;

private:
    struct Term
    {
        enum class Field { Method, Id, Connection, Direction, Kind, Latency, Size, Error, Unpaired, Text };
        enum class Compare { Less, LessEqual, Equal, GreaterEqual, Greater };
        Field field = Field::Text;
        Compare compare = Compare::Equal;
        bool negate = false;
        qint64 number = 0; // latency in microseconds, size in bytes, Direction/Kind as enum values
        QByteArray text;   // lower-case pattern for names and free text
    };
    using Field = Term::Field;
    using Compare = Term::Compare;
    bool termMatches(const Term &term, const Recorder &recorder, const FrameRecord &frame) const;

    std::vector<Term> m_terms;
};

} // namespace mcp
