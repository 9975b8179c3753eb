#include "jsonfile.h"

#include "../jsonrpc/message.h"

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
    // The protocol's own JSON reader: nesting too deep for what recurses over the result is refused.
    jsonrpc::Limits limits;
    limits.maxFrameBytes = maxBytes;
    jsonrpc::ParseError problem;
    Json json = jsonrpc::parseJson(file.readAll(), &problem, limits);
    if (json.is_discarded()) {
        *error = QStringLiteral("%1: not JSON: %2").arg(path, problem.message);
        return std::nullopt;
    }
    return json;
}

} // namespace mcp::review
