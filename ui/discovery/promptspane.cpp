#include "promptspane.h"

#include "common/argumentcompleter.h"
#include "common/busybar.h"
#include "common/rowtable.h"
#include "composer/resultview.h"
#include "composer/schemaform.h"
#include "connections/connection.h"
#include "jsonlistmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <memory>

namespace mcpui {

using mcp::Json;

namespace {

// Prompt arguments are all strings; as a schema they get the same form as a tool's arguments.
Json argumentsSchema(const Json &prompt)
{
    Json schema = {{"type", "object"}, {"properties", Json::object()}, {"required", Json::array()}};
    for (const Json &a : mcp::valueOr(prompt, "arguments", Json::array())) {
        const std::string name = mcp::valueOr(a, "name", "");
        schema["properties"][name] = {{"type", "string"},
                                      {"description", mcp::valueOr(a, "description", "")}};
        if (mcp::valueOr(a, "required", false))
            schema["required"].push_back(name);
    }
    return schema;
}

} // namespace

PromptsPane::PromptsPane(Connection *connection, QWidget *parent) : QWidget(parent), m_connection(connection)
{
    m_model = new JsonListModel(
        {{tr("Name"), [](const Json &p) { return mcp::stringOr(p, "name"); }},
         {tr("Description"), [](const Json &p) { return mcp::stringOr(p, "description"); }}},
        this);
    m_view = makeRowTable(m_model, this, {24});
    m_view->setObjectName(QStringLiteral("prompts"));
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &PromptsPane::onCurrentChanged);

    m_form = new SchemaForm;
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_form);
    m_completionStatus = new QLabel(this);
    m_completionStatus->setObjectName(QStringLiteral("completionStatus"));
    m_completionStatus->setEnabled(false); // quiet: a failed completion is no error of the prompt
    m_completionStatus->hide();
    m_get = new QPushButton(tr("Get Prompt"), this);
    m_get->setObjectName(QStringLiteral("getPrompt"));
    connect(m_get, &QPushButton::clicked, this, &PromptsPane::get);
    m_result = new ResultView(this);

    auto *right = new QSplitter(Qt::Vertical, this);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(scroll, 1);
    topLayout->addWidget(m_completionStatus);
    topLayout->addWidget(m_get, 0, Qt::AlignLeft);
    m_busy = new BusyBar(connection, this);
    topLayout->addWidget(m_busy);
    right->addWidget(top);
    right->addWidget(m_result);

    auto *split = new QSplitter(this);
    split->addWidget(m_view);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(connection, &Connection::changed, this,
            [this] { m_get->setEnabled(m_connection->isReady() && !m_prompt.isEmpty()); });
    connect(connection, &Connection::notificationReceived, this, [this](const QString &method) {
        if (method == QLatin1String("notifications/prompts/list_changed"))
            refresh();
    });
    m_get->setEnabled(false);
}

void PromptsPane::refresh()
{
    if (!m_connection->isReady())
        return;
    m_connection->session()->listAll(
        QStringLiteral("prompts/list"), QStringLiteral("prompts"),
        [this](const mcp::Reply &r) {
            if (!r.ok()) {
                m_result->showError(tr("Could not list prompts: %1").arg(r.error.toString()));
                return;
            }
            const QString current = m_prompt;
            const Json draft = m_form->value();
            m_model->setItems(r.result["prompts"]);
            if (selectPrompt(current))
                m_form->setValue(draft);
        },
        this);
}

bool PromptsPane::selectPrompt(const QString &name)
{
    const int row = m_model->findRow(name);
    if (row < 0)
        return false;
    m_view->setCurrentIndex(m_model->index(row, 0));
    onCurrentChanged();
    return true;
}

void PromptsPane::onCurrentChanged()
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid())
        return;
    const Json prompt = m_model->item(index.row());
    m_prompt = mcp::stringOr(prompt, "name");
    m_form->setSchema(argumentsSchema(prompt));
    ArgumentCompleter::attachToForm(
        m_connection, m_form, {{"type", "ref/prompt"}, {"name", mcp::toStd(m_prompt)}}, m_completionStatus);
    m_get->setEnabled(m_connection->isReady());
}

void PromptsPane::get()
{
    if (m_prompt.isEmpty() || !m_connection->isReady())
        return;
    const mcp::Json params = {{"name", mcp::toStd(m_prompt)}, {"arguments", m_form->value()}};
    m_connection->noteUserAction(QStringLiteral("request"), {{"method", "prompts/get"}, {"params", params}});
    auto answered = std::make_shared<bool>(false);
    const qint64 id = m_connection->session()->request(
        QStringLiteral("prompts/get"), params,
        [this, answered](const mcp::Reply &r) {
            *answered = true;
            m_busy->finish();
            m_get->setEnabled(m_connection->isReady());
            if (r.ok())
                m_result->showPromptMessages(r.result);
            else
                m_result->showError(r.error.toString());
        },
        progressReported(), this);
    if (!*answered) {
        m_get->setEnabled(false); // one prompt at a time: Cancel first
        m_busy->track(id);
    }
}

} // namespace mcpui
