// The window as a user leaves it comes back on the next start (docks, splitters), and at the default size and
// at 1366×768 every pane fits: no pane forces the window wider than the screen, and each column of the Auth
// pane (steps, sequence diagram, token inspector) is wide enough to read.
#include "auth/authpane.h"
#include "auth/sequencediagram.h"
#include "auth/tokeninspectorwidget.h"
#include "connections/connectionpage.h"
#include "discovery/toolspane.h"
#include "traffic/recorder.h"
#include "workbenchtest.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QListView>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeView>

using namespace mcpui;

class TestLayout : public QObject
{
    Q_OBJECT

    static ConnectionProfile urlProfile()
    {
        ConnectionProfile p;
        p.name = QStringLiteral("remote");
        p.kind = ConnectionProfile::Kind::Url;
        p.url = QStringLiteral("http://127.0.0.1:9/mcp"); // never connected here
        return p;
    }

private Q_SLOTS:
    // Docks and splitters as the user left them come back on the next start, on every connection's page.
    void windowComesBackAsLeft()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        QList<int> toolsSizes;
        {
            MainWindow window(&settings);
            window.resize(1366, 768);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            Connection *c = window.addConnection(urlProfile());
            window.selectConnection(c);
            auto *split = window.pageFor(c)->tools()->findChild<QSplitter *>();
            QVERIFY(split);
            QTest::qWait(50);
            const int total = split->sizes().value(0) + split->sizes().value(1);
            split->setSizes({total / 5, total - total / 5});
            toolsSizes = split->sizes();
            window.reviewDock()->show();
            window.close();
        }
        MainWindow again(&settings);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QTRY_VERIFY(again.reviewDock()->isVisible());
        QCOMPARE(again.size(), QSize(1366, 768));
        Connection *restored = again.addConnection(urlProfile()); // a new connection's page too
        again.selectConnection(restored);
        auto *split = again.pageFor(restored)->tools()->findChild<QSplitter *>();
        QTRY_COMPARE(split->sizes(), toolsSizes);
    }

    // Screen readers can name the connection list, each pane (with its connection) and the docks' panes.
    void panesHaveAccessibleNames()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        MainWindow window(&settings);
        Connection *c = window.addConnection(urlProfile());
        auto *list = window.findChild<QListView *>(QStringLiteral("connections"));
        QVERIFY(list);
        QCOMPARE(list->accessibleName(), QStringLiteral("Connections"));
        QCOMPARE(list->model()->index(0, 0).data(Qt::AccessibleTextRole).toString(),
                 QStringLiteral("remote, auto, idle"));
        QTabWidget *tabs = window.pageFor(c)->tabs();
        QStringList names;
        for (int i = 0; i < tabs->count(); ++i)
            names << tabs->widget(i)->accessibleName();
        QCOMPARE(names, (QStringList{"Tools of remote", "Resources of remote", "Prompts of remote",
                                     "Traffic of remote", "Log of remote", "Auth of remote"}));
        QCOMPARE(window.allTrafficDock()->widget()->accessibleName(), QStringLiteral("All traffic"));
        QCOMPARE(window.reviewDock()->widget()->accessibleName(), QStringLiteral("Review"));
    }

    // A window closed with a live 2026-07-28 connection (the demo server: its session listens for changes)
    // ends the session, which sends and records its cancellations, before the recorder it records into is
    // gone. It recorded into a deleted recorder before, which a fresh machine's run ended with bad_alloc.
    void sessionsEndBeforeTheRecorder()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        auto *window = new MainWindow(&settings);
        ConnectionProfile demo;
        demo.name = QStringLiteral("Demo server");
        demo.command = testsupport::mcpwbBinary();
        demo.arguments = {QStringLiteral("demo-server")};
        Connection *c = window->addConnection(demo);
        c->open();
        QTRY_VERIFY_WITH_TIMEOUT(c->isReady(), 15000);
        QStringList ended;
        connect(c, &QObject::destroyed, this, [&] { ended << QStringLiteral("connection"); });
        connect(window->recorder(), &QObject::destroyed, this, [&] { ended << QStringLiteral("recorder"); });
        const qsizetype before = window->recorder()->size();
        connect(window->recorder(), &mcp::Recorder::frameRecorded, this,
                [&] { ended << QStringLiteral("frame"); });
        delete window;
        QVERIFY2(ended.indexOf(QStringLiteral("connection")) < ended.indexOf(QStringLiteral("recorder")),
                 qPrintable(ended.join(QLatin1Char(' '))));
        QVERIFY2(ended.contains(QStringLiteral("frame")),
                 qPrintable(ended.join(QLatin1Char(' ')))); // recorded
        QVERIFY(before > 0);
    }

    // Counted strings are written once with %n; the English translation, compiled in and installed when the
    // application starts, gives each number its form.
    void pluralsReadAsEnglish()
    {
        const auto servers = [](int n) {
            return QCoreApplication::translate("mcpui::InventoryDialog", "%n server(s)", nullptr, n);
        };
        QCOMPARE(servers(1), QStringLiteral("1 server"));
        QCOMPARE(servers(14), QStringLiteral("14 servers"));
        QCOMPARE(QCoreApplication::translate("mcpui::ReplayDialog", "%n path(s) differ from the recording.",
                                             nullptr, 1),
                 QStringLiteral("1 path differs from the recording."));
    }

    void panesFitAt_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1366x768") << QSize(1366, 768);
        QTest::newRow("default") << QSize();
    }

    void panesFitAt()
    {
        QFETCH(QSize, size);
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        MainWindow window(&settings);
        if (size.isValid())
            window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Connection *c = window.addConnection(urlProfile());
        window.selectConnection(c);
        ConnectionPage *page = window.pageFor(c);
        page->tabs()->setCurrentWidget(page->auth());
        QTest::qWait(100);
        qInfo() << "window" << window.size() << "minimum" << window.minimumSizeHint();
        if (size.isValid())
            QCOMPARE(window.size(), size);
        // Every column of the Auth pane in view: the sequence diagram's four lanes, every column of the steps
        // and of the token inspector's trees, without scrolling sideways.
        auto *diagram = page->auth()->findChild<SequenceDiagram *>();
        QVERIFY(diagram);
        QCOMPARE(diagram->horizontalScrollBar()->maximum(), 0);
        const QList<QTreeView *> trees = page->auth()->findChildren<QTreeView *>();
        QVERIFY(trees.size() >= 3);
        for (const QTreeView *tree : trees) {
            if (!tree->isVisible())
                continue;
            QTRY_VERIFY2(tree->header()->length() <= tree->viewport()->width(),
                         qPrintable(QStringLiteral("%1: columns %2 wide in %3")
                                        .arg(tree->objectName())
                                        .arg(tree->header()->length())
                                        .arg(tree->viewport()->width())));
        }
        testsupport::saveScreenshot(&window,
                                    QStringLiteral("layout-%1").arg(size.isValid() ? "1366" : "default"));
    }
};

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
