#include "keyvalueeditor.h"

#include "traffic/redaction.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace mcpui {

namespace {

constexpr int kMaskLength = 8; // fixed, so the mask does not tell the secret's length

// Edits masked values in a password field, so revealing stays an explicit choice while typing too.
class SecretValueDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override
    {
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        auto *model = qobject_cast<const KeyValueModel *>(index.model());
        if (auto *line = qobject_cast<QLineEdit *>(editor); line && model && model->isMasked(index.row()))
            line->setEchoMode(QLineEdit::Password);
        return editor;
    }
};

} // namespace

KeyValue splitKeyValue(const QString &line, QChar separator)
{
    const qsizetype at = line.indexOf(separator);
    if (at < 0)
        return {line.trimmed(), QString()};
    return {line.left(at).trimmed(), line.mid(at + 1).trimmed()};
}

KeyValueModel::KeyValueModel(const QString &nameTitle, QObject *parent)
    : QAbstractTableModel(parent), m_nameTitle(nameTitle)
{
    keepOneEmptyRow();
}

void KeyValueModel::setEntries(const QList<KeyValue> &entries)
{
    beginResetModel();
    m_rows = entries;
    m_rows.append(KeyValue());
    endResetModel();
}

QList<KeyValue> KeyValueModel::entries() const
{
    QList<KeyValue> result;
    for (const auto &row : m_rows)
        if (!row.first.trimmed().isEmpty())
            result.append(KeyValue{row.first.trimmed(), row.second.trimmed()});
    return result;
}

void KeyValueModel::setRevealed(bool revealed)
{
    m_revealed = revealed;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Value), index(rowCount() - 1, Value));
}

bool KeyValueModel::isMasked(int row) const
{
    return !m_revealed && row >= 0 && row < m_rows.size() &&
           mcp::redaction::isSecretSetting(m_rows[row].first.toUtf8(), m_rows[row].second.toUtf8());
}

int KeyValueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KeyValueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 2;
}

QVariant KeyValueModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::EditRole))
        return {};
    const auto &row = m_rows[index.row()];
    if (index.column() == Name)
        return row.first;
    if (role == Qt::DisplayRole && isMasked(index.row()) && !row.second.isEmpty())
        return QString(kMaskLength, QChar(0x2022)); // •
    return row.second;
}

bool KeyValueModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole)
        return false;
    auto &row = m_rows[index.row()];
    (index.column() == Name ? row.first : row.second) = value.toString();
    Q_EMIT dataChanged(index.siblingAtColumn(Name), index.siblingAtColumn(Value));
    keepOneEmptyRow();
    return true;
}

Qt::ItemFlags KeyValueModel::flags(const QModelIndex &index) const
{
    return QAbstractTableModel::flags(index) | Qt::ItemIsEditable;
}

QVariant KeyValueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Name ? m_nameTitle : tr("Value");
}

// Rows emptied by the user go away; exactly one empty row stays at the end for the next entry.
void KeyValueModel::keepOneEmptyRow()
{
    for (int row = int(m_rows.size()) - 2; row >= 0; --row) {
        if (m_rows[row].first.isEmpty() && m_rows[row].second.isEmpty()) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    if (m_rows.isEmpty() || !m_rows.last().first.isEmpty() || !m_rows.last().second.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append(KeyValue());
        endInsertRows();
    }
}

KeyValueEditor::KeyValueEditor(const QString &nameTitle, QChar separator, QWidget *parent)
    : QWidget(parent), m_separator(separator), m_model(new KeyValueModel(nameTitle, this)),
      m_view(new QTableView(this)), m_reveal(new QCheckBox(tr("Show secret values"), this))
{
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(KeyValueModel::Value, new SecretValueDelegate(m_view));
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(KeyValueModel::Name, fontMetrics().averageCharWidth() * 24);
    m_view->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_view->setTabKeyNavigation(false);
    m_view->setFixedHeight(m_view->horizontalHeader()->sizeHint().height() +
                           m_view->verticalHeader()->defaultSectionSize() * 4 + 4);
    m_reveal->setToolTip(tr("Values of Authorization, cookies, tokens and keys are masked on screen"));
    connect(m_reveal, &QCheckBox::toggled, m_model, &KeyValueModel::setRevealed);
    setFocusProxy(m_view);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addWidget(m_reveal, 0, Qt::AlignRight);
}

void KeyValueEditor::setLines(const QStringList &lines)
{
    QList<KeyValue> entries;
    for (const QString &line : lines)
        entries.append(splitKeyValue(line, m_separator));
    m_model->setEntries(entries);
}

QStringList KeyValueEditor::lines() const
{
    const QString separator = m_separator == QLatin1Char(':') ? QStringLiteral(": ") : QString(m_separator);
    QStringList result;
    for (const auto &[name, value] : m_model->entries())
        result << name + separator + value;
    return result;
}

} // namespace mcpui
