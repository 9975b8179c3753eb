#pragma once

#include "jsonrpc/json.h"

#include <QAbstractItemModel>
#include <memory>
#include <vector>

namespace mcpui {

// A JSON document as a foldable tree (key, value, type), after Wireshark's proto tree: nodes for a
// container's children are made only when a view first asks for them, so a huge document costs what is
// expanded.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Key, Value, Type, ColumnCount };

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setJson(std::shared_ptr<const mcp::Json> json);
    void clear() { setJson(nullptr); }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString key;
        const mcp::Json *value = nullptr;
        Node *parent = nullptr;
        int row = 0;
        bool populated = false;
        std::vector<std::unique_ptr<Node>> children;
    };
    Node *nodeOf(const QModelIndex &index) const;
    static void populate(Node *node);

    std::shared_ptr<const mcp::Json> m_json;
    std::unique_ptr<Node> m_root;
};

} // namespace mcpui
