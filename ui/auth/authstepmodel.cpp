#include "authstepmodel.h"

#include "authcolors.h"
#include "common/plaintext.h"

#include <QFont>
#include <QGuiApplication>

namespace mcpui {

using mcp::auth::AuthFlow;
using mcp::auth::AuthStep;

AuthStepModel::AuthStepModel(QObject *parent) : QAbstractTableModel(parent)
{}

QString AuthStepModel::stateName(State state)
{
    switch (state) {
    case State::Running:
        return tr("running");
    case State::Paused:
        return tr("paused (next)");
    case State::Done:
        return tr("done");
    case State::Failed:
        return tr("failed");
    }
    return {};
}

void AuthStepModel::setFlow(AuthFlow *flow)
{
    if (m_flow)
        m_flow->disconnect(this);
    beginResetModel();
    m_flow = flow;
    m_rows.clear();
    m_authorizationUrl.clear();
    endResetModel();
    end({}, false);
    if (!flow)
        return;
    connect(flow, &AuthFlow::stepStarted, this, [this](int index, const QString &name) {
        dropPausedRow();
        AuthStep step;
        step.name = name;
        if (index < m_rows.size())
            setRow(index, {step, State::Running});
        else {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append({step, State::Running});
            endInsertRows();
        }
    });
    connect(flow, &AuthFlow::stepFinished, this, [this](int index, const AuthStep &step) {
        if (index < m_rows.size() && m_rows[index].state != State::Paused)
            setRow(index, {step, step.failed ? State::Failed : State::Done});
    });
    connect(flow, &AuthFlow::paused, this, [this](const QString &next) {
        AuthStep step;
        step.name = next;
        step.decision = tr("waiting: Step, Continue or Run to end");
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append({step, State::Paused});
        endInsertRows();
    });
    connect(flow, &AuthFlow::authorizationUrlReady, this,
            [this](const QUrl &url) { m_authorizationUrl = url; });
    connect(flow, &AuthFlow::finished, this,
            [this] { end(tr("authorized: the access token is in use"), true); });
    connect(flow, &AuthFlow::failed, this, [this](const mcp::Error &error) {
        dropPausedRow();
        // A cancel ends a running step without a verdict of its own.
        for (int row = 0; row < m_rows.size(); ++row)
            if (m_rows[row].state == State::Running) {
                Row r = m_rows[row];
                r.state = State::Failed;
                r.step.failed = true;
                r.step.reason = error.message;
                setRow(row, r);
            }
        end(error.toString(), false);
    });
}

void AuthStepModel::setRow(int row, const Row &value)
{
    m_rows[row] = value;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void AuthStepModel::dropPausedRow()
{
    if (m_rows.isEmpty() || m_rows.last().state != State::Paused)
        return;
    beginRemoveRows({}, int(m_rows.size()) - 1, int(m_rows.size()) - 1);
    m_rows.removeLast();
    endRemoveRows();
}

void AuthStepModel::end(const QString &outcome, bool succeeded)
{
    m_outcome = outcome;
    m_succeeded = succeeded;
    Q_EMIT outcomeChanged(outcome);
}

int AuthStepModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuthStepModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuthStepModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return r.step.tampered ? r.step.name + tr("  TAMPERED") : r.step.name;
        case StateColumn:
            return stateName(r.state);
        case DecisionColumn:
            return (r.state == State::Failed ? r.step.reason : r.step.decision).simplified();
        }
        return {};
    case Qt::ToolTipRole:
        return plainToolTip(r.step.reason.isEmpty() ? r.step.decision
                                                    : r.step.decision + QStringLiteral("\n") + r.step.reason);
    case Qt::ForegroundRole:
        if (r.state == State::Failed)
            return failedColor(QGuiApplication::palette());
        if (r.step.tampered)
            return tamperedColor(QGuiApplication::palette());
        return {};
    case Qt::FontRole:
        if (r.state == State::Paused || r.state == State::Running) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case StateRole:
        return int(r.state);
    case TamperedRole:
        return r.step.tampered;
    }
    return {};
}

QVariant AuthStepModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case NameColumn:
        return tr("Step");
    case StateColumn:
        return tr("State");
    case DecisionColumn:
        return tr("Decision");
    }
    return {};
}

} // namespace mcpui
