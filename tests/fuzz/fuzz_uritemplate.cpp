// RFC 6570 templates from a server's resources/templates/list (core/session/uritemplate): the first line is
// the template, each further line name=value a variable.
#include "session/uritemplate.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QStringList lines = text.split(QLatin1Char('\n'));
    QHash<QString, QString> values;
    for (qsizetype i = 1; i < lines.size(); ++i)
        values.insert(lines[i].section(QLatin1Char('='), 0, 0), lines[i].section(QLatin1Char('='), 1));
    const QStringList names = mcp::uriTemplateVariables(lines.first());
    for (const QString &name : names)
        values.insert(name, values.value(name, name)); // every named variable has a value too
    (void)mcp::expandUriTemplate(lines.first(), values);
    return 0;
}
