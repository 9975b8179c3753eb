#include "collectionrundialog.h"

#include "collection/collectionrunner.h"
#include "connections/connection.h"
#include "runresultmodel.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace mcpui {

namespace collection = mcp::collection;

CollectionRunDialog::CollectionRunDialog(Connection *connection, QWidget *parent)
    : QDialog(parent), m_connection(connection), m_model(new RunResultModel(this))
{
    setWindowTitle(tr("Run Collection — %1").arg(connection->profile().name));
    m_file = new QLabel(tr("No collection chosen."), this);
    m_file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_file->setWordWrap(true);
    m_choose = new QPushButton(tr("Choose…"), this);
    connect(m_choose, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Run Collection"), QString(), tr("Collections (*.json)"));
        if (!path.isEmpty())
            open(path);
    });
    m_run = new QPushButton(tr("Run"), this);
    m_run->setDefault(true);
    connect(m_run, &QPushButton::clicked, this, &CollectionRunDialog::run);
    auto *top = new QHBoxLayout;
    top->addWidget(m_file, 1);
    top->addWidget(m_choose);
    top->addWidget(m_run);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("collectionResults"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CollectionRunDialog::showDetails);
    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("collectionDetails"));
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    m_summary = new QLabel(this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    connect(connection, &Connection::changed, this, &CollectionRunDialog::updateButtons);
    resize(fontMetrics().averageCharWidth() * 140, fontMetrics().height() * 36);
    updateButtons();
}

bool CollectionRunDialog::open(const QString &path)
{
    collection::ParseProblem problem;
    m_collection = collection::loadCollection(path, &problem);
    m_path = path;
    if (!m_collection) {
        m_file->setText(tr("Cannot run %1").arg(problem.toString()));
        m_model->setCollection({});
        updateButtons();
        return false;
    }
    m_file->setText(tr("<b>%1</b> — %2 requests from %3")
                        .arg(m_collection->name.toHtmlEscaped())
                        .arg(m_collection->requests.size())
                        .arg(QDir::toNativeSeparators(path).toHtmlEscaped()));
    m_model->setCollection(*m_collection);
    m_view->resizeColumnsToContents();
    m_summary->clear();
    updateButtons();
    return true;
}

void CollectionRunDialog::run()
{
    if (!m_collection || m_runner || !m_connection->isReady())
        return;
    m_model->setCollection(*m_collection);
    m_runner = new collection::CollectionRunner(m_connection->session(), *m_collection,
                                                collection::processEnvironment(), this);
    connect(m_runner, &collection::CollectionRunner::stepStarted, m_model, &RunResultModel::setRunning);
    connect(m_runner, &collection::CollectionRunner::stepFinished, this, [this](int index) {
        m_model->setStep(index, m_runner->result().steps[index]);
        if (m_view->currentIndex().row() == index)
            showDetails();
    });
    connect(m_runner, &collection::CollectionRunner::finished, this, [this] {
        const collection::RunResult &run = m_runner->result();
        m_summary->setText(tr("%1 requests: %2 passed, %3 failed, %4 not sent (%5 ms)")
                               .arg(run.steps.size())
                               .arg(run.count(collection::StepResult::Status::Passed))
                               .arg(run.count(collection::StepResult::Status::Failed))
                               .arg(run.count(collection::StepResult::Status::Errored))
                               .arg(run.elapsedMs));
        // The first request that did not pass is what the user wants to see.
        for (int i = 0; i < run.steps.size(); ++i)
            if (run.steps[i].status != collection::StepResult::Status::Passed) {
                m_view->selectRow(i);
                break;
            }
        m_view->resizeColumnsToContents();
        m_runner->deleteLater();
        m_runner = nullptr;
        updateButtons();
        Q_EMIT finished();
    });
    m_summary->setText(tr("Running…"));
    updateButtons();
    m_runner->start(m_connection->profile().name);
}

void CollectionRunDialog::showDetails()
{
    m_details->setPlainText(m_model->details(m_view->currentIndex().row()));
}

void CollectionRunDialog::updateButtons()
{
    m_run->setEnabled(m_collection && !m_runner && m_connection->isReady());
    m_choose->setEnabled(!m_runner);
}

} // namespace mcpui
