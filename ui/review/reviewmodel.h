#pragma once

#include "review/findings.h"

#include <QSortFilterProxyModel>
#include <QStandardItemModel>

namespace mcpui {

// Findings as a tree: server, then OWASP MCP category ("MCP03 · Tool poisoning"), then each finding with its
// severity, where it is and whether it was accepted. Every text from a server is shown through visibleText.
class ReviewModel : public QStandardItemModel
{
    Q_OBJECT
public:
    enum Column { TitleColumn, SeverityColumn, WhereColumn, AcceptedColumn };
    enum Role {
        SeverityRole = Qt::UserRole + 1, // int(Severity) on finding rows
        FindingRole,                     // index into findings() on finding rows; absent on group rows
    };

    explicit ReviewModel(QObject *parent = nullptr);

    void setFindings(const QList<mcp::review::Finding> &findings, const mcp::review::Acceptances &accepted);
    // After an acceptance changed: the Accepted column again.
    void updateAccepted(const mcp::review::Acceptances &accepted);
    const QList<mcp::review::Finding> &findings() const { return m_findings; }
    // The finding a row of this model shows, or null for a group row.
    const mcp::review::Finding *findingAt(const QModelIndex &index) const;

private:
    QList<mcp::review::Finding> m_findings;
};

// Hides findings below a severity; a server or category stays while one of its findings shows.
class ReviewFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ReviewFilter(QObject *parent = nullptr);
    void setMinimumSeverity(mcp::review::Severity severity);
    mcp::review::Severity minimumSeverity() const { return m_minimum; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    mcp::review::Severity m_minimum = mcp::review::Severity::Info;
};

// "tool add_numbers · description · /tools/0/description"
QString findingPlace(const mcp::review::Finding &finding);

} // namespace mcpui
