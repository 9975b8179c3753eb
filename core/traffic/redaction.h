#pragma once

#include "../jsonrpc/json.h"

#include <QByteArray>
#include <QUrl>

namespace mcp {

// What every exporter does with secrets. Redaction is on unless the user explicitly asks to keep them.
struct ExportOptions
{
    bool redactSecrets = true;
};

namespace redaction {

inline constexpr char kMask[] = "[redacted]";

// Authorization, Proxy-Authorization, Cookie, Set-Cookie and Mcp-Session-Id (a bearer capability).
bool isSecretHeader(QByteArrayView name);
// access_token, refresh_token, id_token, client_secret, password, token, api_key (case-insensitive).
bool isSecretField(QByteArrayView key);
// A header or environment variable name a user typed whose value is a credential: the secret headers above,
// or a name containing token, secret, password, key or auth (GITHUB_TOKEN, X-Api-Key, OPENAI_API_KEY).
bool isSecretName(QByteArrayView name);

// Replaces the values of secret fields anywhere in the tree; returns whether anything changed.
bool redactJson(Json &value);
// A JSON text, or SSE text whose data lines are JSON, with secret fields masked. Bytes without secrets come
// back unchanged (not re-serialised).
QByteArray redactBody(const QByteArray &body);
// Secret query items (?access_token=...) masked.
QUrl redactUrl(const QUrl &url);

} // namespace redaction
} // namespace mcp
