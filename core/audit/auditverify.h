#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QString>
#include <QStringList>

namespace mcp::audit {

// What verifying a chain of audit files found: the first bad entry (file, line, sequence) and why, or that
// the chain is intact. The files are hostile input: lines and entries are bounded, and nothing crashes.
struct Verdict
{
    enum class Problem {
        None,
        Unreadable, // a file could not be opened
        Malformed,  // a line that is not an entry (not JSON, no hash member, a missing field, too long)
        TooMany,    // more entries than the verifier holds (kMaxEntries)
        Edited,     // the entry's hash does not match its bytes, or the next entry links to another hash
        Deleted,    // entries missing: the sequence jumps and nothing later continues the chain
        Inserted,   // an entry nothing continues from, between two that link to each other, or a copy
        Reordered,  // an entry out of place: the one that belongs here comes later
        Truncated,  // a file of the chain ends early: the next file continues from a later entry
    };

    Problem problem = Problem::None;
    QString file;
    int line = 0;
    qint64 seq = 0; // the bad entry's sequence number where it has one
    QString reason;

    // Of an intact chain: how many entries, and the last one (to compare with a copy kept elsewhere: a
    // missing tail of the last file cannot be seen from the files alone).
    qint64 entries = 0;
    qint64 lastSeq = 0;
    QByteArray lastHash;
    // A last line the writer did not finish (a crash); not an entry, not counted, not a problem.
    int incompleteLines = 0;

    bool intact() const { return problem == Problem::None; }
    static QString problemName(Problem problem);
    // One line for a person: "FILE:LINE (seq N): edited: why" or "intact: N entries, last seq S, hash H".
    QString toString() const;
};

inline constexpr qsizetype kMaxEntries = 2'000'000;

// The files in order (consecutive days): the chain runs on from one file into the next.
Verdict verifyFiles(const QStringList &paths);
// One open device, named in the verdict.
Verdict verifyDevice(QIODevice &device, const QString &name);

} // namespace mcp::audit
