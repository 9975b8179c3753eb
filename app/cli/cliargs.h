#pragma once

#include "auth/authflow.h"
#include "transport/transportfactory.h"

#include <QHash>
#include <QStringList>

// What the command line asked for: how to reach the server, and which verb to run.
struct CliArgs
{
    mcp::TransportConfig transport;
    QString protocolVersion;
    QString traceFile;
    QString auditDir; // --audit: the session's actions and frames go to this audit trail
    QString rulesFile;
    QString logLevel;
    QString cursor; // one page from here, instead of all pages
    int timeoutMs = 60000;
    double watchSeconds = 0; // 0: until interrupted
    mcp::Json inlineRules;   // rules given by a mode (conformance) rather than a file
    bool keepGoing = false;  // run every step even after one fails
    bool json = false;
    bool help = false;
    bool version = false;
    mcp::auth::AuthSettings auth; // OAuth for HTTP connections (used when the server answers 401)
    bool authSteps = false;       // print the raw HTTP of every authorization step
    bool showSecrets = false;     // do not mask tokens, codes and secrets in output
    QString jwksUrl;              // token inspect
    QString inspectResource;
    QString introspectUrl;    // token inspect: ask this RFC 7662 endpoint (as --client-id/--client-secret)
    QStringList replayIgnore; // trace replay: JSON paths left out of the comparison
    QString reviewFormat = QStringLiteral("markdown"); // review: markdown, html or sarif
    QString output;                                    // review, config export: write here instead of stdout
    QString acceptedFile;                              // review: the reviewer's accepted findings
    QString junitFile;                                 // run: the JUnit XML report goes here
    QString pinsFile; // approved definitions: review --approve writes them, review and tools call check them
    bool approve = false;       // review: pin what the server defines now
    bool allConfigured = false; // review --all-configured: every server the host programs configure
    QStringList projects;       // config list, review --all-configured: project folders to read too
    QStringList startServers;   // review --all-configured: stdio servers the user agreed to start, by name
    QStringList verb;           // e.g. {"tools", "call", "echo", "{...}"}
    // As written: references in --header and --env values are resolved for connecting, kept by config export.
    QStringList headers;            // "Name: value"
    QStringList environment;        // "NAME=value", or NAME alone: its value from our environment
    QString envFile;                // --env-file: NAME=VALUE lines for the stdio server
    QHash<QString, QString> inputs; // --input ID=VALUE: the answers for ${input:ID}
    QString host;                   // config import, config export: a host's format (hostKeys())
    QString name;                   // config export: the server's name
    QString baselineStdio; // diff: the server before, started with this command (the connection's options)
    QUrl baselineUrl;      // diff: the server before, at this URL (the connection's options)
    QString harness = QStringLiteral("stable"); // conformance-server: stable (0.1.x) or next (0.2.x)
    QString suite;        // conformance-server: the harness's suite (default: its "active")
    QString requirements; // conformance-server (next): a spec revision's required scenarios
    QString harnessDir;   // conformance-server: where the harness is installed
};

// Parses argv (without the program name). Returns an error message, or empty on success.
QString parseArgs(const QStringList &args, CliArgs *out);
QString usageText();
// What the connection is called in output: the stdio program, or the URL (secret query items masked).
QString connectionLabel(const CliArgs &args);
