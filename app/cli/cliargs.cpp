#include "cliargs.h"

#include "config/envfile.h"
#include "config/secretreference.h"
#include "conformance/serverrun.h"
#include "review/report.h"
#include "traffic/redaction.h"

#include <QFile>
#include <QProcessEnvironment>

QString usageText()
{
    return QStringLiteral(
        R"(usage: mcpwb (--stdio "COMMAND" [--env K=V|K]... [--cwd DIR] | --url URL [--header "K: V"]...
              [--transport auto|http|sse|ws] [--ca FILE] [--insecure]) [options] VERB

verbs:
  info                               server identity, version, capabilities, instructions
  tools list                         list tools (all pages)
  tools call NAME ['ARGS_JSON']      call a tool
  resources list | templates         list resources or resource templates
  resources read URI                 read a resource
  resources subscribe URI            subscribe and print updates (with watch options)
  prompts list                       list prompts
  prompts get NAME ['ARGS_JSON']     get a prompt
  complete prompt|resource REF ARG VALUE   ask for argument completions
  ping                               round trip
  request METHOD ['PARAMS_JSON']     send any request and print its result
  watch                              print every notification until interrupted
  conformance URL                    act as the client for the MCP conformance harness
  conformance-server [SCENARIO] [--harness stable|next] [--suite NAME] [--requirements REV]
                     [--harness-dir DIR]
                                     run the conformance harness's server scenarios (one, else the suite)
                                     against this --url server through a recording proxy on 127.0.0.1:
                                     each scenario's checks, failing details and the frames it exchanged;
                                     --protocol-version is the harness's --spec-version; the harness is
                                     found in DIR or $MCPWB_HARNESS_DIR (node_modules with it and Node 22)
  demo-server [--http PORT]          run the embedded demo server (stdio, or HTTP on 127.0.0.1)
  proxy --stdio "COMMAND" [--record FILE]           pass stdio through to a server, recording every frame
  proxy --url UPSTREAM --listen PORT [--record FILE]  the same for an HTTP server, on 127.0.0.1:PORT
  trace show TRACE.jsonl [--filter EXPR] [--json]   list a session file's frames (no server needed)
  trace export --har|--otlp|--jsonl OUT [--keep-secrets] TRACE.jsonl   export it, secrets redacted
  trace replay TRACE.jsonl N ['PARAMS_JSON'] [--ignore PATH]...   re-send request N (as trace show
                                     numbers it) on this connection, edited or not; print what differs
  review [--format markdown|html|sarif] [--output FILE] [--accepted FILE] [--pins FILE [--approve]]
                                     security review of this server against the OWASP MCP Top 10:
                                     definitions, connection, toxic flows; findings accepted in FILE
                                     (a JSON file of fingerprints and reasons) do not count for the exit code;
                                     with --pins, definitions changed or new since approval are findings, and
                                     --approve pins what the server defines now; what the session's traffic
                                     showed counts too (injected text in results, definitions changed mid-session)
  review --trace TRACE.jsonl [--format ...] [--output FILE] [--accepted FILE] [--pins FILE]
                                     the same review offline, of a session file (no --stdio or --url):
                                     definitions from its listings, then every result, resource, prompt and
                                     server request in it
  review --all-configured [--project DIR]... [--start NAME]...
                                     review every MCP server the host programs (Claude, Cursor, VS Code,
                                     Windsurf, Cline, Gemini CLI, Codex) configure for this user and in each
                                     DIR: remote ones are connected, stdio ones started only when named by
                                     --start (starting a server runs its code); the rest as configured
  config list [--project DIR]...     list those servers, with the hosts and files configuring each, and
                                     the config files that could not be read (file, line, reason)
  snapshot save FILE                 save the server's surface (tools with their schemas and annotations,
                                     prompts, resources, templates, capabilities, protocol version,
                                     serverInfo) as a versioned JSON file with sorted keys (diffs in git)
  diff SNAPSHOT                      compare SNAPSHOT (before) with this server's surface now (after)
  diff --baseline-stdio "COMMAND" | --baseline-url URL
                                     compare that live server (before; with this connection's other
                                     options: --env, --cwd, --header, ...) with this one (after)
  diff BEFORE AFTER                  compare two snapshot files (no --stdio or --url); breaking changes
                                     first: a tool, prompt or template removed, a new required parameter,
                                     a property removed, a type or enum narrowed, a required output field
                                     removed, a capability dropped, a tool's hints turned riskier
  run COLLECTION [--junit FILE]      run a collection's requests (docs/collections.md) in order, check each
                                     answer against its expectations (success or error code, JSON pointer
                                     equals or matches, the tool's outputSchema, latency) and print the diff
                                     of each failure; ${env:NAME} and ${step:ID/pointer} fill in values;
                                     --junit writes JUnit XML for CI
  config import FILE [--host NAME]   the servers a host's config file or a registry server.json
                                     configures, each as the mcpwb options that connect to it (nothing is
                                     started or saved); bad entries with file, line and reason (exit 1)
  config export --host NAME [--name N] [--output FILE]
                                     this connection (--stdio/--url, --header, --env, --env-file) in the
                                     host's format: claude-desktop, claude-code, cursor, vscode, windsurf,
                                     cline, gemini, codex, server.json; references kept in the host's
                                     syntax, literal secrets replaced by ${env:NAME} (notes on stderr)
  audit verify FILE...               check audit files (consecutive days, in order): print the first
                                     edited, deleted, inserted or reordered entry, or that all are intact
  token inspect TOKEN                decode a token and check signature (--jwks, else the JWKS found from
                                     its iss), times, audience, issuer, scopes; --introspect asks the AS

authorization (HTTP; runs when the server answers 401, or 403 insufficient_scope):
  --client-id ID         pre-registered client (else client ID metadata document or dynamic registration)
  --client-secret S      its secret (write ${env:NAME} or ${file:PATH} to keep it off the command line)
  --client-metadata-url URL   our client ID metadata document, used where the server supports it
  --scope "A B"          request these scopes (token inspect: require them)
  --auth-browser         open the system browser for the user's approval (default)
  --auth-follow-redirect follow the authorization redirect directly (automation, tests)
  --auth-grant code|client_credentials   grant type (client_credentials needs --client-id)
  --private-key FILE     PEM key for private_key_jwt (client_credentials)
  --auth-steps           print every authorization step with its raw HTTP
  --show-secrets         do not mask tokens and secrets in output
  --issuer I             the only authorization server to use: --client-secret and --private-key go to
                         no other (token inspect: the expected iss)
  --jwks URL, --resource R   token inspect: key set and expected audience
  --introspect URL       token inspect: the AS's introspection endpoint (RFC 7662), authenticated with
                         --client-id/--client-secret (HTTP Basic) where given

options:
  --header "K: V"        V may hold ${env:NAME} or ${file:PATH}: read from mcpwb's environment or a file
                         (one line, at most 64 KiB, ~/ is home, not writable by others), not written in argv
  --env K=V | --env K    a variable for the stdio server (K alone: its value from mcpwb's environment; V may
                         hold references as --header); it gets only HOME, LOGNAME, PATH, SHELL, TERM, USER
                         and the locale besides
  --env-file FILE        NAME=VALUE lines for the stdio server (a regular file of yours, not writable by
                         others, at most 256 KiB and 1000 variables; a bad line is an error with its line)
  --input ID=VALUE       the answer to ${input:ID} in a header, variable, URL or argument (VS Code inputs,
                         server.json variables); VALUE may hold ${env:NAME} or ${file:PATH}
  --protocol-version V   pin a protocol version (default: negotiate)
  --trace FILE           write all traffic as JSONL (secrets redacted unless --show-secrets)
  --audit DIR            add this session's actions and frames to the hash-chained audit trail in DIR (one
                         file a day, secrets redacted); the GUI keeps its trail in its data folder, audit/
  --rules FILE           answer sampling, elicitation and roots from a JSON rules file
  --json                 machine-readable output
  --timeout MS           per-request timeout (default 60000; progress resets it)
  --log-level LEVEL      ask the server for log messages at LEVEL and print them
  --cursor C             fetch one page from cursor C instead of all pages
  --seconds S            watch/subscribe: stop after S seconds

--  ends the options: every word after it is part of the verb (a tool named "--x", a file "--y.jsonl")

exit codes: 0 ok, 1 usage, 2 connection, 3 protocol or timeout, 4 server error (JSON-RPC), 5 tool error (isError),
            6 trace replay answered differently from the recording, 11 tools call held: with --pins, the
            tool's definition changed or appeared since approval (the difference is printed)
            review, by the highest severity of a finding not accepted: 0 none or info only, 7 low, 8 medium,
            9 high, 10 critical
            12 audit verify: an entry was edited, deleted, inserted or reordered, or a day cut short
            13 diff: a breaking change (compatible changes alone exit 0)
            14 run: an answer did not meet its expectations, or a request could not be sent
            15 conformance-server: a check failed or warned (1: harness not installed, 3: it did not run)
)");
}

namespace {

// A value that may hold ${env:NAME} or ${file:PATH} (secrets need not be on the command line, where other
// users of the machine can read them); one that cannot be read is an error.
bool expand(const QString &option, QString *value, QString *error)
{
    QString failure;
    *value = mcp::expandSecretReferences(*value, &failure);
    if (!failure.isEmpty())
        *error = QStringLiteral("%1: %2").arg(option, failure);
    return failure.isEmpty();
}

// A value with its ${input:…} references resolved, and its ${env:…} and ${file:…} ones unless it goes on a
// command line (where other users could read what they hold); false with the reason.
bool resolve(const QString &what, const QHash<QString, QString> &inputs, QString *value, QString *error,
             bool secrets = true)
{
    QString missing;
    *value = mcp::expandInputs(*value, inputs, &missing);
    if (!missing.isEmpty()) {
        *error = QStringLiteral("%1: ${input:%2} is asked when connecting: give it with --input %2=VALUE")
                     .arg(what, missing);
        return false;
    }
    return !secrets || expand(what, value, error);
}

// The connection's headers, variables and the rest, references resolved, as the transport takes them.
QString resolveConnection(CliArgs *args)
{
    QString error;
    mcp::TransportConfig &t = args->transport;
    for (QString *value : {&t.stdio.program, &t.stdio.workingDirectory})
        if (!resolve(QStringLiteral("--stdio"), args->inputs, value, &error, false))
            return error;
    for (QString &argument : t.stdio.arguments)
        if (!resolve(QStringLiteral("--stdio"), args->inputs, &argument, &error, false))
            return error;
    if (!args->envFile.isEmpty()) {
        const mcp::config::EnvFileResult file = mcp::config::readEnvFile(args->envFile);
        if (!file.problems.isEmpty())
            return QStringLiteral("--env-file: ") + file.problems.first().toString();
        for (const auto &[name, value] : file.variables)
            t.stdio.environment.insert(name, value);
    }
    for (QString kv : args->environment) {
        if (!kv.contains(QLatin1Char('='))) { // NAME alone: its value from our environment, not argv
            if (!qEnvironmentVariableIsSet(qPrintable(kv)))
                return QStringLiteral("--env %1: %1 is not set in this environment").arg(kv);
            kv += QLatin1Char('=') + qEnvironmentVariable(qPrintable(kv));
        } else {
            QString value = kv.section(QLatin1Char('='), 1);
            if (!resolve(QStringLiteral("--env"), args->inputs, &value, &error))
                return error;
            kv = kv.section(QLatin1Char('='), 0, 0) + QLatin1Char('=') + value;
        }
        t.stdio.environment.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    }
    for (const QString &header : args->headers) {
        const int colon = header.indexOf(QLatin1Char(':'));
        QString value = header.mid(colon + 1).trimmed();
        if (!resolve(QStringLiteral("--header"), args->inputs, &value, &error))
            return error;
        t.http.headers.append({header.left(colon).trimmed().toUtf8(), value.toUtf8()});
    }
    QString url = t.http.url.toString();
    if (url.contains(QLatin1String("%7Binput:"))) { // QUrl keeps braces percent-encoded
        url = QUrl::fromPercentEncoding(url.toUtf8());
        if (!resolve(QStringLiteral("--url"), args->inputs, &url, &error))
            return error;
        t.http.url = QUrl(url);
    }
    return {};
}

} // namespace

QString connectionLabel(const CliArgs &args)
{
    return args.transport.kind == mcp::TransportConfig::Kind::Stdio
               ? args.transport.stdio.program
               : mcp::redaction::redactUrl(args.transport.http.url).toString();
}

QString parseArgs(const QStringList &args, CliArgs *out)
{
    CliArgs &a = *out;
    QString stdioCommand;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        auto value = [&](QString *target) -> bool {
            if (i + 1 >= args.size())
                return false;
            *target = args[++i];
            return true;
        };
        QString v;
        if (arg == QStringLiteral("--")) { // the rest are words, even those that look like options
            a.verb += args.mid(i + 1);
            break;
        }
        if (!arg.startsWith(QStringLiteral("--"))) {
            a.verb.append(arg);
        } else if (arg == QStringLiteral("--help")) {
            a.help = true;
        } else if (arg == QStringLiteral("--version")) {
            a.version = true;
        } else if (arg == QStringLiteral("--json")) {
            a.json = true;
        } else if (arg == QStringLiteral("--insecure")) {
            a.transport.http.insecure = true;
        } else if (arg == QStringLiteral("--auth-browser")) {
            a.auth.userAgent = mcp::auth::AuthSettings::UserAgent::SystemBrowser;
        } else if (arg == QStringLiteral("--auth-follow-redirect")) {
            a.auth.userAgent = mcp::auth::AuthSettings::UserAgent::FollowRedirect;
        } else if (arg == QStringLiteral("--approve")) {
            a.approve = true;
        } else if (arg == QStringLiteral("--all-configured")) {
            a.allConfigured = true;
        } else if (arg == QStringLiteral("--auth-steps")) {
            a.authSteps = true;
        } else if (arg == QStringLiteral("--show-secrets")) {
            a.showSecrets = true;
        } else if (!value(&v)) {
            return QStringLiteral("%1 needs a value").arg(arg);
        } else if (arg == QStringLiteral("--stdio")) {
            stdioCommand = v;
        } else if (arg == QStringLiteral("--env")) {
            a.environment << v;
        } else if (arg == QStringLiteral("--env-file")) {
            a.envFile = v;
        } else if (arg == QStringLiteral("--input")) {
            QString answer = v.section(QLatin1Char('='), 1);
            if (!v.contains(QLatin1Char('=')) || v.section(QLatin1Char('='), 0, 0).isEmpty())
                return QStringLiteral("--input takes ID=VALUE, got \"%1\"").arg(v);
            QString error;
            if (!expand(arg, &answer, &error))
                return error;
            a.inputs.insert(v.section(QLatin1Char('='), 0, 0), answer);
        } else if (arg == QStringLiteral("--host")) {
            a.host = v;
        } else if (arg == QStringLiteral("--name")) {
            a.name = v;
        } else if (arg == QStringLiteral("--cwd")) {
            a.transport.stdio.workingDirectory = v;
        } else if (arg == QStringLiteral("--url")) {
            a.transport.http.url = QUrl(v);
            if (!a.transport.http.url.isValid() || a.transport.http.url.scheme().isEmpty())
                return QStringLiteral("--url: \"%1\" is not a URL").arg(v);
        } else if (arg == QStringLiteral("--header")) {
            if (v.indexOf(QLatin1Char(':')) <= 0)
                return QStringLiteral("--header takes \"Name: value\", got \"%1\"").arg(v);
            a.headers << v;
        } else if (arg == QStringLiteral("--transport")) {
            const auto kind = mcp::TransportConfig::kindFromString(v);
            if (!kind)
                return QStringLiteral("--transport takes auto, http, sse, ws or stdio, got \"%1\"").arg(v);
            a.transport.kind = *kind;
        } else if (arg == QStringLiteral("--ca")) {
            a.transport.http.caFile = v;
        } else if (arg == QStringLiteral("--protocol-version")) {
            a.protocolVersion = v;
        } else if (arg == QStringLiteral("--trace")) {
            a.traceFile = v;
        } else if (arg == QStringLiteral("--audit")) {
            a.auditDir = v;
        } else if (arg == QStringLiteral("--rules")) {
            a.rulesFile = v;
        } else if (arg == QStringLiteral("--log-level")) {
            a.logLevel = v;
        } else if (arg == QStringLiteral("--cursor")) {
            a.cursor = v;
        } else if (arg == QStringLiteral("--timeout")) {
            bool ok = false;
            a.timeoutMs = v.toInt(&ok);
            if (!ok || a.timeoutMs <= 0)
                return QStringLiteral("--timeout takes milliseconds, got \"%1\"").arg(v);
        } else if (arg == QStringLiteral("--seconds")) {
            bool ok = false;
            a.watchSeconds = v.toDouble(&ok);
            if (!ok || a.watchSeconds <= 0)
                return QStringLiteral("--seconds takes a positive number, got \"%1\"").arg(v);
        } else if (arg == QStringLiteral("--client-id")) {
            a.auth.clientId = v;
        } else if (arg == QStringLiteral("--client-secret")) {
            QString error;
            if (!expand(arg, &v, &error))
                return error;
            a.auth.clientSecret = v.toUtf8();
        } else if (arg == QStringLiteral("--client-metadata-url")) {
            a.auth.clientMetadataUrl = v;
        } else if (arg == QStringLiteral("--scope")) {
            a.auth.scope = v;
        } else if (arg == QStringLiteral("--auth-grant")) {
            if (v == QStringLiteral("client_credentials"))
                a.auth.grant = mcp::auth::AuthSettings::Grant::ClientCredentials;
            else if (v != QStringLiteral("code"))
                return QStringLiteral("--auth-grant takes code or client_credentials, got \"%1\"").arg(v);
        } else if (arg == QStringLiteral("--private-key")) {
            QFile f(v);
            if (!f.open(QIODevice::ReadOnly))
                return QStringLiteral("--private-key: cannot read %1").arg(v);
            a.auth.privateKeyPem = f.readAll();
        } else if (arg == QStringLiteral("--jwks")) {
            a.jwksUrl = v;
        } else if (arg == QStringLiteral("--resource")) {
            a.inspectResource = v;
        } else if (arg == QStringLiteral("--issuer")) {
            a.auth.expectedIssuer = v;
        } else if (arg == QStringLiteral("--introspect")) {
            a.introspectUrl = v;
        } else if (arg == QStringLiteral("--format")) {
            if (!mcp::review::reportFormatFromString(v))
                return QStringLiteral("--format takes markdown, html or sarif, got \"%1\"").arg(v);
            a.reviewFormat = v;
        } else if (arg == QStringLiteral("--output")) {
            a.output = v;
        } else if (arg == QStringLiteral("--accepted")) {
            a.acceptedFile = v;
        } else if (arg == QStringLiteral("--junit")) {
            a.junitFile = v;
        } else if (arg == QStringLiteral("--pins")) {
            a.pinsFile = v;
        } else if (arg == QStringLiteral("--project")) {
            a.projects << v;
        } else if (arg == QStringLiteral("--start")) {
            a.startServers << v;
        } else if (arg == QStringLiteral("--ignore")) {
            a.replayIgnore << v;
        } else if (arg == QStringLiteral("--baseline-stdio")) {
            a.baselineStdio = v;
        } else if (arg == QStringLiteral("--baseline-url")) {
            a.baselineUrl = QUrl(v);
            if (!a.baselineUrl.isValid() || a.baselineUrl.scheme().isEmpty())
                return QStringLiteral("--baseline-url: \"%1\" is not a URL").arg(v);
        } else if (arg == QStringLiteral("--harness")) {
            if (!mcp::conformance::harnessFromString(v))
                return QStringLiteral("--harness takes stable or next, got \"%1\"").arg(v);
            a.harness = v;
        } else if (arg == QStringLiteral("--suite")) {
            a.suite = v;
        } else if (arg == QStringLiteral("--requirements")) {
            a.requirements = v;
        } else if (arg == QStringLiteral("--harness-dir")) {
            a.harnessDir = v;
        } else if (arg == QStringLiteral("--http")) {
            a.verb << arg << v; // demo-server --http PORT
        } else {
            return QStringLiteral("unknown option %1").arg(arg);
        }
    }
    if (!stdioCommand.isEmpty()) {
        const mcp::StdioOptions parsed = mcp::StdioOptions::fromCommandLine(stdioCommand);
        a.transport.stdio.program = parsed.program;
        a.transport.stdio.arguments = parsed.arguments;
        if (a.transport.stdio.program.isEmpty())
            return QStringLiteral("--stdio: empty command");
        if (a.transport.kind == mcp::TransportConfig::Kind::Auto)
            a.transport.kind = mcp::TransportConfig::Kind::Stdio;
    }
    if (a.verb.mid(0, 2) == QStringList{QStringLiteral("config"), QStringLiteral("export")})
        return {}; // written out as given, references and all
    return resolveConnection(&a);
}
