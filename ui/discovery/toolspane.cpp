#include "toolspane.h"

#include "collection/collection.h"
#include "common/rowtable.h"
#include "composer/composer.h"
#include "composer/resultview.h"
#include "connections/connection.h"
#include "jsonlistmodel.h"
#include "traffic/recorder.h"

#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTime>
#include <QVBoxLayout>

namespace mcpui {

using mcp::Json;

namespace {

QString annotationsText(const Json &tool)
{
    const Json a = mcp::valueOr(tool, "annotations", Json::object());
    QStringList hints;
    if (mcp::valueOr(a, "readOnlyHint", false))
        hints << QObject::tr("read-only");
    if (mcp::valueOr(a, "destructiveHint", false))
        hints << QObject::tr("destructive");
    if (mcp::valueOr(a, "idempotentHint", false))
        hints << QObject::tr("idempotent");
    if (mcp::valueOr(a, "openWorldHint", false))
        hints << QObject::tr("open world");
    return hints.join(QStringLiteral(", "));
}

QString firstLine(const QString &text)
{
    return text.section(QLatin1Char('\n'), 0, 0);
}

} // namespace

ToolsPane::ToolsPane(Connection *connection, QWidget *parent) : QWidget(parent), m_connection(connection)
{
    m_model = new JsonListModel(
        {{tr("Name"), [](const Json &t) { return mcp::stringOr(t, "name"); }},
         {tr("Title"),
          [](const Json &t) {
              return mcp::stringOr(t, "title",
                                   mcp::stringOr(mcp::valueOr(t, "annotations", Json::object()), "title"));
          }},
         {tr("Description"), [](const Json &t) { return firstLine(mcp::stringOr(t, "description")); }},
         {tr("Annotations"), annotationsText}},
        this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("toolFilter"));
    m_filter->setPlaceholderText(tr("Filter tools"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view = makeRowTable(m_proxy, this, {26, 18});
    m_view->setObjectName(QStringLiteral("tools"));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // server order until the user sorts
    m_view->horizontalHeader()->resizeSection(2, m_view->fontMetrics().averageCharWidth() * 40);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ToolsPane::onCurrentChanged);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_view);

    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("toolDetails"));
    m_history = new QListWidget(this);
    m_history->setObjectName(QStringLiteral("history"));
    m_history->setToolTip(tr("Double-click to load a request into the composer"));
    connect(m_history, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const Json entry = Json::parse(item->data(Qt::UserRole).toString().toStdString());
        if (selectTool(mcp::stringOr(entry, "name")))
            m_composer->setArguments(entry["arguments"]);
    });
    auto *info = new QTabWidget(this);
    info->addTab(m_details, tr("Details"));
    info->addTab(m_history, tr("History"));

    m_composer = new Composer(this);
    connect(m_composer, &Composer::sendRequested, this, &ToolsPane::send);
    connect(m_composer, &Composer::cancelRequested, this, &ToolsPane::cancel);
    connect(m_composer, &Composer::saveRequested, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save to Collection"), QString(),
                                                          tr("Collections (*.json)"), nullptr,
                                                          QFileDialog::DontConfirmOverwrite);
        QString error;
        if (!path.isEmpty() && !saveToCollection(path, &error))
            m_result->showError(error);
    });
    m_result = new ResultView(this);
    m_result->setObjectName(QStringLiteral("result"));
    connect(m_result, &ResultView::openInTrafficRequested, this, [this] {
        if (m_resultFrame >= 0)
            Q_EMIT openFrameRequested(m_resultFrame);
    });

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(info);
    right->addWidget(m_composer);
    right->addWidget(m_result);
    const int line = fontMetrics().height();
    right->setSizes({line * 8, line * 14, line * 18}); // details, composer, result

    auto *split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(right);
    split->setSizes({line * 30, line * 50});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(connection, &Connection::changed, this, [this] {
        m_composer->setConnected(m_connection->isReady());
        if (m_running >= 0 && !m_connection->isReady()) { // the session is gone with its pending requests
            m_running = -1;
            m_composer->setRunning(false);
            m_result->showError(tr("The connection was lost: %1").arg(m_connection->lastError()));
        }
    });
    connect(connection, &Connection::progress, this,
            [this](qint64 id, double progress, double total, const QString &message) {
                if (id == m_running)
                    m_composer->setProgress(progress, total, message);
            });
    connect(connection, &Connection::notificationReceived, this, [this](const QString &method) {
        if (method == QLatin1String("notifications/tools/list_changed"))
            refresh();
    });
}

void ToolsPane::refresh()
{
    if (!m_connection->isReady())
        return;
    // Rows appear page by page, so a server with thousands of tools never stalls the window.
    // A refresh may start while an earlier one is still paging (list_changed arrives early): only the
    // newest may fill the model.
    const int generation = ++m_listGeneration;
    const QString current = m_composer->target();
    m_model->clear();
    m_connection->session()->listAll(
        QStringLiteral("tools/list"), QStringLiteral("tools"),
        [this, current, generation](const mcp::Reply &r) {
            if (generation != m_listGeneration)
                return;
            if (!r.ok()) {
                m_details->setPlainText(tr("Could not list tools: %1").arg(r.error.toString()));
                return;
            }
            if (!selectTool(current))
                m_composer->setTarget(QString(), Json::object());
        },
        this, 1000,
        [this, generation](const Json &page) {
            if (generation == m_listGeneration)
                m_model->appendItems(page);
        });
}

bool ToolsPane::selectTool(const QString &name)
{
    const int row = name.isEmpty() ? -1 : m_model->findRow(name);
    if (row < 0)
        return false;
    if (m_filter->text().size() && !m_proxy->mapFromSource(m_model->index(row, 0)).isValid())
        m_filter->clear();
    m_view->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)));
    m_view->scrollTo(m_view->currentIndex());
    onCurrentChanged(); // also when the row was already current (after a refresh)
    return true;
}

Json ToolsPane::currentTool() const
{
    const QModelIndex index = m_proxy->mapToSource(m_view->currentIndex());
    return index.isValid() ? m_model->item(index.row()) : Json::object();
}

void ToolsPane::onCurrentChanged()
{
    const Json tool = currentTool();
    const QString name = mcp::stringOr(tool, "name");
    if (name.isEmpty())
        return;
    QString html = QStringLiteral("<h3>%1</h3>").arg(mcp::stringOr(tool, "title", name).toHtmlEscaped());
    html += QStringLiteral("<p><code>%1</code> %2</p>")
                .arg(name.toHtmlEscaped(), annotationsText(tool).toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>")
                .arg(mcp::stringOr(tool, "description")
                         .toHtmlEscaped()
                         .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    for (const char *key : {"inputSchema", "outputSchema"})
        if (tool.contains(key))
            html += QStringLiteral("<h4>%1</h4><pre>%2</pre>")
                        .arg(QString::fromLatin1(key), mcp::dumpPretty(tool[key]).toHtmlEscaped());
    m_details->setHtml(html);
    if (name != m_composer->target())
        m_composer->setTarget(name, mcp::valueOr(tool, "inputSchema", Json::object()));
}

void ToolsPane::send()
{
    if (!m_connection->isReady() || m_running >= 0)
        return;
    const Json tool = currentTool();
    const QString name = m_composer->target();
    if (const QString held = m_callGuard ? m_callGuard(name, tool) : QString(); !held.isEmpty()) {
        m_result->showError(tr("Call held, not sent: %1").arg(held));
        return;
    }
    const Json arguments = m_composer->arguments();
    const Json entry = {{"name", mcp::toStd(name)}, {"arguments", arguments}};
    auto *item = new QListWidgetItem(QStringLiteral("%1  %2  %3")
                                         .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), name,
                                              QString::fromUtf8(mcp::dumpCompact(arguments)).left(120)));
    item->setData(Qt::UserRole, QString::fromUtf8(mcp::dumpCompact(entry)));
    m_history->insertItem(0, item);

    mcp::RequestOptions options;
    options.reportProgress = true;
    const Json outputSchema = mcp::valueOr(tool, "outputSchema", Json());
    m_result->showNote(tr("Calling %1…").arg(name));
    m_composer->setRunning(true);
    // The reply may come before request() returns (an in-process transport); then nothing is running.
    auto answered = std::make_shared<bool>(false);
    m_connection->noteUserAction(QStringLiteral("request"), {{"method", "tools/call"}, {"params", entry}});
    const qint64 id = m_connection->session()->request(
        QStringLiteral("tools/call"), entry,
        [this, outputSchema, answered](const mcp::Reply &r) {
            *answered = true;
            m_running = -1;
            m_composer->setRunning(false);
            m_resultFrame = lastResponseFrame();
            const mcp::Recorder *recorder = m_connection->recorder();
            if (r.ok())
                m_result->showToolResult(r.result, outputSchema,
                                         m_resultFrame >= 0 ? recorder->at(m_resultFrame).bytes
                                                            : QByteArray());
            else
                m_result->showError(r.error.toString());
        },
        options, this);
    if (!*answered)
        m_running = id;
}

bool ToolsPane::saveToCollection(const QString &path, QString *error)
{
    const QString name = m_composer->target();
    if (name.isEmpty())
        return false;
    QStringList variables;
    const Json params = {{"name", mcp::toStd(name)}, {"arguments", m_composer->arguments()}};
    if (!mcp::collection::appendRequest(path, QStringLiteral("tools/call"), params, &variables, error))
        return false;
    QString note = tr("%1 added to the collection %2.").arg(name, QDir::toNativeSeparators(path));
    if (!variables.isEmpty())
        note += QLatin1Char(' ') + tr("Secret values were written as references: set %1 when running it.")
                                       .arg(variables.join(QStringLiteral(", ")));
    m_result->showNote(note);
    return true;
}

// The reply being handled: the session records each frame before it handles it, so it is the last frame
// received on this connection (looked for among the last few, notifications may follow in a batch).
int ToolsPane::lastResponseFrame() const
{
    const mcp::Recorder *recorder = m_connection->recorder();
    const mcp::ClientSession *session = m_connection->session();
    if (!recorder || !session)
        return -1;
    for (qsizetype i = recorder->size() - 1; i >= qMax<qsizetype>(0, recorder->size() - 64); --i) {
        const mcp::FrameRecord &f = recorder->at(i);
        if (f.connection == session->connectionId() && f.direction == mcp::Direction::Received &&
            (f.kind == mcp::jsonrpc::Kind::Response || f.kind == mcp::jsonrpc::Kind::Error))
            return int(i);
    }
    return -1;
}

void ToolsPane::cancel()
{
    if (m_running >= 0 && m_connection->session())
        m_connection->session()->cancel(m_running, tr("cancelled by the user"));
}

} // namespace mcpui
