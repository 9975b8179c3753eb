#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace mcpui {

class TokenInspectorWidget;

// Tools → Token inspector…: judge a pasted token, optionally against a JWKS (by URL or pasted JSON), an
// expected resource, issuer and scopes.
class TokenInspectorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TokenInspectorDialog(QWidget *parent = nullptr);

    QPlainTextEdit *tokenEdit() const { return m_token; }
    QLineEdit *jwksUrlEdit() const { return m_jwksUrl; }
    QPlainTextEdit *jwksJsonEdit() const { return m_jwksJson; }
    QLineEdit *resourceEdit() const { return m_resource; }
    QLineEdit *issuerEdit() const { return m_issuer; }
    QLineEdit *scopesEdit() const { return m_scopes; }
    QLabel *problemLabel() const { return m_problem; }
    TokenInspectorWidget *inspector() const { return m_inspector; }

    void inspect();

private:
    QPlainTextEdit *m_token;
    QLineEdit *m_jwksUrl;
    QPlainTextEdit *m_jwksJson;
    QLineEdit *m_resource;
    QLineEdit *m_issuer;
    QLineEdit *m_scopes;
    QLabel *m_problem;
    TokenInspectorWidget *m_inspector;
};

} // namespace mcpui
