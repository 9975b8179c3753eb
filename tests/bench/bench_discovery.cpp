// Lists 5,000 tools (50 pages) from an in-process fake server into the real Tools pane, then filters them as
// a user types, while a watchdog timer measures the longest event-loop stall. Target: < 100 ms. Run:
// QT_QPA_PLATFORM=offscreen build/tests/bench/bench_discovery
#include "composer/composer.h"
#include "connections/connection.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/toolspane.h"
#include "faketransport.h"
#include "mainwindow.h"
#include "stallwatchdog.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using mcp::Json;

namespace {

constexpr int ToolCount = 5000;
constexpr int PageSize = 100;

Json tool(int i)
{
    Json properties = {{"target", {{"type", "string"}}}, {"count", {{"type", "integer"}, {"default", i}}}};
    Json schema = {{"type", "object"}, {"required", {"target"}}, {"properties", properties}};
    return {{"name", QStringLiteral("tool-%1").arg(i, 4, 10, QLatin1Char('0')).toStdString()},
            {"title", QStringLiteral("Tool number %1").arg(i).toStdString()},
            {"description", QStringLiteral("Does thing %1 to the %2 widget.")
                                .arg(i)
                                .arg(i % 2 ? "blue" : "green")
                                .toStdString()},
            {"annotations", {{"readOnlyHint", i % 3 == 0}}},
            {"inputSchema", schema}};
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("bench.ini")), QSettings::IniFormat);
    mcpui::MainWindow window(&settings);
    window.resize(1500, 950);
    window.show();

    auto *fake = new FakeTransport;
    fake->onSend = [fake](const Json &m) {
        if (m["method"] != "tools/list")
            return;
        const int start = std::stoi(m["params"].value("cursor", std::string("0")));
        Json page = {{"tools", Json::array()}};
        for (int i = start; i < qMin(start + PageSize, ToolCount); ++i)
            page["tools"].push_back(tool(i));
        if (start + PageSize < ToolCount)
            page["nextCursor"] = std::to_string(start + PageSize);
        const Json reply = {{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", page}};
        QTimer::singleShot(0, fake, [fake, reply] { fake->injectJson(reply); }); // like a real server: later
    };
    mcpui::ConnectionProfile profile;
    profile.name = QStringLiteral("5,000 tools");
    profile.command = QStringLiteral("(in-process)");
    mcpui::Connection *connection = window.addConnection(profile);
    window.selectConnection(connection);
    mcpui::ToolsPane *tools = window.pageFor(connection)->tools();

    StallWatchdog watchdog;
    QElapsedTimer total;
    watchdog.start();
    total.start();
    connection->openWith(std::unique_ptr<mcp::Transport>(fake));
    if (!QTest::qWaitFor([&] { return tools->model()->rowCount() == ToolCount; }, 60000)) {
        qCritical("the tools did not arrive");
        return 1;
    }
    const qint64 listStall = watchdog.stop();
    const qint64 listMs = total.elapsed();

    // The pane's own share of the listing: resetting the model with every tool at once.
    Json all = Json::array();
    for (int i = 0; i < ToolCount; ++i)
        all.push_back(tool(i));
    QElapsedTimer resetClock;
    resetClock.start();
    tools->model()->setItems(std::move(all));
    QCoreApplication::processEvents(); // the view's relayout
    const qint64 resetMs = resetClock.elapsed();

    // Type a filter one key at a time, as a user would, then clear it; select and compose a tool.
    watchdog.start();
    total.restart();
    for (const QChar c : QStringLiteral("thing 42")) {
        QTest::keyClick(tools->filter(), c.toLatin1());
        QTest::qWait(20);
    }
    const int matches = tools->proxy()->rowCount();
    tools->filter()->clear();
    tools->selectTool(QStringLiteral("tool-4999"));
    QTest::qWait(50);
    const qint64 filterStall = watchdog.stop();
    const qint64 filterMs = total.elapsed();

    printf("tools listed: %d in %lld ms (50 pages), longest stall %lld ms\n", tools->model()->rowCount(),
           listMs, listStall);
    printf("model reset with %d tools and view relayout: %lld ms\n", ToolCount, resetMs);
    printf("filter \"thing 42\" typed key by key: %d matches, %lld ms, longest stall %lld ms\n", matches,
           filterMs, filterStall);
    printf("composer target after select: %s\n", qPrintable(tools->composer()->target()));
    const bool ok = listStall < 100 && filterStall < 100;
    printf("%s (target: longest stall < 100 ms)\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
