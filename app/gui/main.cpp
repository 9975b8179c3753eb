#include "auth/keychainvault.h"
#include "connections/connection.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

namespace {

// The mcpwb CLI (which serves the demo): next to this executable, in the build tree's app/cli, or on PATH.
QString findMcpwb()
{
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate :
         {here.filePath(QStringLiteral("mcpwb")), here.filePath(QStringLiteral("../cli/mcpwb"))})
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    return QStandardPaths::findExecutable(QStringLiteral("mcpwb"));
}

// Adds (or updates, by id) a connection to the embedded demo server with these demo-server arguments, shows
// and opens it.
void openDemo(mcpui::MainWindow *window, const QString &id, const QString &name, const QStringList &arguments)
{
    mcpui::ConnectionProfile profile;
    profile.id = id; // one entry per demo, however often it is asked for
    profile.name = name;
    profile.command = findMcpwb();
    if (profile.command.isEmpty())
        profile.command = QStringLiteral("mcpwb"); // not found: the connection says it could not start
    profile.arguments = QStringList{QStringLiteral("demo-server")} + arguments;
    mcpui::Connection *connection = window->addConnection(profile);
    window->selectConnection(connection);
    connection->open();
}

// Keychain writes still in flight when the window closes finish first (bounded: a keychain that hangs does
// not keep the process alive).
void letVaultSettle(mcp::auth::TokenVault *vault)
{
    if (!vault->isBusy())
        return;
    QEventLoop loop;
    QObject::connect(vault, &mcp::auth::TokenVault::settled, &loop, &QEventLoop::quit);
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MCP Workbench"));
    QApplication::setApplicationName(QStringLiteral("mcp-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(MCPWB_VERSION));
    // The desktop entry's name: Wayland compositors match the window to its entry (and icon) by it.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.mcpworkbench.Workbench"));
    QIcon icon;
    for (const int size : {16, 32, 48, 64, 256})
        icon.addFile(QStringLiteral(":/icons/%1x%1/io.github.mcpworkbench.Workbench.png").arg(size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A desktop workbench for the Model Context Protocol"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Start connected to the embedded demo server."));
    parser.addOption(demo);
    const QCommandLineOption vulnerableDemo(
        QStringLiteral("vulnerable-demo"),
        QStringLiteral(
            "Also connect to the vulnerable demo server (poisoned on purpose, harmless) and show the "
            "review: for presenting what the review finds."));
    parser.addOption(vulnerableDemo);
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral(
            "Save a picture of the window to FILE (PNG) two seconds after it opens, then quit: for "
            "bug reports, documentation, and checking an installation without a display."),
        QStringLiteral("FILE"));
    parser.addOption(screenshot);
    parser.process(app);

    // Tokens survive a restart in the system keychain where there is one (the auth pane says which).
    auto vault = std::make_shared<mcp::auth::KeychainVault>();
    QSettings settings;
    mcpui::MainWindow window(&settings, std::make_shared<mcp::auth::TokenStore>(vault));
    window.show();

    if (parser.isSet(demo))
        openDemo(&window, QStringLiteral("demo"), QStringLiteral("Demo server"), {});
    if (parser.isSet(vulnerableDemo)) {
        openDemo(&window, QStringLiteral("demo-vulnerable"), QStringLiteral("Vulnerable demo server"),
                 {QStringLiteral("--vulnerable")});
        window.reviewDock()->show();
        // Half the window once the dock is laid out: the findings are what this entry is for.
        QTimer::singleShot(0, &window, [&window] {
            window.resizeDocks({window.reviewDock()}, {window.height() / 2}, Qt::Vertical);
        });
    }
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(2000, &window, [&window, file] {
            const bool saved = window.grab().save(file, "PNG");
            if (!saved)
                qCritical("could not write the screenshot to %s", qPrintable(file));
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    const int status = app.exec();
    letVaultSettle(vault.get());
    return status;
}
