#pragma once

#include "connections/connectionprofile.h"
#include "inventorymodel.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace mcpui {

// Tools › Configured Servers: every MCP server the host programs configure (OWASP MCP09, shadow servers),
// read from their config files under home and in the project folders the user adds; broken files with line
// and reason; each server's hosts, files and static findings; "Open as Connection" makes it a workbench
// connection (connecting starts a stdio server, so that stays the user's next, separate step).
class InventoryDialog : public QDialog
{
    Q_OBJECT
public:
    explicit InventoryDialog(const QString &home, QWidget *parent = nullptr);

    void addProject(const QString &folder); // and reads again
    void rescan();

    InventoryModel *servers() const { return m_servers; }
    ConfigProblemModel *problems() const { return m_problems; }
    QTableView *serverView() const { return m_serverView; }
    QTableView *problemView() const { return m_problemView; }
    QPlainTextEdit *detailsView() const { return m_details; }
    QPushButton *openButton() const { return m_open; }
    QLabel *summaryLabel() const { return m_summary; }

Q_SIGNALS:
    void openConnection(const mcpui::ConnectionProfile &profile);

private:
    void showSelected();

    QString m_home;
    QStringList m_projects;
    InventoryModel *m_servers;
    ConfigProblemModel *m_problems;
    QTableView *m_serverView;
    QTableView *m_problemView;
    QPlainTextEdit *m_details;
    QPushButton *m_open;
    QLabel *m_summary;
};

} // namespace mcpui
