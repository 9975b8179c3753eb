#include "historydialog.h"

#include "collection/collection.h"
#include "historymodel.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace mcpui {

namespace collection = mcp::collection;

HistoryDialog::HistoryDialog(collection::RequestHistory *history, QWidget *parent)
    : QDialog(parent), m_history(history), m_model(new HistoryModel(this))
{
    setWindowTitle(tr("Request History"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setPlaceholderText(tr("Search method, connection, tool, arguments…"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setSearch(text);
        updateButtons();
    });
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("history"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    connect(m_view, &QTableView::activated, this, [this] { m_open->click(); });
    m_count = new QLabel(this);
    m_open = new QPushButton(tr("Open in Composer"), this);
    m_add = new QPushButton(tr("Add to Collection…"), this);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (const collection::HistoryEntry *e = selected())
            Q_EMIT openRequested(*e);
    });
    connect(m_add, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Add to Collection"), QString(), tr("Collections (*.json)"),
                                         nullptr, QFileDialog::DontConfirmOverwrite);
        QString error;
        if (!path.isEmpty() && !addSelectedToCollection(path, &error))
            QMessageBox::warning(this, tr("Add to Collection"), error);
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_open, QDialogButtonBox::ActionRole);
    buttons->addButton(m_add, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_view);
    layout->addWidget(m_count);
    layout->addWidget(buttons);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryDialog::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                &HistoryDialog::updateButtons, Qt::UniqueConnection);
    });
    resize(fontMetrics().averageCharWidth() * 140, fontMetrics().height() * 30);
    reload();
}

void HistoryDialog::reload()
{
    m_model->setEntries(m_history->entries());
    m_view->resizeColumnsToContents();
    updateButtons();
}

const collection::HistoryEntry *HistoryDialog::selected() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : &m_model->entry(rows.first().row());
}

void HistoryDialog::updateButtons()
{
    const bool any = selected() != nullptr;
    m_open->setEnabled(any);
    m_add->setEnabled(any);
    m_count->setText(tr("%1 of %2 requests · kept in %3")
                         .arg(m_model->rowCount())
                         .arg(m_model->totalCount())
                         .arg(QDir::toNativeSeparators(m_history->path())));
}

bool HistoryDialog::addSelectedToCollection(const QString &path, QString *error)
{
    const collection::HistoryEntry *e = selected();
    QStringList variables;
    return e && collection::appendRequest(path, e->method, e->params, &variables, error);
}

} // namespace mcpui
