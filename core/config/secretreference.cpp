#include "secretreference.h"

#include "../traffic/redaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <unistd.h>

namespace mcp {

namespace {

QString readSecretFile(const QString &reference, QString *error)
{
    const QString path =
        reference.startsWith(QLatin1String("~/")) ? QDir::homePath() + reference.mid(1) : reference;
    const QFileInfo info(path);
    auto fail = [&](const QString &reason) {
        *error = QStringLiteral("${file:%1}: %2").arg(reference, reason);
        return QString();
    };
    if (!info.exists())
        return fail(QStringLiteral("%1 does not exist").arg(path));
    if (!info.isFile()) // a FIFO or device could block or never end
        return fail(QStringLiteral("%1 is not a regular file").arg(path));
    if (info.ownerId() != ::getuid() && info.ownerId() != 0)
        return fail(QStringLiteral("%1 belongs to another user").arg(path));
    if (info.permissions() & QFileDevice::WriteOther)
        return fail(QStringLiteral("%1 is writable by other users").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QByteArray bytes = file.read(maxSecretFileBytes + 1);
    if (bytes.size() > maxSecretFileBytes)
        return fail(QStringLiteral("%1 is larger than %2 KiB").arg(path).arg(maxSecretFileBytes / 1024));
    if (bytes.endsWith('\n'))
        bytes.chop(bytes.endsWith("\r\n") ? 2 : 1);
    if (bytes.contains('\n') || bytes.contains('\r') || bytes.contains('\0'))
        return fail(QStringLiteral("%1 holds more than one line").arg(path));
    return QString::fromUtf8(bytes);
}

} // namespace

const QRegularExpression &secretReference()
{
    static const QRegularExpression re(
        QStringLiteral(R"(\$\{(?:env:([A-Za-z_][A-Za-z0-9_]*)|file:([^}]+))\})"));
    return re;
}

QString expandSecretReferences(QString value, QString *error)
{
    QString firstError;
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = secretReference().match(value, from)).hasMatch()) {
        QString failure;
        QString replacement;
        if (m.hasCaptured(1)) {
            const QByteArray name = m.captured(1).toLocal8Bit();
            if (!qEnvironmentVariableIsSet(name.constData()))
                failure = QStringLiteral("${env:%1} is not set in this environment").arg(m.captured(1));
            replacement = qEnvironmentVariable(name.constData());
        } else {
            replacement = readSecretFile(m.captured(2), &failure);
        }
        if (firstError.isEmpty())
            firstError = failure;
        value.replace(m.capturedStart(), m.capturedLength(), replacement);
        from = m.capturedStart() + replacement.size();
    }
    if (error)
        *error = firstError;
    return value;
}

const QRegularExpression &inputReference()
{
    static const QRegularExpression re(QStringLiteral(R"(\$\{input:([^}]+)\})"));
    return re;
}

QStringList inputReferences(const QString &value)
{
    QStringList ids;
    for (const QRegularExpressionMatch &m : inputReference().globalMatch(value))
        if (!ids.contains(m.captured(1)))
            ids << m.captured(1);
    return ids;
}

QString expandInputs(QString value, const QHash<QString, QString> &answers, QString *missing)
{
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = inputReference().match(value, from)).hasMatch()) {
        const auto answer = answers.constFind(m.captured(1));
        if (answer == answers.cend() && missing && missing->isEmpty())
            *missing = m.captured(1);
        const QString replacement = answer == answers.cend() ? QString() : *answer;
        value.replace(m.capturedStart(), m.capturedLength(), replacement);
        from = m.capturedStart() + replacement.size();
    }
    return value;
}

bool isLiteralSecret(const QString &name, const QString &value)
{
    if (value.isEmpty() || !redaction::isSecretSetting(name.toUtf8(), value.toUtf8()))
        return false;
    static const QRegularExpression schemeOnly(QStringLiteral("^(Bearer|Basic|DPoP|Token)?$"),
                                               QRegularExpression::CaseInsensitiveOption);
    return !schemeOnly.match(QString(value).remove(secretReference()).remove(inputReference()).trimmed())
                .hasMatch();
}

} // namespace mcp
