#include "connectionprofile.h"

#include <QSettings>
#include <QUuid>

namespace mcpui {

QString ConnectionProfile::transportLabel() const
{
    if (kind == Kind::Stdio)
        return QStringLiteral("stdio");
    return transport.isEmpty() ? QStringLiteral("auto") : transport;
}

mcp::TransportConfig ConnectionProfile::transportConfig() const
{
    mcp::TransportConfig config;
    if (kind == Kind::Stdio) {
        config.kind = mcp::TransportConfig::Kind::Stdio;
        config.stdio.program = command;
        config.stdio.arguments = arguments;
        config.stdio.workingDirectory = workingDirectory;
        for (const QString &kv : environment)
            config.stdio.environment.insert(kv.section(QLatin1Char('='), 0, 0),
                                            kv.section(QLatin1Char('='), 1));
        return config;
    }
    config.kind = mcp::TransportConfig::kindFromString(transport).value_or(mcp::TransportConfig::Kind::Auto);
    config.http.url = QUrl::fromUserInput(url);
    for (const QString &h : headers) {
        const int colon = h.indexOf(QLatin1Char(':'));
        if (colon > 0)
            config.http.headers.append(
                {h.left(colon).trimmed().toUtf8(), h.mid(colon + 1).trimmed().toUtf8()});
    }
    config.http.caFile = caFile;
    config.http.insecure = insecure;
    return config;
}

QList<ConnectionProfile> ConnectionProfile::load(QSettings &settings)
{
    QList<ConnectionProfile> profiles;
    const int n = settings.beginReadArray(QStringLiteral("connections"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        ConnectionProfile p;
        p.id = settings.value(QStringLiteral("id")).toString();
        if (p.id.isEmpty())
            p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        p.name = settings.value(QStringLiteral("name")).toString();
        p.kind = settings.value(QStringLiteral("kind")).toString() == QLatin1String("url") ? Kind::Url
                                                                                           : Kind::Stdio;
        p.command = settings.value(QStringLiteral("command")).toString();
        p.arguments = settings.value(QStringLiteral("arguments")).toStringList();
        p.environment = settings.value(QStringLiteral("environment")).toStringList();
        p.workingDirectory = settings.value(QStringLiteral("workingDirectory")).toString();
        p.url = settings.value(QStringLiteral("url")).toString();
        p.headers = settings.value(QStringLiteral("headers")).toStringList();
        p.transport = settings.value(QStringLiteral("transport"), QStringLiteral("auto")).toString();
        p.caFile = settings.value(QStringLiteral("caFile")).toString();
        p.insecure = settings.value(QStringLiteral("insecure")).toBool();
        p.protocolVersion = settings.value(QStringLiteral("protocolVersion")).toString();
        p.roots = settings.value(QStringLiteral("roots")).toStringList();
        profiles.append(p);
    }
    settings.endArray();
    return profiles;
}

void ConnectionProfile::save(QSettings &settings, const QList<ConnectionProfile> &profiles)
{
    settings.remove(QStringLiteral("connections"));
    settings.beginWriteArray(QStringLiteral("connections"), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile &p = profiles[i];
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("id"), p.id);
        settings.setValue(QStringLiteral("name"), p.name);
        settings.setValue(QStringLiteral("kind"),
                          p.kind == Kind::Url ? QStringLiteral("url") : QStringLiteral("stdio"));
        settings.setValue(QStringLiteral("command"), p.command);
        settings.setValue(QStringLiteral("arguments"), p.arguments);
        settings.setValue(QStringLiteral("environment"), p.environment);
        settings.setValue(QStringLiteral("workingDirectory"), p.workingDirectory);
        settings.setValue(QStringLiteral("url"), p.url);
        settings.setValue(QStringLiteral("headers"), p.headers);
        settings.setValue(QStringLiteral("transport"), p.transport);
        settings.setValue(QStringLiteral("caFile"), p.caFile);
        settings.setValue(QStringLiteral("insecure"), p.insecure);
        settings.setValue(QStringLiteral("protocolVersion"), p.protocolVersion);
        settings.setValue(QStringLiteral("roots"), p.roots);
    }
    settings.endArray();
}

} // namespace mcpui
