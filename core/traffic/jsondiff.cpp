#include "jsondiff.h"

#include <algorithm>

namespace mcp {

namespace {

class Differ
{
public:
    explicit Differ(const QStringList &ignore)
    {
        for (const QString &pattern : ignore) {
            if (pattern.startsWith(QLatin1Char('/')))
                m_pointers << pattern.mid(1).split(QLatin1Char('/'));
            else
                m_names << pattern;
        }
    }

    void diff(const Json &before, const Json &after, QStringList &segments)
    {
        if (ignored(segments))
            return;
        if (before.is_object() && after.is_object()) {
            for (auto it = before.begin(); it != before.end(); ++it) {
                segments << toQString(it.key());
                auto other = after.find(it.key());
                if (other == after.end())
                    add(JsonChange::Kind::Removed, segments, *it, nullptr);
                else
                    diff(*it, *other, segments);
                segments.removeLast();
            }
            for (auto it = after.begin(); it != after.end(); ++it) {
                if (before.contains(it.key()))
                    continue;
                segments << toQString(it.key());
                add(JsonChange::Kind::Added, segments, nullptr, *it);
                segments.removeLast();
            }
        } else if (before.is_array() && after.is_array()) {
            const size_t common = std::min(before.size(), after.size());
            for (size_t i = 0; i < std::max(before.size(), after.size()); ++i) {
                segments << QString::number(i);
                if (i < common)
                    diff(before[i], after[i], segments);
                else if (i < before.size())
                    add(JsonChange::Kind::Removed, segments, before[i], nullptr);
                else
                    add(JsonChange::Kind::Added, segments, nullptr, after[i]);
                segments.removeLast();
            }
        } else if (before != after) {
            add(JsonChange::Kind::Changed, segments, before, after);
        }
    }

    QList<JsonChange> changes;

private:
    bool ignored(const QStringList &segments) const
    {
        if (!segments.isEmpty() && m_names.contains(segments.last()))
            return true;
        for (const QStringList &pointer : m_pointers) {
            if (pointer.size() > segments.size())
                continue;
            bool match = true;
            for (qsizetype i = 0; i < pointer.size() && match; ++i)
                match = pointer[i] == QLatin1String("*") || unescape(pointer[i]) == segments[i];
            if (match)
                return true;
        }
        return false;
    }

    static QString unescape(QString segment)
    {
        return segment.replace(QLatin1String("~1"), QLatin1String("/"))
            .replace(QLatin1String("~0"), QLatin1String("~"));
    }

    static QString pointer(const QStringList &segments)
    {
        QString out;
        for (QString s : segments)
            out += QLatin1Char('/') + s.replace(QLatin1Char('~'), QLatin1String("~0"))
                                          .replace(QLatin1Char('/'), QLatin1String("~1"));
        return out;
    }

    void add(JsonChange::Kind kind, const QStringList &segments, const Json &before, const Json &after)
    {
        if (!ignored(segments))
            changes.append({kind, pointer(segments), before, after});
    }

    QList<QStringList> m_pointers;
    QStringList m_names;
};

} // namespace

QString JsonChange::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Added:
        return QStringLiteral("added");
    case Kind::Removed:
        return QStringLiteral("removed");
    case Kind::Changed:
        return QStringLiteral("changed");
    }
    return {};
}

QList<JsonChange> diffJson(const Json &before, const Json &after, const QStringList &ignore)
{
    Differ differ(ignore);
    QStringList segments;
    differ.diff(before, after, segments);
    return differ.changes;
}

QString describeChanges(const QList<JsonChange> &changes)
{
    QStringList lines;
    for (const JsonChange &c : changes) {
        const QString path = c.path.isEmpty() ? QStringLiteral("(whole value)") : c.path;
        QString line = JsonChange::kindName(c.kind) + QLatin1Char(' ') + path + QStringLiteral(": ");
        if (c.kind == JsonChange::Kind::Added)
            line += QString::fromUtf8(dumpCompact(c.after));
        else if (c.kind == JsonChange::Kind::Removed)
            line += QString::fromUtf8(dumpCompact(c.before));
        else
            line += QString::fromUtf8(dumpCompact(c.before)) + QStringLiteral(" -> ") +
                    QString::fromUtf8(dumpCompact(c.after));
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace mcp
