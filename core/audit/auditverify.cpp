#include "auditverify.h"

#include "auditentry.h"
#include "jsonrpc/message.h"

#include <QFile>
#include <array>
#include <cstring>
#include <optional>
#include <vector>

namespace mcp::audit {

namespace {

using Digest = std::array<char, 32>;

std::optional<Digest> digestOf(const std::string &hex)
{
    if (hex.size() != size_t(kHashHexLength))
        return std::nullopt;
    for (const char c : hex)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return std::nullopt;
    const QByteArray raw = QByteArray::fromHex(QByteArray::fromStdString(hex));
    Digest d;
    std::memcpy(d.data(), raw.constData(), d.size());
    return d;
}

struct Entry
{
    qint64 seq;
    Digest prev;
    Digest hash;
    int file;
    int line;
};

// Reads the files into entries (small: sequence, links, place), then walks the chain. Reading stops at the
// first line that is not a sound entry; the walk may still find an earlier break, which comes first.
class Chain
{
public:
    void read(QIODevice &device, const QString &name);
    Verdict walk();

private:
    bool stopAt(int line, qint64 seq, Verdict::Problem problem, const QString &reason);
    Verdict at(const Entry &e, Verdict::Problem problem, const QString &reason) const;
    Verdict breakAt(size_t i, const Entry &p) const;
    QString place(const Entry &e) const;

    QStringList m_names;
    std::vector<Entry> m_entries;
    std::optional<Verdict> m_stop;
    int m_incompleteLines = 0;
};

Verdict problemAt(const QString &file, int line, qint64 seq, Verdict::Problem problem, const QString &reason)
{
    Verdict v;
    v.problem = problem;
    v.file = file;
    v.line = line;
    v.seq = seq;
    v.reason = reason;
    return v;
}

bool Chain::stopAt(int line, qint64 seq, Verdict::Problem problem, const QString &reason)
{
    m_stop = problemAt(m_names.last(), line, seq, problem, reason);
    return false;
}

void Chain::read(QIODevice &device, const QString &name)
{
    if (m_stop)
        return;
    m_names.append(name);
    const int file = int(m_names.size() - 1);
    int lineNumber = 0;
    while (!device.atEnd()) {
        QByteArray line = device.readLine(kMaxLineBytes + 2);
        ++lineNumber;
        const bool complete = line.endsWith('\n');
        if (complete)
            line.chop(1);
        if (line.size() > kMaxLineBytes) {
            stopAt(lineNumber, 0, Verdict::Problem::Malformed, QStringLiteral("longer than 1 MiB"));
            return;
        }
        const auto malformed = [&](const QString &why) {
            if (!complete && device.atEnd()) { // the writer stopped mid-line: not an entry, not a problem
                ++m_incompleteLines;
                return true;
            }
            return stopAt(lineNumber, 0, Verdict::Problem::Malformed, why);
        };
        const QByteArray canonical = canonicalOf(line);
        if (canonical.isEmpty()) {
            if (!malformed(QStringLiteral("not an entry: no \"hash\" member at its end")))
                return;
            continue;
        }
        jsonrpc::ParseError invalid;
        const Json j = jsonrpc::parseJson(canonical, &invalid);
        const qint64 seq = valueOr(j, "seq", qint64(0));
        const std::optional<Digest> prev = digestOf(valueOr(j, "prev", std::string()));
        const QString why = j.is_discarded()     ? QStringLiteral("not JSON: ") + invalid.toString()
                            : !j.is_object()     ? QStringLiteral("not a JSON object")
                            : j.contains("hash") ? QStringLiteral("a second \"hash\" member")
                            : seq < 1            ? QStringLiteral("no sequence number")
                            : !prev              ? QStringLiteral("no \"prev\" hash")
                            : !valueOr(j, "time", Json()).is_string() ? QStringLiteral("no time")
                                                                      : QString();
        if (!why.isEmpty()) {
            if (!malformed(why))
                return;
            continue;
        }
        const QByteArray computed = hashOf(canonical);
        if (line.last(kHashSuffixLength).sliced(sizeof(kHashMember) - 1, kHashHexLength) != computed) {
            stopAt(lineNumber, seq, Verdict::Problem::Edited,
                   QStringLiteral("its hash does not match its content"));
            return;
        }
        if (qsizetype(m_entries.size()) >= kMaxEntries) {
            stopAt(lineNumber, seq, Verdict::Problem::TooMany,
                   QStringLiteral("more than %1 entries to verify at once").arg(kMaxEntries));
            return;
        }
        m_entries.push_back({seq, *prev, *digestOf(computed.toStdString()), file, lineNumber});
    }
}

QString Chain::place(const Entry &e) const
{
    return QStringLiteral("%1:%2").arg(m_names[e.file]).arg(e.line);
}

Verdict Chain::at(const Entry &e, Verdict::Problem problem, const QString &reason) const
{
    return problemAt(m_names[e.file], e.line, e.seq, problem, reason);
}

// Entry i does not continue p (the last sound entry): which change explains it, and at which entry.
Verdict Chain::breakAt(size_t i, const Entry &p) const
{
    using P = Verdict::Problem;
    const Entry &e = m_entries[i];
    const qint64 expected = p.seq + 1;
    for (size_t k = 0; k < i; ++k)
        if (m_entries[k].hash == e.hash)
            return at(e, P::Inserted, QStringLiteral("a copy of the entry at %1").arg(place(m_entries[k])));
    const auto linksTo = [&](const Digest &hash) {
        for (size_t k = 0; k < m_entries.size(); ++k)
            if (m_entries[k].prev == hash && k != i)
                return k;
        return m_entries.size();
    };
    const size_t successorOfP = linksTo(p.hash);
    if (successorOfP == m_entries.size()) { // nothing continues from p
        if (e.prev == p.prev)
            return at(
                p, P::Inserted,
                QStringLiteral("nothing continues from this entry: the next (%1) follows the one before it")
                    .arg(place(e)));
        if (e.seq == expected)
            return at(p, P::Edited,
                      QStringLiteral("rewritten with a new hash: the next entry (%1) links to another")
                          .arg(place(e)));
        if (e.seq > expected && e.file != p.file)
            return at(e, P::Truncated,
                      QStringLiteral("%1 ends early: entries %2 to %3 are missing before this file's first")
                          .arg(m_names[p.file])
                          .arg(expected)
                          .arg(e.seq - 1));
        if (e.seq > expected)
            return at(
                e, P::Deleted,
                QStringLiteral("entries %1 to %2 are missing before this one").arg(expected).arg(e.seq - 1));
    } else {
        bool placedElsewhere = linksTo(e.hash) != m_entries.size();
        for (size_t k = 0; k < m_entries.size() && !placedElsewhere; ++k)
            placedElsewhere = m_entries[k].hash == e.prev;
        if (placedElsewhere)
            return at(e, P::Reordered,
                      QStringLiteral("out of place: entry %1, which belongs here, is at %2")
                          .arg(expected)
                          .arg(place(m_entries[successorOfP])));
    }
    return at(
        e, P::Inserted,
        QStringLiteral("nothing continues from this entry, and it does not follow the entry before (%1)")
            .arg(place(p)));
}

Verdict Chain::walk()
{
    for (size_t i = 1; i < m_entries.size(); ++i) {
        const Entry &p = m_entries[i - 1];
        const Entry &e = m_entries[i];
        if (e.seq != p.seq + 1 || e.prev != p.hash)
            return breakAt(i, p);
    }
    if (m_stop)
        return *m_stop;
    Verdict v;
    v.entries = qint64(m_entries.size());
    v.incompleteLines = m_incompleteLines;
    if (!m_entries.empty()) {
        v.lastSeq = m_entries.back().seq;
        v.lastHash = QByteArray(m_entries.back().hash.data(), 32).toHex();
    }
    return v;
}

} // namespace

QString Verdict::problemName(Problem problem)
{
    switch (problem) {
    case Problem::None:
        return QStringLiteral("intact");
    case Problem::Unreadable:
        return QStringLiteral("unreadable");
    case Problem::Malformed:
        return QStringLiteral("malformed");
    case Problem::TooMany:
        return QStringLiteral("too many entries");
    case Problem::Edited:
        return QStringLiteral("edited");
    case Problem::Deleted:
        return QStringLiteral("deleted");
    case Problem::Inserted:
        return QStringLiteral("inserted");
    case Problem::Reordered:
        return QStringLiteral("reordered");
    case Problem::Truncated:
        return QStringLiteral("truncated");
    }
    return {};
}

QString Verdict::toString() const
{
    if (intact()) {
        QString s = QStringLiteral("intact: %1 entries").arg(entries);
        if (entries > 0)
            s += QStringLiteral(", last seq %1, hash %2").arg(lastSeq).arg(QString::fromLatin1(lastHash));
        if (incompleteLines > 0)
            s += QStringLiteral(" (%1 unfinished last line ignored)").arg(incompleteLines);
        return s;
    }
    QString where = line > 0 ? QStringLiteral("%1:%2").arg(file).arg(line) : file;
    if (seq > 0)
        where += QStringLiteral(" (seq %1)").arg(seq);
    return QStringLiteral("%1: %2: %3").arg(where, problemName(problem), reason);
}

Verdict verifyDevice(QIODevice &device, const QString &name)
{
    Chain chain;
    chain.read(device, name);
    return chain.walk();
}

Verdict verifyFiles(const QStringList &paths)
{
    Chain chain;
    for (const QString &path : paths) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return problemAt(path, 0, 0, Verdict::Problem::Unreadable, f.errorString());
        chain.read(f, path);
    }
    return chain.walk();
}

} // namespace mcp::audit
