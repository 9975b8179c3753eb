#include "clirunner.h"

#include <QRegularExpression>

// A secret parameter of a form or a JSON body and its value, as --auth-steps prints them (no raw string:
// moc loses the class after one with \" inside).
const QRegularExpression &secretParameter()
{
    static const QRegularExpression re(QStringLiteral(
        "\\b(code|code_verifier|client_secret|access_token|refresh_token)(=|\":\\s*\")([^&\"\\s]*)"));
    return re;
}

// The built `mcpwb` CLI's own handling of what it is given: usage errors and exit codes (0 ok, 1 usage,
// 2 connection, 3 protocol/timeout, 4 JSON-RPC error, 5 tool isError), secrets from the environment or a
// file and never printed, --env, and `--` ending the options. Real servers through the CLI: tst_clipeers.
class TestCli : public CliRunner
{
    Q_OBJECT
private Q_SLOTS:
    // ---- usage and connection errors (no server needed) ------------------------------------------------

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("stderrContains");
        QTest::newRow("no arguments") << QStringList{} << QStringLiteral("no verb given");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate"), QStringLiteral("ping")}
                                        << QStringLiteral("unknown option --frobnicate");
        QTest::newRow("option without value")
            << QStringList{QStringLiteral("ping"), QStringLiteral("--timeout")}
            << QStringLiteral("--timeout needs a value");
        QTest::newRow("bad timeout") << QStringList{QStringLiteral("--timeout"), QStringLiteral("soon"),
                                                    QStringLiteral("ping")}
                                     << QStringLiteral("--timeout takes milliseconds");
        QTest::newRow("--env NAME not set")
            << QStringList{QStringLiteral("--stdio"), QStringLiteral("true"), QStringLiteral("--env"),
                           QStringLiteral("MCPWB_UNSET_X"), QStringLiteral("ping")}
            << QStringLiteral("MCPWB_UNSET_X is not set in this environment");
        QTest::newRow("missing rules file")
            << QStringList{QStringLiteral("--stdio"), QStringLiteral("true"), QStringLiteral("--rules"),
                           QStringLiteral("/nonexistent/rules.json"), QStringLiteral("ping")}
            << QStringLiteral("cannot read /nonexistent/rules.json");
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, stderrContains);
        // --trace first, so that a trailing option without its value stays without one
        const Run r = mcpwb(
            QStringList{QStringLiteral("--trace"), m_tmp.filePath(QStringLiteral("unused.jsonl"))} + args,
            10000);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(stderrContains), qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
    }

    void helpAndVersion()
    {
        const Run help = mcpwb({QStringLiteral("--help")}, 10000);
        QVERIFY2(help.exitCode == 0 && help.out.contains(QStringLiteral("exit codes:")),
                 qPrintable(help.describe()));
        const Run version = mcpwb({QStringLiteral("--version")}, 10000);
        QVERIFY2(version.exitCode == 0 && version.out.startsWith(QStringLiteral("mcpwb ")),
                 qPrintable(version.describe()));
    }

    // --env NAME hands a stdio server NAME's value from mcpwb's own environment (a secret need not be in
    // argv); nothing else of that environment reaches it. An unset NAME is a usage error.
    // --header and --client-secret values may read ${env:NAME} from mcpwb's environment instead of carrying
    // the secret in argv (where other users of the machine can see it); an unset NAME is a usage error.
    void secretsFromTheEnvironment()
    {
        QProcess demo;
        const QString url = startDemoHttp(demo);
        QVERIFY(!url.isEmpty());
        qputenv("MCPWB_TEST_HEADER", "value-from-the-environment");
        const Run r = firstRun({QStringLiteral("--url"), url, QStringLiteral("--header"),
                                QStringLiteral("X-Test: ${env:MCPWB_TEST_HEADER}"), QStringLiteral("tools"),
                                QStringLiteral("list")});
        const Run unset = mcpwb({QStringLiteral("--url"), url, QStringLiteral("--client-secret"),
                                 QStringLiteral("${env:MCPWB_TEST_UNSET_SECRET}"), QStringLiteral("tools"),
                                 QStringLiteral("list")},
                                20000);
        qunsetenv("MCPWB_TEST_HEADER");
        demo.terminate();
        demo.waitForFinished(5000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QFile trace(r.trace);
        QVERIFY(trace.open(QIODevice::ReadOnly));
        const QByteArray recorded = trace.readAll();
        QVERIFY2(recorded.contains("value-from-the-environment"), "the header was not sent with its value");
        QVERIFY(!recorded.contains("${env:"));
        QVERIFY2(unset.exitCode == 1, qPrintable(unset.describe()));
        QVERIFY2(unset.err.contains(QStringLiteral("${env:MCPWB_TEST_UNSET_SECRET} is not set")),
                 qPrintable(unset.describe()));
    }

    // --header and --client-secret values may read ${file:PATH} (one line, the user's, not writable by
    // others, at most 64 KiB); a file that cannot be used is a usage error naming it, never its contents.
    void secretsFromAFile()
    {
        QProcess demo;
        const QString url = startDemoHttp(demo);
        QVERIFY(!url.isEmpty());
        auto write = [this](const QString &name, const QByteArray &bytes, QFileDevice::Permissions extra) {
            QFile file(m_tmp.filePath(name));
            if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                file.write(bytes);
            file.close();
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | extra);
            return file.fileName();
        };
        const QString good = write(QStringLiteral("header-value"), "value-from-a-file\n", {});
        const QString shared =
            write(QStringLiteral("shared-secret"), "sk-shared-file", QFileDevice::WriteOther);
        const Run r = firstRun({QStringLiteral("--url"), url, QStringLiteral("--header"),
                                QStringLiteral("X-Test: ${file:%1}").arg(good), QStringLiteral("tools"),
                                QStringLiteral("list")});
        const QString missing = m_tmp.filePath(QStringLiteral("no-such-secret"));
        const Run absent = mcpwb({QStringLiteral("--url"), url, QStringLiteral("--client-secret"),
                                  QStringLiteral("${file:%1}").arg(missing), QStringLiteral("tools"),
                                  QStringLiteral("list")},
                                 20000);
        const Run writable = mcpwb({QStringLiteral("--url"), url, QStringLiteral("--header"),
                                    QStringLiteral("X-Key: ${file:%1}").arg(shared), QStringLiteral("tools"),
                                    QStringLiteral("list")},
                                   20000);
        demo.terminate();
        demo.waitForFinished(5000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QFile trace(r.trace);
        QVERIFY(trace.open(QIODevice::ReadOnly));
        QVERIFY2(trace.readAll().contains("\"X-Test\",\"value-from-a-file\""), "the header was not sent");
        QVERIFY2(absent.exitCode == 1 &&
                     absent.err.contains(
                         QStringLiteral("--client-secret: ${file:%1}: %1 does not exist").arg(missing)),
                 qPrintable(absent.describe()));
        QVERIFY2(writable.exitCode == 1 &&
                     writable.err.contains(QStringLiteral("is writable by other users")) &&
                     !writable.err.contains(QStringLiteral("sk-shared-file")),
                 qPrintable(writable.describe()));
    }

    // --auth-steps prints each authorization exchange: against the MCP SDK's example OAuth server, the MCP
    // request's own credentials (X-Api-Key, x-goog-api-key), the code, the PKCE verifier and the tokens
    // are all masked by the one redaction predicate; the innocuous parts (grant_type, token_type) are shown.
    void authStepsHideSecrets()
    {
        MCPWB_REQUIRE_PEERS();
        quint16 port = 0;
        quint16 authPort = 0;
        testsupport::PeerProcess peer;
        QVERIFY2(peer.startOAuthExample(&port, &authPort), qPrintable(peer.output()));
        const Run r = mcpwb({QStringLiteral("--url"), QStringLiteral("http://localhost:%1/mcp").arg(port),
                             QStringLiteral("--header"), QStringLiteral("X-Api-Key: sk-cli-api-key"),
                             QStringLiteral("--header"), QStringLiteral("x-goog-api-key: sk-cli-goog-key"),
                             QStringLiteral("--auth-follow-redirect"), QStringLiteral("--auth-steps"),
                             QStringLiteral("tools"), QStringLiteral("list")},
                            60000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("> X-Api-Key: [redacted]")) &&
                     r.err.contains(QStringLiteral("> x-goog-api-key: [redacted]")) &&
                     !r.err.contains("sk-cli-"),
                 qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("grant_type=authorization_code")), qPrintable(r.describe()));
        int seen = 0;
        for (auto m = secretParameter().globalMatch(r.err); m.hasNext(); ++seen) {
            const QRegularExpressionMatch match = m.next();
            QVERIFY2(match.captured(3) == QStringLiteral("[redacted]") ||
                         match.captured(3) == QStringLiteral("%5Bredacted%5D"),
                     qPrintable(match.captured(0)));
        }
        QVERIFY2(seen >= 3,
                 qPrintable(r.describe())); // the code and verifier sent, the access token received
        QVERIFY2(r.err.contains(QStringLiteral("token_type")), qPrintable(r.describe()));
    }

    void environmentByName()
    {
        qputenv("MCPWB_TEST_PASSED", "from-the-environment");
        qputenv("MCPWB_TEST_NOT_PASSED", "leaked");
        const QString server = QStringLiteral(
            "sh -c 'echo \"passed=$MCPWB_TEST_PASSED other=${MCPWB_TEST_NOT_PASSED-unset}\" >&2; exit 3'");
        const Run r = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("--env"),
                             QStringLiteral("MCPWB_TEST_PASSED"), QStringLiteral("ping")},
                            20000);
        const Run unset = mcpwb({QStringLiteral("--stdio"), server, QStringLiteral("--env"),
                                 QStringLiteral("MCPWB_TEST_UNSET"), QStringLiteral("ping")},
                                20000);
        qunsetenv("MCPWB_TEST_PASSED");
        qunsetenv("MCPWB_TEST_NOT_PASSED");
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("server stderr: passed=from-the-environment other=unset")),
                 qPrintable(r.describe()));
        QVERIFY2(unset.exitCode == 1, qPrintable(unset.describe()));
        QVERIFY2(unset.err.contains(QStringLiteral("MCPWB_TEST_UNSET is not set")),
                 qPrintable(unset.describe()));
    }

    // `--` ends the options: a tool name that looks like one reaches the server (without `--`, mcpwb took it
    // for its own --help and printed the usage).
    void doubleDashEndsOptions()
    {
        const QString demo = quoted(testsupport::mcpwbBinary()) + QStringLiteral(" demo-server");
        const Run r = mcpwb({QStringLiteral("--stdio"), demo, QStringLiteral("tools"), QStringLiteral("call"),
                             QStringLiteral("--"), QStringLiteral("--help"), QStringLiteral("{}")},
                            20000);
        QVERIFY2(r.exitCode == 4 || r.exitCode == 5, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("--help")) || r.out.contains(QStringLiteral("--help")),
                 qPrintable(r.describe()));
        QVERIFY2(!r.out.contains(QStringLiteral("usage: mcpwb")), qPrintable(r.describe()));
    }

    void wrongStdioCommand_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("stderrContains");
        QTest::newRow("no such program") << QStringLiteral("/nonexistent/mcp-server --flag")
                                         << QStringLiteral("could not start \"/nonexistent/mcp-server\"");
        QTest::newRow("program exits at once")
            << QStringLiteral("sh -c 'echo bye >&2; exit 7'") << QStringLiteral("exited with status 7");
    }

    void wrongStdioCommand()
    {
        QFETCH(QString, command);
        QFETCH(QString, stderrContains);
        const Run r = mcpwb(
            {QStringLiteral("--stdio"), command, QStringLiteral("tools"), QStringLiteral("list")}, 20000);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(stderrContains), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("mcpwb: error:")), qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
