#pragma once

// What the UI tests of the real workbench share: the main window offscreen, connections to
// @modelcontextprotocol/server-everything over stdio and streamable HTTP, and screenshots taken with
// QWidget::grab (into ./screenshots of the build directory, or into resources/screenshots when
// MCPWB_UPDATE_SCREENSHOTS=1; the README shows those).
#include "connections/connection.h"
#include "connections/connectionprofile.h"
#include "mainwindow.h"
#include "testsupport.h"
#include "transport/stdiotransport.h"

#include <QDir>
#include <QMenu>
#include <QMenuBar>
#include <QPixmap>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>
#include <memory>

namespace testsupport {

inline QString screenshotDir()
{
    if (qEnvironmentVariable("MCPWB_UPDATE_SCREENSHOTS") == QLatin1String("1"))
        return QStringLiteral(MCPWB_SOURCE_DIR "/resources/screenshots");
    return QDir::current().filePath(QStringLiteral("screenshots"));
}

inline void saveScreenshot(const QPixmap &shot, const QString &name)
{
    QDir().mkpath(screenshotDir());
    const QString path = screenshotDir() + QLatin1Char('/') + name + QStringLiteral(".png");
    QVERIFY2(shot.save(path), qPrintable(path));
    qInfo() << "screenshot" << path;
}

inline void saveScreenshot(QWidget *widget, const QString &name)
{
    saveScreenshot(widget->grab(), name);
}

// The main window with its settings in `settings`, shown at a screenshot-friendly size.
inline std::unique_ptr<mcpui::MainWindow> showWorkbench(QSettings *settings)
{
    auto window = std::make_unique<mcpui::MainWindow>(settings);
    window->resize(1500, 950);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    return window;
}

// A shown main window with settings of its own, for one test case.
struct Workbench
{
    QTemporaryDir dir;
    std::unique_ptr<QSettings> settings;
    std::unique_ptr<mcpui::MainWindow> window;

    // The shown window, or null when it could not be shown.
    mcpui::MainWindow *show()
    {
        settings =
            std::make_unique<QSettings>(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        window = showWorkbench(settings.get());
        return window.get();
    }
    void close()
    {
        if (window)
            window->close();
        window.reset();
        QTest::qWait(300); // let the sessions say goodbye
    }
};

inline mcpui::ConnectionProfile everythingStdioProfile()
{
    mcpui::ConnectionProfile stdio;
    stdio.name = QStringLiteral("everything (stdio)");
    const mcp::StdioOptions command = mcp::StdioOptions::fromCommandLine(everythingStdioCommand());
    stdio.command = command.program;
    stdio.arguments = command.arguments;
    return stdio;
}

// Starts server-everything's streamable HTTP transport on a free loopback port; the profile reaches it.
inline bool startEverythingHttp(PeerProcess &peer, mcpui::ConnectionProfile *profile)
{
    const quint16 port = freeLoopbackPort();
    if (!peer.start(peerPackageDir(QStringLiteral("@modelcontextprotocol/server-everything")) +
                        QStringLiteral("/dist/index.js"),
                    {QStringLiteral("streamableHttp")}, {QStringLiteral("PORT=%1").arg(port)}, port))
        return false;
    profile->name = QStringLiteral("everything (HTTP)");
    profile->kind = mcpui::ConnectionProfile::Kind::Url;
    profile->url = QStringLiteral("http://127.0.0.1:%1/mcp").arg(port);
    profile->transport = QStringLiteral("http");
    return true;
}

// Adds the connection, shows its page and opens it.
// The action of one of the window's menus with this text ("&Token Inspector…"), or null.
inline QAction *menuAction(QMainWindow *window, const QString &text)
{
    for (QAction *menu : window->menuBar()->actions())
        if (menu->menu())
            for (QAction *a : menu->menu()->actions())
                if (a->text() == text)
                    return a;
    return nullptr;
}

inline mcpui::Connection *connectTo(mcpui::MainWindow *window, const mcpui::ConnectionProfile &profile)
{
    mcpui::Connection *c = window->addConnection(profile);
    window->selectConnection(c);
    c->open();
    return c;
}

} // namespace testsupport
