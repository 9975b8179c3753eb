#include "composer.h"

#include "common/busybar.h"
#include "schemaform.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QVBoxLayout>

namespace mcpui {

using mcp::Json;

Composer::Composer(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(tr("Select a tool to compose a call."), this);
    m_title->setWordWrap(true);

    m_form = new SchemaForm;
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_form);
    scroll->setFrameShape(QFrame::NoFrame);
    m_raw = new QPlainTextEdit(this);
    m_raw->setObjectName(QStringLiteral("rawJson"));
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setTabChangesFocus(true);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(scroll, tr("Form"));
    m_tabs->addTab(m_raw, tr("JSON"));

    m_problemsLabel = new QLabel(this);
    m_problemsLabel->setObjectName(QStringLiteral("problems"));
    m_problemsLabel->setWordWrap(true);
    m_problemsLabel->hide();

    m_send = new QPushButton(tr("Send"), this);
    m_send->setObjectName(QStringLiteral("send"));
    m_send->setToolTip(tr("Send the request (Ctrl+Enter)"));
    m_send->setDefault(true);
    m_save = new QPushButton(tr("Save to Collection…"), this);
    m_save->setObjectName(QStringLiteral("saveToCollection"));
    m_save->setToolTip(
        tr("Add this request to a collection file (secret values become ${env:NAME} references)"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel"));
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    m_progressMessage = new QLabel(this);
    m_progressMessage->setEnabled(false);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_send);
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_progressMessage, 1);
    bar->addWidget(m_cancel);
    bar->addStretch();
    bar->addWidget(m_save);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_problemsLabel);
    layout->addLayout(bar);

    connect(m_form, &SchemaForm::edited, this, &Composer::onFormEdited);
    connect(m_raw, &QPlainTextEdit::textChanged, this, &Composer::onRawEdited);
    connect(m_send, &QPushButton::clicked, this, [this] {
        if (m_send->isEnabled())
            Q_EMIT sendRequested();
    });
    connect(m_cancel, &QPushButton::clicked, this, &Composer::cancelRequested);
    connect(m_save, &QPushButton::clicked, this, &Composer::saveRequested);
    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, m_send, &QPushButton::click);
    }
    setRunning(false);
}

void Composer::setTarget(const QString &name, const Json &schema)
{
    if (!m_target.isEmpty())
        m_drafts.insert(m_target, m_raw->toPlainText());
    m_target = name;
    m_title->setText(name.isEmpty() ? tr("Select a tool to compose a call.")
                                    : QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped()));
    m_form->setSchema(schema.is_object() ? schema : Json::object());
    m_tabs->setVisible(!name.isEmpty()); // no "takes no arguments" form before a tool is chosen
    m_syncing = true;
    m_raw->setPlainText(m_drafts.contains(name) ? m_drafts.value(name) : mcp::dumpPretty(m_form->value()));
    m_syncing = false;
    onRawEdited();
}

Json Composer::arguments() const
{
    const Json raw = Json::parse(m_raw->toPlainText().toStdString(), nullptr, false);
    return raw.is_discarded() ? m_form->value() : raw;
}

void Composer::setArguments(const Json &arguments)
{
    m_raw->setPlainText(mcp::dumpPretty(arguments)); // onRawEdited updates the form
}

void Composer::onFormEdited()
{
    if (m_syncing)
        return;
    m_syncing = true;
    m_raw->setPlainText(mcp::dumpPretty(m_form->value()));
    m_syncing = false;
    validate();
}

void Composer::onRawEdited()
{
    if (m_syncing)
        return;
    const Json parsed = Json::parse(m_raw->toPlainText().toStdString(), nullptr, false);
    if (!parsed.is_discarded()) {
        m_syncing = true;
        m_form->setValue(parsed);
        m_syncing = false;
    }
    validate();
}

void Composer::validate()
{
    const std::string text = m_raw->toPlainText().toStdString();
    QStringList shown;
    try {
        const mcp::schema::ValidationResult result = m_form->check(Json::parse(text));
        shown = result.lines();
        m_problems = shown.mid(0, result.errors.size() + (result.moreErrors ? 1 : 0));
    } catch (const Json::parse_error &e) {
        m_problems = {
            tr("Bad JSON: %1").arg(QString::fromUtf8(e.what()).section(QLatin1Char(':'), 1).trimmed())};
        shown = m_problems;
    }
    // Errors block sending; parts of the schema not checked are said, and do not.
    m_problemsLabel->setText(shown.join(QLatin1Char('\n')));
    m_problemsLabel->setVisible(!shown.isEmpty());
    // Red for what blocks sending, amber for a schema only partly checked.
    m_problemsLabel->setStyleSheet(m_problems.isEmpty() ? QStringLiteral("QLabel { color: #9a6700; }")
                                                        : QStringLiteral("QLabel { color: #d03030; }"));
    updateButtons();
}

void Composer::setConnected(bool connected)
{
    m_connected = connected;
    updateButtons();
}

void Composer::setRunning(bool running)
{
    m_running = running;
    m_progress->setVisible(running);
    m_progressMessage->setVisible(running);
    m_cancel->setVisible(running);
    m_progress->setRange(0, 0); // busy until the first progress notification
    m_progressMessage->clear();
    updateButtons();
}

void Composer::setProgress(double progress, double total, const QString &message)
{
    showRequestProgress(m_progress, m_progressMessage, progress, total, message);
}

void Composer::updateButtons()
{
    m_send->setEnabled(m_connected && !m_running && !m_target.isEmpty() && m_problems.isEmpty());
    m_send->setToolTip(!m_connected ? tr("Not connected") : tr("Send the request (Ctrl+Enter)"));
    m_save->setEnabled(!m_target.isEmpty() && m_problems.isEmpty());
}

} // namespace mcpui
