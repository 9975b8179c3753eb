#pragma once

#include <QByteArray>
#include <QFloat16> // complete, so json conversions in QCOMPARE templates can be checked
#include <QString>
#include <nlohmann/json.hpp>
#include <type_traits>

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

// obj[key] when obj is an object holding key with a value of fallback's type, else fallback. Json::value()
// throws instead (on a non-object and on a type mismatch), and nothing a server or a file sends is
// trusted. A Json fallback of null takes a value of any type; an integer fallback takes only integers.
template <typename T> T valueOr(const Json &obj, const char *key, T fallback)
{
    if (!obj.is_object())
        return fallback;
    const auto it = obj.find(key);
    if (it == obj.end())
        return fallback;
    if constexpr (std::is_same_v<T, Json>) {
        if (fallback.is_null() || it->type() == fallback.type())
            return *it;
    } else if constexpr (std::is_same_v<T, bool>) {
        if (it->is_boolean())
            return it->template get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
        if (it->is_number_integer())
            return it->template get<T>();
    } else if constexpr (std::is_floating_point_v<T>) {
        if (it->is_number())
            return it->template get<T>();
    } else {
        static_assert(std::is_same_v<T, std::string>, "valueOr reads JSON, bool, numbers and strings");
        if (it->is_string())
            return it->template get<std::string>();
    }
    return fallback;
}

inline std::string valueOr(const Json &obj, const char *key, const char *fallback)
{
    return valueOr(obj, key, std::string(fallback));
}

} // namespace mcp
