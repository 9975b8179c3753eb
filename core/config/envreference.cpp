#include "envreference.h"

namespace mcp {

const QRegularExpression &environmentReference()
{
    static const QRegularExpression re(QStringLiteral(R"(\$\{env:([A-Za-z_][A-Za-z0-9_]*)\})"));
    return re;
}

QString expandEnvironmentReferences(QString value, QStringList *unset)
{
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = environmentReference().match(value, from)).hasMatch()) {
        const QByteArray name = m.captured(1).toLocal8Bit();
        if (unset && !qEnvironmentVariableIsSet(name.constData()))
            unset->append(m.captured(1));
        const QString replacement = qEnvironmentVariable(name.constData());
        value.replace(m.capturedStart(), m.capturedLength(), replacement);
        from = m.capturedStart() + replacement.size();
    }
    return value;
}

} // namespace mcp
