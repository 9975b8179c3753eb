#include "trafficmodel.h"

#include <QBrush>
#include <QDateTime>
#include <QLocale>
#include <algorithm>

using mcp::FrameRecord;

TrafficModel::TrafficModel(mcp::Recorder *recorder, int connection, QObject *parent)
    : QAbstractTableModel(parent), m_recorder(recorder), m_allConnections(connection < 0)
{
    if (connection >= 0)
        m_connections = {connection};
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &TrafficModel::flush);
    connect(recorder, &mcp::Recorder::frameRecorded, this, &TrafficModel::onFrameRecorded);
    connect(recorder, &mcp::Recorder::framePaired, this, &TrafficModel::onFramePaired);
    connect(recorder, &mcp::Recorder::cleared, this, &TrafficModel::rebuild);
    rebuild();
}

int TrafficModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

int TrafficModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

static QString formatLatency(qint32 us)
{
    if (us < 0)
        return {};
    return us < 10'000 ? QStringLiteral("%1 ms").arg(us / 1000.0, 0, 'f', 1)
                       : QStringLiteral("%1 ms").arg(us / 1000);
}

static QString status(const FrameRecord &f)
{
    if (f.parseFailed())
        return QStringLiteral("malformed");
    switch (f.kind) {
    case mcp::jsonrpc::Kind::Request:
        return f.pairedIndex < 0 ? QStringLiteral("pending") : QStringLiteral("request");
    case mcp::jsonrpc::Kind::Notification:
        return QStringLiteral("notification");
    case mcp::jsonrpc::Kind::Response:
        return QStringLiteral("ok");
    case mcp::jsonrpc::Kind::Error:
        return QStringLiteral("error");
    }
    return {};
}

QVariant TrafficModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int frameIndex = m_visible[size_t(index.row())];
    const FrameRecord &f = m_recorder->at(frameIndex);
    if (role == RecorderIndexRole)
        return frameIndex;
    if (role == Qt::ForegroundRole && (f.isError() || f.parseFailed()))
        return QBrush(Qt::red);
    if (role == Qt::TextAlignmentRole && (index.column() == Size || index.column() == Latency))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(f.timeUs / 1000).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Connection:
        return m_recorder->connectionName(f.connection);
    case Direction:
        return f.direction == mcp::Direction::Sent ? QStringLiteral("→ out") : QStringLiteral("← in");
    case Method:
        return m_recorder->method(f);
    case Id:
        return QString::fromUtf8(f.id);
    case Size:
        return QLocale().formattedDataSize(f.bytes.size(), 1, QLocale::DataSizeTraditionalFormat);
    case Latency:
        return formatLatency(f.latencyUs);
    case Status:
        return status(f);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TrafficModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList names = {tr("Time"), tr("Connection"), tr("Dir"),     tr("Method"),
                                      tr("Id"),   tr("Size"),       tr("Latency"), tr("Status")};
    return names.value(section);
}

bool TrafficModel::setFilterText(const QString &text, QString *error)
{
    mcp::TrafficFilter filter = mcp::TrafficFilter::parse(text, error);
    if (!error->isEmpty())
        return false;
    m_filter = std::move(filter);
    rebuild();
    return true;
}

void TrafficModel::setConnections(const QList<int> &connections)
{
    m_allConnections = false;
    m_connections = connections;
    rebuild();
}

int TrafficModel::rowOf(int recorderIndex) const
{
    const auto it = std::lower_bound(m_visible.begin(), m_visible.end(), recorderIndex);
    return it != m_visible.end() && *it == recorderIndex ? int(it - m_visible.begin()) : -1;
}

int TrafficModel::pairedRow(int row) const
{
    const int paired = m_recorder->at(recorderIndex(row)).pairedIndex;
    return paired < 0 ? -1 : rowOf(paired);
}

bool TrafficModel::accepts(const FrameRecord &frame) const
{
    return (m_allConnections || m_connections.contains(frame.connection)) &&
           m_filter.matches(*m_recorder, frame);
}

void TrafficModel::onFrameRecorded(int index)
{
    m_queued.push_back(index);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void TrafficModel::flush()
{
    m_flushTimer.stop();
    std::vector<int> accepted;
    for (int index : std::exchange(m_queued, {})) {
        if (accepts(m_recorder->at(index)))
            accepted.push_back(index);
    }
    if (accepted.empty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + int(accepted.size()) - 1);
    m_visible.insert(m_visible.end(), accepted.begin(), accepted.end());
    endInsertRows();
}

void TrafficModel::onFramePaired(int requestIndex, int responseIndex)
{
    // The request row gains a latency and a status; the response arrives with both, or is still queued.
    Q_UNUSED(responseIndex)
    const int row = rowOf(requestIndex);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, Latency), index(row, Status), {Qt::DisplayRole});
}

void TrafficModel::rebuild()
{
    beginResetModel();
    m_visible.clear();
    m_queued.clear();
    for (qsizetype i = 0; i < m_recorder->size(); ++i) {
        if (accepts(m_recorder->at(i)))
            m_visible.push_back(int(i));
    }
    endResetModel();
}
