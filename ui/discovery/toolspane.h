#pragma once

#include "jsonrpc/json.h"

#include <QWidget>
#include <functional>

class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace mcpui {

class Composer;
class Connection;
class JsonListModel;
class ResultView;

// Tools of one connection: a filtered list, the selected tool's details, the composer, the result, history.
class ToolsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ToolsPane(Connection *connection, QWidget *parent = nullptr);

    void refresh(); // tools/list, every page
    // Asked before each call with the tool's name and definition as listed: a reason to hold the call (shown
    // instead of a result), or empty to send it. The review's pinning holds tools changed since approval.
    using CallGuard = std::function<QString(const QString &tool, const mcp::Json &definition)>;
    void setCallGuard(CallGuard guard) { m_callGuard = std::move(guard); }
    bool selectTool(const QString &name);
    // The composer's call appended to a collection file; the result view says where, and which ${env:}
    // variables its secret values became. False with *error.
    bool saveToCollection(const QString &path, QString *error);

    JsonListModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    Composer *composer() const { return m_composer; }
    ResultView *resultView() const { return m_result; }
    QListWidget *history() const { return m_history; }

Q_SIGNALS:
    void openFrameRequested(int recorderIndex); // the last result's frame, in the traffic detail

private:
    void onCurrentChanged();
    int lastResponseFrame() const;
    void send();
    void cancel();
    mcp::Json currentTool() const;

    Connection *m_connection;
    JsonListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QTextBrowser *m_details;
    QListWidget *m_history;
    Composer *m_composer;
    ResultView *m_result;
    qint64 m_running = -1;    // request id of the call in flight
    int m_resultFrame = -1;   // the recorder index of the result shown
    int m_listGeneration = 0; // the refresh whose pages may fill the model
    CallGuard m_callGuard;
};

} // namespace mcpui
