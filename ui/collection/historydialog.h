#pragma once

#include "collection/history.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace mcpui {

class HistoryModel;

// Tools › Request History: every request sent from the workbench (secrets redacted), searchable; the chosen
// one opens in its composer again, or is added to a collection file.
class HistoryDialog : public QDialog
{
    Q_OBJECT
public:
    HistoryDialog(mcp::collection::RequestHistory *history, QWidget *parent = nullptr);

    void reload();
    // Appends the selected request to the collection file (created when missing); false with *error.
    bool addSelectedToCollection(const QString &path, QString *error);

    QLineEdit *search() const { return m_search; }
    QTableView *view() const { return m_view; }
    HistoryModel *model() const { return m_model; }
    QPushButton *openButton() const { return m_open; }
    QPushButton *addButton() const { return m_add; }

Q_SIGNALS:
    void openRequested(const mcp::collection::HistoryEntry &entry);

private:
    const mcp::collection::HistoryEntry *selected() const;
    void updateButtons();

    mcp::collection::RequestHistory *m_history;
    HistoryModel *m_model;
    QLineEdit *m_search;
    QTableView *m_view;
    QLabel *m_count;
    QPushButton *m_open;
    QPushButton *m_add;
};

} // namespace mcpui
