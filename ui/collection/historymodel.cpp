#include "historymodel.h"

#include <algorithm>

namespace mcpui {

QString requestSummary(const QString &method, const mcp::Json &params)
{
    constexpr int kMaxChars = 200;
    QString text;
    if (method == QLatin1String("tools/call") || method == QLatin1String("prompts/get"))
        text = mcp::stringOr(params, "name") + QLatin1Char(' ') +
               QString::fromUtf8(mcp::dumpCompact(mcp::valueOr(params, "arguments", mcp::Json::object())));
    else if (params.is_object() && params.contains("uri"))
        text = mcp::stringOr(params, "uri");
    else
        text = QString::fromUtf8(mcp::dumpCompact(params));
    return text.size() > kMaxChars ? text.left(kMaxChars) + QStringLiteral("…") : text;
}

HistoryModel::HistoryModel(QObject *parent) : QAbstractTableModel(parent)
{}

void HistoryModel::setEntries(QList<mcp::collection::HistoryEntry> oldestFirst)
{
    beginResetModel();
    m_all = std::move(oldestFirst);
    std::reverse(m_all.begin(), m_all.end());
    refilter();
    endResetModel();
}

void HistoryModel::setSearch(const QString &text)
{
    beginResetModel();
    m_search = text.trimmed();
    refilter();
    endResetModel();
}

void HistoryModel::refilter()
{
    m_shown.clear();
    for (int i = 0; i < m_all.size(); ++i)
        if (m_all[i].matches(m_search))
            m_shown.append(i);
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_shown.size())
        return {};
    const mcp::collection::HistoryEntry &e = entry(index.row());
    if (role == Qt::ToolTipRole)
        return mcp::dumpPretty(e.params).left(4000);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case ConnectionColumn:
        return e.connection;
    case MethodColumn:
        return e.method;
    case SummaryColumn:
        return requestSummary(e.method, e.params);
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ConnectionColumn:
        return tr("Connection");
    case MethodColumn:
        return tr("Method");
    case SummaryColumn:
        return tr("Request");
    }
    return {};
}

} // namespace mcpui
