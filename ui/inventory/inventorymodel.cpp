#include "inventorymodel.h"

#include "common/plaintext.h"
#include "review/review.h"
#include "traffic/redaction.h"

namespace mcpui {

using namespace mcp::config;
using mcp::review::visibleText;

InventoryModel::InventoryModel(QObject *parent) : QAbstractTableModel(parent)
{}

void InventoryModel::setInventory(const Inventory &inventory)
{
    beginResetModel();
    m_inventory = inventory;
    const QList<mcp::review::ServerSnapshot> snapshots = configuredSnapshots(inventory);
    m_names.clear();
    for (const auto &s : snapshots)
        m_names << s.name;
    m_findings = mcp::review::reviewServers(snapshots);
    endResetModel();
}

QList<mcp::review::Finding> InventoryModel::findings(int row) const
{
    QList<mcp::review::Finding> out;
    for (const auto &f : m_findings)
        if (f.location.server == m_names.value(row))
            out << f;
    return out;
}

int InventoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_inventory.entries.size());
}

int InventoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InventoryModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::ToolTipRole) // the whole cell, as the config file wrote it
        return plainToolTip(data(index, Qt::DisplayRole).toString());
    if (!index.isValid() || index.row() >= rowCount() || role != Qt::DisplayRole)
        return {};
    const InventoryEntry &e = entry(index.row());
    switch (index.column()) {
    case Name:
        return visibleText(e.names().join(QStringLiteral(", ")), 200);
    case Transport:
        return e.isRemote() ? mcp::TransportConfig::kindName(e.first().transport) : QStringLiteral("stdio");
    case Hosts:
        return e.hosts().join(QStringLiteral(", "));
    case Target:
        return shownTarget(e.first());
    case Findings: {
        const auto found = findings(index.row());
        const auto highest = mcp::review::highestOpenSeverity(found, {});
        return found.isEmpty()
                   ? tr("none")
                   : tr("%n, highest %1", nullptr, int(found.size()))
                         .arg(mcp::review::severityName(highest.value_or(mcp::review::Severity::Info)));
    }
    }
    return {};
}

QVariant InventoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Server", "Transport", "Hosts", "Command or URL", "Findings"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QString InventoryModel::details(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    QStringList lines;
    for (const ConfiguredServer &c : entry(row).configs) {
        lines << tr("%1 (%2): \"%3\" at %4:%5")
                     .arg(hostName(c.host), c.scope, visibleText(c.name, 200), c.file)
                     .arg(c.line);
        lines << QStringLiteral("  ") + shownTarget(c);
        if (!c.type.isEmpty())
            lines << tr("  type %1").arg(visibleText(c.type, 80));
        if (!c.cwd.isEmpty())
            lines << tr("  cwd %1").arg(visibleText(c.cwd, 400));
        if (!c.envFile.isEmpty())
            lines << tr("  envFile %1").arg(visibleText(c.envFile, 400));
        for (const auto &[name, value] : c.env)
            lines << QStringLiteral("  env %1=%2")
                         .arg(visibleText(name, 200), shownSetting(name, value, c.host));
        for (const auto &[name, value] : c.headers)
            lines << QStringLiteral("  header %1: %2")
                         .arg(visibleText(name, 200), shownSetting(name, value, c.host));
        mcp::Json other = c.unknown;
        mcp::redaction::redactJson(other);
        if (!other.empty())
            lines
                << tr("  other fields %1").arg(visibleText(QString::fromUtf8(mcp::dumpCompact(other)), 600));
    }
    const auto found = findings(row);
    lines << QString() << (found.isEmpty() ? tr("No findings in its configuration.") : tr("Findings:"));
    for (const auto &f : found)
        lines << QStringLiteral("  [%1] %2 %3: %4")
                     .arg(mcp::review::severityName(f.severity), mcp::review::categoryId(f.category), f.title,
                          f.evidence);
    return lines.join(QLatin1Char('\n'));
}

void ConfigProblemModel::setProblems(const QList<ConfigProblem> &problems)
{
    beginResetModel();
    m_problems = problems;
    endResetModel();
}

int ConfigProblemModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_problems.size());
}

int ConfigProblemModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConfigProblemModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::ToolTipRole) // the whole cell, as the config file wrote it
        return plainToolTip(data(index, Qt::DisplayRole).toString());
    if (!index.isValid() || index.row() >= rowCount() || role != Qt::DisplayRole)
        return {};
    const ConfigProblem &p = m_problems.at(index.row());
    switch (index.column()) {
    case File:
        return visibleText(p.file, 400);
    case Line:
        return p.line > 0 ? QVariant(p.line) : QVariant(QStringLiteral("–"));
    case Reason:
        return visibleText(p.reason, 400);
    }
    return {};
}

QVariant ConfigProblemModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"File", "Line", "Why it was not read"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace mcpui
