#include "jsontreemodel.h"

#include "common/plaintext.h"

namespace mcpui {

using mcp::Json;

JsonTreeModel::JsonTreeModel(QObject *parent) : QAbstractItemModel(parent)
{}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setJson(std::shared_ptr<const Json> json)
{
    beginResetModel();
    m_json = std::move(json);
    m_root.reset();
    if (m_json) {
        // The document itself is the one top-level row, so even a scalar shows.
        m_root = std::make_unique<Node>();
        m_root->populated = true;
        auto top = std::make_unique<Node>();
        top->key = m_json->is_array() ? QStringLiteral("[ ]") : QStringLiteral("{ }");
        top->value = m_json.get();
        top->parent = m_root.get();
        m_root->children.push_back(std::move(top));
    }
    endResetModel();
}

void JsonTreeModel::populate(Node *node)
{
    if (node->populated)
        return;
    node->populated = true;
    const Json &v = *node->value;
    if (!v.is_structured())
        return;
    node->children.reserve(v.size());
    int row = 0;
    for (auto it = v.begin(); it != v.end(); ++it, ++row) {
        auto child = std::make_unique<Node>();
        child->key = v.is_object() ? QString::fromStdString(it.key()) : QStringLiteral("[%1]").arg(row);
        child->value = &*it;
        child->parent = node;
        child->row = row;
        node->children.push_back(std::move(child));
    }
}

JsonTreeModel::Node *JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    Node *node = nodeOf(parent);
    if (!node || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    populate(node);
    return size_t(row) < node->children.size() ? createIndex(row, column, node->children[size_t(row)].get())
                                               : QModelIndex();
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    const Node *node = nodeOf(child);
    if (!child.isValid() || !node->parent || node->parent == m_root.get())
        return {};
    return createIndex(node->parent->row, 0, node->parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    if (!node || parent.column() > 0)
        return 0;
    // Counted from the JSON, so asking does not create the children.
    return node == m_root.get()           ? int(node->children.size())
           : node->value->is_structured() ? int(node->value->size())
                                          : 0;
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

static QString preview(const Json &v)
{
    if (v.is_object())
        return QStringLiteral("{%1}").arg(v.size());
    if (v.is_array())
        return QStringLiteral("[%1]").arg(v.size());
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    return QString::fromStdString(v.dump());
}

static QString typeName(const Json &v)
{
    switch (v.type()) {
    case Json::value_t::object:
        return QStringLiteral("object");
    case Json::value_t::array:
        return QStringLiteral("array");
    case Json::value_t::string:
        return QStringLiteral("string");
    case Json::value_t::boolean:
        return QStringLiteral("boolean");
    case Json::value_t::null:
        return QStringLiteral("null");
    default:
        return QStringLiteral("number");
    }
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeOf(index);
    if (role == Qt::ToolTipRole && index.column() == Value && node->value->is_string())
        return plainToolTip(preview(*node->value).left(4096));
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Key:
        return node->key;
    case Value:
        return preview(*node->value).left(1024).replace(QLatin1Char('\n'), QStringLiteral("⏎"));
    case Type:
        return typeName(*node->value);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList names = {tr("Key"), tr("Value"), tr("Type")};
    return names.value(section);
}

} // namespace mcpui
