// ${env:NAME} and ${file:PATH} in header and client-secret values (core/config/secretreference): what a file
// must be to be read (regular, the user's, not writable by others, one line, at most 64 KiB), and that every
// refusal names the file but never shows what it holds.
#include "config/secretreference.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using mcp::expandSecretReferences;

class TstSecretReference : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &bytes,
                  QFileDevice::Permissions permissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        file.close();
        file.setPermissions(permissions);
        return path;
    }

    // The expansion of value, which must fail with a reason naming path and holding none of the file's bytes.
    static QString refusal(const QString &value, const QString &path, const QString &secret)
    {
        QString error;
        const QString expanded = expandSecretReferences(value, &error);
        if (!expanded.isEmpty() || !error.contains(path) || (!secret.isEmpty() && error.contains(secret)))
            return QStringLiteral("unexpected: \"%1\" / %2").arg(expanded, error);
        return error;
    }

private Q_SLOTS:
    void environment()
    {
        qputenv("MCPWB_TEST_REF", "from-env");
        QString error;
        QCOMPARE(expandSecretReferences(QStringLiteral("Bearer ${env:MCPWB_TEST_REF}"), &error),
                 QStringLiteral("Bearer from-env"));
        QVERIFY(error.isEmpty());
        qunsetenv("MCPWB_TEST_REF");
        QCOMPARE(expandSecretReferences(QStringLiteral("${env:MCPWB_TEST_REF}"), &error), QString());
        QCOMPARE(error, QStringLiteral("${env:MCPWB_TEST_REF} is not set in this environment"));
    }

    void fileWithOneLine()
    {
        const QString lf = write(QStringLiteral("unix"), "sk-file-1\n");
        const QString dos = write(QStringLiteral("dos"), "sk-file-2\r\n");
        const QString bare = write(QStringLiteral("bare"), "sk-file-3");
        QString error;
        QCOMPARE(expandSecretReferences(QStringLiteral("Bearer ${file:%1}").arg(lf), &error),
                 QStringLiteral("Bearer sk-file-1"));
        QVERIFY(error.isEmpty());
        QCOMPARE(expandSecretReferences(QStringLiteral("${file:%1}${file:%2}").arg(dos, bare), &error),
                 QStringLiteral("sk-file-2sk-file-3"));
        QVERIFY(error.isEmpty());
        const QString limit = write(QStringLiteral("limit"), QByteArray(mcp::maxSecretFileBytes, 'k'));
        QCOMPARE(expandSecretReferences(QStringLiteral("${file:%1}").arg(limit), &error).size(),
                 mcp::maxSecretFileBytes);
        QVERIFY(error.isEmpty());
    }

    void tildeIsHome()
    {
        write(QStringLiteral("in-home"), "sk-home\n");
        const QByteArray home = qgetenv("HOME");
        qputenv("HOME", QFile::encodeName(m_dir.path()));
        QString error;
        const QString expanded = expandSecretReferences(QStringLiteral("${file:~/in-home}"), &error);
        qputenv("HOME", home);
        QCOMPARE(expanded, QStringLiteral("sk-home"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void refusals()
    {
        const QString missing = m_dir.filePath(QStringLiteral("missing"));
        QVERIFY(refusal(QStringLiteral("${file:%1}").arg(missing), missing, {})
                    .endsWith(QStringLiteral("does not exist")));

        const QString big = write(QStringLiteral("big"), QByteArray(mcp::maxSecretFileBytes + 1, 'b'));
        QVERIFY(refusal(QStringLiteral("${file:%1}").arg(big), big, QStringLiteral("bbbb"))
                    .endsWith(QStringLiteral("is larger than 64 KiB")));

        const QString twoLines = write(QStringLiteral("two"), "sk-line-1\nsk-line-2\n");
        QVERIFY(refusal(QStringLiteral("${file:%1}").arg(twoLines), twoLines, QStringLiteral("sk-line"))
                    .endsWith(QStringLiteral("holds more than one line")));

        const QString shared =
            write(QStringLiteral("shared"), "sk-shared",
                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::WriteOther);
        QVERIFY(refusal(QStringLiteral("${file:%1}").arg(shared), shared, QStringLiteral("sk-shared"))
                    .endsWith(QStringLiteral("is writable by other users")));

        QVERIFY(refusal(QStringLiteral("${file:%1}").arg(m_dir.path()), m_dir.path(), {})
                    .endsWith(QStringLiteral("is not a regular file")));
        // A FIFO would block the read until someone writes: refused before it is opened.
        const QString fifo = m_dir.filePath(QStringLiteral("fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QVERIFY(refusal(QStringLiteral("${file:%1}").arg(fifo), fifo, {})
                    .endsWith(QStringLiteral("is not a regular file")));

        const QString unreadable =
            write(QStringLiteral("unreadable"), "sk-unreadable", QFileDevice::WriteOwner);
        if (QFile(unreadable).open(QIODevice::ReadOnly))
            QSKIP("running as root: permissions do not stop reads");
        QVERIFY(
            refusal(QStringLiteral("${file:%1}").arg(unreadable), unreadable, QStringLiteral("sk-unreadable"))
                .contains(QStringLiteral("cannot read")));
    }

    void rootOwnedFileIsAccepted()
    {
        // A secret mounted by the system (/run/secrets, owned by root) is read like the user's own.
        const QString path = QStringLiteral("/etc/hostname");
        if (QFileInfo(path).ownerId() != 0 || QFileInfo(path).size() == 0)
            QSKIP("no root-owned /etc/hostname on this machine");
        QString error;
        expandSecretReferences(QStringLiteral("${file:%1}").arg(path), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TstSecretReference)
#include "tst_secretreference.moc"
