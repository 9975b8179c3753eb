#include "commandpalette.h"

#include <QCoreApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace mcpui {

namespace {
enum Role { KindRole = Qt::UserRole + 1, NameRole, RowRole };
}

CommandPalette::CommandPalette(QWidget *parent) : QDialog(parent, Qt::Popup)
{
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("paletteSearch"));
    m_search->setPlaceholderText(tr("Search tools, resources and prompts of every connection"));
    m_model = new QStandardItemModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_list = new QListView(this);
    m_list->setModel(m_proxy);
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_list);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        m_list->setCurrentIndex(m_proxy->index(0, 0));
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { activate(m_list->currentIndex().row()); });
    connect(m_list, &QListView::activated, this, [this](const QModelIndex &index) { activate(index.row()); });
    m_search->installEventFilter(this);
    resize(fontMetrics().averageCharWidth() * 90, fontMetrics().height() * 24);
}

void CommandPalette::setEntries(const QList<Entry> &entries)
{
    static const QStringList kinds{tr("Tool"), tr("Resource"), tr("Prompt")};
    m_model->clear();
    for (const Entry &e : entries) {
        auto *item =
            new QStandardItem(QStringLiteral("%1  %2 — %3%4")
                                  .arg(kinds[e.kind], e.name, e.connection,
                                       e.detail.isEmpty() ? QString() : QStringLiteral(" · ") + e.detail));
        item->setData(e.kind, KindRole);
        item->setData(e.name, NameRole);
        item->setData(e.connectionRow, RowRole);
        m_model->appendRow(item);
    }
    m_search->clear();
    m_list->setCurrentIndex(m_proxy->index(0, 0));
    m_search->setFocus();
}

void CommandPalette::activate(int proxyRow)
{
    const QModelIndex index = m_proxy->index(proxyRow, 0);
    if (!index.isValid())
        return;
    hide();
    Q_EMIT chosen(Kind(index.data(KindRole).toInt()), index.data(NameRole).toString(),
                  index.data(RowRole).toInt());
}

// Up and down move through the results while typing continues in the search field.
bool CommandPalette::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp || key == Qt::Key_PageDown) {
            QCoreApplication::sendEvent(m_list, event);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace mcpui
