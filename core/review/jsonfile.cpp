#include "jsonfile.h"

#include <QFile>
#include <QSaveFile>

namespace mcp::review {

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    *error = QStringLiteral("%1: %2").arg(path, file.errorString());
    return false;
}

std::optional<Json> readJsonFile(const QString &path, qint64 maxBytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > maxBytes) {
        *error = QStringLiteral("%1: larger than %2 bytes").arg(path).arg(maxBytes);
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    Json json = Json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (json.is_discarded()) {
        *error = QStringLiteral("%1: not JSON").arg(path);
        return std::nullopt;
    }
    return json;
}

} // namespace mcp::review
