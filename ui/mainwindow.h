#pragma once

#include "common/theme.h"
#include "connections/connectionprofile.h"
#include "discovery/commandpalette.h"
#include "jsonrpc/json.h"

#include <QHash>
#include <QMainWindow>
#include <QMap>
#include <QPointer>
#include <memory>

class QAction;
class QDockWidget;
class QListView;
class QSettings;
class QStackedWidget;

namespace mcp {
class Recorder;
namespace collection {
class RequestHistory;
}
namespace audit {
class AuditLog;
}
namespace auth {
class TokenStore;
}
} // namespace mcp

namespace mcpui {

class Connection;
class ConnectionListModel;
class CollectionRunDialog;
class CompareDialog;
class HistoryDialog;
class ConformanceDialog;
class ExportAsDialog;
class ConnectionPage;
class ReviewPane;
class TrafficPane;

// The workbench: connections in a sidebar, and a page of panes per connection, many connected at once.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Profiles, theme and geometry are kept in settings (not owned; must outlive the window).
    // Tokens go to `tokens` (the application's, backed by the system keychain); without one they stay in
    // memory.
    explicit MainWindow(QSettings *settings, std::shared_ptr<mcp::auth::TokenStore> tokens = {},
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    ConnectionListModel *connections() const { return m_connections; }
    ConnectionPage *pageFor(const Connection *connection) const { return m_pages.value(connection); }
    Connection *currentConnection() const;
    ConnectionPage *currentPage() const;
    mcp::Recorder *recorder() const { return m_recorder; }
    // The audit trail (issue 13) in <AppDataLocation>/audit: every user action and every frame.
    mcp::audit::AuditLog *auditLog() const { return m_audit; }
    CommandPalette *palette() const { return m_palette; }
    QListView *sidebar() const { return m_sidebar; }
    // Every connection's frames in one pane, docked at the bottom (View › All Traffic).
    TrafficPane *allTraffic() const { return m_allTraffic; }
    QDockWidget *allTrafficDock() const { return m_allTrafficDock; }
    // The security review of the open connections, docked at the bottom (View › Review).
    ReviewPane *review() const { return m_review; }
    QDockWidget *reviewDock() const { return m_reviewDock; }

    // Adds a connection, or updates the one with the same profile id; saves the profiles.
    Connection *addConnection(const ConnectionProfile &profile);
    void selectConnection(Connection *connection);
    void setTheme(Theme theme); // applies it and keeps it for the next start
    QAction *themeAction(Theme theme) const { return m_themeActions.value(theme); }
    void showPalette();
    void showAbout();

    void newConnection();
    void editConnection();
    void duplicateConnection();
    void removeConnection(); // at once; the Remove action asks first (askToRemoveConnection)
    // Connection › Compare Surface… for the current connection when it is ready: the dialog shown, or null.
    CompareDialog *compareSurface();
    // Every request sent from the window, in <AppDataLocation>/history.jsonl (secrets redacted).
    mcp::collection::RequestHistory *requestHistory() const { return m_history.get(); }
    // Tools › Request History…: the dialog shown.
    HistoryDialog *showHistory();
    // Tools › Run Collection… on the current connection: the dialog shown, or null without a connection.
    CollectionRunDialog *runCollection();
    // A request from the history back in its pane: the tool's composer with its arguments, the prompt, or the
    // resource's URI, on the connection of that name (else the current one). False when no pane takes it.
    bool openInComposer(const QString &connection, const QString &method, const mcp::Json &params);
    // Connection › Run Conformance Harness… for the current connection (a stdio one is told the harness needs
    // HTTP): the dialog shown, or null.
    ConformanceDialog *runConformanceHarness();
    // Connection › Export As… for the current connection: the dialog shown, or null.
    ExportAsDialog *exportConnectionAs();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override; // the glyphs follow the palette, ours or the platform's

private:
    void updateGlyphs();
    void openSession();
    void createActions();
    void openDialog(const ConnectionProfile &profile, bool isNew);
    void askToRemoveConnection();
    void onConnectionAdded(Connection *connection);
    void updateActions();
    void saveProfiles();
    void goTo(CommandPalette::Kind kind, const QString &name, int connectionRow);

    QSettings *m_settings;
    mcp::Recorder *m_recorder;
    mcp::audit::AuditLog *m_audit;
    std::unique_ptr<mcp::collection::RequestHistory> m_history;
    QPointer<HistoryDialog> m_historyDialog;
    ConnectionListModel *m_connections;
    QListView *m_sidebar;
    QStackedWidget *m_stack;
    QHash<const Connection *, ConnectionPage *> m_pages;
    CommandPalette *m_palette;
    TrafficPane *m_allTraffic;
    QDockWidget *m_allTrafficDock;
    ReviewPane *m_review;
    QDockWidget *m_reviewDock;
    QAction *m_editAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_reconnectAction = nullptr;
    QAction *m_compareAction = nullptr;     // Connection › Compare Surface…
    QAction *m_conformanceAction = nullptr; // Connection › Run Conformance Harness…
    QAction *m_exportAsAction = nullptr;    // Connection › Export As…
    QMap<Theme, QAction *> m_themeActions;  // View › Theme
};

} // namespace mcpui
