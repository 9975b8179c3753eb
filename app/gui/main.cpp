#include "auth/keychainvault.h"
#include "connections/connection.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
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

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A desktop workbench for the Model Context Protocol"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Start connected to the embedded demo server."));
    parser.addOption(demo);
    parser.process(app);

    // Tokens survive a restart in the system keychain where there is one (the auth pane says which).
    auto vault = std::make_shared<mcp::auth::KeychainVault>();
    QSettings settings;
    mcpui::MainWindow window(&settings, std::make_shared<mcp::auth::TokenStore>(vault));
    window.show();

    if (parser.isSet(demo)) {
        mcpui::ConnectionProfile profile;
        profile.id = QStringLiteral("demo"); // one demo entry, however often --demo is used
        profile.name = QStringLiteral("Demo server");
        profile.command = findMcpwb();
        if (profile.command.isEmpty())
            profile.command = QStringLiteral("mcpwb"); // not found: the connection says it could not start
        profile.arguments = {QStringLiteral("demo-server")};
        mcpui::Connection *connection = window.addConnection(profile);
        window.selectConnection(connection);
        connection->open();
    }
    const int status = app.exec();
    letVaultSettle(vault.get());
    return status;
}
