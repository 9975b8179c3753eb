#pragma once

#include "../jsonrpc/json.h"
#include "../transport/transport.h"

#include <QByteArray>
#include <QUrl>

namespace mcp {

// What every exporter does with secrets. Redaction is on unless the user explicitly asks to keep them.
struct ExportOptions
{
    bool redactSecrets = true;
};

// The one place that decides what is a secret and hides it: exports, session files, copy-as, the raw HTTP
// views, `mcpwb --auth-steps` and the settings that must not be saved all ask here.
namespace redaction {

inline constexpr char kMask[] = "[redacted]";

// Where a name is found. The rules are by name patterns, with case, '-', '_', '.' and camelCase normalised
// (apiKey, api_key, X-Api-Key and x-goog-api-key are one name).
enum class Place {
    // An HTTP header, or a header or environment variable the user names: any word "key" or "auth" counts
    // (X-Service-Key, GH_AUTH), or a word ending in password, passwd, token or secret (PGPASSWORD,
    // NPMTOKEN), besides what counts for fields. Mcp-Session-Id too: not a credential in the
    // protocol's sense, but whoever has it can talk in the user's session on a server that does not bind
    // sessions to a user (a "sessionId" field in JSON is shown).
    Header,
    // A JSON field: a name whose head word is token, secret, password, passwd, passphrase, credential(s),
    // apikey, cookie or authorization (access_token, clientSecret, db_password), or a "key" after api,
    // private, secret, access, signing, encryption, client, master, session or subscription (apiKey,
    // private_key), or dpop, code_verifier, client_assertion; unless the last word describes rather than
    // holds one (token_type, token_endpoint, client_secret_expires_at, authorization_servers, max_tokens).
    Field,
    // A form or query parameter (OAuth bodies, redirect URLs): also the authorization code and assertion,
    // which in JSON are innocuous names (a tool's "code" argument).
    Parameter,
};

bool isSecretName(QByteArrayView name, Place place);

// Three base64url parts whose first two decode from JSON objects ("eyJ…"): a JWT, masked under any name.
bool looksLikeJwt(QByteArrayView value);

// A header or environment variable the user sets (connection settings, copy-as): secret by its name or a
// JWT value. Masked on screen and in copy-as, and never saved in settings.
bool isSecretSetting(QByteArrayView name, QByteArrayView value);

// A header's value as shown: the scheme of Authorization kept ("Bearer [redacted]"), Location with its
// query redacted, other secret headers (Mcp-Param-* by the mirrored argument's name) and JWTs masked.
QByteArray redactHeaderValue(QByteArrayView name, const QByteArray &value);
HeaderList redactHeaders(HeaderList headers);

// Replaces secret string values (and strings of arrays under a secret name) anywhere in the tree; numbers,
// booleans and objects under such names stay (expiries, counts, schemas); returns whether anything changed.
bool redactJson(Json &value);
// A JSON text, SSE text whose data lines are JSON, or a form-encoded body, with secrets masked. Bytes
// without secrets come back unchanged (not re-serialised).
QByteArray redactBody(const QByteArray &body);
// Secret query items (?access_token=..., ?code=...) masked.
QUrl redactUrl(const QUrl &url);
// An exchange as it may be shown or written: headers, URL, bodies, and the Location a redirect's body echoes.
HttpExchange redactExchange(const HttpExchange &exchange);

} // namespace redaction
} // namespace mcp
