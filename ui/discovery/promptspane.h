#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace mcpui {

class BusyBar;

class Connection;
class JsonListModel;
class ResultView;
class SchemaForm;

// Prompts of one connection: pick one, fill its arguments (a form built like a tool's, offering the server's
// completions), get its messages.
class PromptsPane : public QWidget
{
    Q_OBJECT
public:
    explicit PromptsPane(Connection *connection, QWidget *parent = nullptr);

    void refresh();
    bool selectPrompt(const QString &name);
    void get();

    JsonListModel *model() const { return m_model; }
    SchemaForm *form() const { return m_form; }
    ResultView *resultView() const { return m_result; }
    BusyBar *busyBar() const { return m_busy; }

private:
    void onCurrentChanged();

    Connection *m_connection;
    JsonListModel *m_model;
    QTableView *m_view;
    SchemaForm *m_form;
    QLabel *m_completionStatus;
    QPushButton *m_get;
    ResultView *m_result;
    BusyBar *m_busy; // a get in flight
    QString m_prompt;
};

} // namespace mcpui
