#pragma once

#include "jsonrpc/json.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace mcpui {

class SchemaForm;

// Edits the arguments of one request: a form generated from the JSON Schema and a raw JSON editor, kept in
// sync both ways, with inline validation and a Send/Cancel bar. Keeps a draft per target, so switching tools,
// reconnecting or losing the connection never loses what was typed.
class Composer : public QWidget
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    void setTarget(const QString &name, const mcp::Json &schema);
    QString target() const { return m_target; }

    // The arguments as they stand (the raw JSON when it parses, else the form's).
    mcp::Json arguments() const;
    void setArguments(const mcp::Json &arguments);
    // Bad JSON, missing required values, wrong types; empty when the request can be sent.
    QStringList problems() const { return m_problems; }

    void setConnected(bool connected);
    void setRunning(bool running);
    void setProgress(double progress, double total, const QString &message);

    SchemaForm *form() const { return m_form; }
    QPlainTextEdit *rawEditor() const { return m_raw; }
    QPushButton *sendButton() const { return m_send; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *saveButton() const { return m_save; }
    QProgressBar *progressBar() const { return m_progress; }

Q_SIGNALS:
    void sendRequested();
    void cancelRequested();
    void saveRequested(); // Save to Collection…

private:
    void onFormEdited();
    void onRawEdited();
    void validate();
    void updateButtons();

    QString m_target;
    QHash<QString, QString> m_drafts; // target -> raw JSON text
    QLabel *m_title;
    QTabWidget *m_tabs;
    SchemaForm *m_form;
    QPlainTextEdit *m_raw;
    QLabel *m_problemsLabel;
    QPushButton *m_send;
    QPushButton *m_cancel;
    QPushButton *m_save;
    QProgressBar *m_progress;
    QLabel *m_progressMessage;
    QStringList m_problems;
    bool m_connected = false;
    bool m_running = false;
    bool m_syncing = false;
};

} // namespace mcpui
