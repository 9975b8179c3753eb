#pragma once

#include <QByteArrayView>
#include <cstdint>
#include <cstdlib>

// Parsers fed as bytes arrive must not care how the bytes are cut. The first byte of a fuzz input chooses a
// piece size (1..maxPiece) and a flag (byte >= 0xf0); run(stream, pieceSize, flag) reads the rest once
// whole and once in pieces, and the two outcomes must be equal.
template <class Run> void requireSameInPieces(const uint8_t *data, size_t size, int maxPiece, Run run)
{
    if (size == 0)
        return;
    const qsizetype piece = data[0] % maxPiece + 1;
    const bool flag = data[0] >= 0xf0;
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    if (!(run(stream, qMax<qsizetype>(stream.size(), 1), flag) == run(stream, piece, flag)))
        std::abort();
}
