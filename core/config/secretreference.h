#pragma once

#include <QHash>
#include <QRegularExpression>
#include <QString>

namespace mcp {

// ${env:NAME} (as VS Code spells it) and ${file:PATH}: a value read from the environment or a file when it is
// used, so that a secret need be neither saved in settings nor written on a command line (where other users
// of the machine can read it).
const QRegularExpression &secretReference();

// A file read for ${file:PATH} is at most this large (a token or key, not a document).
inline constexpr qint64 maxSecretFileBytes = 64 * 1024;

// value with every reference replaced. ${file:PATH}: a leading ~/ is the home directory; the file must be a
// regular file of at most maxSecretFileBytes, owned by the user (or root) and not writable by others (who
// could otherwise choose what we send); one trailing line break is dropped and the rest must be one line.
// A reference that cannot be expanded expands to nothing, and the first such goes to *error, naming the
// variable or file and never a file's contents.
QString expandSecretReferences(QString value, QString *error = nullptr);

// ${input:ID} (VS Code): a value asked of the user when connecting, never saved.
const QRegularExpression &inputReference();
// The IDs value refers to, first seen first, without repeats.
QStringList inputReferences(const QString &value);
// value with every ${input:ID} replaced by answers[ID]; the first ID without an answer goes to *missing.
QString expandInputs(QString value, const QHash<QString, QString> &answers, QString *missing = nullptr);

// A literal credential: a secret name (or a JWT value) whose value is not made only of references
// (${env:…}, ${file:…}, ${input:…}) after an authorization scheme ("Bearer ${env:TOKEN}" is not literal).
bool isLiteralSecret(const QString &name, const QString &value);

} // namespace mcp
