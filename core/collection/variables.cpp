#include "variables.h"

#include <QProcessEnvironment>
#include <QRegularExpression>

namespace mcp::collection {

namespace {

// One piece of a string: literal text, or a reference.
struct Piece
{
    QString text;
    std::optional<Reference> reference;
};

bool validName(const QString &name, bool allowDots)
{
    static const QRegularExpression env(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    static const QRegularExpression id(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    return (allowDots ? id : env).match(name).hasMatch();
}

// The string cut into literal text and references; nullopt with *problem for a malformed reference.
std::optional<QList<Piece>> split(const QString &s, QString *problem)
{
    QList<Piece> pieces;
    QString literal;
    qsizetype i = 0;
    while (i < s.size()) {
        if (s.mid(i, 3) == QStringLiteral("$${")) {
            literal += QStringLiteral("${");
            i += 3;
            continue;
        }
        if (s.mid(i, 2) != QStringLiteral("${")) {
            literal += s[i++];
            continue;
        }
        const qsizetype end = s.indexOf(QLatin1Char('}'), i + 2);
        const QString body = end < 0 ? s.mid(i + 2, 40) : s.mid(i + 2, end - i - 2);
        Reference ref{Reference::Kind::Env, {}, {}};
        bool ok = end >= 0;
        if (ok && body.startsWith(QStringLiteral("env:"))) {
            ref.name = body.mid(4);
            ok = validName(ref.name, false);
        } else if (ok && body.startsWith(QStringLiteral("step:"))) {
            ref.kind = Reference::Kind::Step;
            const qsizetype slash = body.indexOf(QLatin1Char('/'));
            ref.name = body.mid(5, slash < 0 ? -1 : slash - 5);
            ref.pointer = slash < 0 ? QString() : body.mid(slash);
            ok = validName(ref.name, true);
        } else {
            ok = false;
        }
        if (!ok) {
            if (problem)
                *problem =
                    QStringLiteral("\"${%1%2\" is not ${env:NAME} or ${step:ID/pointer} (write $${ for a "
                                   "literal ${)")
                        .arg(body, end < 0 ? QString() : QStringLiteral("}"));
            return std::nullopt;
        }
        if (!literal.isEmpty())
            pieces.append({literal, std::nullopt});
        literal.clear();
        pieces.append({{}, ref});
        i = end + 1;
    }
    if (!literal.isEmpty() || pieces.isEmpty())
        pieces.append({literal, std::nullopt});
    return pieces;
}

QString referenceText(const Reference &r)
{
    return r.kind == Reference::Kind::Env ? QStringLiteral("${env:%1}").arg(r.name)
                                          : QStringLiteral("${step:%1%2}").arg(r.name, r.pointer);
}

// The value a reference stands for, or nullopt with *problem.
std::optional<Json> resolve(const Reference &r, const EnvLookup &env, const QHash<QString, Json> &answers,
                            QString *problem)
{
    if (r.kind == Reference::Kind::Env) {
        const std::optional<QString> value = env(r.name);
        if (!value)
            *problem = QStringLiteral("%1: %2 is not set in the environment").arg(referenceText(r), r.name);
        return value ? std::optional<Json>(toStd(*value)) : std::nullopt;
    }
    const auto answer = answers.constFind(r.name);
    if (answer == answers.constEnd()) {
        *problem = QStringLiteral("%1: request %2 has no answer (it failed, or was not run)")
                       .arg(referenceText(r), r.name);
        return std::nullopt;
    }
    try {
        const Json::json_pointer pointer(toStd(r.pointer));
        if (answer->contains(pointer))
            return answer->at(pointer);
    } catch (const Json::exception &) {
        *problem = QStringLiteral("%1: \"%2\" is not a JSON pointer").arg(referenceText(r), r.pointer);
        return std::nullopt;
    }
    *problem =
        QStringLiteral("%1: nothing at %2 in the answer of %3").arg(referenceText(r), r.pointer, r.name);
    return std::nullopt;
}

QString asText(const Json &value)
{
    return value.is_string() ? toQString(value.get<std::string>()) : QString::fromUtf8(dumpCompact(value));
}

} // namespace

QList<Reference> findReferences(const Json &value, QString *problem)
{
    QList<Reference> found;
    if (value.is_string()) {
        const auto pieces = split(toQString(value.get<std::string>()), problem);
        for (const Piece &p : pieces.value_or(QList<Piece>()))
            if (p.reference)
                found.append(*p.reference);
    } else if (value.is_structured()) {
        for (const Json &element : value)
            found += findReferences(element, problem);
    }
    return found;
}

EnvLookup processEnvironment()
{
    return [](const QString &name) -> std::optional<QString> {
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!env.contains(name))
            return std::nullopt;
        return env.value(name);
    };
}

std::optional<Json> substitute(const Json &value, const EnvLookup &env, const QHash<QString, Json> &answers,
                               QString *problem, qint64 maxBytes)
{
    qint64 budget = maxBytes;
    std::function<std::optional<Json>(const Json &)> walk = [&](const Json &v) -> std::optional<Json> {
        if (v.is_structured()) {
            Json out = v.is_array() ? Json::array() : Json::object();
            for (auto it = v.begin(); it != v.end(); ++it) {
                std::optional<Json> element = walk(it.value());
                if (!element)
                    return std::nullopt;
                if (v.is_array())
                    out.push_back(std::move(*element));
                else
                    out[it.key()] = std::move(*element);
            }
            return out;
        }
        if (!v.is_string())
            return v;
        const std::optional<QList<Piece>> pieces = split(toQString(v.get<std::string>()), problem);
        if (!pieces)
            return std::nullopt;
        QString text;
        for (const Piece &piece : *pieces) {
            std::optional<Json> resolved =
                piece.reference ? resolve(*piece.reference, env, answers, problem) : Json(toStd(piece.text));
            if (!resolved)
                return std::nullopt;
            budget -= piece.reference ? qint64(dumpCompact(*resolved).size()) : 0;
            if (budget < 0) {
                *problem = QStringLiteral("the references of this request stand for more than %1 bytes")
                               .arg(maxBytes);
                return std::nullopt;
            }
            if (pieces->size() == 1)
                return resolved; // exactly one reference: the value with its type
            text += asText(*resolved);
        }
        return Json(toStd(text));
    };
    return walk(value);
}

} // namespace mcp::collection
