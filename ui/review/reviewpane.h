#pragma once

#include "review/definitions.h"
#include "review/findings.h"
#include "review/report.h"
#include "reviewstore.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace mcpui {

class Connection;
class ConnectionListModel;
class ReviewFilter;
class ReviewModel;
class ToolsPane;

// The security review of one open connection or of all of them (shadowing and toxic flows need all): findings
// grouped by server and OWASP MCP category, filtered by severity, with evidence, place and advice; accepting
// a finding with a reason; approving a server's definitions (pins), after which a changed tool is a finding
// and its calls are held; export as Markdown, HTML or SARIF. Runs again when a server's lists change.
class ReviewPane : public QWidget
{
    Q_OBJECT
public:
    // The reviewer's decisions are kept in storeFolder (see ReviewStore).
    explicit ReviewPane(ConnectionListModel *connections,
                        const QString &storeFolder = ReviewStore::defaultFolder(), QWidget *parent = nullptr);

    // Holds calls from this connection's tools pane while the tool differs from its approved definition.
    void guardCalls(Connection *connection, ToolsPane *tools);
    // Why a call of tool (as now defined) on connection waits for the reviewer, or empty.
    QString holdReason(const Connection *connection, const QString &tool, const mcp::Json &definition) const;

    void runReview();                      // collects every connection in scope, then shows the findings
    void setScope(Connection *connection); // null: every open connection
    void acceptCurrent(const QString &reason);
    void revokeCurrent();
    void approveDefinitions(); // pins what the last review saw of every server in scope
    bool exportReport(const QString &path, mcp::review::ReportFormat format, QString *error) const;

    const ReviewStore &store() const { return m_store; }
    ReviewModel *model() const { return m_model; }
    ReviewFilter *filter() const { return m_filter; }
    QTreeView *tree() const { return m_tree; }
    QComboBox *scope() const { return m_scope; }
    QComboBox *severityFilter() const { return m_severity; }
    QPlainTextEdit *details() const { return m_details; }
    QLabel *status() const { return m_status; }
    QPushButton *acceptButton() const { return m_accept; }
    QPushButton *goToToolButton() const { return m_goToTool; }
    // The finding selected in the tree, or null.
    const mcp::review::Finding *currentFinding() const;
    bool selectFinding(const QString &ruleId, const QString &item);

Q_SIGNALS:
    void reviewed(); // a review finished and is shown
    void goToToolRequested(mcpui::Connection *connection, const QString &tool);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void watch(Connection *connection);
    void rebuildScopes();
    QList<Connection *> connectionsInScope() const;
    Connection *connectionNamed(const QString &server) const;
    void finishReview(const QStringList &errors);
    void showCurrent();
    void askReason();
    void chooseExportFile();
    void remember();
    // Tells the audit trail, through the finding's connection, of an acceptance or its revocation.
    void noteDecision(const QString &event, const QString &fingerprint, const QString &reason);

    ConnectionListModel *m_connections;
    ReviewStore m_store;
    ReviewModel *m_model;
    ReviewFilter *m_filter;
    QComboBox *m_scope;
    QComboBox *m_severity;
    QTreeView *m_tree;
    QPlainTextEdit *m_details;
    QLabel *m_status;
    QPushButton *m_accept;
    QPushButton *m_approve;
    QPushButton *m_goToTool;
    QPushButton *m_export;
    QTimer m_rerun;       // list changes come in bursts: one review after them
    int m_generation = 0; // the review whose results may be shown
    bool m_hasRun = false;
    QString m_storeProblem;                         // why the saved decisions could not be read
    QList<mcp::review::ServerSnapshot> m_snapshots; // of the last review
    QList<QPointer<Connection>> m_reviewed;         // the connection of each snapshot
};

} // namespace mcpui
