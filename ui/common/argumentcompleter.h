#pragma once

#include "jsonrpc/json.h"

#include <QObject>
#include <QPointer>
#include <functional>

class QCompleter;
class QLabel;
class QLineEdit;
class QStringListModel;
class QTimer;

namespace mcpui {

class Connection;
class SchemaForm;

// Offers the server's completion/complete answers for one argument field (a prompt argument or a resource
// template variable) in a popup while the user types. It asks after a pause in typing, shows only the
// answer to its latest question, reports failures as status text, and asks nothing of a server without the
// completions capability.
class ArgumentCompleter : public QObject
{
    Q_OBJECT
public:
    using OtherArguments = std::function<mcp::Json()>; // {name: value} of the arguments already filled in

    static constexpr int DelayMs = 150;

    // ref: {"type": "ref/prompt", "name": ...} or {"type": "ref/resource", "uri": <template>}.
    ArgumentCompleter(Connection *connection, QLineEdit *field, mcp::Json ref, QString argument,
                      OtherArguments others);

    // A completer for every one-line field of a form whose properties are the arguments of ref; their
    // failures go to status (hidden while there is nothing to say).
    static void attachToForm(Connection *connection, SchemaForm *form, const mcp::Json &ref, QLabel *status);

    QCompleter *completer() const { return m_completer; }

Q_SIGNALS:
    void statusChanged(const QString &status);

private:
    bool serverCompletes() const;
    void ask();
    void show(const mcp::Json &result);

    QPointer<Connection> m_connection;
    QLineEdit *m_field;
    mcp::Json m_ref;
    QString m_argument;
    OtherArguments m_others;
    QTimer *m_delay;
    QStringListModel *m_values;
    QCompleter *m_completer;
    quint64 m_generation = 0; // bumped by every edit; an answer to an older generation is stale
};

} // namespace mcpui
