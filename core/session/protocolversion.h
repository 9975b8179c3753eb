#pragma once

#include <QString>
#include <QStringList>

namespace mcp::protocol {

inline const QString V2024_11_05 = QStringLiteral("2024-11-05");
inline const QString V2025_03_26 = QStringLiteral("2025-03-26");
inline const QString V2025_06_18 = QStringLiteral("2025-06-18");
inline const QString V2025_11_25 = QStringLiteral("2025-11-25");
inline const QString V2026_07_28 = QStringLiteral("2026-07-28");

// Newest first.
inline QStringList supportedVersions()
{
    return {V2026_07_28, V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05};
}
inline QString latestStatefulVersion()
{
    return V2025_11_25;
}
inline bool isSupported(const QString &v)
{
    return supportedVersions().contains(v);
}

// "Modern" versions are stateless: no initialize, per-request _meta (2026-07-28 on).
inline bool isModern(const QString &v)
{
    return !v.isEmpty() && v >= V2026_07_28;
}
// JSON-RPC batches were allowed only in 2025-03-26.
inline bool allowsBatches(const QString &v)
{
    return v == V2025_03_26;
}
// Elicitation arrived in 2025-06-18; URL mode in 2025-11-25.
inline bool hasElicitation(const QString &v)
{
    return v >= V2025_06_18;
}

// The _meta keys that 2026-07-28 requests and results carry.
inline constexpr const char *MetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char *MetaClientInfo = "io.modelcontextprotocol/clientInfo";
inline constexpr const char *MetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr const char *MetaServerInfo = "io.modelcontextprotocol/serverInfo";
inline constexpr const char *MetaLogLevel = "io.modelcontextprotocol/logLevel";

} // namespace mcp::protocol
