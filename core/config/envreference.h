#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace mcp {

// ${env:NAME}, as VS Code spells it: a value read from the environment when it is used, so that a secret
// need be neither saved in settings nor written on a command line.
const QRegularExpression &environmentReference();

// value with every ${env:NAME} replaced by NAME's value; the names that are not set go to *unset (and
// expand to nothing).
QString expandEnvironmentReferences(QString value, QStringList *unset = nullptr);

} // namespace mcp
