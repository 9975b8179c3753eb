#pragma once

#include "connectionprofile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QStackedWidget;

namespace mcpui {

class KeyValueEditor;

// Adds or edits a connection profile: a command for stdio, or a URL with its HTTP settings; roots for both.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectionDialog(const ConnectionProfile &profile, QWidget *parent = nullptr);

    ConnectionProfile profile() const;

    void accept() override;

    // A pasted JSON snippet (an "mcpServers" object, one server's entry or a server.json) filled in as the
    // connection; false with the problems shown when it holds no server.
    bool fillFromSnippet(const QByteArray &snippet);

private:
    void setFields(const ConnectionProfile &profile);

    ConnectionProfile m_profile;
    QPlainTextEdit *m_snippet;
    QLabel *m_snippetStatus;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QStackedWidget *m_pages;
    QLineEdit *m_command;
    QLineEdit *m_arguments;
    KeyValueEditor *m_environment;
    QLineEdit *m_workingDirectory;
    QLineEdit *m_url;
    QComboBox *m_transport;
    KeyValueEditor *m_headers;
    QLineEdit *m_caFile;
    QCheckBox *m_insecure;
    QComboBox *m_protocolVersion;
    QPlainTextEdit *m_roots;
};

} // namespace mcpui
