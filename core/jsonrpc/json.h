#pragma once

#include <QByteArray>
#include <QFloat16> // complete, so json conversions in QCOMPARE templates can be checked
#include <QString>
#include <nlohmann/json.hpp>

namespace mcp {

// Ordered, so that what a person sees keeps the key order a server or user wrote.
using Json = nlohmann::ordered_json;

inline QString toQString(const std::string &s)
{
    return QString::fromStdString(s);
}
inline std::string toStd(const QString &s)
{
    return s.toStdString();
}

// Compact dump that never throws on invalid UTF-8 (servers send it).
inline QByteArray dumpCompact(const Json &j)
{
    return QByteArray::fromStdString(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}
inline QString dumpPretty(const Json &j)
{
    return QString::fromStdString(j.dump(2, ' ', false, Json::error_handler_t::replace));
}

// A JSON value's string, or fallback when it is absent or not a string.
inline QString stringOr(const Json &obj, const char *key, const QString &fallback = {})
{
    if (obj.is_object()) {
        auto it = obj.find(key);
        if (it != obj.end() && it->is_string())
            return toQString(it->get<std::string>());
    }
    return fallback;
}

} // namespace mcp
