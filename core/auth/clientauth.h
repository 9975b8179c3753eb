#pragma once

#include "tokenstore.h"

#include <QList>
#include <QPair>

namespace mcp::auth {

using FormFields = QList<QPair<QString, QString>>;
using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// Adds the client's authentication, as it registered, to a request to an authorization server endpoint
// (token, introspection): client_secret_basic (an Authorization header), client_secret_post (form fields),
// private_key_jwt (RFC 7523 §2.2: an assertion signed with privateKeyPem/alg for `audience`), or just
// client_id for a public client. False with *error when the assertion cannot be signed.
bool authenticateClient(const ClientRegistration &client, const QByteArray &privateKeyPem, const QString &alg,
                        const QString &audience, HttpHeaders *headers, FormFields *form, QString *error);

// application/x-www-form-urlencoded
QByteArray formEncode(const FormFields &form);

} // namespace mcp::auth
