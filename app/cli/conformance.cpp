#include "conformance.h"

#include <QProcessEnvironment>

using mcp::Error;
using mcp::Json;

// The harness's servers approve by themselves: follow the redirect directly. Credentials come from the
// scenario's context; CIMD scenarios expect this client ID metadata document URL.
static void applyAuthContext(CliArgs *args, const QString &scenario, const QByteArray &context)
{
    using Settings = mcp::auth::AuthSettings;
    args->auth.userAgent = Settings::UserAgent::FollowRedirect;
    args->auth.clientMetadataUrl = QStringLiteral("https://conformance-test.local/client-metadata.json");
    const Json ctx = Json::parse(context.begin(), context.end(), nullptr, false);
    if (ctx.is_discarded() || !ctx.is_object())
        return;
    args->auth.clientId = mcp::stringOr(ctx, "client_id");
    args->auth.clientSecret = mcp::stringOr(ctx, "client_secret").toUtf8();
    args->auth.privateKeyPem = mcp::stringOr(ctx, "private_key_pem").toUtf8();
    if (ctx.contains("signing_algorithm"))
        args->auth.signingAlgorithm = mcp::stringOr(ctx, "signing_algorithm");
    if (scenario.startsWith(QStringLiteral("auth/client-credentials")))
        args->auth.grant = Settings::Grant::ClientCredentials;
    if (ctx.contains("valid_jwt")) { // workload identity federation
        args->auth.grant = Settings::Grant::WorkloadIdentity;
        args->auth.workloadAssertion = mcp::stringOr(ctx, "valid_jwt").toUtf8();
    }
    if (ctx.contains("idp_id_token")) {
        args->auth.grant = Settings::Grant::EnterpriseManaged;
        args->auth.idpTokenEndpoint = QUrl(mcp::stringOr(ctx, "idp_token_endpoint"));
        args->auth.idpIdToken = mcp::stringOr(ctx, "idp_id_token").toUtf8();
        args->auth.idpClientId = mcp::stringOr(ctx, "idp_client_id");
    }
}

mcp::Error applyConformanceScenario(CliArgs *args, QList<QStringList> *steps)
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString scenario = env.value(QStringLiteral("MCP_CONFORMANCE_SCENARIO"));
    const QString url = args->verb.value(1);
    if (url.isEmpty() || scenario.isEmpty())
        return mcp::makeError(Error::Category::Usage, QStringLiteral("conformance"),
                              QStringLiteral("usage: MCP_CONFORMANCE_SCENARIO=NAME mcpwb conformance URL"));
    args->transport.kind = mcp::TransportConfig::Kind::Http;
    args->transport.http.url = QUrl(url);
    if (args->protocolVersion.isEmpty()) // 0.1.x harnesses do not say; they test 2025-11-25
        args->protocolVersion =
            env.value(QStringLiteral("MCP_CONFORMANCE_PROTOCOL_VERSION"), QStringLiteral("2025-11-25"));
    // Non-interactive: accept elicitations with the schema's defaults.
    args->inlineRules = Json{{"elicitation", "defaults"}};
    args->keepGoing = true;

    const auto call = [](const QString &tool, const QString &arguments = QStringLiteral("{}")) {
        return QStringList{QStringLiteral("tools"), QStringLiteral("call"), tool, arguments};
    };
    const QStringList listTools{QStringLiteral("tools"), QStringLiteral("list")};
    if (scenario.startsWith(QStringLiteral("auth/"))) {
        // Authorization scenarios: any authorized request will do; test-tool needs more scope in
        // scope-step-up.
        applyAuthContext(args, scenario, env.value(QStringLiteral("MCP_CONFORMANCE_CONTEXT")).toUtf8());
        args->keepGoing = false;
        *steps = {listTools, call(QStringLiteral("test-tool"))};
    } else if (scenario == QStringLiteral("initialize") || scenario == QStringLiteral("request-metadata") ||
               scenario == QStringLiteral("json-schema-ref-no-deref")) {
        *steps = {listTools};
    } else if (scenario == QStringLiteral("tools_call")) {
        *steps = {call(QStringLiteral("add_numbers"), QStringLiteral(R"({"a":2,"b":3})"))};
    } else if (scenario == QStringLiteral("elicitation-sep1034-client-defaults")) {
        *steps = {call(QStringLiteral("test_client_elicitation_defaults"))};
    } else if (scenario == QStringLiteral("sse-retry")) {
        *steps = {listTools, call(QStringLiteral("test_reconnection"))};
    } else if (scenario == QStringLiteral("sep-2322-client-request-state")) {
        *steps = {call(QStringLiteral("test_mrtr_echo_state")), call(QStringLiteral("test_mrtr_no_state")),
                  call(QStringLiteral("test_mrtr_unrelated")),
                  call(QStringLiteral("test_mrtr_no_result_type"))};
    } else if (scenario == QStringLiteral("http-standard-headers")) {
        *steps = {listTools,
                  call(QStringLiteral("test_headers")),
                  {QStringLiteral("resources"), QStringLiteral("list")},
                  {QStringLiteral("resources"), QStringLiteral("read"),
                   QStringLiteral("file:///path/to/file%20name.txt")},
                  {QStringLiteral("prompts"), QStringLiteral("list")},
                  {QStringLiteral("prompts"), QStringLiteral("get"), QStringLiteral("test_prompt")}};
    } else if (scenario == QStringLiteral("http-custom-headers")) {
        const QByteArray context = env.value(QStringLiteral("MCP_CONFORMANCE_CONTEXT")).toUtf8();
        const Json ctx = Json::parse(context.begin(), context.end(), nullptr, false);
        if (ctx.is_discarded() || !ctx.contains("toolCalls"))
            return mcp::makeError(Error::Category::Usage, QStringLiteral("conformance"),
                                  QStringLiteral("MCP_CONFORMANCE_CONTEXT has no toolCalls"));
        for (const auto &c : ctx["toolCalls"])
            steps->append(call(mcp::stringOr(c, "name"), QString::fromUtf8(mcp::dumpCompact(
                                                             mcp::valueOr(c, "arguments", Json::object())))));
    } else if (scenario == QStringLiteral("http-invalid-tool-headers")) {
        *steps = {listTools, call(QStringLiteral("valid_tool"), QStringLiteral(R"({"region":"us-west1"})"))};
    } else if (scenario == QStringLiteral("json-schema-2020-12-preservation")) {
        *steps = {{QStringLiteral("tools"), QStringLiteral("echo-schema"),
                   QStringLiteral("json_schema_2020_12_tool"), QStringLiteral("json_schema_echo")}};
    } else if (scenario == QStringLiteral("sep-2640-client-no-prefetch")) {
        *steps = {{QStringLiteral("skills"), QStringLiteral("list")}};
    } else if (scenario.startsWith(QStringLiteral("sep-2640-client-verify"))) {
        *steps = {{QStringLiteral("skills"), QStringLiteral("load"), QStringLiteral("pdf-processing")}};
    } else {
        return mcp::makeError(Error::Category::Usage, QStringLiteral("conformance"),
                              QStringLiteral("scenario \"%1\" is not supported by mcpwb yet").arg(scenario));
    }
    return {};
}
