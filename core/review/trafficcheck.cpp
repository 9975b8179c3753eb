#include "trafficcheck.h"

#include "../traffic/recorder.h"
#include "definitions.h"
#include "instructioncheck.h"

#include <QHash>
#include <QSet>
#include <algorithm>
#include <array>
#include <string_view>

namespace mcp::review {

namespace {

using Limits = TrafficLimits;

struct ListKind
{
    const char *method;
    const char *key;
    const char *kind;
    const char *notification;
};
constexpr ListKind kListKinds[] = {
    {"tools/list", "tools", "tool", "notifications/tools/list_changed"},
    {"prompts/list", "prompts", "prompt", "notifications/prompts/list_changed"},
    {"resources/list", "resources", "resource", "notifications/resources/list_changed"},
    {"resources/templates/list", "resourceTemplates", "resourceTemplate",
     "notifications/resources/list_changed"},
};
constexpr size_t kKinds = std::size(kListKinds);

// Server answers and requests whose content is reviewed, besides the listings.
const QSet<QString> &reviewedMethods()
{
    static const QSet<QString> methods = [] {
        QSet<QString> m{QStringLiteral("initialize"),
                        QStringLiteral("tools/call"),
                        QStringLiteral("resources/read"),
                        QStringLiteral("prompts/get"),
                        QStringLiteral("sampling/createMessage"),
                        QStringLiteral("elicitation/create")};
        for (const ListKind &k : kListKinds)
            m << QLatin1String(k.method) << QLatin1String(k.notification);
        return m;
    }();
    return methods;
}

// A request the client sent, as far as its answer's review needs it.
struct SentRequest
{
    QString method;
    QString subject;           // the tool's or prompt's name, the resource's URI
    bool continuation = false; // a listing's later page (it has a cursor)
};

struct Place
{
    qint64 frame = -1;
    QString id;
    QString pointer;
};

struct Listing
{
    Json items = Json::array();
    QList<Place> places;
    qint64 announcedBy = -1; // the list_changed notification that came before it
    bool started = false;
};

// A text of a message, with where it is.
struct TextAt
{
    QString pointer;
    QString text;
};

class TextCollector
{
public:
    QList<TextAt> texts;

    bool full() const { return texts.size() >= Limits::kTextsPerMessage; }

    void add(const QString &pointer, const Json &value)
    {
        if (value.is_string() && !full())
            texts.append({pointer, toQString(value.get<std::string>())});
    }

    // A content block, or an array of them (sampling messages may hold either).
    void content(const Json &block, const QString &at)
    {
        if (block.is_array()) {
            for (size_t i = 0; i < block.size() && !full(); ++i)
                content(block[i], at + QStringLiteral("/%1").arg(i));
            return;
        }
        const std::string type = valueOr(block, "type", "");
        if (type == "text")
            add(at + QStringLiteral("/text"), valueOr(block, "text", Json()));
        else if (type == "resource")
            add(at + QStringLiteral("/resource/text"),
                valueOr(valueOr(block, "resource", Json::object()), "text", Json()));
        else if (type == "resource_link")
            add(at + QStringLiteral("/description"), valueOr(block, "description", Json()));
    }

    void everyString(const Json &value, const QString &at, int depth)
    {
        if (depth > Limits::kStructuredDepth || full())
            return;
        if (value.is_string()) {
            add(at, value);
        } else if (value.is_array()) {
            for (size_t i = 0; i < value.size(); ++i)
                everyString(value[i], at + QStringLiteral("/%1").arg(i), depth + 1);
        } else if (value.is_object()) {
            for (const auto &[key, member] : value.items())
                everyString(member, at + QLatin1Char('/') + escapePointerToken(toQString(key)), depth + 1);
        }
    }
};

// Evidence of tag runs: each with its code points and what it decodes to.
QString tagEvidence(const QList<TagRun> &runs)
{
    QStringList parts;
    for (const TagRun &run : runs.mid(0, 3))
        parts << QStringLiteral("%1, decoded \"%2\"").arg(run.describe(), visibleText(run.decoded));
    if (runs.size() > 3)
        parts << QStringLiteral("and %1 more run(s)").arg(runs.size() - 3);
    return parts.join(QStringLiteral("; "));
}

QString announcedText(const ListKind &k, qint64 announcedBy)
{
    return announcedBy >= 0
               ? QStringLiteral("after %1 (frame %2)").arg(QLatin1String(k.notification)).arg(announcedBy + 1)
               : QStringLiteral("without %1 before it").arg(QLatin1String(k.notification));
}

class Reviewer
{
public:
    Reviewer(const Recorder &recorder, int connection, const PinStore *pins)
        : m_recorder(recorder), m_connection(connection), m_pins(pins)
    {}

    TrafficReview run(const QString &server)
    {
        m_result.definitions = Json::object();
        m_result.server = server.isEmpty() ? nameFromInitialize() : server;
        for (qsizetype i = 0; i < m_recorder.size(); ++i) {
            const FrameRecord &f = m_recorder.at(i);
            if (f.connection == m_connection && !f.parseFailed() &&
                (f.flags & FrameRecord::Batch || reviewedMethods().contains(m_recorder.method(f))))
                frame(i, f);
        }
        for (size_t k = 0; k < kKinds; ++k)
            if (!m_result.definitions.contains(kListKinds[k].key) && m_current[k].started)
                m_result.definitions[kListKinds[k].key] = m_current[k].items;
        summarizeLimits();
        return std::move(m_result);
    }

private:
    QString nameFromInitialize() const
    {
        for (qsizetype i = 0; i < m_recorder.size(); ++i) {
            const FrameRecord &f = m_recorder.at(i);
            if (f.connection != m_connection || f.direction != Direction::Received ||
                f.kind != jsonrpc::Kind::Response || m_recorder.method(f) != QStringLiteral("initialize"))
                continue;
            const jsonrpc::ParseResult parsed = jsonrpc::parse(f.bytes);
            const QString name =
                parsed.messages.empty()
                    ? QString()
                    : stringOr(valueOr(parsed.messages.front().result, "serverInfo", Json::object()), "name");
            if (!name.isEmpty())
                return visibleText(name, 80);
        }
        return visibleText(m_recorder.connectionName(m_connection), 80);
    }

    void frame(qint64 index, const FrameRecord &f)
    {
        const jsonrpc::ParseResult parsed = jsonrpc::parse(f.bytes);
        for (const jsonrpc::Message &m : parsed.messages) {
            const QString method = toQString(m.method);
            const QString id = visibleText(jsonrpc::shortIdText(m.id), 40);
            if (f.direction == Direction::Sent) {
                if (m.isRequest() && reviewedMethods().contains(method))
                    remember(m);
            } else if (m.isReply()) {
                const auto sent = m_sent.constFind(jsonrpc::idText(m.id));
                if (sent != m_sent.cend()) {
                    const SentRequest request = *sent;
                    m_sent.erase(sent);
                    reply(index, id, request, m);
                }
            } else if (m.isRequest()) {
                serverRequest(index, id, method, m.params);
            } else {
                for (size_t k = 0; k < kKinds; ++k)
                    if (method == QLatin1String(kListKinds[k].notification))
                        m_announced[k] = index;
            }
        }
    }

    void remember(const jsonrpc::Message &m)
    {
        if (m_sent.size() >= Limits::kPendingRequests)
            return;
        const QString subject = stringOr(m.params, "name", stringOr(m.params, "uri"));
        m_sent.insert(jsonrpc::idText(m.id),
                      {toQString(m.method), subject, !stringOr(m.params, "cursor").isEmpty()});
    }

    void reply(qint64 index, const QString &id, const SentRequest &request, const jsonrpc::Message &m)
    {
        const Json &result = m.result;
        TextCollector texts;
        if (request.method == QStringLiteral("initialize")) {
            if (m.kind == jsonrpc::Kind::Response) {
                m_result.definitions["serverInfo"] = valueOr(result, "serverInfo", Json::object());
                if (result.is_object() && result.contains("instructions"))
                    m_result.definitions["instructions"] = result["instructions"];
            }
            return;
        }
        for (size_t k = 0; k < kKinds; ++k) {
            if (request.method == QLatin1String(kListKinds[k].method)) {
                if (m.kind == jsonrpc::Kind::Response)
                    listingPage(k, index, id, request, result);
                return;
            }
        }
        if (request.method == QStringLiteral("tools/call")) {
            if (m.kind == jsonrpc::Kind::Error)
                texts.add(QStringLiteral("/error/message"), valueOr(m.error, "message", Json()));
            const Json content = valueOr(result, "content", Json::array());
            for (size_t i = 0; i < content.size() && !texts.full(); ++i)
                texts.content(content[i], QStringLiteral("/result/content/%1").arg(i));
            texts.everyString(valueOr(result, "structuredContent", Json()),
                              QStringLiteral("/result/structuredContent"), 0);
            scan(index, id, {QStringLiteral("tool"), request.subject, QStringLiteral("tools/call result")},
                 texts.texts);
        } else if (request.method == QStringLiteral("resources/read")) {
            const Json contents = valueOr(result, "contents", Json::array());
            for (size_t i = 0; i < contents.size() && !texts.full(); ++i)
                texts.add(QStringLiteral("/result/contents/%1/text").arg(i),
                          valueOr(contents[i], "text", Json()));
            scan(index, id,
                 {QStringLiteral("resource"), request.subject, QStringLiteral("resources/read contents")},
                 texts.texts);
        } else if (request.method == QStringLiteral("prompts/get")) {
            texts.add(QStringLiteral("/result/description"), valueOr(result, "description", Json()));
            const Json messages = valueOr(result, "messages", Json::array());
            for (size_t i = 0; i < messages.size() && !texts.full(); ++i)
                texts.content(valueOr(messages[i], "content", Json()),
                              QStringLiteral("/result/messages/%1/content").arg(i));
            scan(index, id,
                 {QStringLiteral("prompt"), request.subject, QStringLiteral("prompts/get messages")},
                 texts.texts);
        }
    }

    // Requests a server sends the client reach its model (sampling) or its user (elicitation).
    void serverRequest(qint64 index, const QString &id, const QString &method, const Json &params)
    {
        TextCollector texts;
        if (method == QStringLiteral("sampling/createMessage")) {
            texts.add(QStringLiteral("/params/systemPrompt"), valueOr(params, "systemPrompt", Json()));
            const Json messages = valueOr(params, "messages", Json::array());
            for (size_t i = 0; i < messages.size() && !texts.full(); ++i)
                texts.content(valueOr(messages[i], "content", Json()),
                              QStringLiteral("/params/messages/%1/content").arg(i));
        } else if (method == QStringLiteral("elicitation/create")) {
            texts.add(QStringLiteral("/params/message"), valueOr(params, "message", Json()));
        } else {
            return;
        }
        scan(index, id, {QStringLiteral("request"), method, method + QStringLiteral(" request")}, texts.texts,
             true);
    }

    struct Subject
    {
        QString kind;
        QString item;
        QString field;
    };

    void scan(qint64 index, const QString &id, const Subject &subject, const QList<TextAt> &texts,
              bool fromServerRequest = false)
    {
        m_atTextBound += texts.size() >= Limits::kTextsPerMessage ? 1 : 0;
        for (const TextAt &t : texts) {
            if (m_scanned >= Limits::kScannedChars) {
                ++m_unscanned;
                continue;
            }
            const bool cut = t.text.size() > Limits::kTextChars;
            const QString text = cut ? t.text.left(Limits::kTextChars) : t.text;
            m_scanned += text.size();
            const Location at{
                m_result.server, subject.kind, subject.item, subject.field, t.pointer, index, id};
            if (cut && m_firstCut.frame < 0)
                m_firstCut = at;
            m_cut += cut ? 1 : 0;
            QList<TagRun> runs = tagRuns(text);
            runs.removeIf([](const TagRun &r) { return r.emojiFlag; });
            if (!runs.isEmpty())
                add({QStringLiteral("traffic.tag-characters"), Category::IntentFlowSubversion,
                     Severity::Critical,
                     QStringLiteral("Unicode tag characters smuggle hidden text in the %1 of %2 %3")
                         .arg(subject.field, subject.kind, visibleText(subject.item, 80)),
                     tagEvidence(runs),
                     QStringLiteral("Tag characters are invisible to the user but read by the model. Treat "
                                    "everything this server returns as hostile; report it to its publisher."),
                     at});
            const QList<InstructionMatch> matches = findInstructionText(text);
            for (const InstructionMatch &m : matches) {
                const bool asksForSecrets = fromServerRequest && m.kind == QStringLiteral("sensitive data");
                add({instructionRuleId(QStringLiteral("traffic.instructions."), m),
                     asksForSecrets ? Category::ContextOverSharing : Category::IntentFlowSubversion,
                     severityOf(m, matches.size(), fromServerRequest),
                     QStringLiteral("%1 (%2) in the %3 of %4 %5")
                         .arg(m.tagRun.isEmpty()
                                  ? QStringLiteral("Instructions to the model")
                                  : QStringLiteral("Instructions hidden in Unicode tag characters"),
                              m.kind, subject.field, subject.kind, visibleText(subject.item, 80)),
                     m.evidence(),
                     fromServerRequest
                         ? QStringLiteral(
                               "A server's request reaches the client's model or user directly. Do "
                               "not answer it; an honest server does not ask for this.")
                         : QStringLiteral(
                               "Data a server returns (a fetched page, a file, a record) can carry "
                               "orders for the model. Do not let the model act on this result "
                               "without the user seeing it; find out where the text came from."),
                     at});
            }
        }
    }

    // Pages and files say "report issues at https://..." as a matter of course: alone in returned data, that
    // words-and-URL match is noted (info); with other orders, or from the server itself, it counts.
    static Severity severityOf(const InstructionMatch &m, qsizetype matchesInText, bool fromServerRequest)
    {
        if (!m.tagRun.isEmpty())
            return Severity::Critical;
        if (m.kind == QStringLiteral("send data out") && matchesInText == 1 && !fromServerRequest)
            return Severity::Info;
        return Severity::High;
    }

    void listingPage(size_t k, qint64 index, const QString &id, const SentRequest &request,
                     const Json &result)
    {
        Listing &current = m_current[k];
        if (!request.continuation || !current.started) {
            current = Listing{};
            current.started = true;
            current.announcedBy = m_announced[k];
            m_announced[k] = -1;
        }
        const Json items = valueOr(result, kListKinds[k].key, Json::array());
        for (size_t i = 0; i < items.size() && current.items.size() < size_t(Limits::kListingItems); ++i) {
            current.items.push_back(items[i]);
            current.places.append(
                {index, id, QStringLiteral("/result/%1/%2").arg(QLatin1String(kListKinds[k].key)).arg(i)});
        }
        if (!stringOr(result, "nextCursor").isEmpty())
            return; // more pages to come; a listing never finished is not compared
        m_result.definitions[kListKinds[k].key] = current.items;
        if (m_previous[k].started)
            compareListings(kListKinds[k], m_previous[k], current);
        if (m_pins)
            comparePins(kListKinds[k], current);
        m_previous[k] = std::move(current);
        current = Listing{};
    }

    static Place placeOf(const Listing &listing, const Json &definition)
    {
        for (qsizetype i = 0; i < listing.places.size(); ++i)
            if (listing.items[size_t(i)] == definition)
                return listing.places[i];
        return listing.places.value(0);
    }

    Location locationOf(const DefinitionChange &c, const Listing &listing) const
    {
        const Place p = placeOf(listing, c.after);
        return {m_result.server, c.itemKind, c.name, QString(), p.pointer, p.frame, p.id};
    }

    // The earlier listing plays the approved definitions: what differs is what the server changed
    // mid-session.
    void compareListings(const ListKind &k, const Listing &before, const Listing &after)
    {
        PinStore earlier;
        earlier.approve(QString(), {{k.key, before.items}});
        const bool readByModel = k.kind == std::string_view("tool") || k.kind == std::string_view("prompt");
        for (const DefinitionChange &c : earlier.changes(QString(), {{k.key, after.items}})) {
            if (full())
                continue;
            const QString what = QStringLiteral("%1 %2").arg(c.itemKind, visibleText(c.name, 80));
            const QString when = announcedText(k, after.announcedBy);
            switch (c.kind) {
            case DefinitionChange::Kind::Changed:
                add({QStringLiteral("traffic.definition-changed"), Category::ToolPoisoning,
                     readByModel ? Severity::High : Severity::Medium,
                     QStringLiteral("%1 changed mid-session, %2").arg(what, when),
                     visibleText(describeChanges(c.diff), 2000),
                     QStringLiteral(
                         "A definition that changes after the user saw it (a rug pull) can turn a "
                         "reviewed tool into a poisoned one. Review the new definition before any "
                         "further call; pin the approved ones (review --pins) to hold such calls."),
                     locationOf(c, after)});
                break;
            case DefinitionChange::Kind::Added:
                add({QStringLiteral("traffic.definition-added"), Category::ToolPoisoning,
                     readByModel ? Severity::Medium : Severity::Info,
                     QStringLiteral("%1 appeared mid-session, %2").arg(what, when),
                     visibleText(QString::fromUtf8(dumpCompact(c.after)), 600),
                     QStringLiteral("Definitions added after the session began were not part of what was "
                                    "reviewed at connection. Review them before they are used."),
                     locationOf(c, after)});
                break;
            case DefinitionChange::Kind::Removed:
                add({QStringLiteral("traffic.definition-removed"),
                     Category::ToolPoisoning,
                     Severity::Info,
                     QStringLiteral("%1 disappeared mid-session, %2").arg(what, when),
                     visibleText(QString::fromUtf8(dumpCompact(c.before)), 600),
                     QStringLiteral("Nothing to call any more; noted so the listing's history is complete."),
                     {m_result.server, c.itemKind, c.name, QString(), after.places.value(0).pointer,
                      after.places.value(0).frame, after.places.value(0).id}});
                break;
            }
        }
    }

    // Every listing against the approved definitions; a difference is reported where it is first seen.
    void comparePins(const ListKind &k, const Listing &listing)
    {
        QList<DefinitionChange> changes = m_pins->changes(m_result.server, {{k.key, listing.items}});
        changes.removeIf([&k](const DefinitionChange &c) { return c.itemKind != QLatin1String(k.kind); });
        const QList<Finding> findings = pinFindings(m_result.server, changes);
        for (qsizetype i = 0; i < findings.size(); ++i) {
            Finding f = findings[i];
            if (m_pinFingerprints.contains(f.fingerprint()) || full())
                continue;
            m_pinFingerprints.insert(f.fingerprint());
            const auto change =
                std::find_if(changes.cbegin(), changes.cend(), [&f](const DefinitionChange &c) {
                    return c.itemKind == f.location.itemKind && c.name == f.location.item;
                });
            f.location = locationOf(*change, listing);
            add(f);
        }
    }

    void add(const Finding &f)
    {
        if (!full())
            m_result.findings.append(f);
    }

    // Counts a finding that is not kept (before the work of locating it) when the cap is reached.
    bool full()
    {
        const bool reached = m_result.findings.size() >= Limits::kFindings;
        m_dropped += reached ? 1 : 0;
        return reached;
    }

    Location wholeConnection() const
    {
        return {m_result.server, QStringLiteral("connection"), QString(), QString(), QString()};
    }

    void summarizeLimits()
    {
        if (m_cut > 0 || m_unscanned > 0 || m_atTextBound > 0)
            m_result.findings.append(
                {QStringLiteral("traffic.not-fully-scanned"), Category::LackOfAudit, Severity::Info,
                 QStringLiteral("Part of this connection's traffic was not reviewed"),
                 QStringLiteral("%1 text(s) longer than %2 characters were scanned only that far; %3 text(s) "
                                "after the first %4 characters of the connection were not scanned; %5 "
                                "message(s) reached the bound of %6 texts, any after were not scanned")
                     .arg(m_cut)
                     .arg(Limits::kTextChars)
                     .arg(m_unscanned)
                     .arg(Limits::kScannedChars)
                     .arg(m_atTextBound)
                     .arg(Limits::kTextsPerMessage),
                 QStringLiteral("Read the rest of these results in the traffic view before trusting them."),
                 m_firstCut.frame >= 0 ? m_firstCut : wholeConnection()});
        if (m_dropped > 0)
            m_result.findings.append(
                {QStringLiteral("traffic.findings-capped"), Category::LackOfAudit, Severity::Info,
                 QStringLiteral("%1 more traffic finding(s) on this connection are not listed")
                     .arg(m_dropped),
                 QStringLiteral("only the first %1 findings of a connection are kept").arg(Limits::kFindings),
                 QStringLiteral("A server this noisy is hostile; the first findings show how."),
                 wholeConnection()});
    }

    const Recorder &m_recorder;
    const int m_connection;
    const PinStore *m_pins;
    TrafficReview m_result;
    QHash<QString, SentRequest> m_sent; // by id text
    std::array<qint64, kKinds> m_announced{-1, -1, -1, -1};
    std::array<Listing, kKinds> m_current;
    std::array<Listing, kKinds> m_previous;
    QSet<QString> m_pinFingerprints;
    qsizetype m_scanned = 0;
    int m_cut = 0;
    int m_unscanned = 0;
    int m_atTextBound = 0;
    int m_dropped = 0;
    Location m_firstCut;
};

} // namespace

TrafficReview reviewTraffic(const Recorder &recorder, int connection, const QString &server,
                            const PinStore *pins)
{
    return Reviewer(recorder, connection, pins).run(server);
}

} // namespace mcp::review
