#pragma once

#include <QDialog>

class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;

namespace mcpui {

// Ctrl+K: type to find a tool, resource or prompt of any connection, Enter to go there.
class CommandPalette : public QDialog
{
    Q_OBJECT
public:
    enum Kind { Tool, Resource, Prompt };
    struct Entry
    {
        Kind kind;
        QString name; // tool/prompt name or resource URI
        QString detail;
        QString connection;
        int connectionRow;
    };

    explicit CommandPalette(QWidget *parent = nullptr);

    void setEntries(const QList<Entry> &entries);
    QLineEdit *searchEdit() const { return m_search; }
    QSortFilterProxyModel *results() const { return m_proxy; }
    void activate(int proxyRow);

Q_SIGNALS:
    void chosen(mcpui::CommandPalette::Kind kind, const QString &name, int connectionRow);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLineEdit *m_search;
    QListView *m_list;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_proxy;
};

} // namespace mcpui
