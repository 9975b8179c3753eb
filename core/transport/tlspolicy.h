#pragma once

#include <QSslConfiguration>
#include <QString>

namespace mcp {

// How the connections made for one server treat TLS: the MCP requests, and the authorization requests made
// on their behalf, trust the same certificates and ignore errors only where the user said so.
struct TlsPolicy
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    bool insecure = false; // ignore certificate errors; each ignored error is still reported
};

// The system CAs plus the certificates in caFile (PEM or DER), into *config; *added says how many. False,
// with *error saying why, when the file holds none.
bool trustCaFile(const QString &caFile, QSslConfiguration *config, qsizetype *added, QString *error);

} // namespace mcp
