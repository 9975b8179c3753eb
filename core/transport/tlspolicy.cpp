#include "tlspolicy.h"

#include <QFile>
#include <QSslCertificate>

namespace mcp {

bool trustCaFile(const QString &caFile, QSslConfiguration *config, qsizetype *added, QString *error)
{
    QList<QSslCertificate> certs = QSslCertificate::fromPath(caFile, QSsl::Pem);
    if (certs.isEmpty())
        certs = QSslCertificate::fromPath(caFile, QSsl::Der);
    if (certs.isEmpty()) {
        *error = QStringLiteral("cannot use CA file %1: %2")
                     .arg(caFile, QFile::exists(caFile) ? QStringLiteral("it holds no PEM or DER certificate")
                                                        : QStringLiteral("the file does not exist"));
        return false;
    }
    // addCaCertificates() would switch off the system roots; keep them and add the user's.
    config->setCaCertificates(QSslConfiguration::systemCaCertificates() + certs);
    *added = certs.size();
    return true;
}

} // namespace mcp
