#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace mcp::audit {

// One audit entry is one line of JSON whose last member is "hash":
//   {"seq":7,"time":"2026-12-07T07:20:00.123Z","kind":"action","connection":"demo","event":"connect",
//    "detail":{...},"prev":"<64 hex>","hash":"<64 hex>"}
// The hash is SHA-256 over the line's own bytes with the hash member taken out (the same bytes ending in
// "prev":"…"} ). Writer and verifier hash bytes, never a re-serialisation, so no canonical-JSON rules are
// needed: any change to a byte of the entry changes its hash.
inline constexpr char kHashMember[] = ",\"hash\":\"";
inline constexpr qsizetype kHashHexLength = 64;
// ,"hash":" + 64 hex + "}
inline constexpr qsizetype kHashSuffixLength = qsizetype(sizeof(kHashMember) - 1) + kHashHexLength + 2;
// Longest line the verifier reads (the writer keeps entries far smaller, see AuditLog::kMaxInlineBytes).
inline constexpr qsizetype kMaxLineBytes = 1024 * 1024;
// The prev of the very first entry of a log.
inline constexpr char kGenesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

// An entry's hash (hex) over its bytes without the hash member.
QByteArray hashOf(QByteArrayView canonical);
// The entry's bytes without the hash member, when line ends in a well-formed one; else empty.
QByteArray canonicalOf(QByteArrayView line);
// A whole line (without newline) from canonical bytes.
QByteArray sealed(const QByteArray &canonical);

} // namespace mcp::audit
