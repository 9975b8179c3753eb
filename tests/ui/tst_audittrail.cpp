// The workbench's audit trail (issue 13), with real widgets offscreen: connected to mcpwb's embedded demo
// server over stdio, a tool called from the Tools pane, and the connection closed, the day's file in the
// data folder holds the chained entries for the connect, the call and its frames and the disconnect, in
// that order, verifies intact, and shows no secret of the profile in clear.
#include "audit/auditentry.h"
#include "audit/auditlog.h"
#include "audit/auditverify.h"
#include "composer/composer.h"
#include "composer/resultview.h"
#include "connections/connection.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/toolspane.h"
#include "mainwindow.h"
#include "testsupport.h"

#include <QFile>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using mcp::Json;
using namespace mcpui;

namespace {

constexpr int Timeout = 20000;
constexpr char kSecretEnvironment[] = "DEMO_API_TOKEN=SECRET-env-token";
constexpr char kForecastArguments[] = R"({"city":"Lisbon"})";

// Each entry as JSON (without its hash member), in file order.
QList<Json> entriesOf(const QString &path)
{
    QFile f(path);
    QList<Json> out;
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (!line.isEmpty())
            out.append(Json::parse(mcp::audit::canonicalOf(line).toStdString(), nullptr, false));
    return out;
}

// The sequence number of the first entry after `after` matching kind, event and (when given) method.
qint64 seqOf(const QList<Json> &entries, const char *kind, const char *event, const char *method = nullptr,
             qint64 after = 0)
{
    for (const Json &e : entries)
        if (e["seq"].get<qint64>() > after && e["kind"] == kind && e["event"] == event &&
            e["connection"] == "demo" && (!method || mcp::stringOr(e["detail"], "method") == method))
            return e["seq"].get<qint64>();
    return -1;
}

} // namespace

class TestAuditTrail : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void connectCallAndFramesAreChained()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8()); // the data folder
        QSettings settings(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        auto window = std::make_unique<MainWindow>(&settings);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        mcp::audit::AuditLog *log = window->auditLog();
        QVERIFY2(log->directory().startsWith(m_dir.path()), qPrintable(log->directory()));

        ConnectionProfile profile;
        profile.name = QStringLiteral("demo");
        profile.command = testsupport::mcpwbBinary();
        profile.arguments = {QStringLiteral("demo-server")};
        profile.environment = {QString::fromLatin1(kSecretEnvironment)};
        Connection *c = window->addConnection(profile);
        window->selectConnection(c);
        c->open();
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), Connection::State::Ready, Timeout);

        ToolsPane *tools = window->pageFor(c)->tools();
        QTRY_VERIFY_WITH_TIMEOUT(tools->model()->findRow(QStringLiteral("get_forecast")) >= 0, Timeout);
        QVERIFY(tools->selectTool(QStringLiteral("get_forecast")));
        tools->composer()->setArguments(Json::parse(kForecastArguments));
        QTRY_VERIFY(tools->composer()->sendButton()->isEnabled());
        tools->composer()->sendButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(tools->resultView()->plainText().contains(QStringLiteral("Lisbon")),
                                 Timeout);
        c->close();
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), Connection::State::Closed, Timeout);

        const QString path = log->currentPath();
        const mcp::audit::Verdict verdict = mcp::audit::verifyFiles({path});
        QVERIFY2(verdict.intact(), qPrintable(verdict.toString()));
        const QList<Json> entries = entriesOf(path);
        const qint64 connect = seqOf(entries, "action", "connect");
        const qint64 call = seqOf(entries, "action", "request", "tools/call", connect);
        const qint64 sent = seqOf(entries, "frame", "send", "tools/call", call);
        const qint64 received = seqOf(entries, "frame", "recv", "tools/call", sent);
        const qint64 disconnect = seqOf(entries, "action", "disconnect", nullptr, received);
        QVERIFY2(connect > 0 && call > connect && sent > call && received > sent && disconnect > received,
                 qPrintable(QStringLiteral("%1 %2 %3 %4 %5")
                                .arg(connect)
                                .arg(call)
                                .arg(sent)
                                .arg(received)
                                .arg(disconnect)));
        QVERIFY(seqOf(entries, "frame", "send", "initialize") > connect ||
                seqOf(entries, "frame", "send", "server/discover") > connect);

        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(!text.contains("SECRET-env-token"), text.constData());
        QVERIFY(text.contains("DEMO_API_TOKEN=[redacted]"));
        QVERIFY(text.contains("Lisbon"));
        window.reset();
    }
};

QTEST_MAIN(TestAuditTrail)
#include "tst_audittrail.moc"
