#include "inventorydialog.h"

#include "common/rowtable.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace mcpui {

using namespace mcp::config;

InventoryDialog::InventoryDialog(const QString &home, QWidget *parent)
    : QDialog(parent), m_home(home), m_servers(new InventoryModel(this)),
      m_problems(new ConfigProblemModel(this)), m_serverView(makeRowTable(m_servers, this)),
      m_problemView(makeRowTable(m_problems, this)), m_details(new QPlainTextEdit(this)),
      m_open(new QPushButton(tr("Open as Connection"), this)), m_summary(new QLabel(this))
{
    setWindowTitle(tr("Configured MCP Servers"));
    m_details->setReadOnly(true); // plain text: nothing from a config file becomes markup
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_open->setEnabled(false);

    auto *addFolder = new QPushButton(tr("Add Project Folder…"), this);
    auto *rescanButton = new QPushButton(tr("Read Again"), this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(addFolder);
    top->addWidget(rescanButton);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_serverView);
    split->addWidget(m_details);
    split->addWidget(m_problemView);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_open, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(1100, 720);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(addFolder, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Project Folder"), m_home);
        if (!folder.isEmpty())
            addProject(folder);
    });
    connect(rescanButton, &QPushButton::clicked, this, &InventoryDialog::rescan);
    connect(m_serverView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &InventoryDialog::showSelected);
    connect(m_open, &QPushButton::clicked, this, [this] {
        const int row = m_serverView->currentIndex().row();
        if (row >= 0)
            Q_EMIT openConnection(ConnectionProfile::fromConfigured(m_servers->entry(row).first()));
    });
    rescan();
}

void InventoryDialog::addProject(const QString &folder)
{
    if (!m_projects.contains(folder))
        m_projects << folder;
    rescan();
}

void InventoryDialog::rescan()
{
    const Inventory inventory = readInventory(m_home, m_projects);
    m_servers->setInventory(inventory);
    m_problems->setProblems(inventory.problems);
    m_problemView->setVisible(!inventory.problems.isEmpty());
    m_summary->setText(tr("%1 in %2; %3. Project folders: %4")
                           .arg(tr("%n server(s)", nullptr, int(inventory.entries.size())),
                                tr("%n config file(s)", nullptr, int(inventory.files.size())),
                                tr("%n could not be read", nullptr, int(inventory.problems.size())),
                                m_projects.isEmpty() ? tr("none") : m_projects.join(QStringLiteral(", "))));
    m_serverView->resizeColumnsToContents();
    m_problemView->resizeColumnsToContents();
    if (m_servers->rowCount() > 0)
        m_serverView->setCurrentIndex(m_servers->index(0, 0));
    showSelected();
}

void InventoryDialog::showSelected()
{
    const int row = m_serverView->currentIndex().row();
    m_details->setPlainText(m_servers->details(row));
    m_open->setEnabled(row >= 0);
}

} // namespace mcpui
