#pragma once

#include "jsonrpc/json.h"
#include "schema/schemavalidator.h"

#include <QHash>
#include <QWidget>
#include <memory>

class QFormLayout;
class QVBoxLayout;

namespace mcpui {

// One editor for one node of a JSON Schema. value() is discarded (Json::value_t::discarded) when the field is
// empty and should be left out of its object.
class SchemaField : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual mcp::Json value() const = 0;
    virtual void setValue(const mcp::Json &value) = 0; // a discarded value clears the field

    // The editor for schema; path ("a.b") names its widgets "field:a.b" so tests and palettes can find them.
    static SchemaField *create(const mcp::Json &schema, const QString &path, QWidget *parent);
    static mcp::Json absent() { return mcp::Json(mcp::Json::value_t::discarded); }

Q_SIGNALS:
    void edited();
};

// Properties of an object schema as a form; nested objects become group boxes. Keys the schema does not
// describe are kept as they are, so a round trip through the form never loses them.
class ObjectField : public SchemaField
{
    Q_OBJECT
public:
    ObjectField(const mcp::Json &schema, const QString &path, bool nested, QWidget *parent);

    mcp::Json value() const override;
    void setValue(const mcp::Json &value) override;

private:
    QHash<QString, SchemaField *> m_fields;
    QStringList m_order;
    mcp::Json m_extra = mcp::Json::object();
    bool m_nested;
};

// A form for a whole schema (a tool's inputSchema, an elicitation's requestedSchema, a prompt's arguments).
class SchemaForm : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaForm(QWidget *parent = nullptr);

    void setSchema(const mcp::Json &schema); // compiles it once for check()
    const mcp::Json &schema() const { return m_schema; }
    mcp::schema::ValidationResult check(const mcp::Json &value) const;
    mcp::Json value() const;
    void setValue(const mcp::Json &value); // does not emit edited()

Q_SIGNALS:
    void edited();

private:
    mcp::Json m_schema;
    std::unique_ptr<mcp::schema::SchemaValidator> m_validator;
    ObjectField *m_root = nullptr;
    QVBoxLayout *m_layout;
};

} // namespace mcpui
