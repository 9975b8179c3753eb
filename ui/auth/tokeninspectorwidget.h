#pragma once

#include "auth/tokeninspector.h"
#include "auth/tokenstore.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTreeWidget;

namespace mcpui {

// A token judged: the decoded JWT header and claims with readable times (UTC and relative), each check
// (signature against the JWKS, exp, nbf, iat, aud, iss, scopes) as pass, fail, warn or unknown with its
// reason, or "opaque" for a token that is not a JWT. Says where tokens are kept. The token stays masked until
// Reveal.
class TokenInspectorWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TokenInspectorWidget(QWidget *parent = nullptr);

    // Fetches the JWKS when options name only its URL; the report shows when it is done.
    void inspect(const QByteArray &token, const mcp::auth::InspectOptions &options);
    // What the token endpoint said about the token (type, scopes, expiry, refresh token), beside the report.
    void setTokenSet(const mcp::auth::TokenSet &tokens);
    // Where the connection's tokens are kept (TokenStore::storeName()); hidden until set.
    void setStoreName(const QString &name);
    void clear();

    const mcp::auth::TokenReport &report() const { return m_report; }
    QLabel *summaryLabel() const { return m_summary; }
    QTreeWidget *claimsTree() const { return m_claims; }
    QTreeWidget *checksTree() const { return m_checks; }

private:
    void showReport(const mcp::auth::TokenReport &report);
    void showToken();

    QPointer<mcp::auth::TokenInspector> m_inspector;
    QByteArray m_token;
    mcp::auth::TokenReport m_report;
    QLabel *m_storage;
    QLineEdit *m_tokenText;
    QCheckBox *m_reveal;
    QLabel *m_summary;
    QTreeWidget *m_claims;
    QTreeWidget *m_checks;
};

} // namespace mcpui
