#pragma once

#include <QByteArray>
#include <QString>

namespace mcp::auth {

// A secret the user asked to see in one place (the token inspector, the PKCE verifier), shown masked until
// revealed. What is a secret in traffic is decided by core/traffic/redaction.
QString maskSecret(const QByteArray &secret); // "eyJh…(812 chars)"

} // namespace mcp::auth
