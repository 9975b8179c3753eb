// The one redaction predicate (core/traffic/redaction) and every place that writes or shows traffic for the
// user to share: HAR, session JSONL, the raw HTTP view, copy as curl and as mcpwb. Each secret header and
// body key of issue 12 finding 7, nested deep in a body, in a form body and in a query, is hidden everywhere;
// innocuous names that look alike (token_type, max_tokens, a tool's "code") are kept.
#include "traffic/copyas.h"
#include "traffic/harexport.h"
#include "traffic/rawhttp.h"
#include "traffic/tracefile.h"

#include <QTest>
#include <QTimeZone>

using namespace mcp;
using redaction::Place;

namespace {

// A JWT: three base64url parts, the first two JSON objects.
constexpr char kJwt[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";

// Secret headers, by the names of finding 7 (each value unique so that a leak names itself).
const HeaderList &secretHeaders()
{
    static const HeaderList headers{{"Authorization", "Bearer SECRET-authorization"},
                                    {"X-Api-Key", "SECRET-x-api-key"},
                                    {"Api-Key", "SECRET-api-key"},
                                    {"X-Auth-Token", "SECRET-x-auth-token"},
                                    {"DPoP", "SECRET-dpop"},
                                    {"Proxy-Authorization", "Basic SECRET-proxy"},
                                    {"x-goog-api-key", "SECRET-goog"},
                                    {"Cookie", "sid=SECRET-cookie"},
                                    {"Mcp-Session-Id", "SECRET-session"},
                                    {"Mcp-Param-apiKey", "SECRET-param"},
                                    {"X-Custom", kJwt}};
    return headers;
}

const HeaderList &innocuousHeaders()
{
    static const HeaderList headers{{"Content-Type", "application/json"},
                                    {"Mcp-Param-Region", "KEEP-region"},
                                    {"X-Tenant", "KEEP-tenant"}};
    return headers;
}

// Every secret body key of finding 7 and its innocuous look-alikes, nested four levels deep.
QByteArray deepArguments()
{
    return R"({"deep":{"deeper":[{"deepest":{
        "apiKey":"SECRET-apiKey","api_key":"SECRET-api_key","secret":"SECRET-secret",
        "private_key":"SECRET-private_key","code_verifier":"SECRET-code_verifier",
        "client_assertion":"SECRET-client_assertion",
        "registration_access_token":"SECRET-registration_access_token","password":"SECRET-password",
        "db_passwd":"SECRET-passwd","credentials":["SECRET-credentials"],"accessToken":"SECRET-accessToken",
        "note":")" +
           QByteArray(kJwt) +
           R"(",
        "token_type":"KEEP-token_type","expires_in":3600,"max_tokens":"KEEP-max_tokens",
        "code":"KEEP-code","assertion":"KEEP-assertion","sessionId":"KEEP-sessionId",
        "public_key":"KEEP-public_key","token_endpoint":"KEEP-token_endpoint",
        "client_secret_expires_at":0,"authorization_servers":["KEEP-as"],
        "schema":{"password":{"type":"string","description":"KEEP-schema"}}}}]}})";
}

QByteArray deepFrame()
{
    return R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"login","arguments":)" +
           QByteArray(deepArguments()).simplified() + "}}";
}

// A token request as OAuth sends it, and the redirect that brought the code.
constexpr char kForm[] =
    "grant_type=authorization_code&code=SECRET-form-code&code_verifier=SECRET-form-verifier"
    "&client_secret=SECRET-form-secret&redirect_uri=http%3A%2F%2F127.0.0.1%2FKEEP-cb"
    "&client_assertion_type=KEEP-assertion-type";

HttpExchange exchange()
{
    HttpExchange x;
    x.started = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000, QTimeZone::utc());
    x.method = "POST";
    x.url = QUrl(QStringLiteral(
        "http://127.0.0.1:3001/mcp?access_token=SECRET-query-token&code=SECRET-query-code&state=KEEP-state"));
    x.requestHeaders = secretHeaders() + innocuousHeaders();
    x.requestBody = deepFrame();
    x.status = 302;
    x.reason = "Found";
    x.responseHeaders = {{"Location", "http://127.0.0.1:9/cb?code=SECRET-location-code&state=KEEP-state"},
                         {"Set-Cookie", "sid=SECRET-set-cookie; Path=/"},
                         {"Content-Type", "application/x-www-form-urlencoded"}};
    x.responseBody = kForm;
    return x;
}

QList<QByteArray> leaks(const QByteArray &text)
{
    QList<QByteArray> found;
    for (qsizetype at = text.indexOf("SECRET-"); at >= 0; at = text.indexOf("SECRET-", at + 1))
        found << text.mid(at, 24);
    if (text.contains(kJwt))
        found << kJwt;
    return found;
}

// No secret in text, and the innocuous look-alikes still there (those of headers and URLs where withHeaders).
void verifyHidden(const QByteArray &text, const QByteArray &place, bool withHeaders = true)
{
    QVERIFY2(leaks(text).isEmpty(), qPrintable(place + ": " + leaks(text).join(", ")));
    for (const char *kept :
         {"KEEP-token_type", "KEEP-max_tokens", "KEEP-code", "KEEP-assertion", "KEEP-sessionId",
          "KEEP-public_key", "KEEP-token_endpoint", "KEEP-as", "KEEP-schema"})
        QVERIFY2(text.contains(kept), qPrintable(place + " lost " + kept));
    if (withHeaders)
        for (const char *kept : {"KEEP-tenant", "KEEP-region", "KEEP-state"})
            QVERIFY2(text.contains(kept), qPrintable(place + " lost " + kept));
}

} // namespace

class TstRedaction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secretNames_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<Place>("place");
        QTest::addColumn<bool>("secret");
        auto row = [](const char *name, Place place, bool secret) {
            QTest::addRow("%s %s", name,
                          place == Place::Header  ? "header"
                          : place == Place::Field ? "field"
                                                  : "parameter")
                << QByteArray(name) << place << secret;
        };
        for (const char *header :
             {"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "DPoP", "X-Api-Key", "Api-Key",
              "apikey", "x-goog-api-key", "X-Auth-Token", "Mcp-Session-Id", "GITHUB_TOKEN", "OPENAI_API_KEY",
              "AWS_SECRET_ACCESS_KEY", "X-Service-Key", "GH_AUTH", "DB_PASSWORD", "PGPASSWORD", "NPMTOKEN"})
            row(header, Place::Header, true);
        for (const char *header : {"Content-Type", "Accept", "MCP-Protocol-Version", "X-Tenant", "Author",
                                   "WWW-Authenticate", "Keyword", "Last-Event-ID"})
            row(header, Place::Header, false);
        for (const char *field :
             {"apiKey",        "api_key",       "APIKey",           "secret",
              "client_secret", "clientSecret",  "private_key",      "privateKeyPem",
              "code_verifier", "codeVerifier",  "client_assertion", "registration_access_token",
              "access_token",  "refresh_token", "id_token",         "subject_token",
              "token",         "password",      "newPassword",      "passwd",
              "passphrase",    "credentials",   "secretKey",        "x_api_key",
              "dpop"})
            row(field, Place::Field, true);
        for (const char *field : {"token_type",
                                  "tokenType",
                                  "expires_in",
                                  "max_tokens",
                                  "maxTokens",
                                  "tokenCount",
                                  "tokens",
                                  "token_endpoint",
                                  "token_endpoint_auth_methods_supported",
                                  "client_secret_expires_at",
                                  "authorization_servers",
                                  "authorization_endpoint",
                                  "code",
                                  "assertion",
                                  "code_challenge",
                                  "sessionId",
                                  "session_id",
                                  "public_key",
                                  "key",
                                  "cache_key",
                                  "state",
                                  "author",
                                  "Mcp-Session-Id"})
            row(field, Place::Field, false);
        for (const char *parameter : {"code", "assertion", "access_token", "code_verifier", "client_secret"})
            row(parameter, Place::Parameter, true);
        for (const char *parameter : {"state", "grant_type", "code_challenge", "redirect_uri",
                                      "token_type_hint", "client_assertion_type", "scope", "resource"})
            row(parameter, Place::Parameter, false);
    }
    void secretNames()
    {
        QFETCH(QByteArray, name);
        QFETCH(Place, place);
        QFETCH(bool, secret);
        QCOMPARE(redaction::isSecretName(name, place), secret);
    }

    void jwtLookingValues()
    {
        QVERIFY(redaction::looksLikeJwt(kJwt));
        QVERIFY(redaction::looksLikeJwt("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.")); // unsigned
        QVERIFY(!redaction::looksLikeJwt("eyJhbGciOiJub25lIn0.notjson.c2ln"));
        QVERIFY(!redaction::looksLikeJwt("example.com.au"));
        QVERIFY(!redaction::looksLikeJwt("eyJ.eyJ.a b"));
    }

    void bodiesDeeplyNested()
    {
        const QByteArray masked = redaction::redactBody(deepFrame());
        verifyHidden(masked, "JSON body", false);
        QVERIFY(masked.contains(R"("expires_in":3600)"));
        QVERIFY(masked.contains(R"("client_secret_expires_at":0)"));
        const QByteArray sse = "event: message\ndata: " + deepFrame() + "\n\n";
        verifyHidden(redaction::redactBody(sse), "SSE body", false);
    }

    void formBodiesAndQueries()
    {
        const QByteArray form = redaction::redactBody(kForm);
        QVERIFY2(leaks(form).isEmpty(), form.constData());
        QVERIFY(form.startsWith("grant_type=authorization_code&code=[redacted]&"));
        QVERIFY(form.contains("redirect_uri=http%3A%2F%2F127.0.0.1%2FKEEP-cb")); // kept byte for byte
        QVERIFY(form.contains("client_assertion_type=KEEP-assertion-type"));
        const QByteArray innocuous = "grant_type=refresh_token&scope=a+b";
        QCOMPARE(redaction::redactBody(innocuous), innocuous);

        const QUrl url = redaction::redactUrl(exchange().url);
        QCOMPARE(url.toString(QUrl::FullyEncoded),
                 QStringLiteral(
                     "http://127.0.0.1:3001/mcp?access_token=[redacted]&code=[redacted]&state=KEEP-state"));
    }

    void headerValues()
    {
        QCOMPARE(redaction::redactHeaderValue("Authorization", "Bearer abc"),
                 QByteArray("Bearer [redacted]"));
        QCOMPARE(redaction::redactHeaderValue("Authorization", "abc"), QByteArray("[redacted]"));
        QCOMPARE(redaction::redactHeaderValue("Mcp-Param-Password", "p"), QByteArray("[redacted]"));
        QCOMPARE(redaction::redactHeaderValue("Mcp-Param-Key", "k"), QByteArray("k")); // as the body's "key"
        QCOMPARE(redaction::redactHeaderValue("Mcp-Param-Region", "us"), QByteArray("us"));
        QVERIFY(redaction::isSecretSetting("X-Anything", kJwt));
        QVERIFY(!redaction::isSecretSetting("X-Tenant", "acme"));
    }

    // HAR, the session JSONL, the raw HTTP view and both copy-as commands hide the same secrets, and show
    // them all when the user keeps secrets (so the checks above are not vacuous).
    void everyPlaceHidesTheSameSecrets()
    {
        Recorder recorder;
        const int c = recorder.addConnection(QStringLiteral("http"));
        const HttpExchange x = exchange();
        recorder.record(c, Direction::Sent, x.requestBody, 1);
        recorder.recordHttp(c, x);

        CopyTarget target = CopyTarget::fromRecording(recorder, 0, {});
        target.transport.kind = TransportConfig::Kind::Http;
        target.transport.http.url = x.url;
        target.transport.http.headers = secretHeaders() + innocuousHeaders();
        auto texts = [&](const ExportOptions &options) {
            return QList<QPair<QByteArray, QByteArray>>{
                {"HAR", exportHar(recorder, options)},
                {"JSONL", exportTrace(recorder, options)},
                {"raw HTTP", formatHttpExchange(x, options.redactSecrets)},
                {"curl", copyas::curlCommand(x.requestBody, target, options).toUtf8()},
                {"mcpwb", copyas::mcpwbCommand(x.requestBody, target, options).toUtf8()}};
        };
        for (const auto &[place, text] : texts(ExportOptions{}))
            verifyHidden(text, place);
        for (const auto &[place, text] : texts(ExportOptions{false})) {
            QVERIFY2(text.contains("SECRET-x-api-key") && text.contains("SECRET-apiKey"), place.constData());
            QVERIFY2(text.contains(kJwt), place.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TstRedaction)
#include "tst_redaction.moc"
