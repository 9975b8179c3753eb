#pragma once

#include <QStringList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace mcpui {

class Connection;
class DialogHandler;
class AuthPane;
class PromptsPane;
class ResourcesPane;
class ToolsPane;
class TrafficPane;

// Everything about one connection on the right of the main window: a status line with the last error, and a
// tab per pane (Tools, Resources, Prompts, Traffic, Log).
class ConnectionPage : public QWidget
{
    Q_OBJECT
public:
    enum Tab { ToolsTab, ResourcesTab, PromptsTab, TrafficTab, LogTab };

    explicit ConnectionPage(Connection *connection, QWidget *dialogParent, QWidget *parent = nullptr);

    Connection *connection() const { return m_connection; }
    QTabWidget *tabs() const { return m_tabs; }
    ToolsPane *tools() const { return m_tools; }
    ResourcesPane *resources() const { return m_resources; }
    PromptsPane *prompts() const { return m_prompts; }
    TrafficPane *traffic() const { return m_traffic; }
    QPlainTextEdit *log() const { return m_log; }
    AuthPane *auth() const { return m_auth; }
    DialogHandler *dialogHandler() const { return m_handler; }
    QLabel *errorBanner() const { return m_error; }

private:
    void updateStatus();
    void onReady();
    void followSessions();
    void queueLogLine(const QString &line);

    Connection *m_connection;
    DialogHandler *m_handler;
    QLabel *m_status;
    QLabel *m_error;
    QPushButton *m_connectButton;
    QTabWidget *m_tabs;
    ToolsPane *m_tools;
    ResourcesPane *m_resources;
    PromptsPane *m_prompts;
    TrafficPane *m_traffic;
    QPlainTextEdit *m_log;
    QStringList m_pendingLog; // appended together at the next pass of the event loop
    QTimer m_logFlush;
    AuthPane *m_auth;
    QList<int> m_sessions; // recorder connection ids, one per session
};

} // namespace mcpui
