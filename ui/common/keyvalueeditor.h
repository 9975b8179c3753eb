#pragma once

#include <QAbstractTableModel>
#include <QWidget>

class QCheckBox;
class QTableView;

namespace mcpui {

using KeyValue = std::pair<QString, QString>;

// "Name: value" or "KEY=value" split at the first separator and trimmed; without one, all of it is the name.
KeyValue splitKeyValue(const QString &line, QChar separator);

// Name/value pairs such as HTTP headers or environment variables. Values of secret names
// (mcp::redaction::isSecretSetting) are displayed masked until revealed, so a token never shows on a shared
// screen by accident; the edit role always holds the real value. The last row is empty, for adding.
class KeyValueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Value };

    explicit KeyValueModel(const QString &nameTitle, QObject *parent = nullptr);

    void setEntries(const QList<KeyValue> &entries);
    QList<KeyValue> entries() const; // without empty rows
    void setRevealed(bool revealed);
    bool isRevealed() const { return m_revealed; }
    bool isMasked(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void keepOneEmptyRow();

    QString m_nameTitle;
    QList<KeyValue> m_rows;
    bool m_revealed = false;
};

// A KeyValueModel in a table with a "Show secret values" switch; reads and writes "Name<sep>value" lines.
class KeyValueEditor : public QWidget
{
    Q_OBJECT
public:
    KeyValueEditor(const QString &nameTitle, QChar separator, QWidget *parent = nullptr);

    void setLines(const QStringList &lines);
    QStringList lines() const;
    KeyValueModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

private:
    QChar m_separator;
    KeyValueModel *m_model;
    QTableView *m_view;
    QCheckBox *m_reveal;
};

} // namespace mcpui
