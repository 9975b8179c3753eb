#include "comparedialog.h"

#include "common/rowtable.h"
#include "connections/connection.h"
#include "connections/connectionlistmodel.h"
#include "review/findings.h"
#include "surface/surfacesnapshot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <memory>

namespace mcpui {

using mcp::Json;
namespace surface = mcp::surface;

namespace {

constexpr int kChooseFile = -1; // the baseline box's "Snapshot file…" entry
const char kFileFilter[] = "Surface snapshots (*.json);;All files (*)";

QString serverName(const Json &snapshot)
{
    return mcp::review::visibleText(
        mcp::stringOr(mcp::valueOr(snapshot, "serverInfo", Json::object()), "name"), 80);
}

} // namespace

CompareDialog::CompareDialog(ConnectionListModel *connections, Connection *subject, QWidget *parent)
    : QDialog(parent), m_connections(connections), m_subject(subject), m_model(new SurfaceDiffModel(this)),
      m_filter(new QSortFilterProxyModel(this)), m_view(nullptr), m_details(new QPlainTextEdit(this)),
      m_baseline(new QComboBox(this)), m_breakingOnly(new QCheckBox(tr("Breaking only"), this)),
      m_compare(new QPushButton(tr("Compare"), this)), m_summary(new QLabel(this)), m_sides(new QLabel(this)),
      m_status(new QLabel(this))
{
    setWindowTitle(tr("Compare Surface — %1").arg(subject->profile().name));
    connect(subject, &QObject::destroyed, this, &QDialog::reject); // its connection was removed
    m_filter->setSourceModel(m_model);
    m_filter->setFilterRole(SurfaceDiffModel::BreakingRole);
    m_view = makeRowTable(m_filter, this, {17, 44, 58});
    m_details->setReadOnly(true); // plain text: nothing a server wrote becomes markup
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_details->setPlaceholderText(tr("Select a change to see its value before and after."));
    m_summary->setTextFormat(Qt::PlainText);
    m_sides->setTextFormat(Qt::PlainText);
    m_sides->setWordWrap(true);
    m_sides->setForegroundRole(QPalette::PlaceholderText);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    QFont heading = m_summary->font();
    heading.setBold(true);
    heading.setPointSizeF(heading.pointSizeF() * 1.15);
    m_summary->setFont(heading);

    auto *saveButton = new QPushButton(tr("Save Snapshot…"), this);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Changes in %1 since").arg(subject->profile().name), this));
    top->addWidget(m_baseline, 1);
    top->addWidget(m_compare);
    top->addSpacing(16);
    top->addWidget(saveButton);

    auto *summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_summary, 1);
    summaryRow->addWidget(m_breakingOnly);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(summaryRow);
    layout->addWidget(m_sides);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(1150, 720);

    fillBaselines();
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_compare, &QPushButton::clicked, this, &CompareDialog::compareChosen);
    connect(saveButton, &QPushButton::clicked, this, [this] {
        auto *chooser = new QFileDialog(this, tr("Save Surface Snapshot"), QString(), tr(kFileFilter));
        chooser->setAttribute(Qt::WA_DeleteOnClose);
        chooser->setAcceptMode(QFileDialog::AcceptSave);
        chooser->setDefaultSuffix(QStringLiteral("json"));
        connect(chooser, &QFileDialog::fileSelected, this, &CompareDialog::saveSnapshot);
        chooser->open();
    });
    connect(m_breakingOnly, &QCheckBox::toggled, this,
            [this](bool only) { m_filter->setFilterFixedString(only ? QStringLiteral("true") : QString()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CompareDialog::showSelected);
    connect(m_connections, &ConnectionListModel::dataChanged, this, &CompareDialog::fillBaselines);
}

// The other connections that are ready, then a file.
void CompareDialog::fillBaselines()
{
    const QVariant chosen = m_baseline->currentData();
    m_baseline->clear();
    for (int row = 0; row < m_connections->rowCount(); ++row) {
        Connection *c = m_connections->at(row);
        if (c != m_subject && c->isReady())
            m_baseline->addItem(tr("connection %1").arg(c->profile().name), row);
    }
    m_baseline->addItem(tr("a snapshot file…"), kChooseFile);
    m_baseline->setCurrentIndex(std::max(0, m_baseline->findData(chosen)));
}

void CompareDialog::compareChosen()
{
    const int row = m_baseline->currentData().toInt();
    if (row != kChooseFile) {
        if (Connection *baseline = m_connections->at(row))
            return compareWithConnection(baseline);
    }
    auto *chooser = new QFileDialog(this, tr("Baseline Snapshot"), QString(), tr(kFileFilter));
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    chooser->setFileMode(QFileDialog::ExistingFile);
    connect(chooser, &QFileDialog::fileSelected, this, &CompareDialog::compareWithFile);
    chooser->open();
}

void CompareDialog::compareWithFile(const QString &path)
{
    QString error;
    m_baseline->setCurrentIndex(m_baseline->findData(kChooseFile));
    const Json baseline = surface::loadSnapshot(path, &error); // a bad file is known before any request
    if (baseline.is_discarded())
        return fail(error);
    withSnapshots(nullptr,
                  [this, baseline, path](const Json &, const Json &now) { showDiff(baseline, now, path); });
}

void CompareDialog::compareWithConnection(Connection *baseline)
{
    m_baseline->setCurrentIndex(std::max(0, m_baseline->findData(m_connections->indexOf(baseline))));
    const QString name = baseline->profile().name;
    withSnapshots(baseline,
                  [this, name](const Json &before, const Json &now) { showDiff(before, now, name); });
}

void CompareDialog::saveSnapshot(const QString &path)
{
    withSnapshots(nullptr, [this, path](const Json &, const Json &now) {
        QString error;
        if (!surface::saveSnapshot(path, now, &error))
            return fail(error);
        m_status->setText(tr("Snapshot of %1 saved to %2").arg(m_subject->profile().name, path));
        Q_EMIT saved(path);
    });
}

void CompareDialog::withSnapshots(Connection *baseline, std::function<void(const Json &, const Json &)> then)
{
    const QList<Connection *> sources{m_subject, baseline}; // now, then the baseline where there is one
    for (const Connection *c : sources)
        if (c && !c->isReady())
            return fail(tr("%1 is not connected").arg(c->profile().name));
    struct Pending
    {
        Json snapshots[2];
        int left = 0;
        bool failed = false;
    };
    const int count = baseline ? 2 : 1;
    auto pending = std::make_shared<Pending>();
    pending->left = count;
    m_compare->setEnabled(false);
    m_status->setText(tr("Listing what %1 offers…").arg(m_subject->profile().name));
    for (int i = 0; i < count; ++i) {
        surface::takeSnapshot(
            sources[i]->session(),
            [this, then, pending, i](const Json &snapshot, const mcp::Error &error) {
                if (pending->failed)
                    return;
                if (error) {
                    pending->failed = true;
                    return fail(error.toString());
                }
                pending->snapshots[i] = snapshot;
                if (--pending->left > 0)
                    return;
                m_compare->setEnabled(true);
                m_status->clear();
                then(pending->snapshots[1], pending->snapshots[0]);
            },
            this);
    }
}

void CompareDialog::showDiff(const Json &baseline, const Json &now, const QString &baselineName)
{
    m_model->setDiff(surface::diffSurfaces(baseline, now));
    const surface::SurfaceDiff &diff = m_model->diff();
    m_summary->setText(diff.summaryLine());
    m_sides->setText(
        tr("Baseline: %1 (%2)    Now: %3 (%4)")
            .arg(baselineName, serverName(baseline), m_subject->profile().name, serverName(now)));
    QPalette palette = m_summary->palette();
    if (diff.breakingCount() > 0)
        palette.setColor(QPalette::WindowText, QColor(0xd0, 0x30, 0x30));
    m_summary->setPalette(palette);
    m_details->clear();
    if (m_filter->rowCount() > 0)
        m_view->setCurrentIndex(m_filter->index(0, 0));
    Q_EMIT compared();
}

void CompareDialog::fail(const QString &reason)
{
    m_compare->setEnabled(true);
    m_status->setText(reason);
    Q_EMIT failed(reason);
}

void CompareDialog::showSelected()
{
    m_details->setPlainText(m_model->details(m_filter->mapToSource(m_view->currentIndex()).row()));
}

} // namespace mcpui
