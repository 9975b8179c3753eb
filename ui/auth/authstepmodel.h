#pragma once

#include "auth/authflow.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QUrl>

namespace mcpui {

// The steps of one authorization flow as rows: the steps run so far (copied as they finish, so the rows
// outlive the flow) and, while the flow is paused, the step it will run next.
class AuthStepModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, StateColumn, DecisionColumn, ColumnCount };
    enum class State { Running, Paused, Done, Failed };
    enum Role { StateRole = Qt::UserRole + 1, TamperedRole };

    explicit AuthStepModel(QObject *parent = nullptr);

    // Clears the rows and follows this flow (null: just clear).
    void setFlow(mcp::auth::AuthFlow *flow);
    mcp::auth::AuthFlow *flow() const { return m_flow; }

    const mcp::auth::AuthStep &step(int row) const { return m_rows.at(row).step; }
    State state(int row) const { return m_rows.at(row).state; }
    // The URL the authorization request sent the user agent to (empty until then).
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    // The flow's end: empty while it runs; else "authorized" or the error with its step.
    QString outcome() const { return m_outcome; }
    bool succeeded() const { return m_succeeded; }

    static QString stateName(State state);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void outcomeChanged(const QString &outcome);

private:
    struct Row
    {
        mcp::auth::AuthStep step;
        State state = State::Running;
    };
    void setRow(int row, const Row &value);
    void dropPausedRow();
    void end(const QString &outcome, bool succeeded);

    QPointer<mcp::auth::AuthFlow> m_flow;
    QList<Row> m_rows;
    QUrl m_authorizationUrl;
    QString m_outcome;
    bool m_succeeded = false;
};

} // namespace mcpui
