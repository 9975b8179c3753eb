#include "trafficfilter.h"

#include <QRegularExpression>
#include <algorithm>

namespace mcp {

namespace {

struct Token
{
    QString text;
    int column = 0; // 1-based
    bool quoted = false;
};

// Splits on spaces; "double quotes" keep spaces and may stand after a field ("conn:my server").
bool tokenize(const QString &text, std::vector<Token> *out, QString *error)
{
    int i = 0;
    while (i < text.size()) {
        if (text[i].isSpace()) {
            ++i;
            continue;
        }
        Token token{QString(), i + 1, false};
        while (i < text.size() && !text[i].isSpace()) {
            if (text[i] == QLatin1Char('"')) {
                const int close = text.indexOf(QLatin1Char('"'), i + 1);
                if (close < 0) {
                    *error = QStringLiteral("column %1: unterminated quote").arg(i + 1);
                    return false;
                }
                token.text += text.mid(i + 1, close - i - 1);
                token.quoted = true;
                i = close + 1;
            } else {
                token.text += text[i++];
            }
        }
        out->push_back(token);
    }
    return true;
}

// A number of units as a whole count: only where it is one and fits in qint64 (converting 1e300 or inf is
// undefined behaviour).
bool toCount(const QString &number, double scale, qint64 *count)
{
    bool ok = false;
    const double scaled = number.toDouble(&ok) * scale;
    if (!ok || !(scaled >= 0 && scaled < 9.2e18))
        return false;
    *count = qint64(scaled);
    return true;
}

// "500ms", "2s", "1.5s", "300us", "250" (milliseconds) -> microseconds.
bool parseDuration(const QString &text, qint64 *us)
{
    static const std::pair<const char *, double> units[] = {{"us", 1}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}};
    for (const auto &[suffix, scale] : units)
        if (text.endsWith(QLatin1String(suffix)))
            return toCount(text.chopped(int(qstrlen(suffix))), scale, us);
    return toCount(text, 1e3, us);
}

// "10kb", "2mb", "512", "512b" -> bytes.
bool parseSize(const QString &text, qint64 *bytes)
{
    static const std::pair<const char *, double> units[] = {{"kb", 1024}, {"mb", 1024 * 1024}, {"b", 1}};
    const QString lower = text.toLower();
    for (const auto &[suffix, scale] : units)
        if (lower.endsWith(QLatin1String(suffix)))
            return toCount(lower.chopped(int(qstrlen(suffix))), scale, bytes);
    bool ok = false;
    *bytes = lower.toLongLong(&ok);
    return ok && *bytes >= 0;
}

bool nameMatches(const QByteArray &pattern, const QString &name)
{
    const QByteArray lower = name.toUtf8().toLower();
    if (pattern.endsWith('*'))
        return lower.startsWith(pattern.chopped(1));
    return lower == pattern;
}

bool containsCaseInsensitive(const QByteArray &haystack, const QByteArray &lowerNeedle)
{
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
    return std::search(haystack.begin(), haystack.end(), lowerNeedle.begin(), lowerNeedle.end(),
                       [&](char a, char b) { return lower(a) == b; }) != haystack.end();
}

} // namespace

TrafficFilter TrafficFilter::parse(const QString &text, QString *error)
{
    error->clear();
    std::vector<Token> tokens;
    if (!tokenize(text, &tokens, error))
        return {};
    TrafficFilter filter;
    for (Token token : tokens) {
        Term term;
        auto fail = [&](const QString &why) {
            *error = QStringLiteral("column %1: %2").arg(token.column).arg(why);
            return TrafficFilter();
        };
        if (!token.quoted && token.text.startsWith(QLatin1Char('!'))) {
            term.negate = true;
            token.text.remove(0, 1);
            ++token.column;
        }
        if (token.quoted && !token.text.contains(QLatin1Char(':'))) {
            term.text = token.text.toUtf8().toLower();
            filter.m_terms.push_back(term);
            continue;
        }
        // A comparison: latency>500ms, size<=1kb.
        static const QRegularExpression comparison(QStringLiteral("^(latency|size)(<=|>=|<|>|=)(.+)$"));
        const QRegularExpressionMatch m = comparison.match(token.text);
        if (m.hasMatch()) {
            static const QStringList ops = {QStringLiteral("<"), QStringLiteral("<="), QStringLiteral("="),
                                            QStringLiteral(">="), QStringLiteral(">")};
            term.compare = Compare(ops.indexOf(m.captured(2)));
            if (m.captured(1) == QStringLiteral("latency")) {
                term.field = Field::Latency;
                if (!parseDuration(m.captured(3), &term.number))
                    return fail(
                        QStringLiteral("\"%1\" is not a duration (e.g. 500ms, 2s)").arg(m.captured(3)));
            } else {
                term.field = Field::Size;
                if (!parseSize(m.captured(3), &term.number))
                    return fail(
                        QStringLiteral("\"%1\" is not a size (e.g. 512, 10kb, 2mb)").arg(m.captured(3)));
            }
            filter.m_terms.push_back(term);
            continue;
        }
        const int colon = token.text.indexOf(QLatin1Char(':'));
        if (colon < 0) {
            const QString word = token.text.toLower();
            if (word == QStringLiteral("error"))
                term.field = Field::Error;
            else if (word == QStringLiteral("unpaired"))
                term.field = Field::Unpaired;
            else
                term.text = word.toUtf8();
            filter.m_terms.push_back(term);
            continue;
        }
        const QString field = token.text.left(colon).toLower();
        const QString value = token.text.mid(colon + 1);
        if (value.isEmpty())
            return fail(QStringLiteral("%1: needs a value").arg(field));
        term.text = value.toUtf8().toLower();
        if (field == QStringLiteral("method")) {
            term.field = Field::Method;
        } else if (field == QStringLiteral("id")) {
            term.field = Field::Id;
            term.text = value.toUtf8(); // ids compare exactly
        } else if (field == QStringLiteral("conn")) {
            term.field = Field::Connection;
        } else if (field == QStringLiteral("dir")) {
            term.field = Field::Direction;
            if (term.text == "in" || term.text == "recv" || term.text == "received")
                term.number = qint64(Direction::Received);
            else if (term.text == "out" || term.text == "send" || term.text == "sent")
                term.number = qint64(Direction::Sent);
            else
                return fail(QStringLiteral("dir: takes in or out, got \"%1\"").arg(value));
        } else if (field == QStringLiteral("kind")) {
            term.field = Field::Kind;
            static const QStringList kinds = {QStringLiteral("request"), QStringLiteral("notification"),
                                              QStringLiteral("response"), QStringLiteral("error")};
            term.number = kinds.indexOf(value.toLower());
            if (term.number < 0)
                return fail(QStringLiteral("kind: takes request, notification, response or error, got \"%1\"")
                                .arg(value));
        } else {
            return fail(
                QStringLiteral("unknown field \"%1\" (known: method, id, conn, dir, kind, latency, size)")
                    .arg(field));
        }
        filter.m_terms.push_back(term);
    }
    return filter;
}

bool TrafficFilter::termMatches(const Term &term, const Recorder &recorder, const FrameRecord &frame) const
{
    const auto compare = [&term](qint64 value) {
        switch (term.compare) {
        case Compare::Less:
            return value < term.number;
        case Compare::LessEqual:
            return value <= term.number;
        case Compare::Equal:
            return value == term.number;
        case Compare::GreaterEqual:
            return value >= term.number;
        case Compare::Greater:
            return value > term.number;
        }
        return false;
    };
    switch (term.field) {
    case Field::Method:
        return nameMatches(term.text, recorder.method(frame));
    case Field::Id:
        return frame.id == term.text || frame.id == '"' + term.text + '"';
    case Field::Connection:
        return nameMatches(term.text, recorder.connectionName(frame.connection));
    case Field::Direction:
        return qint64(frame.direction) == term.number;
    case Field::Kind:
        return !frame.parseFailed() && qint64(frame.kind) == term.number;
    case Field::Latency:
        return frame.latencyUs >= 0 && compare(frame.latencyUs);
    case Field::Size:
        return compare(frame.bytes.size());
    case Field::Error:
        return frame.isError() || frame.parseFailed();
    case Field::Unpaired:
        return frame.kind == jsonrpc::Kind::Request && frame.pairedIndex < 0;
    case Field::Text:
        return containsCaseInsensitive(frame.bytes, term.text);
    }
    return false;
}

bool TrafficFilter::matches(const Recorder &recorder, const FrameRecord &frame) const
{
    for (const Term &term : m_terms) {
        if (termMatches(term, recorder, frame) == term.negate)
            return false;
    }
    return true;
}

} // namespace mcp
