#pragma once

#include "jsonrpc/json.h"

#include <QDate>
#include <QStringList>

namespace mcp {
class McpServer;
}

// The demo's weather: deterministic forecasts, the forecast tools, and the content helpers every demo file
// uses.
namespace demo {

extern const QStringList Cities;
extern const QStringList Conditions;

struct Day
{
    QDate date;
    double high;
    double low;
    QString condition;
    int rainChance;
};

// Deterministic "weather": the same city and day always give the same forecast.
Day forecastDay(const QString &city, int offset, bool imperial);
mcp::Json alertsJson();

mcp::Json text(const QString &s); // a text content block
mcp::Json toolError(const QString &message);

// get_forecast, plan_trip, render_chart, play_alert_tone, fetch_radar.
void addForecastTools(mcp::McpServer &server);

} // namespace demo
