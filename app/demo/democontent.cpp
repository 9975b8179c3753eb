#include "demomedia.h"
#include "demoserver.h"
#include "demoweather.h"
#include "server/mcpserver.h"

#include <QDate>
#include <QMap>
#include <QPointer>
#include <QTimer>
#include <cmath>

using mcp::Json;
using mcp::RequestContext;
using mcp::toQString;
using mcp::toStd;

namespace demo {

namespace {

struct Note
{
    QString title;
    QString body;
    QStringList tags;
};

QString noteUri(int id)
{
    return QStringLiteral("notes://%1").arg(id);
}

// The demo's data and timers; lives as long as the server it is installed in.
class DemoState : public QObject
{
public:
    DemoState(mcp::McpServer &server, const DemoOptions &options)
        : QObject(&server), server(server), options(options)
    {
        live.setInterval(options.liveIntervalMs);
        connect(&live, &QTimer::timeout, this, [this] {
            ++liveTick;
            this->server.notifyResourceUpdated(QStringLiteral("weather://current"));
        });
        connect(&server, &mcp::McpServer::subscribersChanged, this, [this](const QString &uri, int count) {
            if (uri != QStringLiteral("weather://current"))
                return;
            if (count > 0 && !live.isActive())
                live.start();
            else if (count == 0)
                live.stop();
        });
    }

    Json noteDefinition(int id) const
    {
        const Note &n = notes[id];
        return {{"uri", toStd(noteUri(id))},
                {"name", toStd(QStringLiteral("note-%1").arg(id))},
                {"title", toStd(n.title)},
                {"description",
                 toStd(QStringLiteral("Field note tagged %1").arg(n.tags.join(QStringLiteral(", "))))},
                {"mimeType", "text/markdown"},
                {"size", n.body.toUtf8().size()}};
    }
    Json noteContents(int id) const
    {
        const Note &n = notes[id];
        return {
            {"uri", toStd(noteUri(id))},
            {"mimeType", "text/markdown"},
            {"text",
             toStd(QStringLiteral("# %1\n\n%2\n\n_Tags: %3_\n").arg(n.title, n.body, n.tags.join(", ")))}};
    }
    void addNote(int id)
    {
        server.addResource(noteDefinition(id), [this, id](const QString &) -> std::optional<Json> {
            if (!notes.contains(id))
                return std::nullopt;
            return Json::array({noteContents(id)});
        });
    }
    Json currentWeather() const
    {
        const double t = 14.0 + 3.0 * std::sin(liveTick / 3.0);
        return {{"station", "ACME-SEA-01"},
                {"city", "Seattle"},
                {"observedAt", toStd(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))},
                {"temperatureC", std::round(t * 10) / 10},
                {"humidityPct", 70 + liveTick % 15},
                {"windKph", 8 + (liveTick * 7) % 20},
                {"condition", toStd(Conditions[liveTick % Conditions.size()])},
                {"update", liveTick}};
    }

    mcp::McpServer &server;
    DemoOptions options;
    QMap<int, Note> notes;
    int nextNoteId = 1;
    QTimer live;
    int liveTick = 0;
};

// ---- tools
// --------------------------------------------------------------------------------------------------

void addReportTool(mcp::McpServer &server, DemoState *state)
{
    server.addTool(
        {{"name", "generate_report"},
         {"title", "Generate climate report"},
         {"description", "Compiles a multi-section climate report for a city. Takes a few seconds, reports "
                         "progress for every section and can be cancelled."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"city", {{"type", "string"}}},
             {"sections", {{"type", "integer"}, {"minimum", 1}, {"maximum", 20}, {"default", 8}}}}},
           {"required", {"city"}}}},
         {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}},
        [state](const Json &args, RequestContext::Ptr ctx) {
            static const QStringList titles = {QStringLiteral("Temperature trends"),
                                               QStringLiteral("Precipitation"),
                                               QStringLiteral("Wind"),
                                               QStringLiteral("Humidity"),
                                               QStringLiteral("Air quality"),
                                               QStringLiteral("Storm history"),
                                               QStringLiteral("Seasonal outlook"),
                                               QStringLiteral("Recommendations")};
            const QString city = mcp::stringOr(args, "city");
            const int total = mcp::valueOr(args, "sections", 8);
            auto timer = new QTimer(state);
            auto done = std::make_shared<QStringList>();
            ctx->onCancelled([timer] { timer->deleteLater(); });
            QObject::connect(timer, &QTimer::timeout, timer, [ctx, timer, done, total, city] {
                const QString section = titles[done->size() % titles.size()];
                *done << QStringLiteral("## %1\n%2: nothing unusual for %3.").arg(section, section, city);
                ctx->progress(done->size(), total,
                              QStringLiteral("Section %1/%2: %3").arg(done->size()).arg(total).arg(section));
                ctx->log(QStringLiteral("info"), QStringLiteral("reports"),
                         {{"section", toStd(section)}, {"city", toStd(city)}});
                if (done->size() < total)
                    return;
                timer->deleteLater();
                ctx->finish(
                    {{"content",
                      {text(QStringLiteral("# Climate report: %1\n\n%2").arg(city, done->join("\n\n")))}}});
            });
            timer->start(state->options.reportStepMs);
        });
}

void addNoteTools(mcp::McpServer &server, DemoState *state)
{
    server.addTool(
        {{"name", "create_note"},
         {"title", "Create note"},
         {"description", "Saves a new markdown note; it appears as a notes:// resource."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"title", {{"type", "string"}, {"description", "Short title"}}},
             {"body", {{"type", "string"}, {"description", "Markdown text"}}},
             {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}, {"default", Json::array()}}}}},
           {"required", {"title", "body"}}}},
         {"annotations", {{"readOnlyHint", false}, {"destructiveHint", false}, {"idempotentHint", false}}}},
        [state](const Json &args, RequestContext::Ptr ctx) {
            const int id = state->nextNoteId++;
            QStringList tags;
            for (const auto &t : mcp::valueOr(args, "tags", Json::array()))
                tags << toQString(t.get<std::string>());
            state->notes.insert(id, {mcp::stringOr(args, "title"), mcp::stringOr(args, "body"), tags});
            state->addNote(id);
            state->server.notifyListChanged(QStringLiteral("resources"));
            ctx->finish({{"content",
                          {text(QStringLiteral("Saved note %1.").arg(id)),
                           {{"type", "resource_link"},
                            {"uri", toStd(noteUri(id))},
                            {"name", toStd(QStringLiteral("note-%1").arg(id))},
                            {"mimeType", "text/markdown"}}}}});
        });

    server.addTool(
        {{"name", "delete_note"},
         {"title", "Delete note"},
         {"description", "Deletes a note for good. Asks the user to confirm (elicitation) before deleting."},
         {"inputSchema",
          {{"type", "object"},
           {"properties", {{"id", {{"type", "string"}, {"description", "Note id, e.g. \"3\""}}}}},
           {"required", {"id"}}}},
         {"annotations",
          {{"readOnlyHint", false},
           {"destructiveHint", true},
           {"idempotentHint", true},
           {"openWorldHint", false}}}},
        [state](const Json &args, RequestContext::Ptr ctx) {
            const int id = mcp::stringOr(args, "id").toInt();
            if (!state->notes.contains(id)) {
                ctx->finish(toolError(QStringLiteral("There is no note %1.").arg(mcp::stringOr(args, "id"))));
                return;
            }
            const Json form = {
                {"mode", "form"},
                {"message", toStd(QStringLiteral("Delete the note \"%1\"? This cannot be undone.")
                                      .arg(state->notes[id].title))},
                {"requestedSchema",
                 {{"type", "object"},
                  {"properties",
                   {{"confirm", {{"type", "boolean"}, {"title", "Delete it"}, {"default", false}}},
                    {"reason",
                     {{"type", "string"},
                      {"title", "Reason"},
                      {"description", "Kept in the audit log"},
                      {"maxLength", 200}}}}},
                  {"required", {"confirm"}}}}};
            ctx->ask(
                QStringLiteral("confirm_delete"), QStringLiteral("elicitation/create"), form,
                [state, ctx, id](const Json &answer, const mcp::Error &error) {
                    if (error) {
                        ctx->finish(
                            toolError(QStringLiteral("Nothing deleted: could not ask for confirmation "
                                                     "(%1).")
                                          .arg(error.message)));
                        return;
                    }
                    const Json content = answer.contains("content") ? answer["content"] : Json::object();
                    if (mcp::stringOr(answer, "action") != QStringLiteral("accept") || !content.is_object() ||
                        mcp::valueOr(content, "confirm", false) != true) {
                        ctx->finish(
                            {{"content",
                              {text(QStringLiteral("Kept note %1: deletion was not confirmed.").arg(id))}}});
                        return;
                    }
                    state->notes.remove(id);
                    state->server.removeResource(noteUri(id));
                    state->server.notifyListChanged(QStringLiteral("resources"));
                    const QString reason = mcp::stringOr(content, "reason");
                    ctx->finish(
                        {{"content",
                          {text(QStringLiteral("Deleted note %1%2.")
                                    .arg(id)
                                    .arg(reason.isEmpty() ? QString() : " (reason: " + reason + ")"))}}});
                });
        });

    server.addTool(
        {{"name", "summarize_notes"},
         {"title", "Summarize notes"},
         {"description",
          "Asks your model (sampling) to summarize the notes, optionally only those with one tag."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"tag", {{"type", "string"}, {"description", "Only notes with this tag"}}},
             {"maxWords", {{"type", "integer"}, {"minimum", 10}, {"maximum", 500}, {"default", 60}}}}}}},
         {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}},
        [state](const Json &args, RequestContext::Ptr ctx) {
            const QString tag = mcp::stringOr(args, "tag");
            QStringList picked;
            for (auto it = state->notes.cbegin(); it != state->notes.cend(); ++it)
                if (tag.isEmpty() || it->tags.contains(tag))
                    picked << QStringLiteral("- %1: %2").arg(it->title, it->body);
            if (picked.isEmpty()) {
                ctx->finish(toolError(QStringLiteral("No notes are tagged \"%1\".").arg(tag)));
                return;
            }
            const Json request = {
                {"messages",
                 {{{"role", "user"},
                   {"content", text(QStringLiteral("Summarize these notes in at most %1 words:\n%2")
                                        .arg(mcp::valueOr(args, "maxWords", 60))
                                        .arg(picked.join('\n')))}}}},
                {"systemPrompt", "You are a concise assistant for a weather and notes app."},
                {"modelPreferences", {{"hints", {{{"name", "claude"}}}}, {"speedPriority", 0.7}}},
                {"maxTokens", 300}};
            ctx->ask(
                QStringLiteral("summary"), QStringLiteral("sampling/createMessage"), request,
                [ctx, count = picked.size()](const Json &answer, const mcp::Error &error) {
                    if (error) {
                        ctx->finish(toolError(QStringLiteral("Could not summarize: %1.").arg(error.message)));
                        return;
                    }
                    const Json content = answer.contains("content") ? answer["content"] : Json::object();
                    const QString summary = content.is_object() ? mcp::stringOr(content, "text") : QString();
                    ctx->finish(
                        {{"content",
                          {text(QStringLiteral("Summary of %1 notes (by %2):\n%3")
                                    .arg(count)
                                    .arg(mcp::stringOr(answer, "model", "the client's model"), summary))}}});
                });
        });
}

// ---- resources, templates, prompts, completions
// ---------------------------------------------------------------

void addResources(mcp::McpServer &server, DemoState *state)
{
    const QList<Note> seed = {
        {"Packing list: Reykjavik",
         "Wool layers, rain shell, crampons for the glacier walk, power adapter (type F).",
         {"travel", "packing"}},
        {"Team offsite agenda",
         "09:00 kickoff, 10:30 forecast accuracy review, 14:00 hike if the rain holds off.",
         {"work"}},
        {"Garden frost dates",
         "Last spring frost ~Apr 12, first autumn frost ~Oct 28. Cover the tomatoes below 4°C.",
         {"garden"}},
        {"Storm prep checklist",
         "Charge the power bank, fill water jugs, secure patio furniture, check the sump pump.",
         {"safety", "home"}},
        {"Tokyo food list",
         "Tsukiji outer market breakfast, ramen in Shinjuku, matcha in Kyoto day trip.",
         {"travel", "food"}},
        {"Cycling log",
         "Mon 32 km headwind, Wed 18 km easy, Sat 64 km coast loop — best weather window all week.",
         {"fitness"}},
        {"Sensor calibration",
         "Station ACME-SEA-01 reads 0.4°C warm after the firmware update; offset applied.",
         {"work", "stations"}},
        {"Book club", "Read 'The Weather Machine' chapters 4-6 before Thursday.", {"personal"}},
        {"Roof repair quote",
         "Two quotes so far; both want a dry 3-day window — watch the forecast for late May.",
         {"home"}},
        {"Photography spots",
         "Golden hour at Kerry Park; fog mornings are best at Alki in October.",
         {"travel", "photo"}},
        {"Allergy season", "Tree pollen peaks mid-April; keep windows closed on dry windy days.", {"health"}},
    };
    for (const Note &n : seed) {
        const int id = state->nextNoteId++;
        state->notes.insert(id, n);
        state->addNote(id);
    }
    server.addResource(
        {{"uri", "weather://current"},
         {"name", "current-conditions"},
         {"title", "Current conditions (live)"},
         {"description", "Live observations from station ACME-SEA-01; subscribe to get updates."},
         {"mimeType", "application/json"}},
        [state](const QString &uri) -> std::optional<Json> {
            return Json::array({{{"uri", toStd(uri)},
                                 {"mimeType", "application/json"},
                                 {"text", state->currentWeather().dump(2)}}});
        });
    server.addResource(
        {{"uri", "weather://alerts"},
         {"name", "alerts"},
         {"title", "Active weather alerts"},
         {"mimeType", "application/json"}},
        [](const QString &uri) -> std::optional<Json> {
            return Json::array(
                {{{"uri", toStd(uri)}, {"mimeType", "application/json"}, {"text", alertsJson().dump(2)}}});
        });
    server.addResource(
        {{"uri", "acme://settings.json"},
         {"name", "settings"},
         {"title", "App settings"},
         {"mimeType", "application/json"}},
        [](const QString &uri) -> std::optional<Json> {
            const Json settings = {{"units", "metric"},
                                   {"homeCity", "Seattle"},
                                   {"alerts", {{"push", true}, {"minSeverity", "watch"}}},
                                   {"favorites", {"Seattle", "Reykjavik", "Tokyo"}}};
            return Json::array(
                {{{"uri", toStd(uri)}, {"mimeType", "application/json"}, {"text", settings.dump(2)}}});
        });
    const QByteArray logo = barChartPng({3, 5, 4, 7, 6, 8}, 48, 48);
    server.addResource(
        {{"uri", "acme://brand/logo.png"},
         {"name", "logo"},
         {"title", "Acme logo (binary)"},
         {"mimeType", "image/png"},
         {"size", logo.size()}},
        [logo](const QString &uri) -> std::optional<Json> {
            return Json::array(
                {{{"uri", toStd(uri)}, {"mimeType", "image/png"}, {"blob", logo.toBase64().toStdString()}}});
        });

    server.addResourceTemplate(
        {{"uriTemplate", "notes://{id}"},
         {"name", "note"},
         {"title", "Note by id"},
         {"mimeType", "text/markdown"}},
        [state](const QString &, const QHash<QString, QString> &vars) -> std::optional<Json> {
            const int id = vars.value(QStringLiteral("id")).toInt();
            if (!state->notes.contains(id))
                return std::nullopt;
            return Json::array({state->noteContents(id)});
        });
    server.addResourceTemplate(
        {{"uriTemplate", "weather://forecast/{city}"},
         {"name", "forecast"},
         {"title", "7-day forecast for a city"},
         {"mimeType", "application/json"}},
        [](const QString &uri, const QHash<QString, QString> &vars) -> std::optional<Json> {
            const QString city = vars.value(QStringLiteral("city"));
            Json days = Json::array();
            for (int i = 0; i < 7; ++i) {
                const Day d = forecastDay(city, i, false);
                days.push_back({{"date", toStd(d.date.toString(Qt::ISODate))},
                                {"high", d.high},
                                {"low", d.low},
                                {"condition", toStd(d.condition)}});
            }
            return Json::array({{{"uri", toStd(uri)},
                                 {"mimeType", "application/json"},
                                 {"text", Json({{"city", toStd(city)}, {"days", days}}).dump(2)}}});
        });

    auto noteIds = [state](const QString &, const Json &) {
        QStringList ids;
        for (int id : state->notes.keys())
            ids << QString::number(id);
        return ids;
    };
    auto cities = [](const QString &, const Json &) { return Cities; };
    server.addCompletion(QStringLiteral("ref/resource"), QStringLiteral("notes://{id}"), QStringLiteral("id"),
                         noteIds);
    server.addCompletion(QStringLiteral("ref/resource"), QStringLiteral("weather://forecast/{city}"),
                         QStringLiteral("city"), cities);
    server.addCompletion(QStringLiteral("ref/prompt"), QStringLiteral("daily_briefing"),
                         QStringLiteral("city"), cities);
    server.addCompletion(QStringLiteral("ref/prompt"), QStringLiteral("daily_briefing"),
                         QStringLiteral("tone"), [](const QString &, const Json &) {
                             return QStringList{QStringLiteral("friendly"), QStringLiteral("concise"),
                                                QStringLiteral("formal")};
                         });
    server.addCompletion(QStringLiteral("ref/prompt"), QStringLiteral("review_note"), QStringLiteral("id"),
                         noteIds);
}

void addPrompts(mcp::McpServer &server, DemoState *state)
{
    server.addPrompt(
        {{"name", "daily_briefing"},
         {"title", "Daily weather briefing"},
         {"description", "A morning briefing for one city: weather, what to wear, what to plan."},
         {"arguments",
          {{{"name", "city"}, {"description", "City (autocompletes)"}, {"required", true}},
           {{"name", "tone"}, {"description", "friendly, concise or formal"}, {"required", false}}}}},
        [](const Json &args, QString *) -> Json {
            const QString city = mcp::stringOr(args, "city");
            const Day d = forecastDay(city, 0, false);
            return {{"description", toStd(QStringLiteral("Briefing for %1").arg(city))},
                    {"messages",
                     {{{"role", "user"},
                       {"content", text(QStringLiteral("Write a %1 morning briefing for %2. Today: %3, "
                                                       "high %4°C, low %5°C, %6% chance of rain. "
                                                       "Suggest what to wear and one thing to do.")
                                            .arg(mcp::stringOr(args, "tone", QStringLiteral("friendly")),
                                                 city, d.condition)
                                            .arg(d.high)
                                            .arg(d.low)
                                            .arg(d.rainChance))}}}}};
        });
    server.addPrompt(
        {{"name", "review_note"},
         {"title", "Review a note"},
         {"description", "Asks the model to review one note and suggest follow-ups; the note is embedded."},
         {"arguments", {{{"name", "id"}, {"description", "Note id (autocompletes)"}, {"required", true}}}}},
        [state](const Json &args, QString *error) -> Json {
            const int id = mcp::stringOr(args, "id").toInt();
            if (!state->notes.contains(id)) {
                *error = QStringLiteral("there is no note %1").arg(mcp::stringOr(args, "id"));
                return {};
            }
            return {{"messages",
                     {{{"role", "user"},
                       {"content", {{"type", "resource"}, {"resource", state->noteContents(id)}}}},
                      {{"role", "user"},
                       {"content", text(QStringLiteral("Review this note. List open questions and "
                                                       "weather-dependent follow-ups."))}}}}};
        });
    server.addPrompt(
        {{"name", "packing_list"},
         {"title", "Weather-aware packing list"},
         {"description", "A packing list for a trip, based on the destination's forecast."},
         {"arguments",
          {{{"name", "destination"}, {"required", true}},
           {{"name", "days"}, {"description", "Trip length in days (default 5)"}}}}},
        [](const Json &args, QString *) -> Json {
            const QString where = mcp::stringOr(args, "destination");
            const Day d = forecastDay(where, 0, false);
            return {{"messages",
                     {{{"role", "user"},
                       {"content",
                        text(QStringLiteral("Make a packing list for %1 days in %2 (expect %3, "
                                            "%4-%5°C).")
                                 .arg(mcp::stringOr(args, "days", QStringLiteral("5")), where, d.condition)
                                 .arg(d.low)
                                 .arg(d.high))}}}}};
        });
}

} // namespace

void installDemoContent(mcp::McpServer &server, const DemoOptions &options)
{
    server.setPageSize(options.pageSize);
    auto *state = new DemoState(server, options);
    addForecastTools(server);
    addReportTool(server, state);
    addNoteTools(server, state);
    addResources(server, state);
    addPrompts(server, state);
}

} // namespace demo
