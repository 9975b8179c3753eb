#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

// Measures the longest gap between ticks of a 5 ms timer: how long the event loop was blocked.
class StallWatchdog : public QObject
{
public:
    StallWatchdog()
    {
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] { m_longest = qMax(m_longest, m_clock.restart()); });
    }
    void start()
    {
        m_longest = 0;
        m_clock.start();
        m_timer.start();
    }
    qint64 stop()
    {
        m_longest = qMax(m_longest, m_clock.elapsed());
        m_timer.stop();
        return m_longest;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_longest = 0;
};
