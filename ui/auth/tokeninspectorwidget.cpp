#include "tokeninspectorwidget.h"

#include "auth/secrets.h"
#include "authcolors.h"
#include "common/plaintext.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mcpui {

using mcp::auth::TokenCheck;
using mcp::auth::TokenReport;

namespace {

bool isTimeClaim(const QString &name)
{
    return name == QLatin1String("exp") || name == QLatin1String("nbf") || name == QLatin1String("iat") ||
           name == QLatin1String("auth_time");
}

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    return v.toVariant().toString();
}

// Info: nothing to check against (no JWKS, no required scopes, an opaque token), so neither pass nor fail.
QString resultText(TokenCheck::Result r)
{
    switch (r) {
    case TokenCheck::Result::Pass:
        return QObject::tr("pass");
    case TokenCheck::Result::Fail:
        return QObject::tr("FAIL");
    case TokenCheck::Result::Warn:
        return QObject::tr("warn");
    case TokenCheck::Result::Info:
        return QObject::tr("not checked");
    }
    return {};
}

QTreeWidget *makeTree(const QStringList &headers, const QString &name, QWidget *parent)
{
    auto *tree = new QTreeWidget(parent);
    tree->setObjectName(name);
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setAlternatingRowColors(true);
    tree->setWordWrap(true);
    // Every column in view however narrow the pane (the names are short; values and reasons wrap).
    tree->header()->setStretchLastSection(false); // Stretch below shares the width; this would not
    tree->header()->setSectionResizeMode(QHeaderView::Stretch);
    tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree->header()->setMinimumSectionSize(tree->fontMetrics().averageCharWidth() * 6);
    tree->setSelectionMode(QAbstractItemView::SingleSelection);
    return tree;
}

} // namespace

TokenInspectorWidget::TokenInspectorWidget(QWidget *parent) : QWidget(parent)
{
    m_storage = new QLabel(this);
    m_storage->setObjectName(QStringLiteral("tokenStorage"));
    m_storage->setWordWrap(true);
    m_storage->hide();
    m_tokenText = new QLineEdit(this);
    m_tokenText->setObjectName(QStringLiteral("tokenText"));
    m_tokenText->setReadOnly(true);
    m_tokenText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_reveal = new QCheckBox(tr("Reveal"), this);
    m_reveal->setObjectName(QStringLiteral("revealToken"));
    connect(m_reveal, &QCheckBox::toggled, this, &TokenInspectorWidget::showToken);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(new QLabel(tr("Token:"), this));
    tokenRow->addWidget(m_tokenText, 1);
    tokenRow->addWidget(m_reveal);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("tokenSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_claims = makeTree({tr("Claim"), tr("Value"), tr("Readable")}, QStringLiteral("tokenClaims"), this);
    m_claims->setRootIsDecorated(true);
    m_checks = makeTree({tr("Check"), tr("Result"), tr("Reason")}, QStringLiteral("tokenChecks"), this);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_claims);
    split->addWidget(m_checks);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("<b>Token inspector</b>"), this);
    layout->addWidget(title);
    layout->addWidget(m_storage);
    layout->addLayout(tokenRow);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    clear();
}

void TokenInspectorWidget::setStoreName(const QString &name)
{
    m_storage->setText(tr("Tokens are kept in %1; never in plain files, logs or exports.").arg(name));
    m_storage->show();
}

void TokenInspectorWidget::clear()
{
    if (m_inspector) {
        m_inspector->disconnect(this);
        m_inspector->deleteLater();
    }
    m_token.clear();
    m_report = {};
    m_claims->clear();
    m_checks->clear();
    m_summary->setText(tr("<i>No token yet: it shows here when the flow ends, or paste one in Tools → Token "
                          "inspector….</i>"));
    showToken();
}

void TokenInspectorWidget::inspect(const QByteArray &token, const mcp::auth::InspectOptions &options)
{
    m_token = token;
    showToken();
    m_claims->clear();
    m_checks->clear();
    m_summary->setText(
        options.jwksUrl.isEmpty() || !options.jwks.isEmpty()
            ? QString()
            : tr("<i>Fetching the JWKS from %1…</i>").arg(options.jwksUrl.toString().toHtmlEscaped()));
    // One inspector per token: a slow JWKS fetch for an older token must not overwrite this report.
    if (m_inspector) {
        m_inspector->disconnect(this);
        m_inspector->deleteLater();
    }
    m_inspector = new mcp::auth::TokenInspector(this);
    connect(m_inspector, &mcp::auth::TokenInspector::finished, this, &TokenInspectorWidget::showReport);
    m_inspector->inspect(token, options);
}

void TokenInspectorWidget::showToken()
{
    m_tokenText->setText(m_token.isEmpty()       ? QString()
                         : m_reveal->isChecked() ? QString::fromUtf8(m_token)
                                                 : mcp::auth::maskSecret(m_token));
    m_tokenText->setCursorPosition(0);
}

void TokenInspectorWidget::setTokenSet(const mcp::auth::TokenSet &tokens)
{
    auto *item = new QTreeWidgetItem(m_claims, {tr("From the token endpoint")});
    item->setFirstColumnSpanned(true);
    const auto add = [item](const QString &name, const QString &value, const QString &readable = {}) {
        new QTreeWidgetItem(item, {name, value, readable});
    };
    add(tr("issuer"), tokens.issuer);
    add(tr("token_type"), tokens.tokenType);
    add(tr("scope"), tokens.scopes.isEmpty() ? tr("(none named)") : tokens.scopes.join(QLatin1Char(' ')));
    add(tr("expires"), tokens.expiresAt.isValid() ? tokens.expiresAt.toString(Qt::ISODate) : tr("(not said)"),
        tokens.expiresAt.isValid()
            ? mcp::auth::TokenInspector::readableTime(tokens.expiresAt.toSecsSinceEpoch())
            : QString());
    add(tr("refresh token"), tokens.refreshToken.isEmpty() ? tr("none issued") : tr("issued (kept, masked)"));
    item->setExpanded(true);
}

void TokenInspectorWidget::showReport(const TokenReport &report)
{
    m_report = report;
    const QPalette pal = palette();
    qsizetype failures = 0;
    for (const TokenCheck &c : report.checks)
        failures += c.result == TokenCheck::Result::Fail ? 1 : 0;
    const QString verdict =
        failures == 0 ? tr("no check failed")
                      : QStringLiteral("<b style='color:%1'>%2</b>")
                            .arg(failedColor(pal).name(), tr("%n check(s) failed", nullptr, int(failures)));
    const auto addSection = [this](const QString &title, const QJsonObject &object) {
        auto *section = new QTreeWidgetItem(m_claims, {title});
        section->setFirstColumnSpanned(true);
        for (auto it = object.begin(); it != object.end(); ++it)
            new QTreeWidgetItem(
                section,
                {it.key(), valueText(it.value()),
                 isTimeClaim(it.key()) ? mcp::auth::TokenInspector::readableTime(it.value()) : QString()});
        section->setExpanded(true);
    };
    if (report.isJwt) {
        m_summary->setText(
            tr("<b>JWT</b> · %1 · %2")
                .arg(report.header.value(QLatin1String("alg")).toString().toHtmlEscaped(), verdict));
        addSection(tr("Header"), report.header);
        addSection(tr("Claims"), report.claims);
    } else {
        // An opaque token means nothing to us; introspection (where the server offers it) tells its claims.
        m_summary->setText(tr("<b>Opaque token</b> (%n character(s)) · %1 · %2", nullptr, int(m_token.size()))
                               .arg(report.claims.isEmpty()
                                        ? tr("not a JWT: only its authorization server knows "
                                             "what it means")
                                        : tr("claims from the introspection endpoint"),
                                    verdict));
        if (!report.claims.isEmpty())
            addSection(tr("Claims (introspection)"), report.claims);
    }
    for (const TokenCheck &c : report.checks) {
        auto *item = new QTreeWidgetItem(m_checks, {c.name, resultText(c.result), c.detail});
        item->setToolTip(2, plainToolTip(c.detail));
        if (c.result == TokenCheck::Result::Fail)
            item->setForeground(1, failedColor(pal));
        else if (c.result == TokenCheck::Result::Warn)
            item->setForeground(1, tamperedColor(pal));
        else if (c.result == TokenCheck::Result::Pass)
            item->setForeground(1, passedColor(pal));
    }
}

} // namespace mcpui
