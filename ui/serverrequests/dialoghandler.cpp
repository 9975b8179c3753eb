#include "dialoghandler.h"

#include "connections/connection.h"
#include "serverrequestdialogs.h"

namespace mcpui {

using mcp::Json;

DialogHandler::DialogHandler(Connection *connection, QWidget *dialogParent)
    : QObject(connection), m_connection(connection), m_dialogParent(dialogParent)
{}

Json DialogHandler::capabilities() const
{
    return {{"sampling", Json::object()},
            {"elicitation", {{"form", Json::object()}, {"url", Json::object()}}},
            {"roots", {{"listChanged", true}}}};
}

void DialogHandler::handle(const QString &method, const Json &params, Respond respond)
{
    const QString name = m_connection->profile().name;
    ServerRequestDialog *dialog = nullptr;
    if (method == QLatin1String("roots/list")) {
        Json roots = Json::array();
        for (const QString &uri : m_connection->profile().roots)
            roots.push_back(
                {{"uri", mcp::toStd(uri)},
                 {"name", mcp::toStd(QUrl(uri).fileName().isEmpty() ? uri : QUrl(uri).fileName())}});
        respond({{"roots", roots}}, {});
        return;
    }
    // The user's answer to the server (approved, edited, declined) goes to the audit trail.
    respond = [connection = QPointer<Connection>(m_connection), method,
               respond = std::move(respond)](const Json &result, const mcp::Error &error) {
        if (connection)
            connection->noteUserAction(
                QStringLiteral("answer"),
                {{"method", mcp::toStd(method)},
                 {error ? "refused" : "result", error ? Json(mcp::toStd(error.toString())) : result}});
        respond(result, error);
    };
    if (method == QLatin1String("sampling/createMessage"))
        dialog = new SamplingDialog(name, params, std::move(respond), m_dialogParent);
    else if (method == QLatin1String("elicitation/create") &&
             mcp::stringOr(params, "mode") == QLatin1String("url"))
        dialog = new UrlElicitationDialog(name, params, std::move(respond), m_dialogParent);
    else if (method == QLatin1String("elicitation/create"))
        dialog = new ElicitationDialog(name, params, std::move(respond), m_dialogParent);
    if (!dialog) {
        respond({},
                mcp::makeError(mcp::Error::Category::Rpc, method, QStringLiteral("not supported"), -32601));
        return;
    }
    // A dialog outliving its session would answer nobody: close it when the connection goes down.
    connect(m_connection, &Connection::changed, dialog, [this, dialog] {
        if (!m_connection->isReady())
            dialog->close();
    });
    dialog->show();
    Q_EMIT dialogOpened(dialog);
}

} // namespace mcpui
