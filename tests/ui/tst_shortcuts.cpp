// Every keyboard shortcut of the main window, pressed as a user would: no two actions share a key (Qt then
// fires neither: Ctrl+O was both Open Session and Connect, and with an idle connection selected neither
// ran), and each key triggers its own action and does what the action says. The dialogs the keys open are
// closed again; Quit is pressed last.
#include "workbenchtest.h"

#include <QDockWidget>
#include <QSignalSpy>
#include <QTimer>

using namespace mcpui;

namespace {

// The window's actions that a key reaches from anywhere in it (a pane's own keys work only inside the pane).
QList<QAction *> windowShortcuts(QMainWindow *window)
{
    QList<QAction *> out;
    for (QAction *a : window->findChildren<QAction *>())
        if (!a->shortcuts().isEmpty() &&
            (a->shortcutContext() == Qt::WindowShortcut || a->shortcutContext() == Qt::ApplicationShortcut))
            out << a;
    return out;
}

} // namespace

class TestShortcuts : public QObject
{
    Q_OBJECT
    testsupport::Workbench m_workbench;
    MainWindow *m_window = nullptr;
    Connection *m_idle = nullptr;

    // Presses `keys` in the window; closes whatever dialog or popup it opened.
    void press(const QKeySequence &keys)
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QTest::keySequence(m_window, keys);
        QTest::qWait(100);
        for (int i = 0; i < 20; ++i) { // bounded: a dialog that opens another is closed in turn
            QWidget *opened = QApplication::activePopupWidget() ? QApplication::activePopupWidget()
                                                                : QApplication::activeModalWidget();
            if (!opened)
                for (QWidget *w : QApplication::topLevelWidgets())
                    if (w != m_window && w->isVisible() && qobject_cast<QDialog *>(w))
                        opened = w;
            if (!opened)
                break;
            opened->close();
            QTest::qWait(50);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY((m_window = m_workbench.show()));
        ConnectionProfile demo;
        demo.name = QStringLiteral("Demo server");
        demo.command = testsupport::mcpwbBinary();
        demo.arguments = {QStringLiteral("demo-server")};
        m_idle = m_window->addConnection(demo); // selected, not connected: the state Ctrl+O failed in
        m_window->selectConnection(m_idle);
    }

    void noTwoActionsShareAKey()
    {
        QHash<QString, QString> owner;
        for (QAction *a : windowShortcuts(m_window))
            for (const QKeySequence &keys : a->shortcuts()) {
                const QString key = keys.toString(QKeySequence::PortableText);
                QVERIFY2(
                    !owner.contains(key),
                    qPrintable(QStringLiteral("%1 is both %2 and %3").arg(key, owner.value(key), a->text())));
                owner.insert(key, a->text());
            }
        QVERIFY2(owner.size() >= 9, qPrintable(QStringList(owner.keys()).join(QLatin1Char(' '))));
    }

    void connectAndReconnectWithAnIdleConnectionSelected()
    {
        QAction *connect = testsupport::menuAction(m_window, QStringLiteral("&Connect"));
        QVERIFY(connect && connect->isEnabled());
        QSignalSpy triggered(connect, &QAction::triggered);
        press(connect->shortcut());
        QCOMPARE(triggered.count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(m_idle->isReady(), 15000);
    }

    // Every key of the window, in menu order, Quit last; each fires its own action once, and a key whose
    // action is disabled here fires nothing.
    void everyKeyTriggersItsAction()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_idle->isReady(), 15000);
        QList<QAction *> actions = windowShortcuts(m_window);
        QAction *quit = testsupport::menuAction(m_window, QStringLiteral("&Quit"));
        QVERIFY(quit && actions.contains(quit));
        actions.removeOne(quit);
        actions.append(quit);
        QStringList pressed;
        for (QAction *a : actions) {
            const bool enabled = a->isEnabled();
            QSignalSpy triggered(a, &QAction::triggered);
            QDockWidget *dock = nullptr;
            for (QDockWidget *d : m_window->findChildren<QDockWidget *>())
                if (d->toggleViewAction() == a)
                    dock = d;
            const bool dockWasVisible = dock && dock->isVisible();
            press(a->shortcut());
            QVERIFY2(triggered.count() == (enabled ? 1 : 0),
                     qPrintable(QStringLiteral("%1 (%2): triggered %3 times")
                                    .arg(a->text(), a->shortcut().toString())
                                    .arg(triggered.count())));
            if (dock)
                QCOMPARE(dock->isVisible(), !dockWasVisible);
            if (enabled)
                pressed << a->shortcut().toString();
        }
        QTRY_VERIFY(!m_window->isVisible()); // Quit closed the window
        qInfo() << "pressed" << pressed;
        QVERIFY(pressed.size() >= 8); // all but Connect, which the connection being live disables here
    }

    void cleanupTestCase() { m_workbench.close(); }
};

QTEST_MAIN(TestShortcuts)
#include "tst_shortcuts.moc"
