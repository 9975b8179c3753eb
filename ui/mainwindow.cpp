#include "mainwindow.h"

#include "audit/auditlog.h"
#include "auth/tokeninspectordialog.h"
#include "collection/collectionrundialog.h"
#include "collection/history.h"
#include "collection/historydialog.h"
#include "common/jsonhighlighter.h"
#include "common/splitterstate.h"
#include "common/theme.h"
#include "composer/composer.h"
#include "composer/resultview.h"
#include "conformance/conformancedialog.h"
#include "connections/connection.h"
#include "connections/connectiondialog.h"
#include "connections/connectionlistmodel.h"
#include "connections/connectionpage.h"
#include "connections/exportasdialog.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/promptspane.h"
#include "discovery/resourcespane.h"
#include "discovery/toolspane.h"
#include "inventory/inventorydialog.h"
#include "review/reviewpane.h"
#include "surface/comparedialog.h"
#include "traffic/exportdialog.h"
#include "traffic/recorder.h"
#include "traffic/sessionwindow.h"
#include "traffic/trafficactions.h"
#include "traffic/trafficpane.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace mcpui {

namespace {
constexpr qsizetype MiB = 1024 * 1024;
} // namespace

MainWindow::MainWindow(QSettings *settings, std::shared_ptr<mcp::auth::TokenStore> tokens, QWidget *parent)
    : QMainWindow(parent), m_settings(settings), m_recorder(new mcp::Recorder(this)),
      m_audit(new mcp::audit::AuditLog(mcp::audit::AuditLog::defaultDirectory(), this)),
      m_history(
          std::make_unique<mcp::collection::RequestHistory>(mcp::collection::RequestHistory::defaultPath())),
      m_connections(new ConnectionListModel(
          m_recorder, tokens ? std::move(tokens) : std::make_shared<mcp::auth::TokenStore>(), this))
{
    setWindowTitle(tr("MCP Workbench"));
    m_audit->watch(m_recorder);
    connect(m_audit, &mcp::audit::AuditLog::writeFailed, this,
            [this](const QString &message) { statusBar()->showMessage(tr("Audit trail: %1").arg(message)); });
    m_sidebar = new QListView(this);
    m_sidebar->setObjectName(QStringLiteral("connections"));
    m_sidebar->setAccessibleName(tr("Connections"));
    m_sidebar->setModel(m_connections);
    m_sidebar->setItemDelegate(new ConnectionDelegate(m_sidebar));
    m_sidebar->setSelectionMode(QAbstractItemView::SingleSelection);
    m_sidebar->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *welcome = new QLabel(tr("<h2>MCP Workbench</h2><p>Add a connection to an MCP server with "
                                  "<b>Connection › New Connection</b> (Ctrl+N).</p>"),
                               this);
    welcome->setAlignment(Qt::AlignCenter);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(welcome);

    auto *sidebarToolbar = new QToolBar(this);
    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->setSpacing(0);
    sideLayout->addWidget(sidebarToolbar);
    sideLayout->addWidget(m_sidebar);

    auto *split = new QSplitter(this);
    split->addWidget(side);
    split->addWidget(m_stack);
    split->setStretchFactor(1, 1);
    split->setSizes({fontMetrics().averageCharWidth() * 34, fontMetrics().averageCharWidth() * 160});
    setCentralWidget(split);

    // A dock, not a page: it sits under whichever connection is open (or floats on a second screen), the way
    // browser developer tools and Wireshark show traffic beside the work that causes it.
    m_allTraffic = new TrafficPane(m_recorder, true, this);
    m_allTraffic->setAccessibleName(tr("All traffic"));
    m_allTrafficDock = new QDockWidget(tr("All Traffic"), this);
    m_allTrafficDock->setObjectName(QStringLiteral("allTrafficDock"));
    m_allTrafficDock->setWidget(m_allTraffic);
    addDockWidget(Qt::BottomDockWidgetArea, m_allTrafficDock);
    m_allTrafficDock->hide();
    // Copy as … and Replay… for a frame use the connection whose session recorded it.
    auto connectionOf = [this](int recorderConnection) -> Connection * {
        for (int row = 0; row < m_connections->rowCount(); ++row) {
            Connection *c = m_connections->at(row);
            if (c->session() && c->session()->connectionId() == recorderConnection)
                return c;
        }
        return nullptr;
    };
    TrafficActions *trafficActions = addTrafficActions(m_allTraffic);
    trafficActions->setTransportLookup([connectionOf](int id) -> std::optional<mcp::TransportConfig> {
        if (Connection *c = connectionOf(id))
            return c->profile().transportConfig();
        return std::nullopt;
    });
    trafficActions->setSessionLookup([connectionOf](int id) -> mcp::ClientSession * {
        Connection *c = connectionOf(id);
        return c && c->isReady() ? c->session() : nullptr;
    });

    m_review = new ReviewPane(m_connections, ReviewStore::defaultFolder(), this);
    m_review->setAccessibleName(tr("Review"));
    m_reviewDock = new QDockWidget(tr("Review"), this);
    m_reviewDock->setObjectName(QStringLiteral("reviewDock"));
    m_reviewDock->setWidget(m_review);
    addDockWidget(Qt::BottomDockWidgetArea, m_reviewDock);
    m_reviewDock->hide();
    connect(m_review, &ReviewPane::goToToolRequested, this, [this](Connection *c, const QString &tool) {
        goTo(CommandPalette::Tool, tool, m_connections->indexOf(c));
    });

    m_palette = new CommandPalette(this);
    connect(m_palette, &CommandPalette::chosen, this, &MainWindow::goTo);

    connect(m_connections, &ConnectionListModel::connectionAdded, this, &MainWindow::onConnectionAdded);
    connect(m_connections, &ConnectionListModel::connectionAboutToBeRemoved, this,
            [this](Connection *c) { delete m_pages.take(c); });
    connect(m_connections, &ConnectionListModel::dataChanged, this, &MainWindow::updateActions);
    createActions();
    sidebarToolbar->addAction(m_connectAction);
    sidebarToolbar->addAction(m_disconnectAction);
    sidebarToolbar->addSeparator();
    for (QAction *a : {m_editAction, m_duplicateAction, m_removeAction})
        sidebarToolbar->addAction(a);
    m_sidebar->addActions({m_connectAction, m_disconnectAction, m_reconnectAction, m_editAction,
                           m_duplicateAction, m_exportAsAction, m_removeAction});

    connect(m_sidebar->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &index) {
                const ConnectionPage *page = m_pages.value(m_connections->at(index.row()));
                m_stack->setCurrentIndex(page ? m_stack->indexOf(const_cast<ConnectionPage *>(page)) : 0);
                updateActions();
            });

    m_connections->load(*m_settings);
    if (m_connections->rowCount() > 0)
        selectConnection(m_connections->at(0));
    ResultView::setLargeResultBytes(
        m_settings
            ->value(QStringLiteral("results/largeResultMB"), int(ResultView::DefaultLargeResultBytes / MiB))
            .toLongLong() *
        MiB);
    setTheme(themeFromName(m_settings->value(QStringLiteral("view/theme")).toString()));
    updateGlyphs();
    if (!restoreGeometry(m_settings->value(QStringLiteral("window/geometry")).toByteArray()))
        resize(fontMetrics().averageCharWidth() * 200, fontMetrics().height() * 50);
    restoreState(m_settings->value(QStringLiteral("window/state")).toByteArray()); // docks
    restoreSplitters(this, *m_settings);
    updateActions();
}

MainWindow::~MainWindow()
{
    // Closing sessions still send and record (a subscription's cancellation, the audit trail's entry): the
    // connections go first, while the recorder and the audit log, children made before them, are alive.
    delete m_connections;
}

// A recorded session file in a read-only window of its own; no server is started.
void MainWindow::openSession()
{
    auto *chooser =
        new QFileDialog(this, tr("Open Session"), QString(), tr("Session files (*.jsonl);;All files (*)"));
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    chooser->setFileMode(QFileDialog::ExistingFile);
    connect(chooser, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        if (SessionWindow *window = SessionWindow::open(path, this, &error)) {
            window->show();
            return;
        }
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Open Session"), error, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    chooser->open();
}

void MainWindow::createActions()
{
    QStyle *s = style();
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Session…"), QKeySequence::Open, this, &MainWindow::openSession);
    file->addAction(tr("&Export Traffic…"), this, [this] {
        auto *dialog = new ExportDialog(*m_recorder, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            m_audit->action({}, QStringLiteral("export"),
                            {{"format", mcp::toStd(dialog->formatBox()->currentText())},
                             {"path", mcp::toStd(dialog->pathEdit()->text().trimmed())},
                             {"secretsKept", dialog->keepSecretsBox()->isChecked()}});
        });
        dialog->open();
    });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    // The platform's Quit key; where its key scheme has none (Qt's generic and Windows schemes), Ctrl+Q,
    // which every Linux desktop uses.
    quit->setShortcuts(QKeySequence::keyBindings(QKeySequence::Quit).isEmpty()
                           ? QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Q)}
                           : QKeySequence::keyBindings(QKeySequence::Quit));

    auto *menu = menuBar()->addMenu(tr("&Connection"));
    menu->addAction(s->standardIcon(QStyle::SP_FileDialogNewFolder), tr("&New Connection…"),
                    QKeySequence::New, this, &MainWindow::newConnection);
    m_editAction = menu->addAction(s->standardIcon(QStyle::SP_FileDialogDetailedView), tr("&Edit…"), this,
                                   &MainWindow::editConnection);
    m_duplicateAction = menu->addAction(s->standardIcon(QStyle::SP_FileLinkIcon), tr("D&uplicate"), this,
                                        &MainWindow::duplicateConnection);
    m_removeAction = menu->addAction(s->standardIcon(QStyle::SP_TrashIcon), tr("&Remove…"), this,
                                     &MainWindow::askToRemoveConnection);
    m_exportAsAction = menu->addAction(tr("E&xport As…"), this, &MainWindow::exportConnectionAs);
    menu->addSeparator();
    // Their icons follow the palette: updateGlyphs().
    // Not Ctrl+O: that is Open Session (QKeySequence::Open), and a key bound twice fires neither action.
    m_connectAction = menu->addAction(tr("&Connect"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                                      [this] { currentConnection()->open(); });
    m_disconnectAction = menu->addAction(tr("&Disconnect"), this, [this] { currentConnection()->close(); });
    m_reconnectAction =
        menu->addAction(s->standardIcon(QStyle::SP_BrowserReload), tr("Re&connect"),
                        QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] { currentConnection()->open(); });

    menu->addSeparator();
    m_compareAction = menu->addAction(tr("Com&pare Surface…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
                                      this, &MainWindow::compareSurface);
    m_conformanceAction =
        menu->addAction(tr("Run Conformance &Harness…"), this, &MainWindow::runConformanceHarness);

    auto *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Find &Anything…"), QKeySequence(Qt::CTRL | Qt::Key_K), this,
                    &MainWindow::showPalette);
    QMenu *themes = view->addMenu(tr("T&heme"));
    auto *themeGroup = new QActionGroup(this);
    for (const auto &[theme, text] :
         {std::pair{Theme::System, tr("&System")}, std::pair{Theme::Light, tr("&Light")},
          std::pair{Theme::Dark, tr("&Dark")}}) {
        QAction *a = themes->addAction(text, this, [this, theme = theme] { setTheme(theme); });
        a->setCheckable(true);
        themeGroup->addAction(a);
        m_themeActions.insert(theme, a);
    }
    view->addAction(tr("&Large Result Size…"), this, [this] {
        auto *dialog = new QInputDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(tr("Large Result Size"));
        dialog->setLabelText(
            tr("Results larger than this many MB show their size and beginning, with search, "
               "save and the traffic detail, instead of being laid out whole:"));
        dialog->setIntRange(1, 4096);
        dialog->setIntValue(int(ResultView::largeResultBytes() / MiB));
        connect(dialog, &QInputDialog::intValueSelected, this, [this](int megabytes) {
            ResultView::setLargeResultBytes(megabytes * MiB);
            m_settings->setValue(QStringLiteral("results/largeResultMB"), megabytes);
        });
        dialog->open();
    });

    auto *tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Token Inspector…"), this, [this] {
        auto *dialog = new TokenInspectorDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    tools->addAction(tr("Request &History…"), QKeySequence(Qt::CTRL | Qt::Key_H), this,
                     &MainWindow::showHistory);
    tools->addAction(tr("Run &Collection…"), this, [this] {
        if (CollectionRunDialog *dialog = runCollection()) {
            const QString path = QFileDialog::getOpenFileName(dialog, tr("Run Collection"), QString(),
                                                              tr("Collections (*.json)"));
            if (!path.isEmpty() && dialog->open(path))
                dialog->run();
        }
    });
    tools->addAction(tr("&Configured Servers…"), this, [this] {
        auto *dialog = new InventoryDialog(QDir::homePath(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &InventoryDialog::openConnection, this,
                [this](const ConnectionProfile &profile) { selectConnection(addConnection(profile)); });
        dialog->show();
    });
    QAction *allTraffic = m_allTrafficDock->toggleViewAction();
    allTraffic->setText(tr("All &Traffic"));
    allTraffic->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    view->addAction(allTraffic);
    QAction *review = m_reviewDock->toggleViewAction();
    review->setText(tr("&Review"));
    review->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    view->addAction(review);

    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MCP Workbench"), this, &MainWindow::showAbout);
}

Connection *MainWindow::currentConnection() const
{
    return m_connections->at(m_sidebar->currentIndex().row());
}

ConnectionPage *MainWindow::currentPage() const
{
    return m_pages.value(currentConnection());
}

Connection *MainWindow::addConnection(const ConnectionProfile &profile)
{
    Connection *c = profile.id.isEmpty() ? nullptr : m_connections->findById(profile.id);
    if (c)
        c->setProfile(profile);
    else
        c = m_connections->add(profile);
    saveProfiles();
    return c;
}

void MainWindow::onConnectionAdded(Connection *connection)
{
    connect(connection, &Connection::userAction, m_audit,
            [this, connection](const QString &event, const mcp::Json &detail) {
                m_audit->action(connection->profile().name, event, detail);
                if (event != QLatin1String("request"))
                    return;
                mcp::collection::HistoryEntry entry;
                entry.time = QDateTime::currentDateTimeUtc();
                entry.connection = connection->profile().name;
                entry.method = mcp::stringOr(detail, "method");
                entry.params = mcp::valueOr(detail, "params", mcp::Json::object());
                QString error;
                if (!m_history->append(entry, &error))
                    statusBar()->showMessage(tr("Request history: %1").arg(error));
                else if (m_historyDialog)
                    m_historyDialog->reload();
            });
    auto *page = new ConnectionPage(connection, this, m_stack);
    m_pages.insert(connection, page);
    m_review->guardCalls(connection, page->tools());
    m_stack->addWidget(page);
    restoreSplitters(page, *m_settings);
}

void MainWindow::selectConnection(Connection *connection)
{
    m_sidebar->setCurrentIndex(m_connections->index(m_connections->indexOf(connection)));
}

void MainWindow::updateActions()
{
    const Connection *c = currentConnection();
    const auto state = c ? c->state() : Connection::State::Idle;
    const bool live = state == Connection::State::Ready || state == Connection::State::Connecting ||
                      state == Connection::State::Initializing;
    for (QAction *a : {m_editAction, m_duplicateAction, m_removeAction, m_reconnectAction, m_exportAsAction})
        a->setEnabled(c);
    m_connectAction->setEnabled(c && !live);
    m_compareAction->setEnabled(state == Connection::State::Ready);
    m_conformanceAction->setEnabled(c);
    m_disconnectAction->setEnabled(c && live);
}

CompareDialog *MainWindow::compareSurface()
{
    Connection *c = currentConnection();
    if (!c || !c->isReady())
        return nullptr;
    auto *dialog = new CompareDialog(m_connections, c, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

ExportAsDialog *MainWindow::exportConnectionAs()
{
    const Connection *c = currentConnection();
    if (!c)
        return nullptr;
    auto *dialog = new ExportAsDialog(c->profile(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

ConformanceDialog *MainWindow::runConformanceHarness()
{
    const Connection *c = currentConnection();
    if (!c)
        return nullptr;
    const bool http = c->profile().kind == ConnectionProfile::Kind::Url;
    auto *dialog = new ConformanceDialog(http ? QUrl(c->profile().url) : QUrl(), c->profile().name, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void MainWindow::newConnection()
{
    ConnectionProfile profile;
    openDialog(profile, true);
}

void MainWindow::editConnection()
{
    if (const Connection *c = currentConnection())
        openDialog(c->profile(), false);
}

void MainWindow::duplicateConnection()
{
    const Connection *c = currentConnection();
    if (!c)
        return;
    ConnectionProfile copy = c->profile();
    copy.id.clear();
    copy.name = tr("%1 (copy)").arg(copy.name);
    selectConnection(addConnection(copy));
}

void MainWindow::removeConnection()
{
    const int row = m_sidebar->currentIndex().row();
    if (row < 0)
        return;
    m_connections->remove(row);
    saveProfiles();
    m_stack->setCurrentIndex(m_connections->rowCount() ? m_stack->indexOf(currentPage()) : 0);
}

// Removing loses the profile (not the recorded traffic), so it asks; asynchronously, like every dialog here.
void MainWindow::askToRemoveConnection()
{
    Connection *connection = currentConnection();
    if (!connection)
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove Connection"),
                                tr("Remove the connection \"%1\"? Its saved profile is deleted; the traffic "
                                   "already recorded stays.")
                                    .arg(connection->profile().name),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, box, connection = QPointer<Connection>(connection)](QAbstractButton *button) {
                if (box->standardButton(button) == QMessageBox::Yes && connection) {
                    selectConnection(connection);
                    removeConnection();
                }
            });
    box->open();
}

// Window-modal but asynchronous, so live connections keep running while the dialog is open.
void MainWindow::openDialog(const ConnectionProfile &profile, bool isNew)
{
    auto *dialog = new ConnectionDialog(profile, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, isNew] {
        Connection *c = addConnection(dialog->profile());
        selectConnection(c);
        if (isNew)
            c->open();
    });
    dialog->open();
}

void MainWindow::saveProfiles()
{
    m_connections->save(*m_settings);
}

void MainWindow::setTheme(Theme theme)
{
    applyTheme(theme);
    m_settings->setValue(QStringLiteral("view/theme"), themeName(theme));
    m_themeActions.value(theme)->setChecked(true);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateGlyphs();
    QMainWindow::changeEvent(event);
}

void MainWindow::updateGlyphs()
{
    m_connectAction->setIcon(glyphIcon(QStyle::SP_MediaPlay, QWidget::palette()));
    m_disconnectAction->setIcon(glyphIcon(QStyle::SP_MediaStop, QWidget::palette()));
}

void MainWindow::showPalette()
{
    QList<CommandPalette::Entry> entries;
    for (int row = 0; row < m_connections->rowCount(); ++row) {
        const Connection *c = m_connections->at(row);
        const ConnectionPage *page = m_pages.value(c);
        const QString name = c->profile().name;
        const auto collect = [&](const JsonListModel *model, CommandPalette::Kind kind, const char *key,
                                 const char *detail) {
            for (int i = 0; i < model->rowCount(); ++i)
                entries.append({kind, mcp::stringOr(model->item(i), key),
                                mcp::stringOr(model->item(i), detail).section(QLatin1Char('\n'), 0, 0), name,
                                row});
        };
        collect(page->tools()->model(), CommandPalette::Tool, "name", "description");
        collect(page->resources()->resources(), CommandPalette::Resource, "uri", "name");
        collect(page->prompts()->model(), CommandPalette::Prompt, "name", "description");
    }
    m_palette->setEntries(entries);
    const QRect area = geometry();
    m_palette->move(area.center().x() - m_palette->width() / 2, area.top() + area.height() / 8);
    m_palette->show();
    m_palette->activateWindow();
}

void MainWindow::showAbout()
{
    auto *box =
        new QMessageBox(QMessageBox::Information, tr("About MCP Workbench"),
                        tr("<h3>MCP Workbench %1</h3><p>A workbench for the Model Context Protocol.</p>"
                           "<p>Qt %2 (built with %3)<br>JSON highlighting: %4</p>")
                            .arg(QStringLiteral(MCPWB_VERSION), QString::fromLatin1(qVersion()),
                                 QStringLiteral(QT_VERSION_STR), jsonHighlighterName().toHtmlEscaped()),
                        QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::goTo(CommandPalette::Kind kind, const QString &name, int connectionRow)
{
    Connection *c = m_connections->at(connectionRow);
    ConnectionPage *page = m_pages.value(c);
    if (!page)
        return;
    selectConnection(c);
    switch (kind) {
    case CommandPalette::Tool:
        page->tabs()->setCurrentIndex(ConnectionPage::ToolsTab);
        page->tools()->selectTool(name);
        break;
    case CommandPalette::Resource:
        page->tabs()->setCurrentIndex(ConnectionPage::ResourcesTab);
        page->resources()->selectResource(name);
        break;
    case CommandPalette::Prompt:
        page->tabs()->setCurrentIndex(ConnectionPage::PromptsTab);
        page->prompts()->selectPrompt(name);
        break;
    }
}

HistoryDialog *MainWindow::showHistory()
{
    if (!m_historyDialog) {
        m_historyDialog = new HistoryDialog(m_history.get(), this);
        m_historyDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_historyDialog, &HistoryDialog::openRequested, this,
                [this](const mcp::collection::HistoryEntry &e) {
                    if (!openInComposer(e.connection, e.method, e.params))
                        statusBar()->showMessage(tr("%1 has no pane to open it in").arg(e.method));
                });
    }
    m_historyDialog->reload();
    m_historyDialog->show();
    m_historyDialog->raise();
    return m_historyDialog;
}

CollectionRunDialog *MainWindow::runCollection()
{
    Connection *c = currentConnection();
    if (!c)
        return nullptr;
    auto *dialog = new CollectionRunDialog(c, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_connections, &ConnectionListModel::connectionAboutToBeRemoved, dialog,
            [dialog, c](Connection *gone) {
                if (gone == c)
                    dialog->close();
            });
    dialog->show();
    return dialog;
}

bool MainWindow::openInComposer(const QString &connection, const QString &method, const mcp::Json &params)
{
    Connection *c = currentConnection();
    for (Connection *candidate : m_connections->connections())
        if (candidate->profile().name == connection)
            c = candidate;
    ConnectionPage *page = m_pages.value(c);
    if (!page)
        return false;
    selectConnection(c);
    const QString name = mcp::stringOr(params, "name");
    if (method == QLatin1String("tools/call")) {
        page->tabs()->setCurrentIndex(ConnectionPage::ToolsTab);
        if (!page->tools()->selectTool(name))
            return false;
        page->tools()->composer()->setArguments(mcp::valueOr(params, "arguments", mcp::Json::object()));
        return true;
    }
    if (method == QLatin1String("prompts/get")) {
        page->tabs()->setCurrentIndex(ConnectionPage::PromptsTab);
        return page->prompts()->selectPrompt(name);
    }
    if (method == QLatin1String("resources/read")) {
        page->tabs()->setCurrentIndex(ConnectionPage::ResourcesTab);
        page->resources()->uriEdit()->setText(mcp::stringOr(params, "uri"));
        return true;
    }
    return false;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveProfiles();
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    saveSplitters(this, m_settings);
    if (ConnectionPage *page = currentPage())
        saveSplitters(page, m_settings); // the page in front is the one the user arranged last
    for (Connection *c : m_connections->connections())
        c->close();
    event->accept();
}

} // namespace mcpui
