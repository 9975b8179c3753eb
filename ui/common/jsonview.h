#pragma once

#include "jsonrpc/json.h"

#include <QPointer>
#include <QTabWidget>
#include <memory>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace mcpui {

class JsonTreeModel;

// A JSON payload two ways: pretty-printed, highlighted text, and a foldable tree. A payload larger than the
// limit shows only its first part, indented without parsing, with a "Show all" button that formats the rest
// off the GUI thread, so a 50 MB frame opens at once.
class JsonView : public QTabWidget
{
    Q_OBJECT
public:
    enum Tab { TextTab, TreeTab };
    static constexpr qsizetype DefaultLimit = 256 * 1024;

    explicit JsonView(QWidget *parent = nullptr);
    ~JsonView() override;

    void setJson(const QByteArray &bytes);
    void clear() { setJson({}); }
    void showAll();
    void setLimit(qsizetype bytes) { m_limit = bytes; }

    bool isTruncated() const { return m_truncated; }
    QString text() const;
    QPlainTextEdit *textView() const { return m_text; }
    QTreeView *treeView() const { return m_tree; }
    QLabel *notice() const { return m_notice; }
    QPushButton *showAllButton() const { return m_showAll; }

Q_SIGNALS:
    void shownAll(); // the whole payload is formatted and shown

protected:
    void changeEvent(QEvent *event) override;

private:
    void setTree(std::shared_ptr<const mcp::Json> json);

    QPlainTextEdit *m_text;
    QPointer<QObject> m_highlighter; // null while a huge payload is shown whole, unhighlighted
    QTreeView *m_tree;
    JsonTreeModel *m_model;
    QWidget *m_truncationBar;
    QLabel *m_notice;
    QPushButton *m_showAll;
    QByteArray m_bytes;
    qsizetype m_limit = DefaultLimit;
    bool m_truncated = false;
    quint64 m_generation = 0; // a "Show all" still running for an older payload is dropped
};

// "1.2 KB", "50.0 MB": sizes as the traffic views show them.
QString formatDataSize(qint64 bytes);

} // namespace mcpui
