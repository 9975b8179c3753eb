#include "reviewpane.h"

#include "connections/connection.h"
#include "connections/connectionlistmodel.h"
#include "discovery/toolspane.h"
#include "review/collect.h"
#include "review/jsonfile.h"
#include "review/review.h"
#include "review/trafficcheck.h"
#include "reviewmodel.h"
#include "reviewstore.h"
#include "session/clientsession.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>
#include <memory>

namespace mcpui {

namespace review = mcp::review;
using mcp::Json;

namespace {

const char kFilters[] = "Markdown (*.md);;HTML (*.html);;SARIF 2.1.0 (*.sarif)";

// The format a file name asks for, else the one of the filter chosen in the dialog.
review::ReportFormat formatFor(const QString &path, const QString &nameFilter)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (const auto byName =
            review::reportFormatFromString(suffix == QLatin1String("htm") ? QStringLiteral("html") : suffix))
        return *byName;
    if (suffix == QLatin1String("json") || nameFilter.startsWith(QLatin1String("SARIF")))
        return review::ReportFormat::Sarif;
    return nameFilter.startsWith(QLatin1String("HTML")) ? review::ReportFormat::Html
                                                        : review::ReportFormat::Markdown;
}

} // namespace

ReviewPane::ReviewPane(ConnectionListModel *connections, const QString &storeFolder, QWidget *parent)
    : QWidget(parent), m_connections(connections), m_store(storeFolder), m_model(new ReviewModel(this)),
      m_filter(new ReviewFilter(this))
{
    m_filter->setSourceModel(m_model);
    m_scope = new QComboBox(this);
    m_scope->setObjectName(QStringLiteral("reviewScope"));
    m_scope->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *run = new QPushButton(tr("&Review"), this);
    run->setToolTip(tr("Review the definitions the servers list now"));
    m_severity = new QComboBox(this);
    m_severity->setObjectName(QStringLiteral("severityFilter"));
    for (const auto &[text, severity] : {std::pair{tr("All severities"), review::Severity::Info},
                                         std::pair{tr("Low and above"), review::Severity::Low},
                                         std::pair{tr("Medium and above"), review::Severity::Medium},
                                         std::pair{tr("High and above"), review::Severity::High},
                                         std::pair{tr("Critical only"), review::Severity::Critical}})
        m_severity->addItem(text, int(severity));
    m_approve = new QPushButton(tr("A&pprove Definitions"), this);
    m_approve->setToolTip(tr("Keep a hash of every definition the servers in scope list now; a later change "
                             "becomes a finding and calls to the changed tool are held"));
    m_accept = new QPushButton(tr("&Accept…"), this);
    m_goToTool = new QPushButton(tr("&Go to Tool"), this);
    m_export = new QPushButton(tr("&Export…"), this);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Scope:"), this));
    bar->addWidget(m_scope);
    bar->addWidget(run);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Show:"), this));
    bar->addWidget(m_severity);
    bar->addStretch(1);
    for (QPushButton *b : {m_approve, m_accept, m_goToTool, m_export})
        bar->addWidget(b);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("findings"));
    m_tree->setModel(m_filter);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    // The finding's title takes what is left; where it is and the acceptance keep a readable width.
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ReviewModel::TitleColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(ReviewModel::SeverityColumn, QHeaderView::ResizeToContents);
    m_tree->header()->resizeSection(ReviewModel::WhereColumn, fontMetrics().averageCharWidth() * 34);
    m_tree->header()->resizeSection(ReviewModel::AcceptedColumn, fontMetrics().averageCharWidth() * 18);
    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("findingDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Select a finding to see its evidence and advice."));
    auto *split = new QSplitter(this);
    split->addWidget(m_tree);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({fontMetrics().averageCharWidth() * 120, fontMetrics().averageCharWidth() * 70});
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("reviewStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    m_rerun.setSingleShot(true);
    m_rerun.setInterval(300);
    connect(&m_rerun, &QTimer::timeout, this, &ReviewPane::runReview);
    connect(run, &QPushButton::clicked, this, &ReviewPane::runReview);
    connect(m_scope, &QComboBox::activated, this, &ReviewPane::runReview);
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setMinimumSeverity(review::Severity(m_severity->currentData().toInt()));
        m_tree->expandAll();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &ReviewPane::showCurrent);
    connect(m_approve, &QPushButton::clicked, this, &ReviewPane::approveDefinitions);
    connect(m_accept, &QPushButton::clicked, this, [this] {
        const review::Finding *f = currentFinding();
        if (f && m_store.acceptances().isAccepted(f->fingerprint()))
            revokeCurrent();
        else
            askReason();
    });
    connect(m_goToTool, &QPushButton::clicked, this, [this] {
        const review::Finding *f = currentFinding();
        if (Connection *c = f ? connectionNamed(f->location.server) : nullptr)
            Q_EMIT goToToolRequested(c, f->location.item);
    });
    connect(m_export, &QPushButton::clicked, this, &ReviewPane::chooseExportFile);

    for (Connection *c : m_connections->connections())
        watch(c);
    connect(m_connections, &ConnectionListModel::connectionAdded, this, [this](Connection *c) {
        watch(c);
        rebuildScopes();
    });
    // After the removal, when the list no longer holds it.
    connect(m_connections, &ConnectionListModel::connectionAboutToBeRemoved, this,
            [this] { QTimer::singleShot(0, this, &ReviewPane::rebuildScopes); });
    connect(m_connections, &ConnectionListModel::dataChanged, this, &ReviewPane::rebuildScopes);
    rebuildScopes();

    QString error;
    if (!m_store.load(&error))
        m_storeProblem = tr("The saved review decisions could not be read, so none apply: %1").arg(error);
    m_status->setText(m_storeProblem);
    showCurrent();
}

void ReviewPane::watch(Connection *connection)
{
    const auto rerunIfInScope = [this, connection] {
        if (m_hasRun && connectionsInScope().contains(connection))
            m_rerun.start();
    };
    connect(connection, &Connection::ready, this, rerunIfInScope);
    connect(connection, &Connection::notificationReceived, this, [rerunIfInScope](const QString &method) {
        if (method.endsWith(QLatin1String("/list_changed")))
            rerunIfInScope();
    });
}

void ReviewPane::rebuildScopes()
{
    const QString current = m_scope->currentData().toString();
    m_scope->clear();
    m_scope->addItem(tr("All open connections"), QString());
    for (const Connection *c : m_connections->connections())
        m_scope->addItem(c->profile().name, c->profile().id);
    m_scope->setCurrentIndex(qMax(0, m_scope->findData(current)));
}

void ReviewPane::setScope(Connection *connection)
{
    m_scope->setCurrentIndex(connection ? qMax(0, m_scope->findData(connection->profile().id)) : 0);
}

QList<Connection *> ReviewPane::connectionsInScope() const
{
    const QString id = m_scope->currentData().toString();
    QList<Connection *> scope;
    for (Connection *c : m_connections->connections())
        if (c->isReady() && (id.isEmpty() || c->profile().id == id))
            scope << c;
    return scope;
}

Connection *ReviewPane::connectionNamed(const QString &server) const
{
    for (const QPointer<Connection> &c : m_reviewed)
        if (c && c->profile().name == server)
            return c;
    return nullptr;
}

void ReviewPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_hasRun)
        m_rerun.start();
}

void ReviewPane::runReview()
{
    m_rerun.stop();
    m_hasRun = true;
    const int generation = ++m_generation;
    const QList<Connection *> targets = connectionsInScope();
    if (targets.isEmpty()) {
        m_snapshots.clear();
        m_reviewed.clear();
        finishReview({tr("No open connection to review: connect to a server first.")});
        return;
    }
    m_status->setText(tr("Reviewing %n server(s)…", nullptr, int(targets.size())));
    struct Run
    {
        QList<review::ServerSnapshot> snapshots;
        QList<QPointer<Connection>> connections;
        QList<bool> listed;
        QStringList errors;
        qsizetype pending = 0;
    };
    auto state = std::make_shared<Run>();
    state->pending = targets.size();
    for (Connection *c : targets) {
        review::ServerSnapshot snapshot;
        snapshot.name = c->profile().name;
        review::describeConnection(&snapshot, c->profile().transportConfig(), c->accessToken());
        state->snapshots << snapshot;
        state->connections << c;
        state->listed << false;
    }
    for (qsizetype i = 0; i < targets.size(); ++i) {
        review::collectDefinitions(
            targets[i]->session(),
            [this, state, generation, i](const Json &definitions, const mcp::Error &error) {
                if (generation != m_generation)
                    return; // a newer review is under way
                if (error)
                    state->errors << tr("%1: %2").arg(state->snapshots[i].name, error.toString());
                else
                    state->snapshots[i].definitions = definitions;
                state->listed[i] = !error;
                if (--state->pending > 0)
                    return;
                m_snapshots.clear();
                m_reviewed.clear();
                for (qsizetype j = 0; j < state->snapshots.size(); ++j) {
                    if (state->listed[j]) {
                        m_snapshots << state->snapshots[j];
                        m_reviewed << state->connections[j];
                    }
                }
                finishReview(state->errors);
            },
            this);
    }
}

void ReviewPane::finishReview(const QStringList &errors)
{
    const review::Finding *before = currentFinding();
    const QString selected = before ? before->fingerprint() : QString();
    QList<review::Finding> findings = review::reviewServers(m_snapshots, m_store.pins());
    // What each connection's traffic showed beyond its listings: orders in results and server requests,
    // definitions that changed mid-session.
    for (qsizetype i = 0; i < m_reviewed.size(); ++i)
        if (const Connection *c = m_reviewed[i]; c && c->session() && c->recorder())
            findings +=
                review::reviewTraffic(*c->recorder(), c->session()->connectionId(), m_snapshots[i].name)
                    .findings;
    review::sortFindings(&findings);
    m_model->setFindings(findings, m_store.acceptances());
    m_tree->expandAll();
    // The finding looked at before, else the most severe one, so its evidence is in view at once.
    bool reselected = false;
    for (int i = 0; i < findings.size() && !selected.isEmpty() && !reselected; ++i)
        if (findings[i].fingerprint() == selected)
            reselected = selectFinding(findings[i].ruleId, findings[i].location.item);
    if (!reselected && !findings.isEmpty())
        selectFinding(findings.first().ruleId, findings.first().location.item);

    qsizetype accepted = 0;
    for (const review::Finding &f : findings)
        accepted += m_store.acceptances().isAccepted(f.fingerprint());
    const auto highest = review::highestOpenSeverity(findings, m_store.acceptances());
    QStringList lines;
    if (!m_snapshots.isEmpty())
        lines << tr("%1 on %2, %3 accepted; highest open severity: %4")
                     .arg(tr("%n finding(s)", nullptr, int(findings.size())),
                          tr("%n server(s)", nullptr, int(m_snapshots.size())))
                     .arg(accepted)
                     .arg(highest ? review::severityName(*highest) : tr("none"));
    lines += errors;
    if (!m_storeProblem.isEmpty())
        lines << m_storeProblem; // until fixed: nothing the reviewer decides now can be kept
    m_status->setText(lines.join(QLatin1Char('\n')));
    showCurrent();
    Q_EMIT reviewed();
}

const review::Finding *ReviewPane::currentFinding() const
{
    return m_model->findingAt(m_filter->mapToSource(m_tree->currentIndex()));
}

bool ReviewPane::selectFinding(const QString &ruleId, const QString &item)
{
    // Three levels: server, category, finding.
    for (int s = 0; s < m_filter->rowCount(); ++s) {
        const QModelIndex server = m_filter->index(s, 0);
        for (int c = 0; c < m_filter->rowCount(server); ++c) {
            const QModelIndex category = m_filter->index(c, 0, server);
            for (int r = 0; r < m_filter->rowCount(category); ++r) {
                const QModelIndex index = m_filter->index(r, 0, category);
                const review::Finding *f = m_model->findingAt(m_filter->mapToSource(index));
                if (f && f->ruleId == ruleId && f->location.item == item) {
                    m_tree->setCurrentIndex(index);
                    m_tree->scrollTo(index);
                    return true;
                }
            }
        }
    }
    return false;
}

void ReviewPane::showCurrent()
{
    const review::Finding *f = currentFinding();
    m_accept->setEnabled(f);
    m_goToTool->setEnabled(f && f->location.itemKind == QLatin1String("tool") &&
                           !f->location.item.isEmpty() && connectionNamed(f->location.server));
    m_approve->setEnabled(!m_snapshots.isEmpty());
    m_export->setEnabled(m_hasRun);
    if (!f) {
        m_accept->setText(tr("&Accept…"));
        m_details->clear();
        return;
    }
    const QString fingerprint = f->fingerprint();
    const bool accepted = m_store.acceptances().isAccepted(fingerprint);
    m_accept->setText(accepted ? tr("Re&voke Acceptance") : tr("&Accept…"));
    QStringList text = {
        f->title,
        QString(),
        tr("Severity:  %1").arg(review::severityName(f->severity)),
        tr("Category:  %1 %2").arg(review::categoryId(f->category), review::categoryName(f->category)),
        tr("Server:    %1").arg(review::visibleText(f->location.server, 80)),
        tr("Where:     %1").arg(findingPlace(*f)),
        tr("Check:     %1 (fingerprint %2)").arg(f->ruleId, fingerprint)};
    if (accepted)
        text << tr("Accepted:  %1").arg(review::visibleText(m_store.acceptances().reason(fingerprint), 400));
    text << QString() << tr("Evidence (invisible characters spelled out):") << f->evidence << QString()
         << tr("Advice:") << f->advice;
    m_details->setPlainText(text.join(QLatin1Char('\n')));
}

void ReviewPane::askReason()
{
    const review::Finding *f = currentFinding();
    if (!f)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("acceptDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Accept Finding"));
    dialog->setLabelText(tr("Why may \"%1\" stay? The reason is kept with the finding and goes into exported "
                            "reports.")
                             .arg(f->title.left(120)));
    const QString fingerprint = f->fingerprint();
    connect(dialog, &QInputDialog::textValueSelected, this, [this, fingerprint](const QString &reason) {
        if (reason.trimmed().isEmpty())
            return;
        m_store.acceptances().accept(fingerprint, reason.trimmed());
        noteDecision(QStringLiteral("accept"), fingerprint, reason.trimmed());
        remember();
    });
    dialog->open();
}

void ReviewPane::acceptCurrent(const QString &reason)
{
    if (const review::Finding *f = currentFinding(); f && !reason.trimmed().isEmpty()) {
        m_store.acceptances().accept(f->fingerprint(), reason.trimmed());
        noteDecision(QStringLiteral("accept"), f->fingerprint(), reason.trimmed());
        remember();
    }
}

void ReviewPane::revokeCurrent()
{
    if (const review::Finding *f = currentFinding()) {
        m_store.acceptances().revoke(f->fingerprint());
        noteDecision(QStringLiteral("revoke acceptance"), f->fingerprint(), {});
        remember();
    }
}

void ReviewPane::noteDecision(const QString &event, const QString &fingerprint, const QString &reason)
{
    const review::Finding *f = currentFinding();
    if (Connection *c = f ? connectionNamed(f->location.server) : nullptr)
        c->noteUserAction(event, Json{{"finding", fingerprint.toStdString()},
                                      {"title", f->title.toStdString()},
                                      {"reason", reason.toStdString()}});
}

void ReviewPane::remember()
{
    QString error;
    if (!m_store.save(&error))
        m_status->setText(tr("The review decision holds for now but could not be saved: %1").arg(error));
    m_model->updateAccepted(m_store.acceptances());
    showCurrent();
}

void ReviewPane::approveDefinitions()
{
    for (qsizetype i = 0; i < m_snapshots.size(); ++i) {
        m_store.pins().approve(m_snapshots[i].name, m_snapshots[i].definitions);
        if (Connection *c = m_reviewed.value(i))
            c->noteUserAction(QStringLiteral("approve definitions"),
                              Json{{"server", m_snapshots[i].name.toStdString()}});
    }
    remember();
    runReview();
}

QString ReviewPane::holdReason(const Connection *connection, const QString &tool,
                               const Json &definition) const
{
    const QString server = connection->profile().name;
    const review::PinStore &pins = m_store.pins();
    if (!pins.hasServer(server))
        return {}; // never approved: nothing to hold against
    Json tools = Json::array();
    tools.push_back(definition);
    const auto held = pins.holdCall(server, {{"tools", tools}}, tool);
    if (!held)
        return {};
    const QList<review::Finding> findings = review::pinFindings(server, {*held});
    if (!findings.isEmpty() && m_store.acceptances().isAccepted(findings.first().fingerprint()))
        return {};
    return tr("%1\nLook at the change in the Review pane (View › Review), then approve the definitions again "
              "or accept the finding.")
        .arg(held->describe());
}

void ReviewPane::guardCalls(Connection *connection, ToolsPane *tools)
{
    tools->setCallGuard(
        [this, connection = QPointer<Connection>(connection)](const QString &tool, const Json &definition) {
            return connection ? holdReason(connection, tool, definition) : QString();
        });
}

bool ReviewPane::exportReport(const QString &path, review::ReportFormat format, QString *error) const
{
    review::Report report;
    for (const review::ServerSnapshot &s : m_snapshots)
        report.servers << s.name;
    report.findings = m_model->findings();
    report.accepted = m_store.acceptances();
    return review::writeFileAtomically(path, review::render(report, format), error);
}

void ReviewPane::chooseExportFile()
{
    auto *chooser = new QFileDialog(this, tr("Export Review"), QString(), QLatin1String(kFilters));
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    chooser->setAcceptMode(QFileDialog::AcceptSave);
    chooser->setDefaultSuffix(QStringLiteral("md"));
    connect(chooser, &QFileDialog::fileSelected, this, [this, chooser](const QString &path) {
        QString error;
        if (exportReport(path, formatFor(path, chooser->selectedNameFilter()), &error))
            return;
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Export Review"), error, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    chooser->open();
}

} // namespace mcpui
