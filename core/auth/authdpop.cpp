// The DPoP step of AuthFlow (RFC 9449): whether tokens are bound to a key, and what the answer says of
// the binding.
#include "authanswers.h"
#include "authflow.h"
#include "jwt.h"

namespace mcp::auth {

void AuthFlow::chooseDpop()
{
    const QStringList offered =
        stringList(m_asMetadata.value(QLatin1String("dpop_signing_alg_values_supported")));
    const QString why =
        QStringLiteral("the authorization server offers DPoP (dpop_signing_alg_values_supported: %1)")
            .arg(offered.isEmpty() ? QStringLiteral("empty") : offered.join(QStringLiteral(", ")));
    m_useDpop = false;
    if (!m_settings.dpop) {
        finishStep(QStringLiteral("use Bearer tokens: DPoP is turned off in the settings"), why);
        return;
    }
    const QString alg = m_dpop->hasKey() && offered.contains(m_dpop->algorithm())
                            ? m_dpop->algorithm()
                            : DpopKey::chooseAlgorithm(offered, m_settings.dpopAlgorithm);
    if (alg.isEmpty()) {
        finishStep(QStringLiteral("use Bearer tokens"),
                   why + QStringLiteral(", but with none this client signs (%1)")
                             .arg(DpopKey::supportedAlgorithms().join(QStringLiteral(", "))));
        return;
    }
    const bool existing = m_dpop->hasKey();
    QString error;
    if (!m_dpop->ensureKey(alg, &error)) {
        failStep(QStringLiteral("cannot make the DPoP key: %1").arg(error));
        return;
    }
    m_useDpop = true;
    finishStep(QStringLiteral(
                   "%1 the %2 DPoP key %3 and send a proof with every token request and every MCP request")
                   .arg(existing ? QStringLiteral("keep") : QStringLiteral("make"), alg,
                        QString::fromLatin1(m_dpop->thumbprint())),
               why + QStringLiteral("; tokens bound to the key are useless to anyone who copies them"));
}

void AuthFlow::noteDpopTokenResponse(const HttpExchange &ex)
{
    const QJsonObject o = jsonObjectOf(ex);
    if (ex.status != 200 || !o.contains(QLatin1String("access_token")))
        return;
    if (o.value(QLatin1String("token_type")).toString().compare(QLatin1String("DPoP"), Qt::CaseInsensitive) !=
        0) {
        m_stepNotes << QStringLiteral(
                           "the authorization server answered the DPoP proof with a %1 token: it is "
                           "not bound to the key")
                           .arg(o.value(QLatin1String("token_type")).toString(QStringLiteral("Bearer")));
        return;
    }
    Jwt jwt;
    QString error;
    if (!Jwt::parse(o.value(QLatin1String("access_token")).toString().toUtf8(), &jwt, &error)) {
        m_stepNotes << QStringLiteral("a DPoP-bound token (opaque, so its binding cannot be seen here)");
        return;
    }
    const QString jkt =
        jwt.claims.value(QLatin1String("cnf")).toObject().value(QLatin1String("jkt")).toString();
    m_stepNotes << (jkt == QString::fromLatin1(m_dpop->thumbprint())
                        ? QStringLiteral("a DPoP-bound token: its cnf.jkt is this key's thumbprint")
                        : QStringLiteral(
                              "token_type DPoP, but its cnf.jkt \"%1\" is not this key's thumbprint %2")
                              .arg(jkt, QString::fromLatin1(m_dpop->thumbprint())));
}

} // namespace mcp::auth
