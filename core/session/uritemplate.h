#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace mcp {

// RFC 6570 URI templates (resource templates), for string values: the variables a template names, in order,
// and its expansion. An undefined or empty variable is left out, as the RFC does for undefined ones.
QStringList uriTemplateVariables(const QString &uriTemplate);
QString expandUriTemplate(const QString &uriTemplate, const QHash<QString, QString> &values);

} // namespace mcp
