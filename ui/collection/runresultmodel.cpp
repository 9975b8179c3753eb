#include "runresultmodel.h"

#include <QBrush>
#include <QColor>

namespace mcpui {

using mcp::collection::StepResult;

RunResultModel::RunResultModel(QObject *parent) : QAbstractTableModel(parent)
{}

void RunResultModel::setCollection(const mcp::collection::Collection &collection)
{
    beginResetModel();
    m_collection = collection;
    m_steps = QList<std::optional<StepResult>>(collection.requests.size());
    m_running = -1;
    endResetModel();
}

void RunResultModel::setRunning(int row)
{
    m_running = row;
    if (row >= 0 && row < m_steps.size())
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunResultModel::setStep(int row, const StepResult &step)
{
    if (row < 0 || row >= m_steps.size())
        return;
    m_steps[row] = step;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QString RunResultModel::details(int row) const
{
    if (row < 0 || row >= m_steps.size())
        return {};
    const mcp::collection::Request &request = m_collection.requests[row];
    QString text = QStringLiteral("%1 (%2)\n\n").arg(request.label(), request.method);
    if (!m_steps[row])
        return text + tr("Not run yet.") + QStringLiteral("\n\n") + mcp::dumpPretty(request.params);
    const StepResult &step = *m_steps[row];
    if (step.status == StepResult::Status::Errored)
        return text + tr("Not sent: %1").arg(step.error);
    if (step.status == StepResult::Status::Passed)
        text += tr("Every expectation met, in %1 ms.").arg(step.latencyMs) + QLatin1Char('\n');
    for (const mcp::collection::Failure &failure : step.failures)
        text += failure.toString() + QStringLiteral("\n\n");
    return text + tr("Answer:") + QLatin1Char('\n') + mcp::dumpPretty(step.answer).left(100000);
}

int RunResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_steps.size());
}

int RunResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_steps.size())
        return {};
    const mcp::collection::Request &request = m_collection.requests[index.row()];
    const std::optional<StepResult> &step = m_steps[index.row()];
    if (role == Qt::ForegroundRole && index.column() == StatusColumn && step) {
        if (step->status == StepResult::Status::Passed)
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        return QBrush(QColor(0xc6, 0x28, 0x28));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case StatusColumn:
        if (!step)
            return index.row() == m_running ? tr("running…") : tr("not run");
        return step->status == StepResult::Status::Passed   ? tr("PASS")
               : step->status == StepResult::Status::Failed ? tr("FAIL")
                                                            : tr("ERROR");
    case NameColumn:
        return request.label();
    case MethodColumn:
        return request.method;
    case LatencyColumn:
        return step && step->status != StepResult::Status::Errored ? tr("%1 ms").arg(step->latencyMs)
                                                                   : QString();
    case FailureColumn:
        if (!step)
            return {};
        if (step->status == StepResult::Status::Errored)
            return step->error;
        return step->failures.isEmpty() ? QString() : step->failures.first().check;
    }
    return {};
}

QVariant RunResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StatusColumn:
        return tr("Result");
    case NameColumn:
        return tr("Request");
    case MethodColumn:
        return tr("Method");
    case LatencyColumn:
        return tr("Latency");
    case FailureColumn:
        return tr("Failure");
    }
    return {};
}

} // namespace mcpui
