#pragma once

#include "../transport/transportfactory.h"
#include "recorder.h"
#include "redaction.h"

namespace mcp {

// Where a recorded frame went, as plain values, so the CLI and the GUI build the same "copy as" texts.
struct CopyTarget
{
    TransportConfig transport; // the connection's settings (command, env, cwd or URL, headers, kind)
    QString protocolVersion;   // negotiated; empty when unknown
    QUrl postUrl; // where the frame was POSTed (legacy SSE: the endpoint); empty: transport's URL
    // The MCP headers sent with the frame (Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, ...).
    QList<QPair<QByteArray, QByteArray>> sessionHeaders;

    // The target of frame `index` on `transport`: the URL and MCP headers of the HTTP exchange that carried
    // it, if one was recorded.
    static CopyTarget fromRecording(const Recorder &recorder, qsizetype index,
                                    const TransportConfig &transport);
};

namespace copyas {

// One word for a POSIX shell: unchanged when it is made of safe characters only, else in single quotes
// (a single quote inside becomes '\''). Newlines and any Unicode survive literally.
QString shellQuote(const QString &word);

// The frame pretty-printed (raw text when it is not JSON).
QString json(const QByteArray &frame, const ExportOptions &options = {});

// The mcpwb options that reach the server (--stdio/--env/--cwd or --url/--transport/--header/--ca), each
// word shell-quoted; variables the same as in our environment are left out.
QStringList connectionArguments(const TransportConfig &transport, const ExportOptions &options = {});

// An `mcpwb` command line that sends the request again: the verb that matches its method (tools call,
// resources read, prompts get, ...) or `request METHOD 'PARAMS'`. Empty for frames that are not requests.
QString mcpwbCommand(const QByteArray &request, const CopyTarget &target, const ExportOptions &options = {});

// Whether curl can send a frame on this transport (streamable or legacy HTTP, not stdio or WebSocket).
bool curlApplies(const TransportConfig &transport);
// A curl command that POSTs the frame with the headers MCP needs; empty where curl does not apply.
// Redaction masks secret headers and variables (redaction::redactHeaderValue, redaction::isSecretSetting).
QString curlCommand(const QByteArray &frame, const CopyTarget &target, const ExportOptions &options = {});

} // namespace copyas
} // namespace mcp
