#pragma once

#include "session/clientsession.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace mcpui {

class Connection;

// A request in flight on a connection: a busy bar (a progress bar once the server reports progress), the
// server's progress message, and Cancel, which cancels the request on the server. The pane that sent the
// request hands its id to track() and calls finish() when the answer (or the cancellation) arrives.
// Request options that ask the server for progress, which the bar shows.
mcp::RequestOptions progressReported();

// A request's progress as the server reports it: a fraction where it gives a total, else busy; its message.
void showRequestProgress(QProgressBar *bar, QLabel *message, double progress, double total,
                         const QString &text);

class BusyBar : public QWidget
{
    Q_OBJECT
public:
    explicit BusyBar(Connection *connection, QWidget *parent = nullptr);

    void track(qint64 requestId);
    void finish();
    void cancel(); // on the server too; the request's handler hears it as an error
    bool isBusy() const { return m_requestId >= 0; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    Connection *m_connection;
    qint64 m_requestId = -1;
    QProgressBar *m_progress;
    QLabel *m_message;
    QPushButton *m_cancel;
};

} // namespace mcpui
