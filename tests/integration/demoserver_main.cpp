// The demo server as its own executable, for tst_demoserver (independent of how mcpwb wires the verb).
#include "demoserver.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    return demo::runDemoServer(app.arguments().mid(1));
}
