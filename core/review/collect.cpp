#include "collect.h"

#include "../session/clientsession.h"
#include "../traffic/redaction.h"

#include <memory>

namespace mcp::review {

namespace {

struct Listing
{
    const char *capability;
    const char *method;
    const char *key;
};
constexpr Listing kListings[] = {{"tools", "tools/list", "tools"},
                                 {"prompts", "prompts/list", "prompts"},
                                 {"resources", "resources/list", "resources"},
                                 {"resources", "resources/templates/list", "resourceTemplates"}};

using Done = std::function<void(const Json &, const Error &)>;

// Lists kListings[index] and those after it that the server's capabilities offer, one after another.
void listFrom(ClientSession *session, QObject *context, std::shared_ptr<Json> definitions, size_t index,
              Done done)
{
    const Json capabilities = session->serverCapabilities();
    while (index < std::size(kListings) &&
           !valueOr(capabilities, kListings[index].capability, Json()).is_object())
        ++index;
    if (index == std::size(kListings))
        return done(*definitions, {});
    const char *key = kListings[index].key;
    session->listAll(
        QLatin1String(kListings[index].method), QLatin1String(key),
        [session, context, definitions, index, done, key](const Reply &r) {
            if (!r.ok())
                return done(Json(), r.error);
            (*definitions)[key] = valueOr(r.result, key, Json::array());
            listFrom(session, context, definitions, index + 1, done);
        },
        context);
}

} // namespace

void collectDefinitions(ClientSession *session, std::function<void(const Json &, const Error &)> done,
                        QObject *context)
{
    auto definitions = std::make_shared<Json>(Json::object());
    (*definitions)["serverInfo"] = session->serverInfo();
    if (!session->instructions().isEmpty())
        (*definitions)["instructions"] = toStd(session->instructions());
    listFrom(session, context, definitions, 0, std::move(done));
}

void describeConnection(ServerSnapshot *snapshot, const TransportConfig &transport,
                        const QByteArray &accessToken)
{
    snapshot->transport = transport;
    snapshot->authenticated = !accessToken.isEmpty();
    for (const auto &header : transport.http.headers)
        snapshot->authenticated |= redaction::isSecretName(header.first, redaction::Place::Header);
    snapshot->accessToken = accessToken;
}

} // namespace mcp::review
