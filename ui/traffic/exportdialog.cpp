#include "exportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>

namespace mcpui {

ExportDialog::ExportDialog(const mcp::Recorder &recorder, QWidget *parent)
    : QDialog(parent), m_recorder(recorder)
{
    setWindowTitle(tr("Export Traffic"));
    m_format = new QComboBox(this);
    m_format->addItem(tr("Session file (JSONL, opens again in the workbench)"),
                      int(mcp::ExportFormat::Jsonl));
    m_format->addItem(tr("HAR 1.2 (HTTP connections, browser developer tools)"), int(mcp::ExportFormat::Har));
    m_format->addItem(tr("OpenTelemetry traces (OTLP/JSON)"), int(mcp::ExportFormat::Otlp));
    if (recorder.httpExchanges().empty()) {
        auto *model = qobject_cast<QStandardItemModel *>(m_format->model());
        QStandardItem *har = model->item(1);
        har->setEnabled(false);
        har->setToolTip(tr("No HTTP exchanges were recorded (stdio connections carry no HTTP)."));
    }
    m_path = new QLineEdit(this);
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    m_keepSecrets = new QCheckBox(tr("Keep secrets (not recommended)"), this);
    m_keepSecrets->setToolTip(tr("Unticked, Authorization headers, cookies, session ids and token fields are "
                                 "replaced by [redacted]."));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("File:"), pathRow);
    form->addRow(QString(), m_keepSecrets);
    form->addRow(m_error);
    form->addRow(buttons);
}

mcp::ExportFormat ExportDialog::format() const
{
    return mcp::ExportFormat(m_format->currentData().toInt());
}

void ExportDialog::browse()
{
    static const char *const filters[] = {"Session files (*.jsonl)", "HAR files (*.har)",
                                          "JSON files (*.json)"};
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Traffic"), m_path->text(), tr(filters[int(format())]));
    if (!path.isEmpty())
        m_path->setText(path);
}

void ExportDialog::accept()
{
    if (m_path->text().trimmed().isEmpty()) {
        m_error->setText(tr("Choose a file to write."));
        m_error->show();
        return;
    }
    mcp::Error error;
    if (!mcp::writeExport(m_recorder, format(), m_path->text().trimmed(),
                          mcp::ExportOptions{!m_keepSecrets->isChecked()}, &error)) {
        m_error->setText(error.toString());
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace mcpui
