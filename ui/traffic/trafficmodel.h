#pragma once

#include "traffic/recorder.h"
#include "traffic/trafficfilter.h"

#include <QAbstractTableModel>
#include <QTimer>
#include <vector>

// The traffic table over a Recorder, after Wireshark's packet list: the recorder stores every frame, the
// model keeps the visible subset (one connection or all, passing the filter) as recorder indices. New frames
// are queued and appended by a zero-delay timer in one beginInsertRows per batch; cells are formatted only
// when a view asks for them.
class TrafficModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Connection, Direction, Method, Id, Size, Latency, Status, ColumnCount };
    enum Role { RecorderIndexRole = Qt::UserRole + 1 };

    explicit TrafficModel(mcp::Recorder *recorder, int connection = -1, QObject *parent = nullptr);

    // Shows only these recorder connections: one workbench connection opens a new one per session.
    void setConnections(const QList<int> &connections);
    const QList<int> &connections() const { return m_connections; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Returns false and leaves the current filter when the text does not parse; *error says why.
    bool setFilterText(const QString &text, QString *error);
    int recorderIndex(int row) const { return m_visible[size_t(row)]; }
    // The row showing a recorder frame, or -1 when it is filtered out (or not yet flushed).
    int rowOf(int recorderIndex) const;
    // The row of the frame paired with this row's (request <-> response), or -1.
    int pairedRow(int row) const;

    // Appends what is queued now instead of on the next event-loop turn.
    void flush();

private:
    void onFrameRecorded(int index);
    void onFramePaired(int requestIndex, int responseIndex);
    void rebuild();
    bool accepts(const mcp::FrameRecord &frame) const;

    mcp::Recorder *m_recorder;
    bool m_allConnections;
    QList<int> m_connections;
    mcp::TrafficFilter m_filter;
    std::vector<int> m_visible; // ascending recorder indices
    std::vector<int> m_queued;
    QTimer m_flushTimer;
};
