#include "schemaform.h"

#include "formschema.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace mcpui {

using mcp::Json;

namespace {

QString fieldName(const QString &path)
{
    return QStringLiteral("field:") + path;
}

QString textOf(const Json &v)
{
    if (v.is_discarded() || v.is_null())
        return {};
    return v.is_string() ? mcp::toQString(v.get<std::string>()) : mcp::toQString(v.dump());
}

// Long or formatted text gets a multi-line editor.
bool wantsMultiline(const Json &schema)
{
    const QString format = mcp::stringOr(schema, "format");
    return mcp::valueOr(schema, "maxLength", 0) > 200 || schema.contains("contentMediaType") ||
           format == QLatin1String("textarea") || format == QLatin1String("markdown") ||
           format == QLatin1String("multiline");
}

// string, number and integer: typed as text; what does not parse as the schema's type stays a string, so that
// validation names the mistake instead of the form silently dropping it.
class ScalarField : public SchemaField
{
public:
    ScalarField(const Json &schema, const QString &path, QWidget *parent)
        : SchemaField(parent), m_type(schemaType(schema))
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        QString hint = mcp::stringOr(schema, "description");
        if (const QString format = mcp::stringOr(schema, "format"); !format.isEmpty())
            hint = hint.isEmpty() ? format : QStringLiteral("%1 (%2)").arg(hint, format);
        if (m_type == QLatin1String("string") && wantsMultiline(schema)) {
            m_multi = new QPlainTextEdit(this);
            m_multi->setObjectName(fieldName(path));
            m_multi->setPlaceholderText(hint);
            m_multi->setTabChangesFocus(true);
            m_multi->setFixedHeight(m_multi->fontMetrics().height() * 5 + 12);
            connect(m_multi, &QPlainTextEdit::textChanged, this, &SchemaField::edited);
            layout->addWidget(m_multi);
        } else {
            m_line = new QLineEdit(this);
            m_line->setObjectName(fieldName(path));
            m_line->setPlaceholderText(hint);
            m_line->setClearButtonEnabled(true);
            connect(m_line, &QLineEdit::textEdited, this, &SchemaField::edited);
            layout->addWidget(m_line);
        }
    }

    Json value() const override
    {
        const QString text = m_line ? m_line->text() : m_multi->toPlainText();
        if (text.isEmpty())
            return absent();
        if (m_type == QLatin1String("integer") || m_type == QLatin1String("number")) {
            bool ok = false;
            if (const qlonglong i = text.toLongLong(&ok); ok)
                return i;
            if (const double d = text.toDouble(&ok); ok && m_type == QLatin1String("number"))
                return d;
        }
        return mcp::toStd(text);
    }

    void setValue(const Json &value) override
    {
        if (m_line)
            m_line->setText(textOf(value));
        else
            m_multi->setPlainText(textOf(value));
    }

private:
    QString m_type;
    QLineEdit *m_line = nullptr;
    QPlainTextEdit *m_multi = nullptr;
};

// Left out until the user ticks it (or the schema gives a default), so optional flags are not sent by
// accident.
class BoolField : public SchemaField
{
public:
    BoolField(const QString &path, QWidget *parent) : SchemaField(parent)
    {
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        m_box = new QCheckBox(this);
        m_box->setObjectName(fieldName(path));
        layout->addWidget(m_box);
        m_state = new QLabel(tr("(not set)"), this);
        m_state->setEnabled(false);
        layout->addWidget(m_state);
        layout->addStretch();
        connect(m_box, &QCheckBox::clicked, this, [this] {
            m_set = true;
            m_state->hide();
            Q_EMIT edited();
        });
    }

    Json value() const override { return m_set ? Json(m_box->isChecked()) : absent(); }
    void setValue(const Json &value) override
    {
        m_set = value.is_boolean();
        m_box->setChecked(m_set && value.get<bool>());
        m_state->setVisible(!m_set);
    }

private:
    QCheckBox *m_box;
    QLabel *m_state;
    bool m_set = false;
};

class EnumField : public SchemaField
{
public:
    EnumField(const QList<EnumOption> &options, const QString &path, QWidget *parent) : SchemaField(parent)
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        m_combo = new QComboBox(this);
        m_combo->setObjectName(fieldName(path));
        m_combo->addItem(tr("(not set)"));
        for (const EnumOption &o : options) {
            m_combo->addItem(o.title);
            m_values.push_back(o.value);
        }
        layout->addWidget(m_combo);
        connect(m_combo, &QComboBox::activated, this, &SchemaField::edited);
    }

    Json value() const override
    {
        const int i = m_combo->currentIndex();
        return i > 0 ? m_values[size_t(i - 1)] : absent();
    }
    void setValue(const Json &value) override
    {
        const auto it = std::find(m_values.begin(), m_values.end(), value);
        m_combo->setCurrentIndex(it == m_values.end() ? 0 : int(it - m_values.begin()) + 1);
    }

private:
    QComboBox *m_combo;
    std::vector<Json> m_values;
};

// An array of enum values: one check box per choice.
class MultiChoiceField : public SchemaField
{
public:
    MultiChoiceField(const QList<EnumOption> &options, const QString &path, QWidget *parent)
        : SchemaField(parent)
    {
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        for (const EnumOption &o : options) {
            auto *box = new QCheckBox(o.title, this);
            box->setObjectName(fieldName(path) + QLatin1Char('=') + textOf(o.value));
            connect(box, &QCheckBox::clicked, this, &SchemaField::edited);
            layout->addWidget(box);
            m_boxes.append({box, o.value});
        }
        layout->addStretch();
    }

    Json value() const override
    {
        Json chosen = Json::array();
        for (const auto &[box, v] : m_boxes)
            if (box->isChecked())
                chosen.push_back(v);
        return chosen.empty() ? absent() : chosen;
    }
    void setValue(const Json &value) override
    {
        for (const auto &[box, v] : m_boxes)
            box->setChecked(value.is_array() && std::find(value.begin(), value.end(), v) != value.end());
    }

private:
    QList<QPair<QCheckBox *, Json>> m_boxes;
};

// Items added and removed by the user, each edited by the items' schema.
class ArrayField : public SchemaField
{
public:
    ArrayField(const Json &schema, const QString &path, QWidget *parent)
        : SchemaField(parent), m_items(mcp::valueOr(schema, "items", Json::object())), m_path(path)
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        m_rows = new QVBoxLayout;
        layout->addLayout(m_rows);
        auto *add = new QPushButton(tr("Add item"), this);
        add->setObjectName(QStringLiteral("add:") + path);
        connect(add, &QPushButton::clicked, this, [this] {
            addRow(absent());
            Q_EMIT edited();
        });
        auto *row = new QHBoxLayout;
        row->addWidget(add);
        row->addStretch();
        layout->addLayout(row);
    }

    Json value() const override
    {
        if (m_fields.isEmpty())
            return absent();
        Json items = Json::array();
        for (const SchemaField *f : m_fields)
            if (const Json v = f->value(); !v.is_discarded())
                items.push_back(v);
        return items;
    }

    void setValue(const Json &value) override
    {
        while (!m_fields.isEmpty())
            removeRow(m_fields.last());
        if (value.is_array())
            for (const Json &item : value)
                addRow(item);
    }

private:
    void addRow(const Json &value)
    {
        auto *row = new QWidget(this);
        auto *layout = new QHBoxLayout(row);
        layout->setContentsMargins(0, 0, 0, 0);
        SchemaField *field =
            SchemaField::create(m_items, QStringLiteral("%1[%2]").arg(m_path).arg(m_fields.size()), row);
        if (!value.is_discarded())
            field->setValue(value);
        connect(field, &SchemaField::edited, this, &SchemaField::edited);
        auto *remove = new QPushButton(tr("Remove"), row);
        connect(remove, &QPushButton::clicked, this, [this, field] {
            removeRow(field);
            Q_EMIT edited();
        });
        layout->addWidget(field, 1);
        layout->addWidget(remove, 0, Qt::AlignTop);
        m_rows->addWidget(row);
        m_fields.append(field);
    }

    void removeRow(SchemaField *field)
    {
        m_fields.removeOne(field);
        delete field->parentWidget();
    }

    Json m_items;
    QString m_path;
    QVBoxLayout *m_rows;
    QList<SchemaField *> m_fields;
};

// Anything the form cannot model (unions, untyped values): edited as JSON text.
class JsonField : public SchemaField
{
public:
    JsonField(const Json &schema, const QString &path, QWidget *parent) : SchemaField(parent)
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        m_edit = new QLineEdit(this);
        m_edit->setObjectName(fieldName(path));
        m_edit->setPlaceholderText(tr("JSON value") + QStringLiteral(" — ") +
                                   mcp::stringOr(schema, "description"));
        layout->addWidget(m_edit);
        connect(m_edit, &QLineEdit::textEdited, this, &SchemaField::edited);
    }

    Json value() const override
    {
        const QString text = m_edit->text().trimmed();
        if (text.isEmpty())
            return absent();
        Json parsed = Json::parse(text.toStdString(), nullptr, false);
        return parsed.is_discarded() ? Json(text.toStdString()) : parsed;
    }
    void setValue(const Json &value) override
    {
        m_edit->setText(value.is_discarded() ? QString() : mcp::toQString(value.dump()));
    }

private:
    QLineEdit *m_edit;
};

} // namespace

SchemaField *SchemaField::create(const Json &schema, const QString &path, QWidget *parent)
{
    const QString type = schemaType(schema);
    const QList<EnumOption> options = enumOptions(schema);
    SchemaField *field = nullptr;
    if (!options.isEmpty())
        field = new EnumField(options, path, parent);
    else if (type == QLatin1String("object"))
        field = new ObjectField(schema, path, true, parent);
    else if (type == QLatin1String("array")) {
        const QList<EnumOption> choices = enumOptions(mcp::valueOr(schema, "items", Json::object()));
        field = choices.isEmpty() ? static_cast<SchemaField *>(new ArrayField(schema, path, parent))
                                  : new MultiChoiceField(choices, path, parent);
    } else if (type == QLatin1String("boolean"))
        field = new BoolField(path, parent);
    else if (type == QLatin1String("string") || type == QLatin1String("number") ||
             type == QLatin1String("integer"))
        field = new ScalarField(schema, path, parent);
    else
        field = new JsonField(schema, path, parent);
    if (schema.is_object() && schema.contains("default"))
        field->setValue(schema["default"]);
    return field;
}

ObjectField::ObjectField(const Json &schema, const QString &path, bool nested, QWidget *parent)
    : SchemaField(parent), m_nested(nested)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    if (nested) {
        auto *box = new QGroupBox(mcp::stringOr(schema, "title"), this);
        box->setObjectName(QStringLiteral("group:") + path);
        box->setLayout(form);
        outer->addWidget(box);
    } else {
        outer->addLayout(form);
    }

    QStringList required;
    for (const Json &r : mcp::valueOr(schema, "required", Json::array()))
        if (r.is_string())
            required << mcp::toQString(r.get<std::string>());
    const Json properties = mcp::valueOr(schema, "properties", Json::object());
    for (const auto &[key, sub] : properties.items()) {
        const QString name = mcp::toQString(key);
        const QString subPath = path.isEmpty() ? name : path + QLatin1Char('.') + name;
        SchemaField *field = SchemaField::create(sub, subPath, this);
        connect(field, &SchemaField::edited, this, &SchemaField::edited);
        const QString title = mcp::stringOr(sub, "title", name);
        auto *label = new QLabel(
            required.contains(name)
                ? QStringLiteral("%1 <span style=\"color:#d03030\">*</span>").arg(title.toHtmlEscaped())
                : title.toHtmlEscaped(),
            this);
        label->setToolTip(QStringLiteral("<b>%1</b> (%2)<br>%3")
                              .arg(name.toHtmlEscaped(), schemaType(sub).toHtmlEscaped(),
                                   mcp::stringOr(sub, "description").toHtmlEscaped()));
        label->setBuddy(field);
        form->addRow(label, field);
        m_fields.insert(name, field);
        m_order << name;
    }
    if (m_order.isEmpty() && !nested)
        form->addRow(new QLabel(tr("This request takes no arguments."), this));
}

Json ObjectField::value() const
{
    Json object = Json::object();
    for (const QString &name : m_order)
        if (const Json v = m_fields[name]->value(); !v.is_discarded())
            object[mcp::toStd(name)] = v;
    for (const auto &[key, v] : m_extra.items())
        object[key] = v;
    return m_nested && object.empty() ? absent() : object;
}

void ObjectField::setValue(const Json &value)
{
    m_extra = Json::object();
    for (const QString &name : m_order) {
        const std::string key = mcp::toStd(name);
        m_fields[name]->setValue(value.is_object() && value.contains(key) ? value[key] : absent());
    }
    if (value.is_object())
        for (const auto &[key, v] : value.items())
            if (!m_fields.contains(mcp::toQString(key)))
                m_extra[key] = v;
}

SchemaForm::SchemaForm(QWidget *parent)
    : QWidget(parent), m_schema(Json::object()),
      m_validator(std::make_unique<mcp::schema::SchemaValidator>(m_schema)), m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(4, 2, 4, 2); // labels off the scroll area's edge
}

void SchemaForm::setSchema(const Json &schema)
{
    delete m_root;
    m_schema = schema;
    m_validator = std::make_unique<mcp::schema::SchemaValidator>(schema);
    m_root = new ObjectField(schema, QString(), false, this);
    if (schema.is_object() && schema.contains("default"))
        m_root->setValue(schema["default"]);
    connect(m_root, &SchemaField::edited, this, &SchemaForm::edited);
    m_layout->addWidget(m_root);
}

mcp::schema::ValidationResult SchemaForm::check(const Json &value) const
{
    return m_validator->validate(value);
}

Json SchemaForm::value() const
{
    return m_root ? m_root->value() : Json::object();
}

void SchemaForm::setValue(const Json &value)
{
    if (!m_root)
        return;
    const QSignalBlocker block(m_root);
    m_root->setValue(value);
}

} // namespace mcpui
