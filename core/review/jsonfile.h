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

} // namespace mcp::review
