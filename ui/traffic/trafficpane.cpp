#include "trafficpane.h"

#include "common/jsonview.h"
#include "traffic/framelinks.h"
#include "traffic/rawhttp.h"
#include "trafficmodel.h"

#include <QAction>
#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace mcpui {

using mcp::FrameRecord;
using mcp::jsonrpc::Kind;

TrafficPane::TrafficPane(mcp::Recorder *recorder, bool allConnections, QWidget *parent)
    : QWidget(parent), m_recorder(recorder), m_model(new TrafficModel(recorder, -1, this))
{
    if (!allConnections)
        m_model->setConnections({});

    // Filter bar: the core filter language, with chips that edit its text.
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("trafficFilter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter: method:tools/*  dir:in  error  latency>500ms  id:5  \"text\""));
    m_filter->setToolTip(tr("Terms separated by spaces must all hold; '!' negates one.\n"
                            "method:NAME (trailing * for a prefix)  id:ID  conn:NAME  dir:in|out\n"
                            "kind:request|response|notification|error  latency>500ms  size>10kb\n"
                            "error  unpaired  and free text searched in the frame's bytes"));
    m_filterTimer = new QTimer(this);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(200); // one rebuild per typing pause, not per key
    connect(m_filterTimer, &QTimer::timeout, this, &TrafficPane::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filter, &QLineEdit::returnPressed, this, &TrafficPane::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, this, &TrafficPane::syncChips);

    m_filterError = new QLabel(this);
    m_filterError->setObjectName(QStringLiteral("filterError"));
    m_filterError->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_filterError->setWordWrap(true);
    m_filterError->hide();

    m_toolBar = new QToolBar(this);
    m_toolBar->setObjectName(QStringLiteral("trafficToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(addChip(tr("→ Out"), QStringLiteral("dir:out"), QStringLiteral("dir:in")));
    bar->addWidget(addChip(tr("← In"), QStringLiteral("dir:in"), QStringLiteral("dir:out")));
    bar->addWidget(addChip(tr("Errors"), QStringLiteral("error"), {}));
    bar->addWidget(m_toolBar);

    m_follow = new QToolButton(this);
    m_follow->setObjectName(QStringLiteral("follow"));
    m_follow->setText(tr("Follow"));
    m_follow->setToolTip(tr("Follow the live tail (selecting a frame pauses it)"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    connect(m_follow, &QToolButton::toggled, this, &TrafficPane::setFollowing);
    m_newFrames = new QToolButton(this);
    m_newFrames->setObjectName(QStringLiteral("newFrames"));
    m_newFrames->setToolTip(tr("Frames that arrived while paused; click to follow again"));
    m_newFrames->hide();
    connect(m_newFrames, &QToolButton::clicked, this, [this] { setFollowing(true); });
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("frameCount"));
    bar->addWidget(m_newFrames);
    bar->addWidget(m_follow);
    bar->addWidget(m_count);

    // The table: fixed row height and column widths, so a million rows cost nothing to lay out.
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("trafficTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setStretchLastSection(true);
    const int ch = fontMetrics().averageCharWidth();
    const int widths[TrafficModel::ColumnCount] = {14, 18, 7, 30, 6, 10, 10, 12};
    for (int c = 0; c < TrafficModel::ColumnCount; ++c)
        columns->resizeSection(c, widths[c] * ch + 12);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    m_goToRelated = new QAction(tr("Go to Response"), this);
    m_goToRelated->setObjectName(QStringLiteral("goToRelated"));
    m_goToRelated->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period)); // Wireshark's "corresponding packet"
    m_goToRelated->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_goToRelated->setEnabled(false);
    connect(m_goToRelated, &QAction::triggered, this, &TrafficPane::goToRelated);
    addAction(m_goToRelated);
    m_menu = new QMenu(this);
    m_menu->addAction(m_goToRelated);
    m_menu->addSeparator();
    connect(m_view, &QWidget::customContextMenuRequested, this,
            [this](const QPoint &pos) { m_menu->popup(m_view->viewport()->mapToGlobal(pos)); });
    connect(m_view, &QAbstractItemView::doubleClicked, this, &TrafficPane::goToRelated);

    // Detail: a header with links to related frames, then Text / Tree / HTTP.
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("detailHeader"));
    m_header->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_header->setTextFormat(Qt::RichText);
    connect(m_header, &QLabel::linkActivated, this,
            [this](const QString &link) { selectRecorderIndex(link.section(QLatin1Char(':'), 1).toInt()); });
    m_json = new JsonView(this);
    m_json->setObjectName(QStringLiteral("frameJson"));
    m_http = new QPlainTextEdit(this);
    m_http->setObjectName(QStringLiteral("rawHttp"));
    m_http->setReadOnly(true);
    m_http->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_http->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_reveal = new QCheckBox(tr("Reveal secrets"), this);
    m_reveal->setObjectName(QStringLiteral("revealSecrets"));
    m_reveal->setToolTip(tr("Show Authorization, cookies, session ids and token fields unmasked"));
    connect(m_reveal, &QCheckBox::toggled, this, &TrafficPane::showHttp);
    m_httpPage = new QWidget(this);
    auto *httpLayout = new QVBoxLayout(m_httpPage);
    httpLayout->setContentsMargins(0, 2, 0, 0);
    httpLayout->addWidget(m_reveal);
    httpLayout->addWidget(m_http, 1);
    m_json->addTab(m_httpPage, tr("HTTP"));

    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_header);
    detailLayout->addWidget(m_json, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_filterError);
    layout->addWidget(split, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid())
                    return;
                if (!m_selecting)
                    setFollowing(false); // the chosen row stays where it is
                showFrame(m_model->recorderIndex(current.row()));
            });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TrafficPane::selectionChanged);
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                if (isFollowing())
                    m_view->scrollToBottom();
                else
                    m_newWhilePaused += last - first + 1;
                updateNewFrames();
            });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_selecting = true;
        if (!selectRecorderIndex(m_current))
            showFrame(-1);
        m_selecting = false;
        if (isFollowing())
            m_view->scrollToBottom();
        updateNewFrames();
    });
    connect(m_recorder, &mcp::Recorder::httpRecorded, this, [this] {
        if (m_current >= 0)
            showHttp(); // the exchange is recorded when it ends, after its frames
    });
    showFrame(-1);
    updateNewFrames();
}

QToolButton *TrafficPane::addChip(const QString &text, const QString &term, const QString &excludes)
{
    auto *chip = new QToolButton(this);
    chip->setObjectName(QStringLiteral("chip:") + term);
    chip->setText(text);
    chip->setCheckable(true);
    chip->setToolTip(tr("Adds or removes \"%1\" in the filter").arg(term));
    connect(chip, &QToolButton::clicked, this, [this, term, excludes](bool on) {
        QStringList terms = m_filter->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        terms.removeAll(term);
        terms.removeAll(excludes);
        if (on)
            terms.append(term);
        m_filter->setText(terms.join(QLatin1Char(' ')));
        applyFilter();
    });
    m_chips.append({chip, term});
    return chip;
}

void TrafficPane::syncChips()
{
    const QStringList terms = m_filter->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const auto &[chip, term] : std::as_const(m_chips))
        chip->setChecked(terms.contains(term));
}

void TrafficPane::applyFilter()
{
    m_filterTimer->stop();
    QString error;
    if (m_model->setFilterText(m_filter->text(), &error)) {
        m_filterError->hide();
        return;
    }
    m_filterError->setText(tr("%1 — still showing the previous filter's frames.").arg(error));
    m_filterError->show();
}

void TrafficPane::setConnections(const QList<int> &recorderConnections)
{
    m_model->setConnections(recorderConnections);
}

std::vector<int> TrafficPane::selectedRecorderIndices() const
{
    std::vector<int> out;
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows())
        out.push_back(m_model->recorderIndex(row.row()));
    std::sort(out.begin(), out.end());
    return out;
}

bool TrafficPane::selectRecorderIndex(int index)
{
    m_model->flush();
    const int row = index < 0 ? -1 : m_model->rowOf(index);
    if (row < 0)
        return false;
    const QModelIndex cell = m_model->index(row, 0);
    m_view->selectionModel()->setCurrentIndex(cell, QItemSelectionModel::ClearAndSelect |
                                                        QItemSelectionModel::Rows);
    m_view->scrollTo(cell);
    return true;
}

int TrafficPane::relatedFrame(int index) const
{
    if (index < 0)
        return -1;
    const FrameRecord &f = m_recorder->at(index);
    return f.kind == Kind::Notification ? mcp::framelinks::requestOf(*m_recorder, index) : f.pairedIndex;
}

bool TrafficPane::goToRelated()
{
    const int target = relatedFrame(m_current);
    if (target < 0)
        return false;
    if (selectRecorderIndex(target))
        return true;
    m_header->setText(m_header->text() + tr(" — frame #%1 is hidden by the filter").arg(target));
    return false;
}

static QString kindText(const FrameRecord &f)
{
    if (f.parseFailed())
        return QObject::tr("malformed frame");
    switch (f.kind) {
    case Kind::Request:
        return QObject::tr("request");
    case Kind::Response:
        return QObject::tr("response");
    case Kind::Error:
        return QObject::tr("error response");
    case Kind::Notification:
        return QObject::tr("notification");
    }
    return {};
}

static QString frameLink(int index, const QString &text)
{
    return QStringLiteral("<a href=\"frame:%1\">%2</a>").arg(index).arg(text.toHtmlEscaped());
}

void TrafficPane::showFrame(int index)
{
    m_current = index;
    if (index < 0) {
        m_header->setText(tr("Select a frame to see its JSON and the HTTP exchange that carried it."));
        m_goToRelated->setEnabled(false);
        m_json->clear();
        m_http->clear();
        return;
    }
    const FrameRecord &f = m_recorder->at(index);
    QStringList parts = {QStringLiteral("<b>#%1</b>").arg(index),
                         f.direction == mcp::Direction::Sent ? tr("→ sent") : tr("← received"),
                         (m_recorder->method(f) + QLatin1Char(' ') + kindText(f)).trimmed().toHtmlEscaped()};
    if (!f.id.isEmpty())
        parts << tr("id %1").arg(QString::fromUtf8(f.id).toHtmlEscaped());
    parts << formatDataSize(f.bytes.size());
    if (f.latencyUs >= 0)
        parts << tr("%1 ms").arg(f.latencyUs / 1000.0, 0, 'f', 1);
    const int related = relatedFrame(index);
    const bool request = f.kind == Kind::Request;
    const QString jump = request ? tr("Go to Response") : tr("Go to Request");
    if (related >= 0)
        parts << frameLink(related, QStringLiteral("%1 #%2").arg(jump).arg(related));
    else if (request)
        parts << tr("no response yet");
    if (request) {
        const std::vector<int> notes = mcp::framelinks::notificationsOf(*m_recorder, index);
        if (!notes.empty())
            parts << frameLink(notes.front(), notes.size() == 1 ? tr("1 notification")
                                                                : tr("%1 notifications").arg(notes.size()));
    }
    m_header->setText(parts.join(QStringLiteral(" · ")));
    m_goToRelated->setText(jump);
    m_goToRelated->setEnabled(related >= 0);
    m_json->setJson(f.bytes);
    showHttp();
}

void TrafficPane::changeEvent(QEvent *event)
{
    // Rich text takes its link colour from the palette when it is set: set it again in the new theme's.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        const QString header = m_header->text();
        m_header->clear();
        m_header->setText(header);
    }
    QWidget::changeEvent(event);
}

void TrafficPane::showHttp()
{
    if (m_current < 0)
        return;
    const std::vector<int> exchanges = mcp::framelinks::httpExchangesOf(*m_recorder, m_current);
    const bool redact = !m_reveal->isChecked();
    QByteArray text;
    for (int x : exchanges)
        text += mcp::formatHttpExchange(m_recorder->httpExchanges()[size_t(x)].exchange, redact) + '\n';
    if (exchanges.empty())
        text = tr("No recorded HTTP exchange carried this frame: the connection is not HTTP, or the exchange "
                  "(for example a GET event stream) is still open; it is recorded when it ends.")
                   .toUtf8();
    const int scroll = m_http->verticalScrollBar()->value();
    m_http->setPlainText(QString::fromUtf8(text));
    m_http->verticalScrollBar()->setValue(scroll);
    m_reveal->setEnabled(!exchanges.empty());
}

void TrafficPane::setFollowing(bool follow)
{
    {
        const QSignalBlocker block(m_follow);
        m_follow->setChecked(follow);
    }
    if (follow) {
        m_newWhilePaused = 0;
        m_view->scrollToBottom();
    }
    updateNewFrames();
}

bool TrafficPane::isFollowing() const
{
    return m_follow->isChecked();
}

void TrafficPane::updateNewFrames()
{
    m_newFrames->setText(tr("%1 new").arg(m_newWhilePaused));
    m_newFrames->setVisible(!isFollowing() && m_newWhilePaused > 0);
    m_count->setText(tr("%1 frames").arg(QLocale().toString(m_model->rowCount())));
}

} // namespace mcpui
