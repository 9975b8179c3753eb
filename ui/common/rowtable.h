#pragma once

#include <initializer_list>

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace mcpui {

// A read-only table of one-line rows, one selected at a time. Rows have a fixed height and columns are not
// sized from their contents, so nothing here costs in proportion to the row count (a server may list
// thousands). columnChars: widths of the first columns in average characters; the last column stretches.
QTableView *makeRowTable(QAbstractItemModel *model, QWidget *parent,
                         std::initializer_list<int> columnChars = {});

} // namespace mcpui
