#include "tokeninspectordialog.h"

#include "authcolors.h"
#include "tokeninspectorwidget.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace mcpui {

TokenInspectorDialog::TokenInspectorDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Token Inspector"));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_token = new QPlainTextEdit(this);
    m_token->setObjectName(QStringLiteral("tokenInput"));
    m_token->setPlaceholderText(tr("Paste an access token (a JWT or an opaque token)"));
    m_token->setFont(fixed);
    m_token->setMaximumHeight(80);
    m_jwksUrl = new QLineEdit(this);
    m_jwksUrl->setObjectName(QStringLiteral("jwksUrl"));
    m_jwksUrl->setPlaceholderText(tr("https://issuer.example/.well-known/jwks.json (optional)"));
    m_jwksJson = new QPlainTextEdit(this);
    m_jwksJson->setObjectName(QStringLiteral("jwksJson"));
    m_jwksJson->setPlaceholderText(tr("…or the JWKS itself: {\"keys\": [...]} (optional)"));
    m_jwksJson->setFont(fixed);
    m_jwksJson->setMaximumHeight(70);
    m_resource = new QLineEdit(this);
    m_resource->setPlaceholderText(tr("the MCP server the token is for (checks aud)"));
    m_issuer = new QLineEdit(this);
    m_issuer->setPlaceholderText(tr("expected iss"));
    m_scopes = new QLineEdit(this);
    m_scopes->setPlaceholderText(tr("scopes that must be granted, space-separated"));
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("inspectProblem"));
    m_problem->setStyleSheet(QStringLiteral("color: %1").arg(failedColor(palette()).name()));
    m_problem->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&Token:"), m_token);
    form->addRow(tr("JWKS &URL:"), m_jwksUrl);
    form->addRow(tr("JWKS &JSON:"), m_jwksJson);
    form->addRow(tr("&Resource:"), m_resource);
    form->addRow(tr("&Issuer:"), m_issuer);
    form->addRow(tr("&Scopes:"), m_scopes);

    m_inspector = new TokenInspectorWidget(this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *inspectButton = buttons->addButton(tr("&Inspect"), QDialogButtonBox::ActionRole);
    inspectButton->setObjectName(QStringLiteral("inspectButton"));
    inspectButton->setDefault(true);
    connect(inspectButton, &QPushButton::clicked, this, &TokenInspectorDialog::inspect);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_inspector, 1);
    layout->addWidget(buttons);
    resize(860, 900);
}

void TokenInspectorDialog::inspect()
{
    m_problem->hide();
    const QByteArray token = m_token->toPlainText().trimmed().toUtf8();
    if (token.isEmpty()) {
        m_problem->setText(tr("Paste a token first."));
        m_problem->show();
        return;
    }
    mcp::auth::InspectOptions options;
    options.resource = m_resource->text().trimmed();
    options.issuer = m_issuer->text().trimmed();
    options.requiredScopes = m_scopes->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    options.jwksUrl = QUrl(m_jwksUrl->text().trimmed());
    const QString jwks = m_jwksJson->toPlainText().trimmed();
    if (!jwks.isEmpty()) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(jwks.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            m_problem->setText(
                error.error != QJsonParseError::NoError
                    ? tr("The JWKS is not JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset)
                    : tr("The JWKS must be a JSON object with a \"keys\" array."));
            m_problem->show();
            return;
        }
        options.jwks = doc.object();
    }
    m_inspector->inspect(token, options);
}

} // namespace mcpui
