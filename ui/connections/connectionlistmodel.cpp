#include "connectionlistmodel.h"

#include "common/plaintext.h"

#include <QApplication>
#include <QPainter>
#include <QSettings>
#include <QUuid>

namespace mcpui {

ConnectionListModel::ConnectionListModel(mcp::Recorder *recorder,
                                         std::shared_ptr<mcp::auth::TokenStore> tokens, QObject *parent)
    : QAbstractListModel(parent), m_recorder(recorder), m_tokens(std::move(tokens))
{}

int ConnectionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_connections.size());
}

QVariant ConnectionListModel::data(const QModelIndex &index, int role) const
{
    const Connection *c = at(index.row());
    if (!c)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return c->profile().name;
    case Qt::ToolTipRole:
        return c->lastError().isEmpty()
                   ? QStringLiteral("%1 — %2").arg(c->profile().transportLabel(), c->stateText())
                   : plainToolTip(c->lastError());
    case Qt::AccessibleTextRole:
        return QStringLiteral("%1, %2, %3")
            .arg(c->profile().name, c->profile().transportLabel(),
                 c->state() == Connection::State::Failed ? c->lastError() : c->stateText());
    case TransportRole:
        return c->profile().transportLabel();
    case StateRole:
        return QVariant::fromValue(c->state());
    case StateTextRole:
        return c->stateText();
    case ErrorRole:
        return c->state() == Connection::State::Failed ? c->lastError() : QString();
    default:
        return {};
    }
}

int ConnectionListModel::indexOf(const Connection *connection) const
{
    return int(m_connections.indexOf(const_cast<Connection *>(connection)));
}

Connection *ConnectionListModel::findById(const QString &id) const
{
    for (Connection *c : m_connections)
        if (c->profile().id == id)
            return c;
    return nullptr;
}

Connection *ConnectionListModel::add(ConnectionProfile profile)
{
    if (profile.id.isEmpty())
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto *c = new Connection(std::move(profile), m_recorder, m_tokens, this);
    connect(c, &Connection::changed, this, [this, c] {
        const QModelIndex i = index(indexOf(c));
        Q_EMIT dataChanged(i, i);
    });
    beginInsertRows({}, rowCount(), rowCount());
    m_connections.append(c);
    endInsertRows();
    Q_EMIT connectionAdded(c);
    return c;
}

void ConnectionListModel::remove(int row)
{
    Connection *c = at(row);
    if (!c)
        return;
    Q_EMIT connectionAboutToBeRemoved(c);
    beginRemoveRows({}, row, row);
    m_connections.removeAt(row);
    endRemoveRows();
    c->close();
    m_tokens->clear(c->profile().id);
    c->deleteLater();
}

void ConnectionListModel::load(QSettings &settings)
{
    for (const ConnectionProfile &p : ConnectionProfile::load(settings))
        add(p);
}

void ConnectionListModel::save(QSettings &settings) const
{
    QList<ConnectionProfile> profiles;
    for (const Connection *c : m_connections)
        profiles.append(c->profile());
    ConnectionProfile::save(settings, profiles);
}

QColor ConnectionDelegate::stateColor(Connection::State state)
{
    switch (state) {
    case Connection::State::Ready:
        return QColor(0x2e, 0xa0, 0x43);
    case Connection::State::Connecting:
    case Connection::State::Initializing:
        return QColor(0xd4, 0x9a, 0x1a);
    case Connection::State::Failed:
        return QColor(0xd0, 0x30, 0x30);
    default:
        return QColor(0x88, 0x88, 0x88);
    }
}

QSize ConnectionDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const int line = option.fontMetrics.height();
    return QSize(line * 12, line * 2 + line / 2 + 6);
}

void ConnectionDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget); // background and selection

    const auto state = index.data(ConnectionListModel::StateRole).value<Connection::State>();
    const QString error = index.data(ConnectionListModel::ErrorRole).toString();
    const int line = opt.fontMetrics.height();
    const QRect r = opt.rect.adjusted(line / 2, 3, -line / 2, -3);
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorRole textRole = selected ? QPalette::HighlightedText : QPalette::Text;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const int badge = line * 2 / 3;
    painter->setPen(Qt::NoPen);
    painter->setBrush(stateColor(state));
    painter->drawEllipse(QRect(r.left(), r.top() + (line - badge) / 2, badge, badge));

    const QRect text = r.adjusted(badge + line / 2, 0, 0, 0);
    QFont bold = opt.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(opt.palette.color(textRole));
    painter->drawText(QRect(text.left(), text.top(), text.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(bold).elidedText(index.data().toString(), Qt::ElideRight, text.width()));

    painter->setFont(opt.font);
    const QString second =
        error.isEmpty()
            ? QStringLiteral("%1 · %2").arg(index.data(ConnectionListModel::TransportRole).toString(),
                                            index.data(ConnectionListModel::StateTextRole).toString())
            : error;
    QColor secondColor = opt.palette.color(QPalette::Disabled, textRole);
    if (!error.isEmpty())
        secondColor = selected ? opt.palette.color(textRole) : stateColor(state);
    painter->setPen(secondColor);
    painter->drawText(QRect(text.left(), text.top() + line + line / 4, text.width(), line),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      opt.fontMetrics.elidedText(second, Qt::ElideRight, text.width()));
    painter->restore();
}

} // namespace mcpui
