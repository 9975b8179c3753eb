#pragma once

#include "collection/collectionrunner.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace mcpui {

class Connection;
class RunResultModel;

// Tools › Run Collection: a collection file run on the current connection, a row per request with its
// verdict, and the selected one's failures with their diffs (or its answer) below.
class CollectionRunDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CollectionRunDialog(Connection *connection, QWidget *parent = nullptr);

    // Reads the file; false with the problem shown (file, line or pointer, why).
    bool open(const QString &path);
    void run();
    bool isRunning() const { return m_runner != nullptr; }

    RunResultModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPlainTextEdit *details() const { return m_details; }
    QLabel *summary() const { return m_summary; }
    QPushButton *runButton() const { return m_run; }

Q_SIGNALS:
    void finished();

private:
    void showDetails();
    void updateButtons();

    Connection *m_connection;
    std::optional<mcp::collection::Collection> m_collection;
    QString m_path;
    QPointer<mcp::collection::CollectionRunner> m_runner;
    RunResultModel *m_model;
    QLabel *m_file;
    QLabel *m_summary;
    QTableView *m_view;
    QPlainTextEdit *m_details;
    QPushButton *m_run;
    QPushButton *m_choose;
};

} // namespace mcpui
