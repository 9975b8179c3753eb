#include "connectionpage.h"

#include "auth/authpane.h"
#include "common/plaintext.h"
#include "connection.h"
#include "discovery/promptspane.h"
#include "discovery/resourcespane.h"
#include "discovery/toolspane.h"
#include "serverrequests/dialoghandler.h"
#include "traffic/sessionwindow.h"
#include "traffic/trafficactions.h"
#include "traffic/trafficpane.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace mcpui {

using mcp::Json;

ConnectionPage::ConnectionPage(Connection *connection, QWidget *dialogParent, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_handler(new DialogHandler(connection, dialogParent))
{
    connection->setServerRequestHandler(m_handler);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_connectButton = new QPushButton(this);
    m_connectButton->setObjectName(QStringLiteral("connectButton"));
    connect(m_connectButton, &QPushButton::clicked, this, [this] {
        const auto s = m_connection->state();
        if (s == Connection::State::Ready || s == Connection::State::Connecting ||
            s == Connection::State::Initializing)
            m_connection->close();
        else
            m_connection->open();
    });
    auto *header = new QHBoxLayout;
    header->addWidget(m_status, 1);
    header->addWidget(m_connectButton);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("connectionError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(
        QStringLiteral("QLabel { background: #c62828; color: white; padding: 6px; border-radius: 3px; }"));
    m_error->hide();

    m_tools = new ToolsPane(connection, this);
    m_resources = new ResourcesPane(connection, this);
    m_prompts = new PromptsPane(connection, this);
    m_auth = new AuthPane(connection, this);
    m_traffic = new TrafficPane(connection->recorder(), false, this);
    // Copy as … and Replay… use this connection's settings and its live session (a replay of a frame recorded
    // by an earlier session goes to the current one).
    TrafficActions *trafficActions = addTrafficActions(m_traffic);
    trafficActions->setTransportLookup(
        [connection](int) { return std::optional(connection->profile().transportConfig()); });
    trafficActions->setSessionLookup(
        [connection](int) { return connection->isReady() ? connection->session() : nullptr; });
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("log"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(20000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_tools, tr("&Tools"));
    connect(m_tools, &ToolsPane::openFrameRequested, this, [this](int index) {
        m_tabs->setCurrentWidget(m_traffic);
        m_traffic->setFollowing(false);
        if (!m_traffic->selectRecorderIndex(index)) { // hidden by the filter: shown without it
            m_traffic->filterEdit()->clear();
            m_traffic->applyFilter();
            m_traffic->selectRecorderIndex(index);
        }
    });
    m_tabs->addTab(m_resources, tr("&Resources"));
    m_tabs->addTab(m_prompts, tr("&Prompts"));
    m_tabs->addTab(m_traffic, tr("Tra&ffic"));
    m_tabs->addTab(m_log, tr("&Log"));
    m_tabs->addTab(m_auth, tr("&Auth"));
    // Screen readers name each pane by its tab, with the connection it belongs to.
    for (int i = 0; i < m_tabs->count(); ++i)
        m_tabs->widget(i)->setAccessibleName(
            tr("%1 of %2")
                .arg(QString(m_tabs->tabText(i)).remove(QLatin1Char('&')), connection->profile().name));
    // A reviewer stepping through an authorization wants to see it pause.
    connect(m_auth, &AuthPane::pausedForReview, this, [this] { m_tabs->setCurrentWidget(m_auth); });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_error);
    layout->addWidget(m_tabs, 1);

    connect(connection, &Connection::changed, this, &ConnectionPage::updateStatus);
    connect(connection, &Connection::changed, this, &ConnectionPage::followSessions);
    connect(connection, &Connection::ready, this, &ConnectionPage::onReady);
    // Lines come in batches (a chunk of frames at a time) and go in as one append: an append a line cost a
    // layout pass each, 20 s for a server's 200,000 log messages.
    m_logFlush.setSingleShot(true);
    connect(&m_logFlush, &QTimer::timeout, this, [this] {
        m_log->appendPlainText(m_pendingLog.join(QLatin1Char('\n')));
        m_pendingLog.clear();
    });
    connect(connection, &Connection::logLine, this, &ConnectionPage::queueLogLine);
    updateStatus();
}

void ConnectionPage::queueLogLine(const QString &line)
{
    if (m_pendingLog.size() >= m_log->maximumBlockCount())
        m_pendingLog.removeFirst(); // the log would drop it at once
    m_pendingLog.append(line);
    if (!m_logFlush.isActive())
        m_logFlush.start(0);
}

// Each session of the connection records under a new recorder connection; the traffic tab shows them all.
void ConnectionPage::followSessions()
{
    const mcp::ClientSession *session = m_connection->session();
    const int id = session ? session->connectionId() : -1;
    if (id >= 0 && !m_sessions.contains(id)) {
        m_sessions.append(id);
        m_traffic->setConnections(m_sessions);
    }
}

void ConnectionPage::onReady()
{
    const Json caps = m_connection->session()->serverCapabilities();
    m_tabs->setTabEnabled(ToolsTab, caps.contains("tools"));
    m_tabs->setTabEnabled(ResourcesTab, caps.contains("resources"));
    m_tabs->setTabEnabled(PromptsTab, caps.contains("prompts"));
    if (caps.contains("tools"))
        m_tools->refresh();
    if (caps.contains("resources"))
        m_resources->refresh();
    if (caps.contains("prompts"))
        m_prompts->refresh();
    updateStatus();
}

void ConnectionPage::updateStatus()
{
    const auto state = m_connection->state();
    const auto &p = m_connection->profile();
    const QString where = p.kind == ConnectionProfile::Kind::Stdio
                              ? QStringList(QStringList{p.command} + p.arguments).join(QLatin1Char(' '))
                              : p.url;
    QString text = QStringLiteral("<b>%1</b> &nbsp; %2 · %3")
                       .arg(p.name.toHtmlEscaped(), p.transportLabel(), m_connection->stateText());
    if (state == Connection::State::Ready) {
        const Json info = m_connection->session()->serverInfo();
        text += QStringLiteral(" · %1 %2 · protocol %3")
                    .arg(mcp::stringOr(info, "name").toHtmlEscaped(),
                         mcp::stringOr(info, "version").toHtmlEscaped(),
                         m_connection->session()->protocolVersion());
    }
    m_status->setText(text);
    m_status->setToolTip(plainToolTip(where));
    const bool url = p.kind == ConnectionProfile::Kind::Url;
    m_tabs->setTabEnabled(m_tabs->indexOf(m_auth), url);
    m_tabs->setTabToolTip(m_tabs->indexOf(m_auth), url ? tr("OAuth authorization, step by step")
                                                       : tr("Authorization applies to URL connections"));
    const bool failed = state == Connection::State::Failed;
    m_error->setText(tr("Connection failed: %1").arg(m_connection->lastError()));
    m_error->setVisible(failed);
    const bool live = state == Connection::State::Ready || state == Connection::State::Connecting ||
                      state == Connection::State::Initializing;
    m_connectButton->setText(live ? tr("Disconnect") : failed ? tr("Reconnect") : tr("Connect"));
}

} // namespace mcpui
