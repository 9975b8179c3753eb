#include "authpane.h"

#include "auth/oauthprovider.h"
#include "auth/secrets.h"
#include "auth/tokenvault.h"
#include "authcolors.h"
#include "authstepmodel.h"
#include "connections/connection.h"
#include "exchangeview.h"
#include "sequencediagram.h"
#include "tokeninspectorwidget.h"
#include "traffic/redaction.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace mcpui {

using mcp::auth::AuthFlow;
using mcp::auth::AuthSettings;

namespace {

// What AuthFlow lets a reviewer edit at a pause (an empty value leaves the parameter out).
const QStringList &editableParameters()
{
    static const QStringList names{QStringLiteral("state"),
                                   QStringLiteral("code_challenge"),
                                   QStringLiteral("code_challenge_method"),
                                   QStringLiteral("code_verifier"),
                                   QStringLiteral("resource"),
                                   QStringLiteral("scope"),
                                   QStringLiteral("redirect_uri"),
                                   QStringLiteral("client_id")};
    return names;
}

} // namespace

bool AuthPane::isEditableStep(const QString &name)
{
    static const QStringList steps{QStringLiteral("authorization request"),
                                   QStringLiteral("token request"),
                                   QStringLiteral("refresh"),
                                   QStringLiteral("client credentials token request"),
                                   QStringLiteral("token exchange"),
                                   QStringLiteral("JWT bearer grant")};
    return steps.contains(name);
}

AuthPane::AuthPane(Connection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_model(new AuthStepModel(this))
{
    m_stepThrough = new QCheckBox(tr("Step &through (pause after each step)"), this);
    m_stepThrough->setObjectName(QStringLiteral("stepThrough"));
    m_userAgent = new QComboBox(this);
    m_userAgent->setObjectName(QStringLiteral("userAgent"));
    m_userAgent->addItem(tr("System browser"));
    m_userAgent->addItem(tr("Follow the redirect directly"));
    m_userAgent->setToolTip(tr("Follow the redirect directly: GET the authorization URL and its redirects "
                               "without a person (automation; works where the server approves by itself). "
                               "Applies from the next flow, with a fresh client."));
    m_userAgent->setCurrentIndex(connection->authSettings().userAgent ==
                                 AuthSettings::UserAgent::FollowRedirect);
    connect(m_userAgent, &QComboBox::currentIndexChanged, this, &AuthPane::applyUserAgent);

    m_step = new QPushButton(tr("&Step"), this);
    m_step->setObjectName(QStringLiteral("stepButton"));
    m_step->setToolTip(tr("Run the next step, then pause"));
    m_continue = new QPushButton(tr("&Continue"), this);
    m_continue->setObjectName(QStringLiteral("continueButton"));
    m_continue->setToolTip(
        tr("Run until the next step whose parameters can be edited (authorization request, "
           "token request, refresh…), then pause"));
    m_run = new QPushButton(tr("Run to &end"), this);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_restart = new QPushButton(tr("&Restart"), this);
    m_restart->setObjectName(QStringLiteral("restartButton"));
    m_restart->setToolTip(tr("Forget this connection's tokens and client registration and connect again: the "
                             "server's refusal starts a new flow"));
    // The flow may be gone (its provider replaced, its session closed) by the time a button is clicked.
    connect(m_step, &QPushButton::clicked, this, [this] {
        if (!m_flow)
            return;
        m_continueToEditable = false;
        m_flow->setPauseAtEachStep(true);
        m_flow->continueFlow();
    });
    connect(m_continue, &QPushButton::clicked, this, [this] {
        if (!m_flow)
            return;
        m_continueToEditable = true;
        m_flow->setPauseAtEachStep(true);
        m_flow->continueFlow();
    });
    connect(m_run, &QPushButton::clicked, this, [this] {
        if (!m_flow)
            return;
        m_continueToEditable = false;
        m_flow->runToEnd();
    });
    connect(m_restart, &QPushButton::clicked, this, &AuthPane::restart);
    connect(m_stepThrough, &QCheckBox::toggled, this, [this](bool on) {
        if (m_flow)
            m_flow->setPauseAtEachStep(on);
    });

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_stepThrough);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("User agent:"), this));
    controls->addWidget(m_userAgent);
    controls->addStretch(1);
    for (QPushButton *b : {m_step, m_continue, m_run, m_restart})
        controls->addWidget(b);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("authStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_approval = new QWidget(this);
    m_approval->setObjectName(QStringLiteral("approvalBar"));
    m_approvalText = new QLabel(m_approval);
    m_approvalText->setObjectName(QStringLiteral("approvalText"));
    m_approvalText->setTextFormat(Qt::PlainText); // the server chose the URL
    m_approvalText->setWordWrap(true);
    m_approvalText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_openBrowser = new QPushButton(tr("Open in &browser"), m_approval);
    m_openBrowser->setObjectName(QStringLiteral("openBrowserButton"));
    connect(m_openBrowser, &QPushButton::clicked, this, [this] {
        m_connection->noteUserAction(
            QStringLiteral("approve"),
            {{"url", mcp::toStd(mcp::redaction::redactUrl(m_approvalUrl).toString())}});
        if (!QDesktopServices::openUrl(m_approvalUrl))
            browserDidNotOpen();
    });
    m_copyUrl = new QPushButton(tr("Cop&y URL"), m_approval);
    m_copyUrl->setObjectName(QStringLiteral("copyUrlButton"));
    connect(m_copyUrl, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_approvalUrl.toString(QUrl::FullyEncoded)); });
    m_followRedirect = new QPushButton(tr("&Follow the Redirect Instead"), m_approval);
    m_followRedirect->setObjectName(QStringLiteral("followRedirectButton"));
    m_followRedirect->setToolTip(
        tr("Start again with the workbench as the user agent: it requests the URL and "
           "follows the redirects itself, which works where the authorization server "
           "approves without a login page."));
    m_followRedirect->hide();
    connect(m_followRedirect, &QPushButton::clicked, this, [this] {
        m_userAgent->setCurrentIndex(1); // follow the redirect
        restart();
    });
    auto *approvalLayout = new QHBoxLayout(m_approval);
    approvalLayout->setContentsMargins(0, 0, 0, 0);
    approvalLayout->addWidget(m_approvalText, 1);
    for (QPushButton *b : {m_openBrowser, m_copyUrl, m_followRedirect})
        approvalLayout->addWidget(b);
    m_approval->hide();

    m_steps = new QTreeView(this);
    m_steps->setObjectName(QStringLiteral("authSteps"));
    m_steps->setModel(m_model);
    m_steps->setRootIsDecorated(false);
    m_steps->setUniformRowHeights(true);
    m_steps->setAlternatingRowColors(true);
    m_steps->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_steps->header()->setSectionResizeMode(AuthStepModel::NameColumn, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(AuthStepModel::StateColumn, QHeaderView::ResizeToContents);
    connect(m_steps->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AuthPane::showSelectedStep);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &AuthPane::showSelectedStep);
    connect(m_model, &AuthStepModel::outcomeChanged, this, &AuthPane::updateControls);

    m_parametersTitle = new QLabel(this);
    m_parametersTitle->setWordWrap(true);
    m_parameters = new QTableWidget(0, 2, this);
    m_parameters->setObjectName(QStringLiteral("authParameters"));
    m_parameters->setHorizontalHeaderLabels({tr("Parameter"), tr("Value")});
    m_parameters->verticalHeader()->hide();
    m_parameters->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_parameters->horizontalHeader()->setStretchLastSection(true);
    connect(m_parameters, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (!m_flow || !m_flow->isPaused() || item->column() != 1)
            return;
        m_flow->setParameter(m_parameters->item(item->row(), 0)->data(Qt::UserRole).toString(), item->text());
        fillParameters();
    });
    auto *parameterBox = new QWidget(this);
    auto *parameterLayout = new QVBoxLayout(parameterBox);
    parameterLayout->setContentsMargins(0, 0, 0, 0);
    parameterLayout->addWidget(m_parametersTitle);
    parameterLayout->addWidget(m_parameters, 1);

    m_diagram = new SequenceDiagram(m_model, this);
    connect(m_diagram, &SequenceDiagram::stepClicked, this, &AuthPane::selectStep);
    m_exchanges = new ExchangeView(this);
    connect(m_exchanges->revealToggle(), &QCheckBox::toggled, this, &AuthPane::fillParameters);
    m_inspector = new TokenInspectorWidget(this);
    const auto showStore = [this] { m_inspector->setStoreName(m_connection->tokenStore()->storeName()); };
    showStore();
    if (mcp::auth::TokenVault *vault = connection->tokenStore()->vault())
        connect(vault, &mcp::auth::TokenVault::nameChanged, this, showStore);

    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_steps);
    left->addWidget(parameterBox);
    left->setSizes({400, 360});
    auto *middle = new QSplitter(Qt::Vertical, this);
    middle->addWidget(m_diagram);
    middle->addWidget(m_exchanges);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(middle);
    split->addWidget(m_inspector);
    for (QSplitter *s : {left, middle, split})
        s->setChildrenCollapsible(false);
    split->setSizes({360, 860, 340}); // kept in proportion as the pane grows or shrinks
    middle->setSizes({560, 300});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_approval);
    layout->addWidget(split, 1);

    connect(connection, &Connection::authFlowStarted, this, &AuthPane::follow);
    updateControls();
    fillParameters();
}

void AuthPane::follow(AuthFlow *flow)
{
    m_flow = flow;
    m_continueToEditable = false;
    m_model->setFlow(flow);
    m_exchanges->clear();
    m_inspector->clear();
    flow->setPauseAtEachStep(m_stepThrough->isChecked());
    connect(flow, &AuthFlow::stepStarted, this, &AuthPane::updateControls);
    connect(flow, &QObject::destroyed, this, [this] {
        QMetaObject::invokeMethod(this, &AuthPane::updateControls, Qt::QueuedConnection);
        QMetaObject::invokeMethod(this, &AuthPane::fillParameters, Qt::QueuedConnection);
    });
    connect(flow, &AuthFlow::stepFinished, this, [this](int index) {
        selectStep(index);
        updateControls();
    });
    connect(flow, &AuthFlow::paused, this, [this](const QString &next) {
        if (m_continueToEditable && !isEditableStep(next)) {
            QMetaObject::invokeMethod(m_flow, &AuthFlow::continueFlow, Qt::QueuedConnection);
            return;
        }
        m_continueToEditable = false;
        updateControls();
        fillParameters();
        Q_EMIT pausedForReview();
    });
    m_approval->hide();
    connect(flow, &AuthFlow::authorizationUrlReady, this, [this](const QUrl &url) {
        if (m_connection->authSettings().userAgent == AuthSettings::UserAgent::External)
            offerApproval(url);
    });
    connect(flow, &AuthFlow::finished, m_approval, &QWidget::hide);
    connect(flow, &AuthFlow::failed, m_approval, &QWidget::hide);
    connect(flow, &AuthFlow::finished, this, [this](const mcp::auth::TokenSet &tokens) {
        m_inspector->inspect(tokens.accessToken, m_flow->inspectOptions());
        m_inspector->setTokenSet(tokens);
    });
    updateControls();
    fillParameters();
}

void AuthPane::offerApproval(const QUrl &url)
{
    // AuthFlow has checked the scheme (https, or http to this machine); the user sees where it leads before
    // anything is opened.
    m_approvalUrl = url;
    m_approvalText->setText(tr("The authorization server at %1 asks for your approval in a browser. Nothing "
                               "opens until you click:\n%2")
                                .arg(url.authority(QUrl::FullyEncoded), url.toString(QUrl::FullyEncoded)));
    m_followRedirect->hide();
    m_approval->show();
}

void AuthPane::browserDidNotOpen()
{
    m_approvalText->setText(
        tr("No web browser could be opened here (none is installed, or this is a remote or headless "
           "session). "
           "Copy the URL into a browser on this machine (the answer comes back to 127.0.0.1), or let the "
           "workbench follow the redirect itself. The authorization server is at %1:\n%2")
            .arg(m_approvalUrl.authority(QUrl::FullyEncoded), m_approvalUrl.toString(QUrl::FullyEncoded)));
    m_followRedirect->show();
}

void AuthPane::restart()
{
    if (m_flow)
        m_flow->cancel();
    m_connection->setAuthSettings(m_connection->authSettings()); // a fresh provider: no tokens, no client
    m_connection->open();
}

void AuthPane::applyUserAgent(int index)
{
    AuthSettings settings = m_connection->authSettings();
    settings.userAgent =
        index == 1 ? AuthSettings::UserAgent::FollowRedirect : AuthSettings::UserAgent::External;
    m_connection->setAuthSettings(settings);
}

void AuthPane::selectStep(int row)
{
    m_steps->setCurrentIndex(m_model->index(row, 0));
}

void AuthPane::showSelectedStep()
{
    const int row = m_steps->currentIndex().row();
    m_diagram->setCurrentStep(row);
    if (row < 0 || row >= m_model->rowCount()) {
        m_exchanges->clear();
        return;
    }
    m_exchanges->showStep(m_model->step(row), AuthStepModel::stateName(m_model->state(row)),
                          m_model->authorizationUrl());
}

void AuthPane::fillParameters()
{
    const bool paused = m_flow && m_flow->isPaused();
    m_parameters->setEnabled(paused);
    m_parametersTitle->setText(paused ? tr("<b>Parameters before “%1”</b>: edit one to test the server's "
                                           "defences (the step is marked TAMPERED; empty leaves it out).")
                                            .arg(m_flow->nextStepName().toHtmlEscaped())
                                      : tr("<b>Parameters</b>: editable while the flow is paused."));
    const QSignalBlocker block(m_parameters);
    m_parameters->setRowCount(0);
    if (!m_flow)
        return;
    const QMap<QString, QString> values = m_flow->parameters();
    const QSet<QString> tampered = m_flow->tamperedParameters();
    const QColor warning = tamperedColor(palette());
    const bool reveal = m_exchanges->revealsSecrets();
    for (const QString &name : editableParameters()) {
        const int row = m_parameters->rowCount();
        m_parameters->insertRow(row);
        auto *key = new QTableWidgetItem(tampered.contains(name) ? name + tr("  TAMPERED") : name);
        key->setData(Qt::UserRole, name);
        key->setFlags(Qt::ItemIsEnabled);
        // The verifier is a secret (it proves possession of the code): masked and read-only until Reveal.
        const bool masked =
            name == QLatin1String("code_verifier") && !reveal && !values.value(name).isEmpty();
        auto *value = new QTableWidgetItem(masked ? mcp::auth::maskSecret(values.value(name).toUtf8())
                                                  : values.value(name));
        value->setFlags(masked ? Qt::ItemIsEnabled
                               : Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemIsSelectable);
        if (tampered.contains(name)) {
            key->setForeground(warning);
            value->setForeground(warning);
        }
        m_parameters->setItem(row, 0, key);
        m_parameters->setItem(row, 1, value);
    }
}

void AuthPane::updateControls()
{
    const bool paused = m_flow && m_flow->isPaused();
    for (QPushButton *b : {m_step, m_continue, m_run})
        b->setEnabled(paused);
    m_restart->setText(m_model->rowCount() == 0 ? tr("&Start") : tr("&Restart"));
    const QString outcome = m_model->outcome();
    QString text;
    if (paused)
        text = tr("Paused before <b>%1</b>.").arg(m_flow->nextStepName().toHtmlEscaped());
    else if (m_flow && m_flow->isRunning())
        text = tr("Running…");
    else if (!outcome.isEmpty())
        text = QStringLiteral("<b style='color:%1'>%2</b>")
                   .arg((m_model->succeeded() ? passedColor(palette()) : failedColor(palette())).name(),
                        outcome.toHtmlEscaped());
    else
        text = tr("No authorization yet: it starts when the server refuses a request (HTTP 401). Check “Step "
                  "through” to pause after each step, then Start.");
    m_status->setText(text);
}

} // namespace mcpui
