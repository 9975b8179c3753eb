#include "redaction.h"

#include "../jsonrpc/message.h"

#include <QUrlQuery>
#include <algorithm>

namespace mcp::redaction {

namespace {

using Words = QList<QByteArray>;

bool isLower(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isUpper(char c)
{
    return c >= 'A' && c <= 'Z';
}

// The lower-case words of a name: split at anything not a letter or digit and at camelCase boundaries
// (apiKey → api key, APIKey → api key, X-Api-Key → x api key).
Words wordsOf(QByteArrayView name)
{
    Words words;
    QByteArray word;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (!isLower(c) && !isUpper(c)) {
            if (!word.isEmpty())
                words << std::exchange(word, {});
            continue;
        }
        if (isUpper(c) && !word.isEmpty()) {
            const char previous = name[i - 1];
            const bool nextLower = i + 1 < name.size() && isLower(name[i + 1]) && name[i + 1] > '9';
            if (isLower(previous) || (isUpper(previous) && nextLower))
                words << std::exchange(word, {});
        }
        word += char(isUpper(c) ? c - 'A' + 'a' : c);
    }
    if (!word.isEmpty())
        words << word;
    return words;
}

bool oneOf(const QByteArray &word, std::initializer_list<const char *> list)
{
    return std::any_of(list.begin(), list.end(), [&word](const char *each) { return word == each; });
}

// Words that, last in a name, say it is about a secret rather than one (token_type,
// client_secret_expires_at).
bool describesSecret(const QByteArray &lastWord)
{
    return oneOf(lastWord,
                 {"type",   "types",  "hint",    "endpoint", "endpoints", "url",       "urls",   "uri",
                  "uris",   "server", "servers", "method",   "methods",   "supported", "policy", "expires",
                  "expiry", "at",     "in",      "id",       "ids",       "name",      "names",  "count",
                  "length", "size",   "limit",   "usage",    "required"});
}

bool maskString(Json &value)
{
    if (!value.is_string() || value == kMask)
        return false;
    value = kMask;
    return true;
}

bool redactJsonText(QByteArray &text)
{
    Json j = jsonrpc::parseJson(text);
    if (j.is_discarded() || !redactJson(j))
        return false;
    text = dumpCompact(j);
    return true;
}

bool redactSseText(QByteArray &body)
{
    // Mask inside each data line; other lines (and line ends) stay as they were.
    QByteArray out;
    out.reserve(body.size());
    bool changed = false;
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf('\n', start);
        end = end < 0 ? body.size() : end + 1;
        QByteArray line = body.mid(start, end - start);
        if (line.startsWith("data:")) {
            const qsizetype contentEnd = line.endsWith("\r\n") ? line.size() - 2
                                         : line.endsWith('\n') ? line.size() - 1
                                                               : line.size();
            QByteArray data = line.mid(5, contentEnd - 5);
            if (redactJsonText(data)) {
                line = "data: " + data + line.mid(contentEnd);
                changed = true;
            }
        }
        out += line;
        start = end;
    }
    if (changed)
        body = out;
    return changed;
}

// name=value&name=value, as OAuth bodies and URL queries are: each pair kept byte for byte unless masked.
bool redactParameters(QByteArray &text)
{
    QList<QByteArray> pairs = text.split('&');
    bool changed = false;
    for (QByteArray &pair : pairs) {
        const qsizetype eq = pair.indexOf('=');
        if (eq <= 0)
            continue;
        auto decoded = [](QByteArray part) {
            return QByteArray::fromPercentEncoding(part.replace('+', ' '));
        };
        const QByteArray value = decoded(pair.mid(eq + 1));
        if ((isSecretName(decoded(pair.left(eq)), Place::Parameter) && !value.isEmpty() && value != kMask) ||
            looksLikeJwt(value)) {
            pair = pair.left(eq + 1) + kMask;
            changed = true;
        }
    }
    if (changed)
        text = pairs.join('&');
    return changed;
}

bool isFormEncoded(const QByteArray &body)
{
    static constexpr QByteArrayView allowed =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%+&=*";
    return body.contains('=') &&
           std::all_of(body.begin(), body.end(), [](char c) { return allowed.contains(c); });
}

} // namespace

bool isSecretName(QByteArrayView name, Place place)
{
    const Words words = wordsOf(name);
    if (words.isEmpty())
        return false;
    const QByteArray compact = words.join();
    if (oneOf(compact, {"dpop", "codeverifier", "clientassertion"}) ||
        (place == Place::Header && compact == "mcpsessionid") ||
        (place == Place::Parameter && oneOf(compact, {"code", "assertion"})))
        return true;
    if (describesSecret(words.last()))
        return false;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QByteArray &word = words[i];
        if (oneOf(word, {"token", "secret", "secrets", "password", "passwords", "passwd", "passphrase",
                         "credential", "credentials", "apikey", "cookie", "authorization"}))
            return true;
        if (place == Place::Header && oneOf(word, {"key", "auth"}))
            return true;
        // Environment variables run words together: PGPASSWORD, NPMTOKEN, MYSECRET.
        if (place == Place::Header && (word.endsWith("password") || word.endsWith("passwd") ||
                                       word.endsWith("token") || word.endsWith("secret")))
            return true;
        if (word == "key" && i > 0 &&
            oneOf(words[i - 1], {"api", "private", "secret", "access", "signing", "encryption", "client",
                                 "master", "session", "subscription"}))
            return true;
    }
    return false;
}

bool looksLikeJwt(QByteArrayView value)
{
    if (!value.startsWith("eyJ") || value.count('.') != 2 ||
        !value.sliced(value.indexOf('.') + 1).startsWith("eyJ"))
        return false;
    return std::all_of(value.begin(), value.end(),
                       [](char c) { return isLower(c) || isUpper(c) || c == '-' || c == '_' || c == '.'; });
}

bool isSecretSetting(QByteArrayView name, QByteArrayView value)
{
    return isSecretName(name, Place::Header) || looksLikeJwt(value.trimmed());
}

QByteArray redactHeaderValue(QByteArrayView name, const QByteArray &value)
{
    static constexpr QByteArrayView paramPrefix = "mcp-param-";
    const QByteArray compact = wordsOf(name).join();
    if (compact == "location")
        return redactUrl(QUrl::fromEncoded(value)).toEncoded();
    const bool mirrorsArgument =
        name.size() > paramPrefix.size() &&
        name.first(paramPrefix.size()).compare(paramPrefix, Qt::CaseInsensitive) == 0;
    const bool secret = mirrorsArgument ? isSecretName(name.sliced(paramPrefix.size()), Place::Field)
                                        : isSecretName(name, Place::Header);
    if (!secret && !looksLikeJwt(value.trimmed()))
        return value;
    // The scheme (Bearer, DPoP, Basic) tells which kind of credential was sent, and is none itself.
    const qsizetype space = value.indexOf(' ');
    if ((compact == "authorization" || compact == "proxyauthorization") && space > 0)
        return value.left(space + 1) + kMask;
    return kMask;
}

HeaderList redactHeaders(HeaderList headers)
{
    for (auto &[name, value] : headers)
        value = redactHeaderValue(name, value);
    return headers;
}

bool redactJson(Json &value)
{
    bool changed = false;
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            const std::string &key = it.key();
            if (!isSecretName(QByteArrayView(key.data(), qsizetype(key.size())), Place::Field)) {
                changed |= redactJson(*it);
            } else if (it->is_array()) {
                for (Json &each : *it)
                    changed |= each.is_string() ? maskString(each) : redactJson(each);
            } else {
                changed |= it->is_string() ? maskString(*it) : redactJson(*it);
            }
        }
    } else if (value.is_array()) {
        for (Json &each : value)
            changed |= redactJson(each);
    } else if (value.is_string()) {
        const std::string &text = value.get_ref<const std::string &>();
        if (looksLikeJwt(QByteArrayView(text.data(), qsizetype(text.size()))))
            changed |= maskString(value);
    }
    return changed;
}

QByteArray redactBody(const QByteArray &body)
{
    QByteArray out = body;
    if (redactJsonText(out))
        return out;
    if (body.contains("data:"))
        return redactSseText(out) ? out : body;
    if (isFormEncoded(body))
        return redactParameters(out) ? out : body;
    return body;
}

QUrl redactUrl(const QUrl &url)
{
    QByteArray query = url.query(QUrl::FullyEncoded).toUtf8();
    if (!redactParameters(query))
        return url;
    QUrl out = url;
    out.setQuery(QString::fromUtf8(query), QUrl::TolerantMode);
    return out;
}

HttpExchange redactExchange(const HttpExchange &exchange)
{
    HttpExchange out = exchange;
    out.url = redactUrl(exchange.url);
    out.requestHeaders = redactHeaders(exchange.requestHeaders);
    out.responseHeaders = redactHeaders(exchange.responseHeaders);
    out.requestBody = redactBody(exchange.requestBody);
    out.responseBody = redactBody(exchange.responseBody);
    // A redirect's body often repeats its Location ("Found. Redirecting to …?code=…").
    const QByteArray location = headerValue(exchange.responseHeaders, "location");
    if (!location.isEmpty())
        out.responseBody.replace(location, redactHeaderValue("Location", location));
    return out;
}

} // namespace mcp::redaction
