#include "argumentcompleter.h"

#include "composer/schemaform.h"
#include "connections/connection.h"
#include "session/protocolversion.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QStringListModel>
#include <QTimer>

namespace mcpui {

using mcp::Json;

ArgumentCompleter::ArgumentCompleter(Connection *connection, QLineEdit *field, Json ref, QString argument,
                                     OtherArguments others)
    : QObject(field), m_connection(connection), m_field(field), m_ref(std::move(ref)),
      m_argument(std::move(argument)), m_others(std::move(others)), m_delay(new QTimer(this)),
      m_values(new QStringListModel(this)), m_completer(new QCompleter(m_values, this))
{
    m_delay->setSingleShot(true);
    m_delay->setInterval(DelayMs);
    connect(m_delay, &QTimer::timeout, this, &ArgumentCompleter::ask);

    // Not QLineEdit::setCompleter(): the line edit would re-show the previous answer on every key press.
    // The server already filtered the values, so the popup shows them as they are.
    m_completer->setWidget(field);
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->popup()->setObjectName(QStringLiteral("completions"));
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), field, &QLineEdit::setText);

    connect(field, &QLineEdit::textEdited, this, [this] {
        ++m_generation;
        m_completer->popup()->hide();
        if (serverCompletes())
            m_delay->start();
    });
}

void ArgumentCompleter::attachToForm(Connection *connection, SchemaForm *form, const Json &ref,
                                     QLabel *status)
{
    status->hide();
    const QString prefix = QStringLiteral("field:");
    for (QLineEdit *field : form->findChildren<QLineEdit *>()) {
        if (!field->objectName().startsWith(prefix))
            continue;
        const QString argument = field->objectName().mid(prefix.size());
        const auto others = [form, argument] {
            Json arguments = form->value();
            arguments.erase(mcp::toStd(argument));
            return arguments;
        };
        auto *completer = new ArgumentCompleter(connection, field, ref, argument, others);
        connect(completer, &ArgumentCompleter::statusChanged, status, [status](const QString &text) {
            status->setText(text);
            status->setVisible(!text.isEmpty());
        });
    }
}

bool ArgumentCompleter::serverCompletes() const
{
    return m_connection && m_connection->isReady() &&
           m_connection->session()->serverCapabilities().contains("completions");
}

void ArgumentCompleter::ask()
{
    if (!serverCompletes() || m_field->text().isEmpty())
        return;
    mcp::ClientSession *session = m_connection->session();
    Json params = {{"ref", m_ref},
                   {"argument", {{"name", mcp::toStd(m_argument)}, {"value", mcp::toStd(m_field->text())}}}};
    // The other arguments as context arrived in 2025-06-18; older servers would reject the field.
    const Json others = m_others ? m_others() : Json::object();
    if (session->protocolVersion() >= mcp::protocol::V2025_06_18 && others.is_object() && !others.empty())
        params["context"] = {{"arguments", others}};
    const quint64 generation = m_generation;
    session->request(
        QStringLiteral("completion/complete"), params,
        [this, generation](const mcp::Reply &r) {
            if (generation != m_generation)
                return; // the user typed on since: a newer question is coming
            if (!r.ok()) {
                Q_EMIT statusChanged(tr("No completions for %1: %2").arg(m_argument, r.error.toString()));
                return;
            }
            show(r.result);
        },
        {}, this);
}

// A server answering garbage gets an empty popup, never an exception.
void ArgumentCompleter::show(const Json &result)
{
    const Json completion = result.is_object() ? mcp::valueOr(result, "completion", Json()) : Json();
    const auto member = [&](const char *key) {
        return completion.is_object() ? completion.value(key, Json()) : Json();
    };
    QStringList values;
    if (const Json list = member("values"); list.is_array())
        for (const Json &v : list)
            if (v.is_string())
                values << mcp::toQString(v.get<std::string>());
    m_values->setStringList(values);
    const Json total = member("total");
    const bool more =
        member("hasMore") == Json(true) || (total.is_number_integer() && total.get<qint64>() > values.size());
    Q_EMIT statusChanged(
        !more ? QString()
        : total.is_number_integer()
            ? tr("%1: showing %2 of %n completion(s)", nullptr,
                 int(qMin<qint64>(total.get<qint64>(), INT_MAX)))
                  .arg(m_argument)
                  .arg(values.size())
            : tr("%1: showing the first %n completion(s)", nullptr, int(values.size())).arg(m_argument));
    if (values.isEmpty() || !m_field->hasFocus()) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->complete();
}

} // namespace mcpui
