#pragma once

#include <QByteArray>
#include <QList>

namespace demo {

// A valid RGB PNG bar chart (one bar per value, scaled between min and max), built without QtGui.
QByteArray barChartPng(const QList<double> &values, int width = 64, int height = 64);
// A short 16-bit mono WAV with `beeps` tones of the given frequency.
QByteArray toneWav(double frequencyHz, int beeps, int sampleRate = 8000);

} // namespace demo
