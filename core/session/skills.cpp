#include "skills.h"

#include <QCryptographicHash>
#include <QList>

namespace mcp::skills {

Json parseFrontmatter(const QByteArray &text)
{
    Json fields = Json::object();
    const QList<QByteArray> lines = text.split('\n');
    if (lines.isEmpty() || lines.first().trimmed() != "---")
        return fields;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line == "---")
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        QByteArray value = line.mid(colon + 1).trimmed();
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        fields[line.left(colon).trimmed().toStdString()] = value.toStdString();
    }
    return fields;
}

QString verify(const Json &resourceEntry, const Json &frontmatter, const QByteArray &text)
{
    if (resourceEntry.contains("size") && resourceEntry["size"].is_number_integer() &&
        resourceEntry["size"].get<qint64>() != text.size())
        return QStringLiteral("size mismatch: listed %1 bytes, read %2")
            .arg(resourceEntry["size"].get<qint64>())
            .arg(text.size());
    const QString digest = stringOr(resourceEntry, "digest");
    if (!digest.isEmpty()) {
        if (!digest.startsWith(QStringLiteral("sha256:")))
            return QStringLiteral("unsupported digest algorithm in \"%1\"").arg(digest);
        const QByteArray actual = QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex();
        if (digest.mid(7).toLatin1().toLower() != actual)
            return QStringLiteral("digest mismatch: listed %1, read sha256:%2")
                .arg(digest, QString::fromLatin1(actual));
    }
    if (frontmatter.is_object() && !frontmatter.empty()) {
        const Json actual = parseFrontmatter(text);
        for (const auto &[key, expected] : frontmatter.items()) {
            const std::string got = actual.value(key, "");
            const std::string want = expected.is_string() ? expected.get<std::string>() : expected.dump();
            if (got != want)
                return QStringLiteral("frontmatter mismatch in \"%1\": listed \"%2\", file says \"%3\"")
                    .arg(toQString(key), toQString(want), toQString(got));
        }
    }
    return {};
}

} // namespace mcp::skills
