#pragma once

#include "surfacediffmodel.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace mcpui {

class Connection;
class ConnectionListModel;

// Connection › Compare Surface…: what changed in one connection's server (its tools with their schemas and
// annotations, prompts, resources, templates, capabilities, protocol version, serverInfo) since a baseline:
// a saved snapshot file, or another open connection (the same server elsewhere, an older release). Breaking
// changes first and marked; the selected change's before and after below, as plain text. "Save Snapshot…"
// writes this server's surface for a later comparison (mcpwb diff reads the same files).
class CompareDialog : public QDialog
{
    Q_OBJECT
public:
    CompareDialog(ConnectionListModel *connections, Connection *subject, QWidget *parent = nullptr);

    // Each takes the subject's snapshot now and compares; compared() or failed() follows.
    void compareWithFile(const QString &path);
    void compareWithConnection(Connection *baseline);
    void saveSnapshot(const QString &path); // saved() or failed() follows
    // Shows the diff of two snapshots already at hand.
    void showDiff(const mcp::Json &baseline, const mcp::Json &now, const QString &baselineName);

    SurfaceDiffModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *sidesLabel() const { return m_sides; }
    QLabel *statusLabel() const { return m_status; }
    QPlainTextEdit *detailsView() const { return m_details; }
    QComboBox *baselineBox() const { return m_baseline; }
    QCheckBox *breakingOnlyBox() const { return m_breakingOnly; }

Q_SIGNALS:
    void compared();
    void saved(const QString &path);
    void failed(const QString &reason);

private:
    void fillBaselines();
    void compareChosen();
    void askForSnapshotFile();
    // Takes snapshots of the subject (and baseline, when given) and hands both on; reports failures.
    void withSnapshots(Connection *baseline,
                       std::function<void(const mcp::Json &baseline, const mcp::Json &now)> then);
    void fail(const QString &reason);
    void showSelected();

    ConnectionListModel *m_connections;
    Connection *m_subject;
    SurfaceDiffModel *m_model;
    QSortFilterProxyModel *m_filter;
    QTableView *m_view;
    QPlainTextEdit *m_details;
    QComboBox *m_baseline;
    QCheckBox *m_breakingOnly;
    QPushButton *m_compare;
    QLabel *m_summary;
    QLabel *m_sides; // what was compared with what
    QLabel *m_status;
};

} // namespace mcpui
