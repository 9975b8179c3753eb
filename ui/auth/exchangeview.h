#pragma once

#include "auth/authflow.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QVBoxLayout;

namespace mcpui {

// "GET /.well-known/oauth-protected-resource → 200", the one-line name of an exchange.
QString exchangeLabel(const mcp::HttpExchange &exchange);

// One step in detail: its decision and reason, and each HTTP exchange as a section that expands to raw HTTP.
// Secrets (Authorization, client_secret, code, tokens…) are masked (core/traffic/redaction) until Reveal is
// checked.
class ExchangeView : public QWidget
{
    Q_OBJECT
public:
    explicit ExchangeView(QWidget *parent = nullptr);

    // authorizationUrl: where the authorization request sent the user agent (shown for that step).
    void showStep(const mcp::auth::AuthStep &step, const QString &state, const QUrl &authorizationUrl);
    void clear();
    bool revealsSecrets() const;
    QCheckBox *revealToggle() const { return m_reveal; }
    QLabel *decisionLabel() const { return m_decision; }
    // Expands or collapses exchange number `index` (0-based) of the shown step.
    void setExpanded(int index, bool expanded);

private:
    void rebuild();

    mcp::auth::AuthStep m_step;
    QString m_state;
    QUrl m_authorizationUrl;
    QLabel *m_title;
    QLabel *m_decision;
    QCheckBox *m_reveal;
    QWidget *m_sections;
    QVBoxLayout *m_sectionLayout;
};

} // namespace mcpui
