#pragma once

#include "surface/surfacediff.h"

#include <QAbstractTableModel>

namespace mcpui {

// The changes between two surface snapshots, one row each, breaking ones first and marked (icon, colour,
// "Breaking"). Every text from a server (names, URIs, values) is shown with invisible characters made
// visible (review::visibleText).
class SurfaceDiffModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Impact, Item, Change, Path, ColumnCount };
    enum Role { BreakingRole = Qt::UserRole + 1 };

    using QAbstractTableModel::QAbstractTableModel;

    void setDiff(const mcp::surface::SurfaceDiff &diff);
    const mcp::surface::SurfaceDiff &diff() const { return m_diff; }
    // One change as plain text: where, what, and the value before and after, indented JSON.
    QString details(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    mcp::surface::SurfaceDiff m_diff;
};

} // namespace mcpui
