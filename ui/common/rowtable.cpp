#include "rowtable.h"

#include <QHeaderView>
#include <QTableView>

namespace mcpui {

QTableView *makeRowTable(QAbstractItemModel *model, QWidget *parent, std::initializer_list<int> columnChars)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    int column = 0;
    for (const int chars : columnChars)
        view->horizontalHeader()->resizeSection(column++, view->fontMetrics().averageCharWidth() * chars);
    return view;
}

} // namespace mcpui
