#pragma once

#include <QSet>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace mcpui {

class BusyBar;

class Connection;
class JsonListModel;
class ResultView;
class SchemaForm;

// Resources and resource templates of one connection: read, subscribe, and re-read on resources/updated. A
// template's variables are fields (with the server's completions) that fill in the URI.
class ResourcesPane : public QWidget
{
    Q_OBJECT
public:
    explicit ResourcesPane(Connection *connection, QWidget *parent = nullptr);

    void refresh();
    bool selectResource(const QString &uri);

    JsonListModel *resources() const { return m_resources; }
    JsonListModel *templates() const { return m_templates; }
    QLineEdit *uriEdit() const { return m_uri; }
    SchemaForm *templateVariables() const { return m_variables; }
    ResultView *resultView() const { return m_result; }
    BusyBar *busyBar() const { return m_busy; }
    void read();
    void toggleSubscription();

private:
    void updateSubscribeButton();
    void showTemplate(const QString &uriTemplate); // empty: a plain resource, no variables

    Connection *m_connection;
    JsonListModel *m_resources;
    JsonListModel *m_templates;
    QSortFilterProxyModel *m_resourceProxy;
    QTableView *m_resourceView;
    QTabWidget *m_lists;
    QLineEdit *m_uri;
    SchemaForm *m_variables; // of the chosen template
    QLabel *m_completionStatus;
    QPushButton *m_read;
    QPushButton *m_subscribe;
    ResultView *m_result;
    BusyBar *m_busy; // a read in flight
    QString m_shown; // the URI whose contents the result view shows
    QSet<QString> m_subscribed;
};

} // namespace mcpui
