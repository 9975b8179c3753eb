#pragma once

#include "config/inventory.h"
#include "review/findings.h"

#include <QAbstractTableModel>

namespace mcpui {

// The servers configured on the machine, one row per server however many hosts configure it, with the
// static review of each (its configuration only: nothing is started). Every text from a config file is
// shown with invisible characters made visible, and secrets masked.
class InventoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Transport, Hosts, Target, Findings, ColumnCount };

    explicit InventoryModel(QObject *parent = nullptr);

    void setInventory(const mcp::config::Inventory &inventory);
    const mcp::config::Inventory &inventory() const { return m_inventory; }
    const mcp::config::InventoryEntry &entry(int row) const { return m_inventory.entries.at(row); }
    QList<mcp::review::Finding> findings(int row) const;
    // Everything about one server as plain text: each host's entry (file and line, settings, other fields)
    // and the findings.
    QString details(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    mcp::config::Inventory m_inventory;
    QStringList m_names; // unique, as in the review
    QList<mcp::review::Finding> m_findings;
};

// The files that could not be read and the entries skipped: file, line, reason.
class ConfigProblemModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { File, Line, Reason, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setProblems(const QList<mcp::config::ConfigProblem> &problems);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<mcp::config::ConfigProblem> m_problems;
};

} // namespace mcpui
