#pragma once

#include "session/serverrequesthandler.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace mcpui {

class SchemaForm;

// A non-modal dialog that answers one server request exactly once; closing it without a choice refuses.
class ServerRequestDialog : public QDialog
{
    Q_OBJECT
public:
    ServerRequestDialog(const QString &connectionName, mcp::ServerRequestHandler::Respond respond,
                        QWidget *parent);

    void done(int result) override;

protected:
    void answer(const mcp::Json &result);
    virtual void dismissed() = 0; // closed without an answer

    void refuse(const QString &message, int code);

private:
    mcp::ServerRequestHandler::Respond m_respond;
    bool m_answered = false;
};

// sampling/createMessage: shows the conversation; the user writes the reply (the "model") or rejects it.
class SamplingDialog : public ServerRequestDialog
{
    Q_OBJECT
public:
    SamplingDialog(const QString &connectionName, const mcp::Json &params,
                   mcp::ServerRequestHandler::Respond respond, QWidget *parent);

    QPlainTextEdit *replyEditor() const { return m_reply; }
    void send();
    void rejectRequest() { refuse(tr("The user rejected the sampling request"), -1); }

protected:
    void dismissed() override { rejectRequest(); }

private:
    QPlainTextEdit *m_reply;
    QLineEdit *m_model;
    QComboBox *m_stopReason;
};

// elicitation/create in form mode: a form from requestedSchema; accept (when valid), decline or cancel.
class ElicitationDialog : public ServerRequestDialog
{
    Q_OBJECT
public:
    ElicitationDialog(const QString &connectionName, const mcp::Json &params,
                      mcp::ServerRequestHandler::Respond respond, QWidget *parent);

    SchemaForm *form() const { return m_form; }
    void acceptRequest();
    void respondWith(const char *action) { answer({{"action", action}}); }

protected:
    void dismissed() override { respondWith("cancel"); }

private:
    SchemaForm *m_form;
    QLabel *m_problems;
};

// elicitation/create in URL mode: the user opens the URL in a browser, then says whether they completed it.
class UrlElicitationDialog : public ServerRequestDialog
{
    Q_OBJECT
public:
    UrlElicitationDialog(const QString &connectionName, const mcp::Json &params,
                         mcp::ServerRequestHandler::Respond respond, QWidget *parent);

    void respondWith(const char *action) { answer({{"action", action}}); }

protected:
    void dismissed() override { respondWith("cancel"); }
};

} // namespace mcpui
