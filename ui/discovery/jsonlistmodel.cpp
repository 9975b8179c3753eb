#include "jsonlistmodel.h"

#include "common/plaintext.h"

namespace mcpui {

JsonListModel::JsonListModel(QList<Column> columns, QObject *parent)
    : QAbstractTableModel(parent), m_columns(std::move(columns))
{}

QStringList JsonListModel::cellsOf(const mcp::Json &item) const
{
    QStringList cells;
    for (const Column &c : m_columns)
        cells << c.text(item);
    return cells;
}

void JsonListModel::setItems(mcp::Json items)
{
    beginResetModel();
    m_items.clear();
    m_cells.clear();
    if (items.is_array()) {
        m_items.reserve(items.size());
        m_cells.reserve(items.size());
        for (mcp::Json &item : items) {
            m_cells.push_back(cellsOf(item));
            m_items.push_back(std::move(item));
        }
    }
    endResetModel();
}

void JsonListModel::clear()
{
    setItems(mcp::Json::array());
}

void JsonListModel::appendItems(const mcp::Json &items)
{
    if (!items.is_array() || items.empty())
        return;
    const int first = int(m_items.size());
    beginInsertRows({}, first, first + int(items.size()) - 1);
    for (const mcp::Json &item : items) {
        m_cells.push_back(cellsOf(item));
        m_items.push_back(item);
    }
    endInsertRows();
}

int JsonListModel::findRow(const QString &text) const
{
    for (size_t i = 0; i < m_cells.size(); ++i)
        if (m_cells[i].value(0) == text)
            return int(i);
    return -1;
}

int JsonListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int JsonListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_cells.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_cells[size_t(index.row())].value(index.column());
    if (role == Qt::ToolTipRole) // a description shown whole: the server wrote it
        return plainToolTip(m_cells[size_t(index.row())].value(index.column()));
    return {};
}

QVariant JsonListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return m_columns.value(section).header;
    return {};
}

} // namespace mcpui
