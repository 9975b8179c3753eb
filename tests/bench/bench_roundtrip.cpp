// Echo round-trip latency of the core (ClientSession + transport) against
// @modelcontextprotocol/server-everything, over stdio and streamable HTTP, beside a minimal raw client
// against the same server in the same run.
//
// The raw clients are the baseline: no Qt, no event loop. Over stdio a forked child with two pipes, one JSON
// line written, lines read (blocking) until the response with our id. Over HTTP one blocking keep-alive
// socket: POST, headers, body by Content-Length or chunked framing, SSE `data:` lines joined per event.
// Both parse each frame they read with nlohmann::json, as any correct client must.
//
// Runs are interleaved call by call (core, raw, raw, core, ...; --block for longer runs) so that a noisy
// machine hurts both alike.
// Not a ctest test; see tests/bench/RESULTS.md for how to run it.

#include "session/clientsession.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "transport/transportfactory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <numeric>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace mcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char *kProtocolVersion = "2025-11-25";
const std::string kMessage = "bench round trip";

double microsSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

[[noreturn]] void die(const std::string &why)
{
    std::fprintf(stderr, "bench_roundtrip: %s\n", why.c_str());
    std::exit(2);
}

std::string initializeFrame()
{
    return Json{{"jsonrpc", "2.0"},
                {"id", 0},
                {"method", "initialize"},
                {"params",
                 {{"protocolVersion", kProtocolVersion},
                  {"capabilities", Json::object()},
                  {"clientInfo", {{"name", "raw-bench"}, {"version", "0"}}}}}}
        .dump();
}

std::string initializedFrame()
{
    return R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
}

std::string echoFrame(qint64 id)
{
    return Json{{"jsonrpc", "2.0"},
                {"id", id},
                {"method", "tools/call"},
                {"params", {{"name", "echo"}, {"arguments", {{"message", kMessage}}}}}}
        .dump();
}

// True when frame is the response to id; dies on an error response to it.
bool isResponseTo(const std::string &frame, qint64 id)
{
    const Json j = Json::parse(frame, nullptr, false);
    if (j.is_discarded())
        die("raw client: unparsable frame: " + frame);
    if (!j.is_object() || !j.contains("id") || j.contains("method") || j["id"] != id)
        return false;
    if (!j.contains("result"))
        die("raw client: error response: " + frame);
    return true;
}

void writeAll(int fd, const std::string &data)
{
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            die(std::string("write: ") + std::strerror(errno));
        done += size_t(n);
    }
}

// ---- raw stdio: fork/exec, two pipes, blocking reads ------------------------------------------------

class RawStdioClient
{
public:
    ~RawStdioClient() { stop(); }

    void start(const std::string &program, const std::vector<std::string> &args)
    {
        int toChild[2], fromChild[2];
        if (::pipe2(toChild, O_CLOEXEC) != 0 || ::pipe2(fromChild, O_CLOEXEC) != 0)
            die("pipe2 failed");
        m_pid = ::fork();
        if (m_pid < 0)
            die("fork failed");
        if (m_pid == 0) {
            ::dup2(toChild[0], 0);
            ::dup2(fromChild[1], 1);
            const int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, 2);
            std::vector<char *> argv;
            argv.push_back(const_cast<char *>(program.c_str()));
            for (const std::string &a : args)
                argv.push_back(const_cast<char *>(a.c_str()));
            argv.push_back(nullptr);
            ::execv(program.c_str(), argv.data());
            ::_exit(127);
        }
        ::close(toChild[0]);
        ::close(fromChild[1]);
        m_in = toChild[1];
        m_out = fromChild[0];
        call(initializeFrame(), 0);
        writeAll(m_in, initializedFrame() + '\n');
    }

    // Writes one request line and blocks until its response line arrives.
    void call(const std::string &frame, qint64 id)
    {
        writeAll(m_in, frame + '\n');
        for (;;) {
            if (isResponseTo(readLine(), id))
                return;
        }
    }

    void stop()
    {
        if (m_pid <= 0)
            return;
        ::close(m_in);
        ::close(m_out);
        for (int i = 0; i < 50 && ::waitpid(m_pid, nullptr, WNOHANG) == 0; ++i)
            ::usleep(10000);
        if (::waitpid(m_pid, nullptr, WNOHANG) == 0) {
            ::kill(m_pid, SIGTERM);
            ::waitpid(m_pid, nullptr, 0);
        }
        m_pid = -1;
    }

private:
    std::string readLine()
    {
        for (;;) {
            const size_t nl = m_buffer.find('\n');
            if (nl != std::string::npos) {
                std::string line = m_buffer.substr(0, nl);
                m_buffer.erase(0, nl + 1);
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                if (!line.empty())
                    return line;
                continue;
            }
            char chunk[65536];
            const ssize_t n = ::read(m_out, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                die("raw stdio: the server closed its stdout");
            m_buffer.append(chunk, size_t(n));
        }
    }

    pid_t m_pid = -1;
    int m_in = -1;
    int m_out = -1;
    std::string m_buffer;
};

// ---- raw streamable HTTP: one blocking keep-alive socket ---------------------------------------------

class RawHttpClient
{
public:
    ~RawHttpClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    void start(quint16 port)
    {
        m_port = port;
        call(initializeFrame(), 0);
        if (m_sessionId.empty())
            die("raw http: initialize returned no mcp-session-id");
        post(initializedFrame(), std::nullopt);
    }

    void call(const std::string &frame, qint64 id) { post(frame, id); }

private:
    void connectSocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(m_port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            die(std::string("raw http: connect: ") + std::strerror(errno));
        m_buffer.clear();
    }

    // Returns false on EOF.
    bool fill()
    {
        char chunk[65536];
        for (;;) {
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                die(std::string("raw http: recv: ") + std::strerror(errno));
            if (n == 0)
                return false;
            m_buffer.append(chunk, size_t(n));
            return true;
        }
    }

    std::string takeLine() // CRLF-terminated
    {
        size_t end;
        while ((end = m_buffer.find("\r\n")) == std::string::npos) {
            if (!fill())
                die("raw http: connection closed mid-response");
        }
        std::string line = m_buffer.substr(0, end);
        m_buffer.erase(0, end + 2);
        return line;
    }

    std::string takeBytes(size_t n)
    {
        while (m_buffer.size() < n) {
            if (!fill())
                die("raw http: connection closed mid-body");
        }
        std::string bytes = m_buffer.substr(0, n);
        m_buffer.erase(0, n);
        return bytes;
    }

    // SSE: feeds body bytes, checks each complete event's data against id.
    bool feedSse(const std::string &bytes, qint64 id)
    {
        m_sse += bytes;
        bool found = false;
        size_t end;
        while ((end = m_sse.find("\n\n")) != std::string::npos) {
            std::string data;
            size_t pos = 0;
            const std::string event = m_sse.substr(0, end + 1);
            m_sse.erase(0, end + 2);
            while (pos < event.size()) {
                const size_t nl = event.find('\n', pos);
                std::string line = event.substr(pos, nl - pos);
                pos = nl + 1;
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                if (line.rfind("data:", 0) == 0) {
                    if (!data.empty())
                        data += '\n';
                    data += line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
                }
            }
            if (!data.empty() && isResponseTo(data, id))
                found = true;
        }
        return found;
    }

    void post(const std::string &body, std::optional<qint64> id)
    {
        std::string request =
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(m_port) +
            "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n";
        if (!m_sessionId.empty())
            request +=
                "Mcp-Session-Id: " + m_sessionId + "\r\nMCP-Protocol-Version: " + kProtocolVersion + "\r\n";
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;

        // An idle keep-alive connection may have been closed by the server: reconnect once.
        if (m_fd < 0)
            connectSocket();
        writeAll(m_fd, request);
        if (m_buffer.empty() && !fill()) {
            connectSocket();
            writeAll(m_fd, request);
        }

        const std::string status = takeLine();
        if (status.size() < 12 || status.compare(0, 5, "HTTP/") != 0)
            die("raw http: bad status line: " + status);
        const int code = std::atoi(status.c_str() + 9);
        long long contentLength = -1;
        bool chunked = false, sse = false, closeAfter = false;
        for (std::string line = takeLine(); !line.empty(); line = takeLine()) {
            const size_t colon = line.find(':');
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), ::tolower);
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            if (name == "content-length")
                contentLength = std::atoll(value.c_str());
            else if (name == "transfer-encoding")
                chunked = value.find("chunked") != std::string::npos;
            else if (name == "content-type")
                sse = value.rfind("text/event-stream", 0) == 0;
            else if (name == "connection")
                closeAfter = value.find("close") != std::string::npos;
            else if (name == "mcp-session-id")
                m_sessionId = value;
        }

        bool found = !id.has_value();
        auto consume = [&](const std::string &bytes) {
            if (!id)
                return;
            if (sse) {
                found = feedSse(bytes, *id) || found;
            } else {
                m_json += bytes;
            }
        };
        m_sse.clear();
        m_json.clear();
        if (chunked) {
            for (;;) {
                const size_t size = std::stoul(takeLine(), nullptr, 16);
                if (size == 0) {
                    while (!takeLine().empty()) {
                    } // trailers
                    break;
                }
                consume(takeBytes(size));
                takeBytes(2);
            }
        } else if (contentLength >= 0) {
            consume(takeBytes(size_t(contentLength)));
        }
        if (id && !sse && !m_json.empty())
            found = isResponseTo(m_json, *id);
        if (code / 100 != 2 || !found)
            die("raw http: HTTP " + std::to_string(code) + " without the response to the request");
        if (closeAfter) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

    int m_fd = -1;
    quint16 m_port = 0;
    std::string m_buffer;
    std::string m_sse;
    std::string m_json;
    std::string m_sessionId;
};

// ---- the core: ClientSession over a transport from the factory ----------------------------------------

class CoreClient
{
public:
    CoreClient(const TransportConfig &config, bool record)
    {
        Error error;
        std::unique_ptr<Transport> transport = TransportFactory::create(config, &error);
        if (!transport)
            die("core: " + error.toString().toStdString());
        SessionOptions options;
        options.connectionName = QStringLiteral("bench-") + TransportConfig::kindName(config.kind);
        m_session =
            std::make_unique<ClientSession>(transport.release(), record ? &m_recorder : nullptr, options);
        QEventLoop loop;
        QObject::connect(m_session.get(), &ClientSession::ready, &loop, &QEventLoop::quit);
        QObject::connect(m_session.get(), &ClientSession::failed, &loop, &QEventLoop::quit);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        m_session->start();
        loop.exec();
        if (m_session->state() != ClientSession::State::Ready)
            die("core: session not ready: " + m_session->lastError().toString().toStdString());
    }

    ~CoreClient()
    {
        QEventLoop loop;
        QObject::connect(m_session.get(), &ClientSession::stateChanged, &loop, [&](ClientSession::State s) {
            if (s == ClientSession::State::Closed || s == ClientSession::State::Failed)
                loop.quit();
        });
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        m_session->close();
        if (m_session->state() != ClientSession::State::Closed)
            loop.exec();
    }

    // n sequential echo calls, each sent from the previous one's reply handler.
    void run(int n, std::vector<double> *samples)
    {
        QEventLoop loop;
        int left = n;
        Clock::time_point t0;
        const Json params = {{"name", "echo"}, {"arguments", {{"message", kMessage}}}};
        std::function<void()> next = [&] {
            t0 = Clock::now();
            m_session->request(QStringLiteral("tools/call"), params, [&](const Reply &reply) {
                const double us = microsSince(t0);
                if (!reply.ok())
                    die("core: echo failed: " + reply.error.toString().toStdString());
                if (samples)
                    samples->push_back(us);
                if (--left == 0)
                    loop.quit();
                else
                    next();
            });
        };
        next();
        loop.exec();
    }

    qsizetype recordedFrames() const { return m_recorder.size(); }

private:
    Recorder m_recorder;
    std::unique_ptr<ClientSession> m_session;
};

// server-everything over streamable HTTP with its output discarded: testsupport::PeerProcess keeps a pipe,
// and the server logs a line per POST, which would wake this process during the core's runs only.
class HttpServer
{
public:
    ~HttpServer()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(2000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }

    void start(const QString &script, quint16 port)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PORT"), QString::number(port));
        m_process.setProcessEnvironment(env);
        m_process.setStandardOutputFile(QProcess::nullDevice());
        m_process.setStandardErrorFile(QProcess::nullDevice());
        m_process.start(testsupport::nodeBinary(),
                        {QStringLiteral("-r"),
                         testsupport::peersDir() + QStringLiteral("/loopback-preload.cjs"), script,
                         QStringLiteral("streamableHttp")});
        if (!m_process.waitForStarted(5000))
            die("could not start server-everything streamableHttp");
        const QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(200))
                return;
            QThread::msleep(100);
        }
        die("server-everything streamableHttp did not listen on port " + std::to_string(port));
    }

private:
    QProcess m_process;
};

template <class Raw> void runRaw(Raw &raw, qint64 &nextId, int n, std::vector<double> *samples)
{
    for (int i = 0; i < n; ++i) {
        const qint64 id = nextId++;
        const std::string frame = echoFrame(id);
        const Clock::time_point t0 = Clock::now();
        raw.call(frame, id);
        const double us = microsSince(t0);
        if (samples)
            samples->push_back(us);
    }
}

struct Summary
{
    double p50 = 0, p99 = 0, mean = 0;
};

Summary summarize(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    auto rank = [&](double p) {
        return v[std::min(v.size() - 1, size_t(std::ceil(p * double(v.size()))) - 1)];
    };
    return {rank(0.50), rank(0.99), std::accumulate(v.begin(), v.end(), 0.0) / double(v.size())};
}

// One transport: warm both up, then alternate blocks (core first in even rounds, raw first in odd ones).
template <class Raw> void compare(const char *label, CoreClient &core, Raw &raw, int warmup, int n, int block)
{
    qint64 rawId = 1;
    core.run(warmup, nullptr);
    runRaw(raw, rawId, warmup, nullptr);
    std::vector<double> coreSamples, rawSamples;
    for (int done = 0, round = 0; done < n; done += block, ++round) {
        const int count = std::min(block, n - done);
        if (round % 2 == 0) {
            core.run(count, &coreSamples);
            runRaw(raw, rawId, count, &rawSamples);
        } else {
            runRaw(raw, rawId, count, &rawSamples);
            core.run(count, &coreSamples);
        }
    }
    const Summary c = summarize(coreSamples), r = summarize(rawSamples);
    std::printf("| %-5s | core | %8.1f | %8.1f | %8.1f |\n", label, c.p50, c.p99, c.mean);
    std::printf("| %-5s | raw  | %8.1f | %8.1f | %8.1f |\n", label, r.p50, r.p99, r.mean);
    std::printf("| %-5s | core/raw | %.2fx | %.2fx | %.2fx |\n", label, c.p50 / r.p50, c.p99 / r.p99,
                c.mean / r.mean);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Echo round-trip latency: ClientSession + transport vs a raw client, same server."));
    parser.addHelpOption();
    const QCommandLineOption nOption(QStringLiteral("n"), QStringLiteral("Measured calls per client."),
                                     QStringLiteral("count"), QStringLiteral("2000"));
    const QCommandLineOption warmupOption(QStringLiteral("warmup"), QStringLiteral("Unmeasured calls first."),
                                          QStringLiteral("count"), QStringLiteral("200"));
    const QCommandLineOption blockOption(QStringLiteral("block"),
                                         QStringLiteral("Calls per interleaved block."),
                                         QStringLiteral("count"), QStringLiteral("1"));
    const QCommandLineOption onlyOption(QStringLiteral("only"), QStringLiteral("stdio or http."),
                                        QStringLiteral("transport"));
    const QCommandLineOption noRecorder(QStringLiteral("no-recorder"),
                                        QStringLiteral("Run the session without a Recorder."));
    parser.addOptions({nOption, warmupOption, blockOption, onlyOption, noRecorder});
    parser.process(app);
    const int n = parser.value(nOption).toInt();
    const int warmup = parser.value(warmupOption).toInt();
    const int block = std::max(1, parser.value(blockOption).toInt());
    const QString only = parser.value(onlyOption);
    const bool record = !parser.isSet(noRecorder);

    if (!testsupport::peersInstalled())
        die("npm peers are not installed (run: npm ci --prefix tests/peers)");
    const QString pkg =
        testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-everything"));
    const QString script = pkg + QStringLiteral("/dist/index.js");
    ::signal(SIGPIPE, SIG_IGN);

    std::printf("N=%d warmup=%d block=%d recorder=%s\n\n", n, warmup, block, record ? "on" : "off");
    std::printf("| transport | client | p50 µs | p99 µs | mean µs |\n|---|---|---|---|---|\n");

    if (only.isEmpty() || only == QLatin1String("stdio")) {
        TransportConfig config;
        config.kind = TransportConfig::Kind::Stdio;
        config.stdio = StdioOptions::fromCommandLine(testsupport::everythingStdioCommand());
        CoreClient core(config, record);
        RawStdioClient raw;
        raw.start(testsupport::nodeBinary().toStdString(), {script.toStdString()});
        compare("stdio", core, raw, warmup, n, block);
    }
    if (only.isEmpty() || only == QLatin1String("http")) {
        const quint16 port = testsupport::freeLoopbackPort();
        HttpServer server;
        server.start(script, port);
        TransportConfig config;
        config.kind = TransportConfig::Kind::Http;
        config.http.url = QUrl(QStringLiteral("http://127.0.0.1:%1/mcp").arg(port));
        CoreClient core(config, record);
        RawHttpClient raw;
        raw.start(port);
        compare("http", core, raw, warmup, n, block);
    }
    return 0;
}
