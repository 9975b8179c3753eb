#pragma once

#include "session/serverrequesthandler.h"

#include <QObject>
#include <QPointer>

class QDialog;
class QWidget;

namespace mcpui {

class Connection;

// Answers one connection's server requests: sampling and elicitation with non-modal dialogs (the answer goes
// back whenever the user decides), roots from the connection's settings.
class DialogHandler : public QObject, public mcp::ServerRequestHandler
{
    Q_OBJECT
public:
    DialogHandler(Connection *connection, QWidget *dialogParent);

    mcp::Json capabilities() const override;
    void handle(const QString &method, const mcp::Json &params, Respond respond) override;

Q_SIGNALS:
    void dialogOpened(QDialog *dialog);

private:
    Connection *m_connection;
    QPointer<QWidget> m_dialogParent;
};

} // namespace mcpui
