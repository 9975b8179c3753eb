#include "printer.h"

#include <cstdio>

using mcp::Json;
using mcp::stringOr;

Printer::Printer(bool json) : m_json(json), m_out(stdout), m_err(stderr)
{}

void Printer::line(const QString &text)
{
    m_out << text << Qt::endl;
}

void Printer::diagnostic(const QString &text)
{
    m_err << "mcpwb: " << text << Qt::endl;
}

void Printer::error(const mcp::Error &error)
{
    if (m_json) {
        Json j = {{"error",
                   {{"category", mcp::toStd(mcp::Error::categoryName(error.category))},
                    {"step", mcp::toStd(error.step)},
                    {"message", mcp::toStd(error.message)}}}};
        if (error.code)
            j["error"]["code"] = error.code;
        if (!error.data.is_null())
            j["error"]["data"] = error.data;
        m_err << mcp::dumpCompact(j) << Qt::endl;
        return;
    }
    m_err << "mcpwb: error: " << error.toString() << Qt::endl;
}

static QString firstLine(const QString &text)
{
    const QString t = text.trimmed();
    const int nl = t.indexOf(QLatin1Char('\n'));
    return nl < 0 ? t : t.left(nl) + QStringLiteral(" …");
}

void Printer::listNamed(const Json &items, const char *nameKey)
{
    for (const auto &item : items) {
        const QString name = stringOr(item, nameKey);
        const QString title = stringOr(item, "title");
        const QString description = firstLine(stringOr(item, "description"));
        QString row = name;
        if (!title.isEmpty() && title != name)
            row += QStringLiteral(" (%1)").arg(title);
        if (!description.isEmpty())
            row += QStringLiteral("  — ") + description;
        m_out << "  " << row << Qt::endl;
    }
}

void Printer::tools(const Json &result)
{
    const Json items = mcp::valueOr(result, "tools", Json::array());
    m_out << items.size() << " tools" << Qt::endl;
    listNamed(items, "name");
}

void Printer::content(const Json &blocks)
{
    for (const auto &block : blocks) {
        const QString type = stringOr(block, "type");
        if (type == QStringLiteral("text")) {
            m_out << stringOr(block, "text") << Qt::endl;
        } else if (type == QStringLiteral("image") || type == QStringLiteral("audio")) {
            m_out << QStringLiteral("[%1 %2, %3 base64 characters]")
                         .arg(type, stringOr(block, "mimeType"))
                         .arg(stringOr(block, "data").size())
                  << Qt::endl;
        } else if (type == QStringLiteral("resource_link")) {
            m_out << QStringLiteral("[link %1 %2]").arg(stringOr(block, "uri"), stringOr(block, "name"))
                  << Qt::endl;
        } else if (type == QStringLiteral("resource")) {
            const Json r = mcp::valueOr(block, "resource", Json::object());
            m_out << QStringLiteral("[resource %1]").arg(stringOr(r, "uri")) << Qt::endl;
            if (r.contains("text"))
                m_out << stringOr(r, "text") << Qt::endl;
        } else {
            m_out << mcp::dumpPretty(block) << Qt::endl;
        }
    }
}

void Printer::result(const QString &verb, const Json &result)
{
    if (m_json) {
        m_out << mcp::dumpCompact(result) << Qt::endl;
        return;
    }
    if (verb == QStringLiteral("tools list")) {
        tools(result);
    } else if (verb == QStringLiteral("resources list")) {
        const Json items = mcp::valueOr(result, "resources", Json::array());
        m_out << items.size() << " resources" << Qt::endl;
        for (const auto &r : items)
            m_out << "  " << stringOr(r, "uri") << "  " << stringOr(r, "name") << Qt::endl;
    } else if (verb == QStringLiteral("resources templates")) {
        const Json items = mcp::valueOr(result, "resourceTemplates", Json::array());
        m_out << items.size() << " resource templates" << Qt::endl;
        for (const auto &r : items)
            m_out << "  " << stringOr(r, "uriTemplate") << "  " << stringOr(r, "name") << Qt::endl;
    } else if (verb == QStringLiteral("prompts list")) {
        const Json items = mcp::valueOr(result, "prompts", Json::array());
        m_out << items.size() << " prompts" << Qt::endl;
        listNamed(items, "name");
    } else if (verb == QStringLiteral("tools call")) {
        content(mcp::valueOr(result, "content", Json::array()));
        if (result.contains("structuredContent"))
            m_out << "structured content:\n" << mcp::dumpPretty(result["structuredContent"]) << Qt::endl;
    } else if (verb == QStringLiteral("resources read")) {
        for (const auto &c : mcp::valueOr(result, "contents", Json::array())) {
            if (c.contains("text"))
                m_out << stringOr(c, "text") << Qt::endl;
            else
                m_out << QStringLiteral("[%1 blob, %2 base64 characters]")
                             .arg(stringOr(c, "mimeType"))
                             .arg(stringOr(c, "blob").size())
                      << Qt::endl;
        }
    } else if (verb == QStringLiteral("prompts get")) {
        if (result.contains("description"))
            m_out << stringOr(result, "description") << Qt::endl;
        for (const auto &message : mcp::valueOr(result, "messages", Json::array())) {
            m_out << stringOr(message, "role") << ": ";
            content(Json::array({mcp::valueOr(message, "content", Json::object())}));
        }
    } else if (verb == QStringLiteral("complete")) {
        const Json completion = mcp::valueOr(result, "completion", Json::object());
        for (const auto &v : mcp::valueOr(completion, "values", Json::array()))
            m_out << QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump()) << Qt::endl;
    } else if (verb == QStringLiteral("info")) {
        const Json server = mcp::valueOr(result, "serverInfo", Json::object());
        m_out << "server:    " << stringOr(server, "name") << " " << stringOr(server, "version");
        if (server.contains("title"))
            m_out << " (" << stringOr(server, "title") << ")";
        m_out << "\nprotocol:  " << stringOr(result, "protocolVersion") << "\ncapabilities:";
        const Json capabilities = mcp::valueOr(result, "capabilities", Json::object());
        for (const auto &[name, value] : capabilities.items())
            m_out << " " << mcp::toQString(name) << (value.empty() ? "" : mcp::dumpCompact(value));
        m_out << Qt::endl;
        if (result.contains("instructions"))
            m_out << "instructions:\n" << stringOr(result, "instructions") << Qt::endl;
    } else if (verb == QStringLiteral("ping")) {
        m_out << "pong" << Qt::endl;
    } else {
        m_out << mcp::dumpPretty(result) << Qt::endl;
    }
}

void Printer::notification(const QString &method, const Json &params)
{
    if (m_json) {
        m_out << mcp::dumpCompact(Json{{"method", mcp::toStd(method)}, {"params", params}}) << Qt::endl;
        return;
    }
    m_out << method;
    if (!params.is_null() && !params.empty())
        m_out << " " << mcp::dumpCompact(params);
    m_out << Qt::endl;
}
