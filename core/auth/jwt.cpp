#include "jwt.h"

#include "pkce.h"

#include <QJsonDocument>
#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace mcp::auth {

namespace {

struct Free
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
    void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); }
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
    void operator()(BIO *p) const { BIO_free(p); }
    void operator()(BIGNUM *p) const { BN_free(p); }
    void operator()(ECDSA_SIG *p) const { ECDSA_SIG_free(p); }
    void operator()(OSSL_PARAM_BLD *p) const { OSSL_PARAM_BLD_free(p); }
    void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); }
};
template <typename T> using Ptr = std::unique_ptr<T, Free>;

QString opensslError()
{
    const unsigned long e = ERR_get_error();
    if (e == 0)
        return QStringLiteral("OpenSSL reported no detail");
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return QString::fromLatin1(buf);
}

Ptr<EVP_PKEY> readPem(const QByteArray &pem)
{
    Ptr<BIO> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!key) {
        ERR_clear_error();
        Ptr<BIO> again(BIO_new_mem_buf(pem.constData(), int(pem.size())));
        key = PEM_read_bio_PUBKEY(again.get(), nullptr, nullptr, nullptr);
    }
    return Ptr<EVP_PKEY>(key);
}

QByteArray bnBytes(const BIGNUM *bn)
{
    QByteArray out(BN_num_bytes(bn), Qt::Uninitialized);
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

// alg → digest, expected key type, PSS padding.
struct AlgInfo
{
    const EVP_MD *md = nullptr;
    int keyType = 0;
    bool pss = false;
    bool valid = false;
};

AlgInfo algInfo(const QString &alg)
{
    if (alg == QLatin1String("RS256"))
        return {EVP_sha256(), EVP_PKEY_RSA, false, true};
    if (alg == QLatin1String("PS256"))
        return {EVP_sha256(), EVP_PKEY_RSA, true, true};
    if (alg == QLatin1String("ES256"))
        return {EVP_sha256(), EVP_PKEY_EC, false, true};
    if (alg == QLatin1String("EdDSA"))
        return {nullptr, EVP_PKEY_ED25519, false, true};
    return {};
}

Ptr<EVP_PKEY> keyFromJwk(const QJsonObject &jwk, QString *error)
{
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    const auto part = [&jwk](const char *name) {
        return fromBase64Url(jwk.value(QLatin1String(name)).toString().toLatin1());
    };
    if (kty == QLatin1String("OKP") &&
        jwk.value(QLatin1String("crv")).toString() == QLatin1String("Ed25519")) {
        const QByteArray x = part("x");
        return Ptr<EVP_PKEY>(EVP_PKEY_new_raw_public_key(
            EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(x.constData()),
            size_t(x.size())));
    }
    Ptr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
    const char *type = nullptr;
    Ptr<BIGNUM> n, e;
    QByteArray point;
    if (kty == QLatin1String("RSA")) {
        const QByteArray nb = part("n"), eb = part("e");
        n.reset(BN_bin2bn(reinterpret_cast<const unsigned char *>(nb.constData()), int(nb.size()), nullptr));
        e.reset(BN_bin2bn(reinterpret_cast<const unsigned char *>(eb.constData()), int(eb.size()), nullptr));
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
        type = "RSA";
    } else if (kty == QLatin1String("EC") &&
               jwk.value(QLatin1String("crv")).toString() == QLatin1String("P-256")) {
        point = QByteArray(1, '\x04') + part("x") + part("y");
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                         size_t(point.size()));
        type = "EC";
    } else {
        *error = QStringLiteral("unsupported key type %1%2")
                     .arg(kty, jwk.contains(QLatin1String("crv"))
                                   ? QLatin1Char('/') + jwk.value(QLatin1String("crv")).toString()
                                   : QString());
        return nullptr;
    }
    Ptr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
    Ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *key = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
        *error =
            QStringLiteral("the JWK is not a usable %1 key: %2").arg(QLatin1String(type), opensslError());
        return nullptr;
    }
    return Ptr<EVP_PKEY>(key);
}

} // namespace

bool Jwt::parse(const QByteArray &token, Jwt *out, QString *error)
{
    const QList<QByteArray> parts = token.trimmed().split('.');
    if (parts.size() != 3) {
        *error = QStringLiteral("not a JWT: %1 dot-separated parts instead of 3").arg(parts.size());
        return false;
    }
    QJsonParseError e1{}, e2{};
    const QJsonDocument header = QJsonDocument::fromJson(fromBase64Url(parts[0]), &e1);
    const QJsonDocument claims = QJsonDocument::fromJson(fromBase64Url(parts[1]), &e2);
    if (e1.error != QJsonParseError::NoError || !header.isObject()) {
        *error = QStringLiteral("not a JWT: the header is not a Base64url JSON object");
        return false;
    }
    if (e2.error != QJsonParseError::NoError || !claims.isObject()) {
        *error = QStringLiteral("not a JWT: the payload is not a Base64url JSON object");
        return false;
    }
    out->header = header.object();
    out->claims = claims.object();
    out->signingInput = parts[0] + '.' + parts[1];
    out->signature = fromBase64Url(parts[2]);
    return true;
}

QByteArray signJwt(const QJsonObject &header, const QJsonObject &claims, const QByteArray &privateKeyPem,
                   QString *error)
{
    const QString alg = header.value(QLatin1String("alg")).toString();
    const AlgInfo info = algInfo(alg);
    if (!info.valid) {
        *error = QStringLiteral("unsupported signing algorithm \"%1\"").arg(alg);
        return {};
    }
    Ptr<EVP_PKEY> key = readPem(privateKeyPem);
    if (!key) {
        *error = QStringLiteral("the private key is not a PEM key: %1").arg(opensslError());
        return {};
    }
    if (EVP_PKEY_get_base_id(key.get()) != info.keyType) {
        *error = QStringLiteral("the key does not fit %1").arg(alg);
        return {};
    }
    const QByteArray input = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
                             base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    Ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pctx = nullptr;
    size_t len = 0;
    if (EVP_DigestSignInit(ctx.get(), &pctx, info.md, nullptr, key.get()) <= 0 ||
        (info.pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
                      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0)) ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char *>(input.constData()),
                       size_t(input.size())) <= 0) {
        *error = opensslError();
        return {};
    }
    QByteArray sig(qsizetype(len), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &len,
                       reinterpret_cast<const unsigned char *>(input.constData()),
                       size_t(input.size())) <= 0) {
        *error = opensslError();
        return {};
    }
    sig.resize(qsizetype(len));
    if (info.keyType == EVP_PKEY_EC) { // DER → r||s
        const unsigned char *p = reinterpret_cast<const unsigned char *>(sig.constData());
        Ptr<ECDSA_SIG> ecdsa(d2i_ECDSA_SIG(nullptr, &p, long(sig.size())));
        QByteArray raw(64, '\0');
        BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa.get()), reinterpret_cast<unsigned char *>(raw.data()), 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa.get()), reinterpret_cast<unsigned char *>(raw.data()) + 32, 32);
        sig = raw;
    }
    return input + '.' + base64Url(sig);
}

bool verifyJwtSignature(const Jwt &jwt, const QJsonObject &jwk, QString *error)
{
    const QString alg = jwt.header.value(QLatin1String("alg")).toString();
    const AlgInfo info = algInfo(alg);
    if (!info.valid) {
        *error = alg == QLatin1String("none") ? QStringLiteral("the token is unsigned (alg none)")
                                              : QStringLiteral("unsupported algorithm \"%1\"").arg(alg);
        return false;
    }
    Ptr<EVP_PKEY> key = keyFromJwk(jwk, error);
    if (!key)
        return false;
    if (EVP_PKEY_get_base_id(key.get()) != info.keyType) {
        *error = QStringLiteral("the key %1 does not fit alg %2")
                     .arg(jwk.value(QLatin1String("kid")).toString(), alg);
        return false;
    }
    QByteArray sig = jwt.signature;
    if (info.keyType == EVP_PKEY_EC) { // r||s → DER
        if (sig.size() != 64) {
            *error = QStringLiteral("an ES256 signature has 64 bytes, this one %1").arg(sig.size());
            return false;
        }
        Ptr<ECDSA_SIG> ecdsa(ECDSA_SIG_new());
        ECDSA_SIG_set0(ecdsa.get(),
                       BN_bin2bn(reinterpret_cast<const unsigned char *>(sig.constData()), 32, nullptr),
                       BN_bin2bn(reinterpret_cast<const unsigned char *>(sig.constData()) + 32, 32, nullptr));
        unsigned char *der = nullptr;
        const int derLen = i2d_ECDSA_SIG(ecdsa.get(), &der);
        sig = QByteArray(reinterpret_cast<const char *>(der), derLen);
        OPENSSL_free(der);
    }
    Ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pctx = nullptr;
    if (EVP_DigestVerifyInit(ctx.get(), &pctx, info.md, nullptr, key.get()) <= 0 ||
        (info.pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
                      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) <= 0))) {
        *error = opensslError();
        return false;
    }
    const int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(sig.constData()),
                                    size_t(sig.size()),
                                    reinterpret_cast<const unsigned char *>(jwt.signingInput.constData()),
                                    size_t(jwt.signingInput.size()));
    ERR_clear_error();
    if (ok != 1) {
        *error = QStringLiteral("the %1 signature does not verify with key \"%2\"")
                     .arg(alg, jwk.value(QLatin1String("kid")).toString());
        return false;
    }
    return true;
}

QJsonObject publicJwkFromPem(const QByteArray &pem, const QString &kid, const QString &alg, QString *error)
{
    Ptr<EVP_PKEY> key = readPem(pem);
    if (!key) {
        *error = QStringLiteral("not a PEM key: %1").arg(opensslError());
        return {};
    }
    QJsonObject jwk{{QStringLiteral("kid"), kid},
                    {QStringLiteral("alg"), alg},
                    {QStringLiteral("use"), QStringLiteral("sig")}};
    switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA: {
        BIGNUM *n = nullptr, *e = nullptr;
        EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n);
        EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e);
        Ptr<BIGNUM> nn(n), ee(e);
        jwk.insert(QStringLiteral("kty"), QStringLiteral("RSA"));
        jwk.insert(QStringLiteral("n"), QString::fromLatin1(base64Url(bnBytes(n))));
        jwk.insert(QStringLiteral("e"), QString::fromLatin1(base64Url(bnBytes(e))));
        return jwk;
    }
    case EVP_PKEY_EC: {
        unsigned char buf[133];
        size_t len = 0;
        EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len);
        if (len != 65) {
            *error = QStringLiteral("only uncompressed P-256 keys are supported");
            return {};
        }
        const QByteArray point(reinterpret_cast<const char *>(buf), 65);
        jwk.insert(QStringLiteral("kty"), QStringLiteral("EC"));
        jwk.insert(QStringLiteral("crv"), QStringLiteral("P-256"));
        jwk.insert(QStringLiteral("x"), QString::fromLatin1(base64Url(point.mid(1, 32))));
        jwk.insert(QStringLiteral("y"), QString::fromLatin1(base64Url(point.mid(33, 32))));
        return jwk;
    }
    case EVP_PKEY_ED25519: {
        unsigned char buf[32];
        size_t len = sizeof buf;
        EVP_PKEY_get_raw_public_key(key.get(), buf, &len);
        jwk.insert(QStringLiteral("kty"), QStringLiteral("OKP"));
        jwk.insert(QStringLiteral("crv"), QStringLiteral("Ed25519"));
        jwk.insert(
            QStringLiteral("x"),
            QString::fromLatin1(base64Url(QByteArray(reinterpret_cast<const char *>(buf), qsizetype(len)))));
        return jwk;
    }
    default:
        *error = QStringLiteral("unsupported key type");
        return {};
    }
}

QByteArray generatePrivateKeyPem(const QString &alg, QString *error)
{
    EVP_PKEY *raw = nullptr;
    if (alg == QLatin1String("ES256"))
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    else if (alg == QLatin1String("EdDSA"))
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    else if (alg == QLatin1String("RS256") || alg == QLatin1String("PS256"))
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
    else {
        *error = QStringLiteral("cannot make a key for \"%1\"").arg(alg);
        return {};
    }
    Ptr<EVP_PKEY> key(raw);
    Ptr<BIO> bio(BIO_new(BIO_s_mem()));
    if (!key || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        *error = QStringLiteral("cannot make a %1 key: %2").arg(alg, opensslError());
        return {};
    }
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(len));
}

QJsonObject requiredJwkMembers(const QJsonObject &jwk)
{
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    QStringList names;
    if (kty == QLatin1String("RSA"))
        names = {QStringLiteral("e"), QStringLiteral("kty"), QStringLiteral("n")};
    else if (kty == QLatin1String("EC"))
        names = {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x"), QStringLiteral("y")};
    else if (kty == QLatin1String("OKP"))
        names = {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x")};
    QJsonObject out;
    for (const QString &name : names)
        out.insert(name, jwk.value(name));
    return out;
}

QByteArray jwkThumbprint(const QJsonObject &jwk, QString *error)
{
    const QJsonObject required = requiredJwkMembers(jwk);
    if (required.isEmpty()) {
        *error = QStringLiteral("no thumbprint for key type \"%1\"")
                     .arg(jwk.value(QLatin1String("kty")).toString());
        return {};
    }
    // QJsonObject keeps its keys sorted and Compact writes no whitespace: exactly RFC 7638 §3.2's form.
    return sha256Base64Url(QJsonDocument(required).toJson(QJsonDocument::Compact));
}

} // namespace mcp::auth
