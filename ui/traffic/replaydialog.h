#pragma once

#include "traffic/replay.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace mcpui {

// Re-sends a recorded request, edited or not, on a live session and shows the new outcome beside the
// recorded one with the list of changed paths (JSON Pointers; paths to ignore can be given, e.g. _meta).
class ReplayDialog : public QDialog
{
    Q_OBJECT
public:
    // index: a request we sent, or its response. session may be null or not ready: the dialog says so.
    ReplayDialog(const mcp::Recorder &recorder, int index, mcp::ClientSession *session,
                 QWidget *parent = nullptr);

    bool isValid() const { return m_request.has_value(); }
    void send();

    QPlainTextEdit *paramsEdit() const { return m_params; }
    QLineEdit *ignoreEdit() const { return m_ignore; }
    QPushButton *sendButton() const { return m_send; }
    QLabel *statusLabel() const { return m_status; }
    QTreeWidget *changesView() const { return m_changes; }
    QPlainTextEdit *recordedView() const { return m_recorded; }
    QPlainTextEdit *replayedView() const { return m_replayed; }

Q_SIGNALS:
    void replayed(const mcp::ReplayOutcome &outcome);

private:
    void showOutcome(const mcp::ReplayOutcome &outcome);
    void setStatus(const QString &text, bool error);

    std::optional<mcp::ReplayRequest> m_request;
    QPointer<mcp::ClientSession> m_session;
    QPlainTextEdit *m_params;
    QLineEdit *m_ignore;
    QPushButton *m_send;
    QLabel *m_status;
    QTreeWidget *m_changes;
    QPlainTextEdit *m_recorded;
    QPlainTextEdit *m_replayed;
};

} // namespace mcpui
