#include "resourcespane.h"

#include "common/argumentcompleter.h"
#include "common/busybar.h"
#include "common/rowtable.h"
#include "composer/resultview.h"
#include "composer/schemaform.h"
#include "connections/connection.h"
#include "jsonlistmodel.h"
#include "session/uritemplate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <memory>

namespace mcpui {

using mcp::Json;

ResourcesPane::ResourcesPane(Connection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection)
{
    const auto name = [](const Json &r) { return mcp::stringOr(r, "name", mcp::stringOr(r, "uri")); };
    m_resources =
        new JsonListModel({{tr("Name"), name},
                           {tr("URI"), [](const Json &r) { return mcp::stringOr(r, "uri"); }},
                           {tr("Type"), [](const Json &r) { return mcp::stringOr(r, "mimeType"); }}},
                          this);
    m_templates = new JsonListModel(
        {{tr("Name"), name},
         {tr("URI template"), [](const Json &r) { return mcp::stringOr(r, "uriTemplate"); }},
         {tr("Description"), [](const Json &r) { return mcp::stringOr(r, "description"); }}},
        this);
    m_resourceProxy = new QSortFilterProxyModel(this);
    m_resourceProxy->setSourceModel(m_resources);
    m_resourceProxy->setFilterKeyColumn(-1);
    m_resourceProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    auto *filter = new QLineEdit(this);
    filter->setPlaceholderText(tr("Filter resources"));
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, m_resourceProxy, &QSortFilterProxyModel::setFilterFixedString);

    m_resourceView = makeRowTable(m_resourceProxy, this, {24, 36});
    m_resourceView->setObjectName(QStringLiteral("resources"));
    auto *templateView = makeRowTable(m_templates, this, {24, 36});
    templateView->setObjectName(QStringLiteral("templates"));
    auto *resourceTab = new QWidget(this);
    auto *resourceLayout = new QVBoxLayout(resourceTab);
    resourceLayout->setContentsMargins(0, 0, 0, 0);
    resourceLayout->addWidget(filter);
    resourceLayout->addWidget(m_resourceView);
    m_lists = new QTabWidget(this);
    m_lists->addTab(resourceTab, tr("Resources"));
    m_lists->addTab(templateView, tr("Templates"));

    m_uri = new QLineEdit(this);
    m_uri->setObjectName(QStringLiteral("uri"));
    m_uri->setPlaceholderText(tr("Resource URI; fill in a template's {variables}"));
    m_read = new QPushButton(tr("Read"), this);
    m_subscribe = new QPushButton(tr("Subscribe"), this);
    m_subscribe->setCheckable(true);
    m_result = new ResultView(this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_uri, 1);
    bar->addWidget(m_read);
    bar->addWidget(m_subscribe);
    m_variables = new SchemaForm(this);
    m_variables->setObjectName(QStringLiteral("templateVariables"));
    m_variables->hide();
    m_completionStatus = new QLabel(this);
    m_completionStatus->setObjectName(QStringLiteral("completionStatus"));
    m_completionStatus->setEnabled(false); // quiet: a failed completion is no error of the resource
    m_completionStatus->hide();
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(bar);
    rightLayout->addWidget(m_variables);
    rightLayout->addWidget(m_completionStatus);
    m_busy = new BusyBar(connection, this);
    rightLayout->addWidget(m_busy);
    rightLayout->addWidget(m_result, 1);

    auto *split = new QSplitter(this);
    split->addWidget(m_lists);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_resourceView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &index) {
                showTemplate(QString());
                m_uri->setText(
                    mcp::stringOr(m_resources->item(m_resourceProxy->mapToSource(index).row()), "uri"));
                read();
            });
    connect(templateView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &index) {
                showTemplate(mcp::stringOr(m_templates->item(index.row()), "uriTemplate"));
            });
    connect(m_uri, &QLineEdit::textChanged, this, &ResourcesPane::updateSubscribeButton);
    connect(m_uri, &QLineEdit::returnPressed, this, &ResourcesPane::read);
    connect(m_read, &QPushButton::clicked, this, &ResourcesPane::read);
    connect(m_subscribe, &QPushButton::clicked, this, &ResourcesPane::toggleSubscription);
    connect(connection, &Connection::changed, this, &ResourcesPane::updateSubscribeButton);
    connect(connection, &Connection::notificationReceived, this,
            [this](const QString &method, const Json &params) {
                if (method == QLatin1String("notifications/resources/list_changed"))
                    refresh();
                else if (method == QLatin1String("notifications/resources/updated") &&
                         mcp::stringOr(params, "uri") == m_shown && m_uri->text() == m_shown)
                    read(); // live update of what is on screen
            });
    updateSubscribeButton();
}

void ResourcesPane::refresh()
{
    if (!m_connection->isReady())
        return;
    m_subscribed.clear(); // a new session has no subscriptions
    auto *session = m_connection->session();
    session->listAll(
        QStringLiteral("resources/list"), QStringLiteral("resources"),
        [this](const mcp::Reply &r) {
            if (r.ok())
                m_resources->setItems(r.result["resources"]);
            else
                m_result->showError(tr("Could not list resources: %1").arg(r.error.toString()));
        },
        this);
    session->listAll(
        QStringLiteral("resources/templates/list"), QStringLiteral("resourceTemplates"),
        [this](const mcp::Reply &r) {
            if (r.ok())
                m_templates->setItems(r.result["resourceTemplates"]);
        },
        this);
    updateSubscribeButton();
}

bool ResourcesPane::selectResource(const QString &uri)
{
    for (int i = 0; i < m_resources->rowCount(); ++i)
        if (mcp::stringOr(m_resources->item(i), "uri") == uri) {
            m_lists->setCurrentIndex(0);
            m_resourceView->setCurrentIndex(m_resourceProxy->mapFromSource(m_resources->index(i, 0)));
            return true;
        }
    return false;
}

// A template's variables get a field each (completed by the server where it can); the URI follows them.
void ResourcesPane::showTemplate(const QString &uriTemplate)
{
    m_variables->setVisible(!uriTemplate.isEmpty());
    m_completionStatus->hide();
    if (uriTemplate.isEmpty())
        return;
    const QStringList names = mcp::uriTemplateVariables(uriTemplate);
    Json schema = {{"type", "object"}, {"properties", Json::object()}};
    for (const QString &name : names)
        schema["properties"][mcp::toStd(name)] = {{"type", "string"}};
    m_variables->setSchema(schema);
    m_uri->setText(uriTemplate);
    ArgumentCompleter::attachToForm(m_connection, m_variables,
                                    {{"type", "ref/resource"}, {"uri", mcp::toStd(uriTemplate)}},
                                    m_completionStatus);
    const auto expand = [this, uriTemplate] {
        const Json filled = m_variables->value();
        QHash<QString, QString> values;
        for (auto it = filled.begin(); it != filled.end(); ++it)
            values.insert(mcp::toQString(it.key()), mcp::stringOr(filled, it.key().c_str()));
        m_uri->setText(mcp::expandUriTemplate(uriTemplate, values));
    };
    QLineEdit *first = nullptr;
    for (const QString &name : names)
        if (auto *field = m_variables->findChild<QLineEdit *>(QStringLiteral("field:") + name)) {
            connect(field, &QLineEdit::textChanged, this, expand);
            first = first ? first : field;
        }
    if (first)
        first->setFocus();
}

void ResourcesPane::read()
{
    const QString uri = m_uri->text().trimmed();
    if (uri.isEmpty() || !m_connection->isReady())
        return;
    m_shown = uri;
    m_connection->noteUserAction(QStringLiteral("request"),
                                 {{"method", "resources/read"}, {"params", {{"uri", mcp::toStd(uri)}}}});
    m_busy->cancel(); // a read still in flight: the user moved on
    auto answered = std::make_shared<bool>(false);
    const qint64 id = m_connection->session()->request(
        QStringLiteral("resources/read"), {{"uri", mcp::toStd(uri)}},
        [this, uri, answered](const mcp::Reply &r) {
            *answered = true;
            if (uri != m_shown)
                return; // the user moved on
            m_busy->finish();
            if (r.ok())
                m_result->showResourceContents(r.result);
            else
                m_result->showError(r.error.toString());
        },
        progressReported(), this);
    if (!*answered)
        m_busy->track(id);
}

void ResourcesPane::toggleSubscription()
{
    const QString uri = m_uri->text().trimmed();
    if (uri.isEmpty() || !m_connection->isReady())
        return;
    const bool subscribe = !m_subscribed.contains(uri);
    // resources/subscribe before 2026-07-28, a subscriptions/listen stream from it: the session decides.
    m_connection->noteUserAction(subscribe ? QStringLiteral("subscribe") : QStringLiteral("unsubscribe"),
                                 {{"uri", mcp::toStd(uri)}});
    m_connection->session()->subscribeToResource(
        uri, subscribe,
        [this, uri, subscribe](const mcp::Reply &r) {
            if (!r.ok()) {
                m_result->showError(r.error.toString());
            } else if (subscribe) {
                m_subscribed.insert(uri);
            } else {
                m_subscribed.remove(uri);
            }
            updateSubscribeButton();
        },
        this);
}

void ResourcesPane::updateSubscribeButton()
{
    const bool canSubscribe =
        m_connection->isReady() &&
        mcp::valueOr(mcp::valueOr(m_connection->session()->serverCapabilities(), "resources", Json::object()),
                     "subscribe", false);
    m_subscribe->setEnabled(canSubscribe && !m_uri->text().trimmed().isEmpty());
    m_subscribe->setChecked(m_subscribed.contains(m_uri->text().trimmed()));
    m_subscribe->setText(m_subscribe->isChecked() ? tr("Unsubscribe") : tr("Subscribe"));
    m_read->setEnabled(m_connection->isReady());
}

} // namespace mcpui
