#include "demoweather.h"

#include "demomedia.h"
#include "server/mcpserver.h"

#include <QDate>
#include <cmath>

using mcp::Json;
using mcp::RequestContext;
using mcp::toQString;
using mcp::toStd;

namespace demo {

const QStringList Cities = {
    QStringLiteral("Amsterdam"), QStringLiteral("Austin"),    QStringLiteral("Berlin"),
    QStringLiteral("Boston"),    QStringLiteral("Chicago"),   QStringLiteral("Denver"),
    QStringLiteral("London"),    QStringLiteral("Miami"),     QStringLiteral("New York"),
    QStringLiteral("Portland"),  QStringLiteral("Reykjavik"), QStringLiteral("San Francisco"),
    QStringLiteral("Seattle"),   QStringLiteral("Sydney"),    QStringLiteral("Tokyo")};
const QStringList Conditions = {QStringLiteral("sunny"),    QStringLiteral("partly cloudy"),
                                QStringLiteral("overcast"), QStringLiteral("light rain"),
                                QStringLiteral("showers"),  QStringLiteral("windy")};

Day forecastDay(const QString &city, int offset, bool imperial)
{
    const uint seed = qHash(city.toLower()) ^ uint(offset * 2654435761u);
    const double base = 8 + (qHash(city.toLower()) % 18);
    double high = base + (seed % 9) - 3;
    double low = high - 5 - (seed >> 4) % 6;
    if (imperial) {
        high = high * 9 / 5 + 32;
        low = low * 9 / 5 + 32;
    }
    return {QDate::currentDate().addDays(offset), std::round(high), std::round(low),
            Conditions[int((seed >> 8) % Conditions.size())], int((seed >> 12) % 90)};
}

Json text(const QString &s)
{
    return {{"type", "text"}, {"text", toStd(s)}};
}

Json toolError(const QString &message)
{
    return {{"content", {text(message)}}, {"isError", true}};
}

Json alertsJson()
{
    return {{"region", "Pacific Northwest"},
            {"alerts",
             {{{"id", "PNW-2291"}, {"severity", "advisory"}, {"event", "Wind Advisory"}, {"until", "18:00"}},
              {{"id", "PNW-2293"},
               {"severity", "watch"},
               {"event", "Coastal Flood Watch"},
               {"until", "06:00"}}}}};
}

void addForecastTools(mcp::McpServer &server)
{
    server.addTool(
        {{"name", "get_forecast"},
         {"title", "Get forecast"},
         {"description",
          "Daily weather forecast for a city: highs, lows, conditions and chance of rain. Returns "
          "structured data (see outputSchema) plus a readable summary."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"city", {{"type", "string"}, {"description", "City name, e.g. \"Seattle\""}}},
             {"days",
              {{"type", "integer"},
               {"minimum", 1},
               {"maximum", 7},
               {"default", 3},
               {"description", "How many days, starting today"}}},
             {"units", {{"type", "string"}, {"enum", {"metric", "imperial"}}, {"default", "metric"}}}}},
           {"required", {"city"}}}},
         {"outputSchema",
          {{"type", "object"},
           {"properties",
            {{"city", {{"type", "string"}}},
             {"units", {{"type", "string"}}},
             {"days",
              {{"type", "array"},
               {"items",
                {{"type", "object"},
                 {"properties",
                  {{"date", {{"type", "string"}}},
                   {"high", {{"type", "number"}}},
                   {"low", {{"type", "number"}}},
                   {"condition", {{"type", "string"}}},
                   {"rainChancePct", {{"type", "integer"}}}}},
                 {"required", {"date", "high", "low", "condition"}}}}}}}},
           {"required", {"city", "units", "days"}}}},
         {"annotations", {{"title", "Get forecast"}, {"readOnlyHint", true}, {"openWorldHint", false}}}},
        [](const Json &args, RequestContext::Ptr ctx) {
            const QString city = mcp::stringOr(args, "city");
            const bool imperial = mcp::stringOr(args, "units") == QStringLiteral("imperial");
            const int days = mcp::valueOr(args, "days", 3);
            Json structured = {
                {"city", toStd(city)}, {"units", imperial ? "imperial" : "metric"}, {"days", Json::array()}};
            QStringList lines;
            for (int i = 0; i < days; ++i) {
                const Day d = forecastDay(city, i, imperial);
                structured["days"].push_back({{"date", toStd(d.date.toString(Qt::ISODate))},
                                              {"high", d.high},
                                              {"low", d.low},
                                              {"condition", toStd(d.condition)},
                                              {"rainChancePct", d.rainChance}});
                lines << QStringLiteral("%1: %2, %3°/%4° (rain %5%)")
                             .arg(d.date.toString(QStringLiteral("ddd d MMM")), d.condition)
                             .arg(d.high)
                             .arg(d.low)
                             .arg(d.rainChance);
            }
            ctx->finish(
                {{"content", {text(QStringLiteral("Forecast for %1:\n%2").arg(city, lines.join('\n')))}},
                 {"structuredContent", structured}});
        });

    server.addTool(
        {{"name", "plan_trip"},
         {"title", "Plan a weather-aware trip"},
         {"description",
          "Builds a day-by-day itinerary for a multi-stop trip, moving outdoor plans to the days "
          "with the best weather at each stop."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"traveler",
              {{"type", "object"},
               {"description", "Who is travelling"},
               {"properties",
                {{"name", {{"type", "string"}, {"description", "Traveler name"}}},
                 {"age", {{"type", "integer"}, {"minimum", 0}, {"maximum", 120}}},
                 {"mobility", {{"type", "string"}, {"enum", {"full", "limited"}}, {"default", "full"}}}}},
               {"required", {"name"}}}},
             {"stops",
              {{"type", "array"},
               {"description", "Cities in travel order"},
               {"items",
                {{"type", "object"},
                 {"properties",
                  {{"city", {{"type", "string"}}},
                   {"nights", {{"type", "integer"}, {"minimum", 1}, {"maximum", 14}, {"default", 2}}}}},
                 {"required", {"city"}}}}}},
             {"pace",
              {{"type", "string"}, {"enum", {"relaxed", "balanced", "packed"}}, {"default", "balanced"}}},
             {"interests",
              {{"type", "array"},
               {"items", {{"type", "string"}, {"enum", {"museums", "hiking", "food", "music", "beaches"}}}},
               {"default", {"food"}}}},
             {"includeIndoorOptions", {{"type", "boolean"}, {"default", true}}}}},
           {"required", {"traveler", "stops"}}}},
         {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}},
        [](const Json &args, RequestContext::Ptr ctx) {
            const QString who = mcp::stringOr(args["traveler"], "name");
            const QString pace = mcp::stringOr(args, "pace", QStringLiteral("balanced"));
            const bool indoor = mcp::valueOr(args, "includeIndoorOptions", true);
            QStringList interests;
            for (const auto &i : mcp::valueOr(args, "interests", Json::array({"food"})))
                interests << toQString(i.get<std::string>());
            QStringList plan{
                QStringLiteral("Itinerary for %1 (%2 pace, into %3):").arg(who, pace, interests.join(", "))};
            int day = 0;
            for (const auto &stop : args["stops"]) {
                const QString city = mcp::stringOr(stop, "city");
                for (int n = 0; n < mcp::valueOr(stop, "nights", 2); ++n, ++day) {
                    const Day d = forecastDay(city, day, false);
                    const bool wet = d.rainChance > 50;
                    plan << QStringLiteral("Day %1, %2: %3 — %4")
                                .arg(day + 1)
                                .arg(city, d.condition,
                                     wet && indoor ? QStringLiteral("indoor: %1").arg(interests.value(0))
                                                   : QStringLiteral("outdoor: %1")
                                                         .arg(interests.value(n % interests.size())));
                }
            }
            ctx->finish({{"content", {text(plan.join('\n'))}}});
        });

    server.addTool(
        {{"name", "render_chart"},
         {"title", "Render temperature chart"},
         {"description", "Draws the coming week's daily highs for a city as a small PNG bar chart."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"city", {{"type", "string"}}},
             {"days", {{"type", "integer"}, {"minimum", 2}, {"maximum", 14}, {"default", 7}}}}},
           {"required", {"city"}}}},
         {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}},
        [](const Json &args, RequestContext::Ptr ctx) {
            const QString city = mcp::stringOr(args, "city");
            QList<double> highs;
            for (int i = 0; i < mcp::valueOr(args, "days", 7); ++i)
                highs << forecastDay(city, i, false).high;
            const QByteArray png = barChartPng(highs);
            ctx->finish(
                {{"content",
                  {text(QStringLiteral("Daily highs for %1 over %2 days (°C).").arg(city).arg(highs.size())),
                   {{"type", "image"}, {"data", png.toBase64().toStdString()}, {"mimeType", "image/png"}}}}});
        });

    server.addTool(
        {{"name", "play_alert_tone"},
         {"title", "Play alert tone"},
         {"description",
          "Returns the audible tone for a weather alert severity (WAV) together with the current "
          "alerts as an embedded resource."},
         {"inputSchema",
          {{"type", "object"},
           {"properties",
            {{"severity",
              {{"type", "string"}, {"enum", {"advisory", "watch", "warning"}}, {"default", "advisory"}}}}}}},
         {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}},
        [](const Json &args, RequestContext::Ptr ctx) {
            const QString severity = mcp::stringOr(args, "severity", QStringLiteral("advisory"));
            const int beeps = severity == QStringLiteral("warning") ? 3
                              : severity == QStringLiteral("watch") ? 2
                                                                    : 1;
            const QByteArray wav = toneWav(severity == QStringLiteral("warning") ? 880 : 660, beeps);
            ctx->finish(
                {{"content",
                  {text(QStringLiteral("%1 tone (%2 beep%3).")
                            .arg(severity)
                            .arg(beeps)
                            .arg(beeps > 1 ? "s" : "")),
                   {{"type", "audio"}, {"data", wav.toBase64().toStdString()}, {"mimeType", "audio/wav"}},
                   {{"type", "resource"},
                    {"resource",
                     {{"uri", "weather://alerts"},
                      {"mimeType", "application/json"},
                      {"text", alertsJson().dump(2)}}}}}}});
        });

    server.addTool({{"name", "fetch_radar"},
                    {"title", "Fetch radar image"},
                    {"description",
                     "Fetches the latest precipitation radar for a region. (In this demo the radar feed is "
                     "always down, so you can see what a failing tool looks like.)"},
                    {"inputSchema",
                     {{"type", "object"},
                      {"properties", {{"region", {{"type", "string"}, {"default", "Pacific Northwest"}}}}}}},
                    {"annotations", {{"readOnlyHint", true}, {"openWorldHint", true}}}},
                   [](const Json &args, RequestContext::Ptr ctx) {
                       ctx->finish(toolError(
                           QStringLiteral("Radar feed unavailable for %1: the Acme radar service "
                                          "(radar.acme.example) is down for scheduled maintenance until "
                                          "06:00 UTC. Try get_forecast instead.")
                               .arg(mcp::stringOr(args, "region", QStringLiteral("Pacific Northwest")))));
                   });
}

} // namespace demo
