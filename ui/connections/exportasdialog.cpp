#include "exportasdialog.h"

#include "config/hostexport.h"

#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

namespace mcpui {

ExportAsDialog::ExportAsDialog(const ConnectionProfile &profile, QWidget *parent)
    : QDialog(parent), m_profile(profile), m_format(new QComboBox(this)), m_text(new QPlainTextEdit(this)),
      m_notes(new QLabel(this)), m_copy(new QPushButton(tr("&Copy"), this)),
      m_save(new QPushButton(tr("&Save…"), this))
{
    setWindowTitle(tr("Export As — %1").arg(profile.name));
    for (const QString &key : mcp::config::hostKeys())
        m_format->addItem(mcp::config::hostName(*mcp::config::hostFromKey(key)), key);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Format:"), this));
    top->addWidget(m_format, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    buttons->addButton(m_save, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_notes);
    layout->addWidget(buttons);
    resize(760, 520);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportAsDialog::showExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_text->toPlainText()); });
    connect(m_save, &QPushButton::clicked, this, [this] {
        auto *chooser = new QFileDialog(this, tr("Export As"));
        chooser->setAttribute(Qt::WA_DeleteOnClose);
        chooser->setAcceptMode(QFileDialog::AcceptSave);
        connect(chooser, &QFileDialog::fileSelected, this, [this](const QString &path) {
            QString error;
            if (saveTo(path, &error))
                return;
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Export As"), error, QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
        chooser->open();
    });
    showExport();
}

bool ExportAsDialog::saveTo(const QString &path, QString *error)
{
    QSaveFile file(path);
    const QByteArray bytes = m_text->toPlainText().toUtf8();
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
}

void ExportAsDialog::showExport()
{
    const std::optional<mcp::config::Host> host =
        mcp::config::hostFromKey(m_format->currentData().toString());
    if (!host)
        return;
    const mcp::config::HostExport exported = mcp::config::exportServers({m_profile.toConfigured()}, *host);
    const bool ok = exported.error.isEmpty();
    m_text->setPlainText(ok ? QString::fromUtf8(exported.text) : QString());
    m_notes->setText(ok ? exported.notes.join(QLatin1Char('\n')) : exported.error);
    m_copy->setEnabled(ok);
    m_save->setEnabled(ok);
}

} // namespace mcpui
