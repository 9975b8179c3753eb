#pragma once

#include "collection/collection.h"
#include "collection/collectionrunner.h"

#include <QAbstractTableModel>

namespace mcpui {

// A collection's requests as a table, each with its verdict once run: status, name, method, latency and
// the first failure. Rows exist before the run (status "not run"), so the list shows what will be sent.
class RunResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StatusColumn, NameColumn, MethodColumn, LatencyColumn, FailureColumn, ColumnCount };

    explicit RunResultModel(QObject *parent = nullptr);

    void setCollection(const mcp::collection::Collection &collection);
    void setStep(int row, const mcp::collection::StepResult &step);
    void setRunning(int row);
    // The step's whole verdict: each failure with its diff, or why it was not sent.
    QString details(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    mcp::collection::Collection m_collection;
    QList<std::optional<mcp::collection::StepResult>> m_steps;
    int m_running = -1;
};

} // namespace mcpui
