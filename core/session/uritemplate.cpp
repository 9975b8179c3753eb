#include "uritemplate.h"

#include <QRegularExpression>
#include <QUrl>

namespace mcp {

namespace {

const QRegularExpression &expression()
{
    static const QRegularExpression re(QStringLiteral("\\{([^{}]*)\\}"));
    return re;
}

// One {…}: its operator and its variable names without the :prefix and * modifiers.
struct Expression
{
    QChar op;
    QStringList names;
    QList<int> prefixes; // 0: whole value
};

Expression parse(QString body)
{
    Expression e;
    if (!body.isEmpty() && QStringLiteral("+#./;?&").contains(body.front())) {
        e.op = body.front();
        body.remove(0, 1);
    }
    for (QString spec : body.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        int prefix = 0;
        if (spec.endsWith(QLatin1Char('*')))
            spec.chop(1);
        if (const qsizetype colon = spec.indexOf(QLatin1Char(':')); colon >= 0) {
            prefix = spec.mid(colon + 1).toInt();
            spec.truncate(colon);
        }
        e.names << spec.trimmed();
        e.prefixes << prefix;
    }
    return e;
}

} // namespace

QStringList uriTemplateVariables(const QString &uriTemplate)
{
    QStringList names;
    for (auto it = expression().globalMatch(uriTemplate); it.hasNext();)
        for (const QString &name : parse(it.next().captured(1)).names)
            if (!names.contains(name))
                names << name;
    return names;
}

QString expandUriTemplate(const QString &uriTemplate, const QHash<QString, QString> &values)
{
    QString out;
    qsizetype last = 0;
    for (auto it = expression().globalMatch(uriTemplate); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += uriTemplate.mid(last, m.capturedStart() - last);
        last = m.capturedEnd();
        const Expression e = parse(m.captured(1));
        // RFC 6570 appendix A: what each operator puts first and between, whether it names its values,
        // and whether reserved characters pass unencoded.
        const QChar op = e.op;
        const QString first = op.isNull() || op == QLatin1Char('+') ? QString() : QString(op);
        const QString separator = op == QLatin1Char('.') || op == QLatin1Char('/') || op == QLatin1Char(';')
                                      ? QString(op)
                                  : op == QLatin1Char('?') || op == QLatin1Char('&') ? QStringLiteral("&")
                                                                                     : QStringLiteral(",");
        const bool named = op == QLatin1Char(';') || op == QLatin1Char('?') || op == QLatin1Char('&');
        const bool reserved = op == QLatin1Char('+') || op == QLatin1Char('#');
        QStringList parts;
        for (int i = 0; i < e.names.size(); ++i) {
            QString value = values.value(e.names[i]);
            if (value.isEmpty())
                continue;
            if (e.prefixes[i] > 0)
                value.truncate(e.prefixes[i]);
            const QByteArray encoded = QUrl::toPercentEncoding(
                value, reserved ? QByteArrayLiteral(":/?#[]@!$&'()*+,;=%") : QByteArray());
            parts << (named ? e.names[i] + QLatin1Char('=') : QString()) + QString::fromLatin1(encoded);
        }
        if (!parts.isEmpty())
            out += first + parts.join(separator);
    }
    return out + uriTemplate.mid(last);
}

} // namespace mcp
