#include "sessionwindow.h"

#include "exportdialog.h"
#include "traffic/tracefile.h"
#include "trafficactions.h"
#include "trafficpane.h"

#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

namespace mcpui {

TrafficActions *addTrafficActions(TrafficPane *pane)
{
    auto *actions = new TrafficActions(
        pane->recorder(), [pane] { return pane->selectedRecorderIndices(); }, pane);
    pane->contextMenu()->addSeparator();
    actions->addTo(pane->contextMenu());
    pane->toolBar()->addSeparator();
    actions->addTo(pane->toolBar());
    QObject::connect(pane, &TrafficPane::selectionChanged, actions, &TrafficActions::update);
    return actions;
}

SessionWindow::SessionWindow(QWidget *parent) : QMainWindow(parent)
{
    setAttribute(Qt::WA_DeleteOnClose);
}

SessionWindow *SessionWindow::open(const QString &path, QWidget *parent, QString *error)
{
    auto *window = new SessionWindow(parent);
    window->setWindowFlag(Qt::Window);
    mcp::Error e;
    if (!mcp::readTrace(path, window->m_recorder, &e)) {
        *error = e.toString();
        delete window;
        return nullptr;
    }
    window->setWindowTitle(tr("%1 — session file (read-only)").arg(QFileInfo(path).fileName()));
    window->m_pane = new TrafficPane(&window->m_recorder, true, window);
    window->m_actions = addTrafficActions(window->m_pane);
    window->setCentralWidget(window->m_pane);
    QMenu *file = window->menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Export…"), window, [window] {
        auto *dialog = new ExportDialog(window->m_recorder, window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    file->addAction(tr("&Close"), QKeySequence::Close, window, &QWidget::close);
    window->resize(1100, 700);
    return window;
}

} // namespace mcpui
