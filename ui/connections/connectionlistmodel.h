#pragma once

#include "connection.h"

#include <QAbstractListModel>
#include <QStyledItemDelegate>

class QSettings;

namespace mcpui {

// The sidebar: every connection with its name, transport, state and last error. Owns the connections.
class ConnectionListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { TransportRole = Qt::UserRole + 1, StateRole, StateTextRole, ErrorRole };

    // Every connection keeps its tokens in `tokens`; removing a connection forgets them.
    ConnectionListModel(mcp::Recorder *recorder, std::shared_ptr<mcp::auth::TokenStore> tokens,
                        QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    Connection *at(int row) const { return m_connections.value(row); }
    int indexOf(const Connection *connection) const;
    Connection *findById(const QString &id) const;
    QList<Connection *> connections() const { return m_connections; }

    Connection *add(ConnectionProfile profile); // gives the profile an id if it has none
    void remove(int row);

    void load(QSettings &settings);
    void save(QSettings &settings) const;

Q_SIGNALS:
    void connectionAdded(mcpui::Connection *connection);
    void connectionAboutToBeRemoved(mcpui::Connection *connection);

private:
    mcp::Recorder *m_recorder;
    std::shared_ptr<mcp::auth::TokenStore> m_tokens;
    QList<Connection *> m_connections;
};

// Draws a connection as a state badge, its name, and a second line with the transport and state or the error.
class ConnectionDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QColor stateColor(Connection::State state);
};

} // namespace mcpui
