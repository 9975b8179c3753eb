#include "demomedia.h"

#include <QtEndian>
#include <array>
#include <cmath>

namespace demo {

namespace {

quint32 crc32(const QByteArray &data)
{
    static const auto table = [] {
        std::array<quint32, 256> t{};
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    quint32 c = 0xFFFFFFFFu;
    for (char byte : data)
        c = table[(c ^ quint8(byte)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void appendBE32(QByteArray &out, quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    out.append(b, 4);
}

void appendLE(QByteArray &out, quint32 v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((v >> (8 * i)) & 0xFF));
}

QByteArray pngChunk(const char *type, const QByteArray &data)
{
    QByteArray out;
    appendBE32(out, quint32(data.size()));
    const QByteArray typed = QByteArray(type) + data;
    out += typed;
    appendBE32(out, crc32(typed));
    return out;
}

} // namespace

QByteArray barChartPng(const QList<double> &values, int width, int height)
{
    double lo = values.isEmpty() ? 0 : values.first(), hi = lo;
    for (double v : values) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    const int margin = 4;
    const int plotH = height - 2 * margin;
    const int slot = values.isEmpty() ? 1 : (width - 2 * margin) / int(values.size());
    QByteArray raw;
    raw.reserve((width * 3 + 1) * height);
    for (int y = 0; y < height; ++y) {
        raw.append(char(0)); // filter: none
        for (int x = 0; x < width; ++x) {
            quint8 r = 250, g = 250, b = 252; // background
            const int bar = (x - margin) / slot;
            const int inSlot = (x - margin) % slot;
            if (y == height - margin || (x == margin - 1 && y >= margin)) {
                r = g = b = 120; // axes
            } else if (x >= margin && bar < values.size() && inSlot > 0 && inSlot < slot - 1 &&
                       y < height - margin) {
                const double t = hi > lo ? (values[bar] - lo) / (hi - lo) : 0.5;
                const int barH = int(plotH * (0.2 + 0.8 * t));
                if (height - margin - y <= barH) { // cooler days blue, warmer days orange
                    r = quint8(60 + 190 * t);
                    g = quint8(120 + 40 * t);
                    b = quint8(220 - 180 * t);
                }
            }
            raw.append(char(r)).append(char(g)).append(char(b));
        }
    }
    QByteArray header;
    appendBE32(header, quint32(width));
    appendBE32(header, quint32(height));
    header.append(char(8)).append(char(2)).append(char(0)).append(char(0)).append(char(0)); // 8-bit RGB
    // qCompress gives a zlib stream behind a 4-byte length: exactly what IDAT holds.
    const QByteArray zlib = qCompress(raw, 9).mid(4);
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", header) + pngChunk("IDAT", zlib) +
           pngChunk("IEND", {});
}

QByteArray toneWav(double frequencyHz, int beeps, int sampleRate)
{
    QByteArray pcm;
    const int beepSamples = sampleRate * 18 / 100, gapSamples = sampleRate * 8 / 100;
    for (int n = 0; n < beeps; ++n) {
        for (int i = 0; i < beepSamples; ++i) {
            const double envelope = std::min(1.0, std::min(i, beepSamples - i) / (sampleRate * 0.01));
            const double s = std::sin(2 * M_PI * frequencyHz * i / sampleRate) * envelope * 0.6;
            appendLE(pcm, quint32(quint16(qint16(s * 32767))), 2);
        }
        pcm.append(QByteArray(gapSamples * 2, '\0'));
    }
    QByteArray wav("RIFF");
    appendLE(wav, quint32(36 + pcm.size()), 4);
    wav += "WAVEfmt ";
    appendLE(wav, 16, 4);
    appendLE(wav, 1, 2); // PCM
    appendLE(wav, 1, 2); // mono
    appendLE(wav, quint32(sampleRate), 4);
    appendLE(wav, quint32(sampleRate * 2), 4);
    appendLE(wav, 2, 2);
    appendLE(wav, 16, 2);
    wav += "data";
    appendLE(wav, quint32(pcm.size()), 4);
    return wav + pcm;
}

} // namespace demo
