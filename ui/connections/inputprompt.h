#pragma once

#include "config/configuredserver.h"

#include <QDialog>
#include <QHash>

class QLineEdit;

namespace mcpui {

// Asks for the ${input:ID} values of a connection imported from VS Code or a server.json, when connecting:
// one field per input, with its description, typed unseen when it is a password. The answers are kept in
// memory for the connection until the app quits or the connection is edited, never saved.
class InputPromptDialog : public QDialog
{
    Q_OBJECT
public:
    InputPromptDialog(const QString &connection, const QList<mcp::config::ConfigInput> &inputs,
                      QWidget *parent = nullptr);

    QHash<QString, QString> answers() const;

    // The inputs' answers asked of the user in this dialog (modal); false when cancelled.
    static bool ask(const QString &connection, const QList<mcp::config::ConfigInput> &inputs,
                    QHash<QString, QString> *answers);

private:
    QList<QPair<QString, QLineEdit *>> m_fields;
};

} // namespace mcpui
