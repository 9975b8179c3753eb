#include "surfacediffmodel.h"

#include "common/plaintext.h"
#include "review/findings.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QStyle>

namespace mcpui {

using mcp::surface::SurfaceChange;

namespace {

// Multi-line text from a server, each line made visible on its own (visibleText writes newlines as \n).
QString visibleLines(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines)
        line = mcp::review::visibleText(line, 2000);
    return lines.join(QLatin1Char('\n'));
}

QString itemText(const SurfaceChange &c)
{
    return c.item.isEmpty() ? c.itemKind
                            : c.itemKind + QLatin1Char(' ') + mcp::review::visibleText(c.item, 120);
}

} // namespace

void SurfaceDiffModel::setDiff(const mcp::surface::SurfaceDiff &diff)
{
    beginResetModel();
    m_diff = diff;
    endResetModel();
}

QString SurfaceDiffModel::details(int row) const
{
    if (row < 0 || row >= m_diff.changes.size())
        return {};
    const SurfaceChange &c = m_diff.changes.at(row);
    QStringList out{(c.breaking ? tr("BREAKING") : tr("Compatible")) + QStringLiteral(": ") + c.summary,
                    tr("Where: %1 %2").arg(itemText(c), mcp::review::visibleText(c.path, 400)),
                    tr("Kind: %1").arg(SurfaceChange::kindName(c.kind))};
    if (!c.before.is_null())
        out << QString() << tr("Before:") << visibleLines(mcp::dumpPretty(c.before));
    if (!c.after.is_null())
        out << QString() << tr("After:") << visibleLines(mcp::dumpPretty(c.after));
    return out.join(QLatin1Char('\n'));
}

int SurfaceDiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_diff.changes.size());
}

int SurfaceDiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SurfaceDiffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_diff.changes.size())
        return {};
    const SurfaceChange &c = m_diff.changes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Impact:
            return c.breaking ? tr("Breaking") : tr("Compatible");
        case Item:
            return itemText(c);
        case Change:
            return c.summary;
        case Path:
            return mcp::review::visibleText(c.path, 200);
        }
        return {};
    case Qt::ToolTipRole:
        return plainToolTip(details(index.row()));
    case Qt::DecorationRole:
        if (index.column() == Impact)
            return QApplication::style()->standardIcon(c.breaking ? QStyle::SP_MessageBoxWarning
                                                                  : QStyle::SP_DialogApplyButton);
        return {};
    case Qt::ForegroundRole:
        if (c.breaking && (index.column() == Impact || index.column() == Change))
            return QColor(0xd0, 0x30, 0x30);
        return {};
    case Qt::BackgroundRole: // a translucent tint reads on light and dark themes alike
        return c.breaking ? QVariant(QColor(0xd0, 0x30, 0x30, 0x26)) : QVariant();
    case Qt::FontRole:
        if (c.breaking && index.column() == Impact) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case BreakingRole:
        return c.breaking;
    }
    return {};
}

QVariant SurfaceDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Impact:
        return tr("Impact");
    case Item:
        return tr("Item");
    case Change:
        return tr("Change");
    case Path:
        return tr("Path");
    }
    return {};
}

} // namespace mcpui
