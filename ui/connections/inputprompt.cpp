#include "inputprompt.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace mcpui {

InputPromptDialog::InputPromptDialog(const QString &connection, const QList<mcp::config::ConfigInput> &inputs,
                                     QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to %1").arg(connection));
    auto *form = new QFormLayout(this);
    auto *intro = new QLabel(tr("This connection asks for these values. They are kept until you quit, "
                                "never saved."),
                             this);
    intro->setWordWrap(true);
    form->addRow(intro);
    for (const mcp::config::ConfigInput &input : inputs) {
        auto *field = new QLineEdit(this);
        field->setObjectName(QStringLiteral("input:") + input.id);
        field->setEchoMode(input.password ? QLineEdit::Password : QLineEdit::Normal);
        field->setPlaceholderText(input.description);
        // Plain text labels: an imported file's description is no markup.
        auto *label = new QLabel(input.description.isEmpty() ? input.id : input.description, this);
        label->setTextFormat(Qt::PlainText);
        label->setToolTip(QStringLiteral("${input:%1}").arg(input.id));
        form->addRow(label, field);
        m_fields.append({input.id, field});
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QHash<QString, QString> InputPromptDialog::answers() const
{
    QHash<QString, QString> out;
    for (const auto &[id, field] : m_fields)
        out.insert(id, field->text());
    return out;
}

bool InputPromptDialog::ask(const QString &connection, const QList<mcp::config::ConfigInput> &inputs,
                            QHash<QString, QString> *answers)
{
    InputPromptDialog dialog(connection, inputs, QApplication::activeWindow());
    if (dialog.exec() != QDialog::Accepted)
        return false;
    answers->insert(dialog.answers());
    return true;
}

} // namespace mcpui
