#pragma once

#include "../jsonrpc/json.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace mcp::review {

// Writes the whole file or nothing (QSaveFile); false with *error naming the file and why.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error);
// A reviewer's file (acceptances, pins), read as hostile input: at most maxBytes, JSON or an error naming
// the file and why.
std::optional<Json> readJsonFile(const QString &path, qint64 maxBytes, QString *error);

// A document type's file: T has toJson() and static fromJson(const Json &, T *, QString *error).
template <typename T> bool saveDocument(const QString &path, const T &document, QString *error)
{
    return writeFileAtomically(path, QByteArray::fromStdString(document.toJson().dump(2)) + '\n', error);
}
template <typename T> bool loadDocument(const QString &path, qint64 maxBytes, T *out, QString *error)
{
    const std::optional<Json> json = readJsonFile(path, maxBytes, error);
    if (!json)
        return false;
    QString problem;
    if (T::fromJson(*json, out, &problem))
        return true;
    *error = QStringLiteral("%1: %2").arg(path, problem);
    return false;
}

} // namespace mcp::review
