// Tokens and key sets from authorization servers (core/auth/jwt, core/auth/tokeninspector): the first line
// is the token, the rest a JWKS document. The inspector decodes the token, checks its claims and verifies its
// signature with every key of the set (RSA, EC, OKP keys built from the JWK members by OpenSSL).
#include "auth/jwt.h"
#include "auth/tokeninspector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cstdint>

using namespace mcp::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray token = newline < 0 ? input : input.left(newline);
    InspectOptions options;
    if (newline >= 0)
        options.jwks = QJsonDocument::fromJson(input.mid(newline + 1)).object();
    options.resource = QStringLiteral("https://mcp.example.com/mcp");
    options.issuer = QStringLiteral("https://auth.example.com");
    options.requiredScopes = {QStringLiteral("tools:read")};
    options.now = QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC);
    options.discoverJwks = false; // nothing to fetch: the fuzzer is offline
    const TokenReport report = TokenInspector::inspectWith(token, options);
    (void)report.ok();
    (void)report.firstFailure();
    QString error;
    for (const QJsonValue &key : options.jwks.value(QLatin1String("keys")).toArray())
        (void)jwkThumbprint(key.toObject(), &error);
    return 0;
}
