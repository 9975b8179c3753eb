#pragma once

#include "jsonrpc/json.h"

#include <QAbstractTableModel>
#include <functional>
#include <vector>

namespace mcpui {

// A table over a JSON array (tools, resources, templates, prompts). Cell texts are computed once per reset,
// so views and filter proxies stay cheap with thousands of rows.
class JsonListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    struct Column
    {
        QString header;
        std::function<QString(const mcp::Json &item)> text;
    };

    explicit JsonListModel(QList<Column> columns, QObject *parent = nullptr);

    void setItems(mcp::Json items); // by value: callers move a reply's array in, no second deep copy
    void clear();
    void appendItems(const mcp::Json &items); // one page at a time, as it arrives
    const mcp::Json &item(int row) const { return m_items[size_t(row)]; }
    // The row whose column 0 reads text, or -1.
    int findRow(const QString &text) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QStringList cellsOf(const mcp::Json &item) const;

    QList<Column> m_columns;
    std::vector<mcp::Json> m_items;
    std::vector<QStringList> m_cells;
};

} // namespace mcpui
