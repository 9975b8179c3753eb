// Compiled into every program that links mcpui (an INTERFACE source): the workbench and its UI tests alike
// read the GUI's strings through the same translator from the moment the application object exists.
#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace {

// The user's language where a translation exists, else English, which is shipped for its plural forms
// ("%n server(s)": 1 server, 2 servers).
void installTranslator()
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(QLocale(), QStringLiteral("mcp-workbench"), QStringLiteral("_"),
                         QStringLiteral(":/i18n")) ||
        translator->load(QStringLiteral(":/i18n/mcp-workbench_en")))
        QCoreApplication::installTranslator(translator);
}

} // namespace

Q_COREAPP_STARTUP_FUNCTION(installTranslator)
