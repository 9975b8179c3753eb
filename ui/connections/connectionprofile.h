#pragma once

#include "config/configuredserver.h"
#include "transport/transportfactory.h"

#include <QList>
#include <QString>
#include <QStringList>

class QSettings;

namespace mcpui {

// How to reach one server, as the user entered it; saved with QSettings across restarts.
// Header and environment values may be written as ${env:NAME}, read from the app's environment at connect
// time. Values of secret names (Authorization, *_TOKEN, X-Api-Key…) are saved only in that form: a literal
// secret stays in memory until the app quits, so no credential lands in the plain-text settings file.
struct ConnectionProfile
{
    enum class Kind { Stdio, Url };

    QString id; // stable key in the settings
    QString name;
    Kind kind = Kind::Stdio;

    // stdio
    QString command;
    QStringList arguments;
    QStringList environment; // KEY=VALUE, added to StdioOptions::minimalEnvironment()
    QString workingDirectory;
    QString envFile; // NAME=VALUE lines read when connecting (config/envfile.h), under `environment`

    // URL
    QString url;
    QStringList headers;                        // "Name: value"
    QString transport = QStringLiteral("auto"); // auto, http, sse, ws
    QString caFile;
    bool insecure = false;

    QString protocolVersion;                // empty: negotiate
    QStringList roots;                      // URIs offered to the server through roots/list
    QList<mcp::config::ConfigInput> inputs; // asked when connecting, for ${input:ID} in any value

    // From a server a host's config file, a server.json or a pasted snippet configures: references in the
    // host's syntax become ${env:NAME}, kept as references (resolved when connecting, never saved resolved).
    static ConnectionProfile fromConfigured(const mcp::config::ConfiguredServer &server);
    // The other way, for exporting to a host's format: references kept (the workbench's ${env:NAME} syntax,
    // VS Code's), inputs as declared.
    mcp::config::ConfiguredServer toConfigured() const;
    // The ${input:ID} its values refer to and answers does not hold, as declared (or bare, by ID).
    QList<mcp::config::ConfigInput> unansweredInputs(const QHash<QString, QString> &answers) const;

    // The transport's short name for the sidebar ("stdio", "http", ...).
    QString transportLabel() const;
    // ${env:NAME} and ${file:PATH} references resolved now, ${input:ID} from answers, and the envFile read.
    // One that cannot be read leaves its header or variable out, and says why in *unreadable ("header
    // X-Api-Key: ...", "envFile: FILE:LINE: reason"), where given.
    mcp::TransportConfig transportConfig(QStringList *unreadable = nullptr,
                                         const QHash<QString, QString> &answers = {}) const;

    // What the audit trail records of the profile: target, transport, headers and variables with secret
    // values masked, and arguments with the value of a secret-named option (--api-key X, --token=X) masked.
    mcp::Json auditSummary() const;

    // Header/variable lines ("Name: value", "KEY=value") whose literal secret value would not be saved.
    QStringList unsavedSecrets() const;

    static QList<ConnectionProfile> load(QSettings &settings);
    static void save(QSettings &settings, const QList<ConnectionProfile> &profiles);
};

} // namespace mcpui
