#include "reviewmodel.h"

#include "common/plaintext.h"

#include <QBrush>
#include <QColor>
#include <QMap>

namespace mcpui {

namespace review = mcp::review;

namespace {

// Mid-tone colours, readable on the light and the dark theme.
QColor severityColor(review::Severity s)
{
    switch (s) {
    case review::Severity::Critical:
        return QColor(0xe5, 0x39, 0x35);
    case review::Severity::High:
        return QColor(0xf4, 0x51, 0x1e);
    case review::Severity::Medium:
        return QColor(0xf9, 0xa8, 0x25);
    case review::Severity::Low:
        return QColor(0x1e, 0x88, 0xe5);
    case review::Severity::Info:
        break;
    }
    return QColor(0x90, 0x90, 0x90);
}

QStandardItem *groupItem(const QString &text)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    QFont bold = item->font();
    bold.setBold(true);
    item->setFont(bold);
    return item;
}

QList<QStandardItem *> groupRow(const QString &text)
{
    QList<QStandardItem *> row{groupItem(text)};
    for (int column = 1; column <= ReviewModel::AcceptedColumn; ++column)
        row << groupItem(QString());
    return row;
}

} // namespace

QString findingPlace(const review::Finding &finding)
{
    const review::Location &l = finding.location;
    QStringList parts;
    if (!l.item.isEmpty())
        parts << QStringLiteral("%1 %2").arg(l.itemKind, review::visibleText(l.item, 80));
    else if (!l.itemKind.isEmpty())
        parts << l.itemKind;
    if (!l.field.isEmpty())
        parts << review::visibleText(l.field, 120);
    if (!l.pointer.isEmpty())
        parts << review::visibleText(l.pointer, 120);
    return parts.join(QStringLiteral(" · "));
}

ReviewModel::ReviewModel(QObject *parent) : QStandardItemModel(parent)
{
    setHorizontalHeaderLabels({tr("Finding"), tr("Severity"), tr("Where"), tr("Accepted")});
}

void ReviewModel::setFindings(const QList<review::Finding> &findings, const review::Acceptances &accepted)
{
    m_findings = findings;
    removeRows(0, rowCount());
    // Servers in the order the review found them; categories by their OWASP number.
    QStringList servers;
    QMap<QString, QMap<int, QList<int>>> groups;
    for (int i = 0; i < findings.size(); ++i) {
        const QString &server = findings[i].location.server;
        if (!servers.contains(server))
            servers << server;
        groups[server][int(findings[i].category)] << i;
    }
    for (const QString &server : std::as_const(servers)) {
        int count = 0;
        for (const QList<int> &members : std::as_const(groups[server]))
            count += int(members.size());
        QList<QStandardItem *> serverRow =
            groupRow(tr("%1 (%2)").arg(review::visibleText(server, 80)).arg(count));
        for (auto it = groups[server].cbegin(); it != groups[server].cend(); ++it) {
            const auto category = review::Category(it.key());
            QList<QStandardItem *> categoryRow =
                groupRow(tr("%1 · %2 (%3)")
                             .arg(review::categoryId(category), review::categoryName(category))
                             .arg(it.value().size()));
            for (const int i : it.value()) {
                const review::Finding &f = findings[i];
                auto *title = new QStandardItem(f.title);
                title->setData(i, FindingRole);
                title->setData(int(f.severity), SeverityRole);
                title->setToolTip(plainToolTip(f.title));
                auto *severity = new QStandardItem(review::severityName(f.severity).toUpper());
                severity->setForeground(severityColor(f.severity));
                QFont bold = severity->font();
                bold.setBold(true);
                severity->setFont(bold);
                auto *where = new QStandardItem(findingPlace(f));
                where->setToolTip(plainToolTip(where->text()));
                QList<QStandardItem *> row{title, severity, where, new QStandardItem()};
                for (QStandardItem *item : row)
                    item->setEditable(false);
                categoryRow.first()->appendRow(row);
            }
            serverRow.first()->appendRow(categoryRow);
        }
        appendRow(serverRow);
    }
    updateAccepted(accepted);
}

void ReviewModel::updateAccepted(const review::Acceptances &accepted)
{
    for (int s = 0; s < rowCount(); ++s) {
        const QStandardItem *server = item(s);
        for (int c = 0; c < server->rowCount(); ++c) {
            const QStandardItem *category = server->child(c);
            for (int r = 0; r < category->rowCount(); ++r) {
                const int i = category->child(r, TitleColumn)->data(FindingRole).toInt();
                const QString fingerprint = m_findings[i].fingerprint();
                QStandardItem *cell = category->child(r, AcceptedColumn);
                cell->setText(
                    accepted.isAccepted(fingerprint)
                        ? tr("accepted: %1").arg(review::visibleText(accepted.reason(fingerprint), 200))
                        : QString());
                cell->setToolTip(plainToolTip(cell->text()));
            }
        }
    }
}

const review::Finding *ReviewModel::findingAt(const QModelIndex &index) const
{
    const QVariant i = index.siblingAtColumn(TitleColumn).data(FindingRole);
    if (!i.isValid() || i.toInt() < 0 || i.toInt() >= m_findings.size())
        return nullptr;
    return &m_findings[i.toInt()];
}

ReviewFilter::ReviewFilter(QObject *parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true); // a group shows while a finding under it does
}

void ReviewFilter::setMinimumSeverity(review::Severity severity)
{
    m_minimum = severity;
    invalidateFilter();
}

bool ReviewFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QVariant severity =
        sourceModel()->index(sourceRow, 0, sourceParent).data(ReviewModel::SeverityRole);
    return severity.isValid() && severity.toInt() >= int(m_minimum);
}

} // namespace mcpui
