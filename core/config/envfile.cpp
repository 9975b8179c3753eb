#include "envfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <unistd.h>

namespace mcp::config {

namespace {

// "…" takes \n, \r, \t, \" and \\ escapes; '…' is literal; an unquoted value ends at " #" (a comment).
bool unquote(QString raw, QString *value, QString *error)
{
    raw = raw.trimmed();
    if (raw.isEmpty() || (raw[0] != QLatin1Char('"') && raw[0] != QLatin1Char('\''))) {
        const qsizetype comment = raw.indexOf(QLatin1String(" #"));
        *value = (comment >= 0 ? raw.left(comment) : raw).trimmed();
        return true;
    }
    const QChar quote = raw[0];
    value->clear();
    for (qsizetype i = 1; i < raw.size(); ++i) {
        const QChar c = raw[i];
        if (c == quote) {
            const QString rest = raw.mid(i + 1).trimmed();
            if (!rest.isEmpty() && !rest.startsWith(QLatin1Char('#')))
                return (*error = QStringLiteral("text after the closing quote"), false);
            return true;
        }
        if (quote == QLatin1Char('"') && c == QLatin1Char('\\') && i + 1 < raw.size()) {
            const QChar e = raw[++i];
            *value += e == QLatin1Char('n')   ? QChar(QLatin1Char('\n'))
                      : e == QLatin1Char('r') ? QChar(QLatin1Char('\r'))
                      : e == QLatin1Char('t') ? QChar(QLatin1Char('\t'))
                                              : e;
        } else {
            *value += c;
        }
    }
    return (*error = QStringLiteral("unclosed quote"), false);
}

} // namespace

EnvFileResult parseEnvFile(const QString &path, const QByteArray &bytes)
{
    EnvFileResult result;
    if (bytes.size() > kMaxEnvFileBytes) {
        result.problems.append({path, 0, QStringLiteral("larger than %1 KiB").arg(kMaxEnvFileBytes / 1024)});
        return result;
    }
    static const QRegularExpression assignment(
        QStringLiteral(R"(^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$)"));
    const QList<QByteArray> lines = bytes.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int number = int(i) + 1;
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        auto problem = [&](const QString &reason) { result.problems.append({path, number, reason}); };
        if (line.contains('\0')) {
            problem(QStringLiteral("holds a NUL byte"));
            continue;
        }
        const QString text = QString::fromUtf8(line);
        if (text.trimmed().isEmpty() || text.trimmed().startsWith(QLatin1Char('#')))
            continue;
        const QRegularExpressionMatch m = assignment.match(text);
        if (!m.hasMatch()) {
            problem(QStringLiteral("not NAME=VALUE"));
            continue;
        }
        QString value;
        QString error;
        if (!unquote(m.captured(2), &value, &error)) {
            problem(QStringLiteral("%1: %2").arg(m.captured(1), error));
            continue;
        }
        const QString name = m.captured(1);
        result.variables.removeIf([&](const QPair<QString, QString> &v) { return v.first == name; });
        if (result.variables.size() == kMaxEnvFileVariables) {
            problem(
                QStringLiteral("more than %1 variables; the rest are not read").arg(kMaxEnvFileVariables));
            break;
        }
        result.variables.append({name, value});
    }
    return result;
}

EnvFileResult readEnvFile(const QString &path)
{
    const QString file = path.startsWith(QLatin1String("~/")) ? QDir::homePath() + path.mid(1) : path;
    const QFileInfo info(file);
    auto fail = [&](const QString &reason) { return EnvFileResult{{}, {{file, 0, reason}}}; };
    if (!info.exists())
        return fail(QStringLiteral("envFile does not exist"));
    if (!info.isFile()) // a FIFO or device could block or never end
        return fail(QStringLiteral("envFile is not a regular file"));
    if (info.ownerId() != ::getuid() && info.ownerId() != 0)
        return fail(QStringLiteral("envFile belongs to another user"));
    if (info.permissions() & QFileDevice::WriteOther)
        return fail(QStringLiteral("envFile is writable by other users"));
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read envFile: %1").arg(f.errorString()));
    return parseEnvFile(file, f.read(kMaxEnvFileBytes + 1)); // it may have grown since
}

} // namespace mcp::config
