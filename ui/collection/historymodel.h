#pragma once

#include "collection/history.h"

#include <QAbstractTableModel>

namespace mcpui {

// The request history as a table (time, connection, method, what was asked), newest first, narrowed by a
// search text (HistoryEntry::matches).
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, ConnectionColumn, MethodColumn, SummaryColumn, ColumnCount };

    explicit HistoryModel(QObject *parent = nullptr);

    void setEntries(QList<mcp::collection::HistoryEntry> oldestFirst);
    void setSearch(const QString &text);
    const mcp::collection::HistoryEntry &entry(int row) const { return m_all[m_shown[row]]; }
    int totalCount() const { return int(m_all.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void refilter();

    QList<mcp::collection::HistoryEntry> m_all; // newest first
    QList<int> m_shown;                         // rows of m_all that match the search
    QString m_search;
};

// What a request asked, in a line: a tool's or prompt's name and arguments, a resource's URI.
QString requestSummary(const QString &method, const mcp::Json &params);

} // namespace mcpui
