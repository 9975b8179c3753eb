#pragma once

#include <QPointer>
#include <QUrl>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTreeView;

namespace mcp::auth {
class AuthFlow;
}

namespace mcpui {

class AuthStepModel;
class Connection;
class ExchangeView;
class SequenceDiagram;
class TokenInspectorWidget;

// The authorization of one URL connection, step by step: the steps as a list and as a sequence diagram, the
// selected step's HTTP exchanges as raw HTTP, the next step's parameters for a reviewer to tamper with at a
// pause, and the token inspector. Flows start where the server refuses a request (401, or 403
// insufficient_scope); Restart makes that happen again with a fresh client.
class AuthPane : public QWidget
{
    Q_OBJECT
public:
    explicit AuthPane(Connection *connection, QWidget *parent = nullptr);

    AuthStepModel *model() const { return m_model; }
    QTreeView *stepList() const { return m_steps; }
    SequenceDiagram *diagram() const { return m_diagram; }
    ExchangeView *exchangeView() const { return m_exchanges; }
    TokenInspectorWidget *tokenInspector() const { return m_inspector; }
    QTableWidget *parameterEditor() const { return m_parameters; }
    QCheckBox *stepThroughToggle() const { return m_stepThrough; }
    QComboBox *userAgentChoice() const { return m_userAgent; }
    QPushButton *stepButton() const { return m_step; }
    QPushButton *continueButton() const { return m_continue; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *restartButton() const { return m_restart; }
    QLabel *statusLabel() const { return m_status; }
    // Shown when a flow waits for the user's approval in a browser: the full URL with its host, and the one
    // button that opens it (nothing opens by itself).
    QWidget *approvalBar() const { return m_approval; }
    QLabel *approvalText() const { return m_approvalText; }
    QPushButton *openBrowserButton() const { return m_openBrowser; }
    QPushButton *copyUrlButton() const { return m_copyUrl; }
    QPushButton *followRedirectButton() const { return m_followRedirect; }

    // Steps that use parameters a reviewer may edit: Continue stops before them.
    static bool isEditableStep(const QString &name);

Q_SIGNALS:
    void pausedForReview(); // a flow paused and waits for the reviewer

private:
    void follow(mcp::auth::AuthFlow *flow);
    void restart();
    void applyUserAgent(int index);
    void selectStep(int row);
    void showSelectedStep();
    void fillParameters();
    void updateControls();
    void offerApproval(const QUrl &url);
    void browserDidNotOpen(); // says so, and offers copying the URL or following the redirect

    Connection *m_connection;
    QPointer<mcp::auth::AuthFlow> m_flow;
    bool m_continueToEditable = false;
    AuthStepModel *m_model;
    QCheckBox *m_stepThrough;
    QComboBox *m_userAgent;
    QPushButton *m_step;
    QPushButton *m_continue;
    QPushButton *m_run;
    QPushButton *m_restart;
    QLabel *m_status;
    QWidget *m_approval;
    QLabel *m_approvalText;
    QPushButton *m_openBrowser;
    QPushButton *m_copyUrl;
    QPushButton *m_followRedirect;
    QUrl m_approvalUrl;
    QTreeView *m_steps;
    QLabel *m_parametersTitle;
    QTableWidget *m_parameters;
    SequenceDiagram *m_diagram;
    ExchangeView *m_exchanges;
    TokenInspectorWidget *m_inspector;
};

} // namespace mcpui
