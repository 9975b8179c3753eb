#include "configcli.h"

#include "config/configimport.h"
#include "config/hostexport.h"
#include "config/inventory.h"
#include "config/secretreference.h"
#include "inventorycli.h"
#include "review/report.h"
#include "traffic/copyas.h"
#include "traffic/redaction.h"

#include <QFile>
#include <QFileInfo>
#include <QTextStream>

using mcp::Json;
namespace config = mcp::config;

namespace {

int usage(const QString &problem)
{
    QTextStream(stderr) << "mcpwb: " << problem << '\n';
    return 1;
}

// The connection as the command line gave it, references kept.
config::ConfiguredServer givenServer(const CliArgs &args)
{
    config::ConfiguredServer s;
    s.host = config::Host::VsCode; // the workbench writes references as VS Code does: ${env:NAME}
    s.scope = QStringLiteral("command line");
    const mcp::TransportConfig &t = args.transport;
    if (t.kind == mcp::TransportConfig::Kind::Stdio) {
        s.command = t.stdio.program;
        s.args = t.stdio.arguments;
        s.cwd = t.stdio.workingDirectory;
        s.envFile = args.envFile;
        for (const QString &kv : args.environment)
            s.env.append({kv.section(QLatin1Char('='), 0, 0), kv.contains(QLatin1Char('='))
                                                                  ? kv.section(QLatin1Char('='), 1)
                                                                  : QStringLiteral("${env:%1}").arg(kv)});
        s.name = QFileInfo(s.command).fileName();
    } else {
        s.url = QUrl::fromPercentEncoding(t.http.url.toString().toUtf8());
        s.transport = t.kind;
        for (const QString &h : args.headers)
            s.headers.append(
                {h.section(QLatin1Char(':'), 0, 0).trimmed(), h.section(QLatin1Char(':'), 1).trimmed()});
        s.name = t.http.url.host();
    }
    if (!args.name.isEmpty())
        s.name = args.name;
    for (const QString &id : s.inputIds())
        s.inputs << config::ConfigInput{id, QString(), true, Json::object()};
    return s;
}

int runExport(const CliArgs &args)
{
    const std::optional<config::Host> host = config::hostFromKey(args.host);
    if (!host)
        return usage(
            QStringLiteral("config export takes --host %1").arg(config::hostKeys().join(QLatin1Char('|'))));
    if (args.transport.stdio.program.isEmpty() && args.transport.http.url.isEmpty())
        return usage(QStringLiteral("config export needs a connection: --stdio \"COMMAND\" or --url URL"));
    const config::HostExport exported = config::exportServers({givenServer(args)}, *host);
    QTextStream err(stderr);
    if (!exported.error.isEmpty())
        return usage(exported.error);
    for (const QString &note : exported.notes)
        err << "mcpwb: note: " << note << '\n';
    if (args.output.isEmpty()) {
        QTextStream(stdout) << QString::fromUtf8(exported.text);
        return 0;
    }
    QFile file(args.output);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(exported.text) != exported.text.size())
        return usage(QStringLiteral("cannot write %1: %2").arg(args.output, file.errorString()));
    err << "mcpwb: wrote " << args.output << '\n';
    return 0;
}

// The mcpwb options for one imported server, each word shell-quoted; literal secrets masked, references kept.
QStringList connectionOptions(const config::ConfiguredServer &s)
{
    mcp::TransportConfig t = config::transportConfig(s);
    const QString mask = QLatin1String(mcp::redaction::kMask);
    for (const QString &name : t.stdio.environment.keys())
        if (mcp::isLiteralSecret(name, t.stdio.environment.value(name)))
            t.stdio.environment.insert(name, mask);
    for (auto &[name, value] : t.http.headers)
        if (mcp::isLiteralSecret(QString::fromUtf8(name), QString::fromUtf8(value)))
            value = mask.toUtf8();
    t.stdio.arguments = config::shownArguments(t.stdio.arguments);
    mcp::ExportOptions options;
    options.redactSecrets = false; // literal secrets masked above, references kept as they are
    QStringList words = mcp::copyas::connectionArguments(t, options);
    if (s.isRemote()) // as written: a URL with ${input:…} in its host is no QUrl yet
        words[words.indexOf(QStringLiteral("--url")) + 1] =
            mcp::copyas::shellQuote(config::workbenchReferences(s.url, s.host));
    if (!s.envFile.isEmpty())
        words << QStringLiteral("--env-file") << mcp::copyas::shellQuote(s.envFile);
    for (const config::ConfigInput &input : s.inputs)
        words << QStringLiteral("--input") << mcp::copyas::shellQuote(input.id + QStringLiteral("=VALUE"));
    return words;
}

int runImport(const CliArgs &args)
{
    if (args.verb.size() != 3)
        return usage(QStringLiteral("config import takes one FILE"));
    std::optional<config::Host> host;
    if (!args.host.isEmpty() && !(host = config::hostFromKey(args.host)))
        return usage(QStringLiteral("--host takes %1").arg(config::hostKeys().join(QLatin1Char('|'))));
    const config::ConfigFileResult result = config::importConfigFile(args.verb[2], host);
    QTextStream out(stdout);
    auto shown = [](const QString &text) { return mcp::review::visibleText(text, 400); };
    if (args.json) {
        Json servers = Json::array();
        for (const config::ConfiguredServer &s : result.servers) {
            Json inputs = Json::array();
            for (const config::ConfigInput &i : s.inputs)
                inputs.push_back({{"id", mcp::toStd(i.id)},
                                  {"description", mcp::toStd(shown(i.description))},
                                  {"password", i.password}});
            Json options = Json::array();
            for (const QString &w : connectionOptions(s))
                options.push_back(mcp::toStd(w));
            servers.push_back({{"name", mcp::toStd(shown(s.name))},
                               {"host", mcp::toStd(config::hostName(s.host))},
                               {"file", mcp::toStd(s.file)},
                               {"line", s.line},
                               {"options", options},
                               {"inputs", inputs},
                               {"unused", s.unknown}});
        }
        Json problems = Json::array();
        for (const config::ConfigProblem &p : result.problems)
            problems.push_back(
                {{"file", mcp::toStd(p.file)}, {"line", p.line}, {"reason", mcp::toStd(shown(p.reason))}});
        out << QString::fromStdString(Json{{"servers", servers}, {"problems", problems}}.dump(
                   2, ' ', false, Json::error_handler_t::replace))
            << '\n';
        return result.problems.isEmpty() ? 0 : 1;
    }
    out << result.servers.size() << " servers in " << args.verb[2] << "; nothing is started or saved\n";
    for (const config::ConfiguredServer &s : result.servers) {
        out << '\n' << shown(s.name) << "  (" << config::hostName(s.host) << ", line " << s.line << ")\n";
        out << "  mcpwb " << shown(connectionOptions(s).join(QLatin1Char(' '))) << " VERB\n";
        for (const config::ConfigInput &i : s.inputs)
            out << "  asks for " << shown(i.id) << (i.password ? " (secret)" : "") << ": "
                << shown(i.description) << '\n';
        QStringList unused;
        for (auto it = s.unknown.begin(); it != s.unknown.end(); ++it)
            unused << mcp::toQString(it.key());
        if (!unused.isEmpty())
            out << "  not used by mcpwb (kept for export): " << shown(unused.join(QStringLiteral(", ")))
                << '\n';
    }
    for (const config::ConfigProblem &p : result.problems)
        QTextStream(stderr) << "mcpwb: " << shown(p.toString()) << '\n';
    return result.problems.isEmpty() ? 0 : 1;
}

} // namespace

int runConfig(const CliArgs &args)
{
    const QString what = args.verb.value(1);
    if (what == QStringLiteral("import"))
        return runImport(args);
    if (what == QStringLiteral("export"))
        return args.verb.size() == 2 ? runExport(args)
                                     : usage(QStringLiteral("config export takes no words"));
    return runConfigList(args);
}
