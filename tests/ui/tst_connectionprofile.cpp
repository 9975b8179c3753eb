// Connection profiles keep credentials out of the settings file, and the dialog masks them on screen.
#include "auth/tokenstore.h"
#include "common/keyvalueeditor.h"
#include "connections/connection.h"
#include "connections/connectiondialog.h"
#include "connections/connectionprofile.h"

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace mcpui;

class TestConnectionProfile : public QObject
{
    Q_OBJECT

    static ConnectionProfile urlProfile()
    {
        ConnectionProfile p;
        p.id = QStringLiteral("p1");
        p.name = QStringLiteral("remote");
        p.kind = ConnectionProfile::Kind::Url;
        p.url = QStringLiteral("http://127.0.0.1:9/mcp");
        p.headers = {QStringLiteral("Authorization: Bearer s3cret-value"), QStringLiteral("X-Trace: on"),
                     QStringLiteral("X-Api-Key: ${env:MCPWB_TEST_API_KEY}")};
        p.environment = {QStringLiteral("GITHUB_TOKEN=ghp_literal"), QStringLiteral("LOG_LEVEL=debug")};
        return p;
    }

    static QByteArray header(const mcp::TransportConfig &config, const QByteArray &name)
    {
        for (const auto &[n, v] : config.http.headers)
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        return {};
    }

private Q_SLOTS:
    void literalSecretsAreNotSaved()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("settings.ini"));
        {
            QSettings settings(path, QSettings::IniFormat);
            ConnectionProfile::save(settings, {urlProfile()});
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY2(!saved.contains("s3cret-value"), saved.constData());
        QVERIFY2(!saved.contains("ghp_literal"), saved.constData());
        QVERIFY(saved.contains("X-Trace: on"));
        QVERIFY(saved.contains("${env:MCPWB_TEST_API_KEY}")); // a reference is not a secret
        QVERIFY(saved.contains("LOG_LEVEL=debug"));

        QCOMPARE(urlProfile().unsavedSecrets(),
                 (QStringList{QStringLiteral("Authorization: Bearer s3cret-value"),
                              QStringLiteral("GITHUB_TOKEN=ghp_literal")}));

        QSettings settings(path, QSettings::IniFormat);
        const QList<ConnectionProfile> loaded = ConnectionProfile::load(settings);
        QCOMPARE(loaded.size(), 1);
        QVERIFY(loaded[0].headers.contains(QStringLiteral("Authorization:")));
        QVERIFY(loaded[0].unsavedSecrets().isEmpty());
        // The emptied header is left out of requests instead of being sent without a value.
        QVERIFY(header(loaded[0].transportConfig(), "Authorization").isEmpty());
        QCOMPARE(header(loaded[0].transportConfig(), "X-Trace"), QByteArray("on"));
    }

    // The one redaction predicate decides what is not saved: names by pattern (x-goog-api-key,
    // X-Service-Key) and JWT values under any name; a ${file:…} reference is saved like ${env:…}.
    void secretsByPatternAndJwtValuesAreNotSaved()
    {
        ConnectionProfile p = urlProfile();
        p.headers = {
            QStringLiteral("x-goog-api-key: goog-literal"), QStringLiteral("X-Service-Key: svc-literal"),
            QStringLiteral("X-Custom: eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.c2ln"),
            QStringLiteral("X-Tenant: acme"), QStringLiteral("Authorization: Bearer ${file:~/token}")};
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("settings.ini"));
        {
            QSettings settings(path, QSettings::IniFormat);
            ConnectionProfile::save(settings, {p});
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        for (const char *secret : {"goog-literal", "svc-literal", "eyJhbGciOiJub25lIn0"})
            QVERIFY2(!saved.contains(secret), saved.constData());
        QVERIFY(saved.contains("X-Tenant: acme"));
        QVERIFY(saved.contains("Authorization: Bearer ${file:~/token}"));
    }

    void fileReferencesExpandAtConnectTime()
    {
        QTemporaryDir dir;
        QFile token(dir.filePath(QStringLiteral("token")));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write("from-a-file\n");
        token.close();
        ConnectionProfile p = urlProfile();
        p.headers = {QStringLiteral("Authorization: Bearer ${file:%1}").arg(token.fileName()),
                     QStringLiteral("X-Missing: ${file:%1}").arg(dir.filePath(QStringLiteral("missing")))};
        QStringList unreadable;
        const mcp::TransportConfig config = p.transportConfig(&unreadable);
        QCOMPARE(header(config, "Authorization"), QByteArray("Bearer from-a-file"));
        QVERIFY(header(config, "X-Missing").isEmpty()); // left out rather than sent empty
        QCOMPARE(unreadable.size(), 1);
        QVERIFY2(unreadable[0].startsWith(QLatin1String("header X-Missing: ")), qPrintable(unreadable[0]));

        // Connecting with it stops with that reason, where the user looks (before, the header was silently
        // left out and the server's refusal came later, unexplained).
        Connection connection(p, nullptr, std::make_shared<mcp::auth::TokenStore>());
        connection.open();
        QCOMPARE(connection.state(), Connection::State::Failed);
        QVERIFY2(connection.lastError().contains(QLatin1String("header X-Missing")),
                 qPrintable(connection.lastError()));
        QVERIFY(connection.lastError().contains(QLatin1String("missing")));
    }

    void environmentReferencesExpandAtConnectTime()
    {
        qputenv("MCPWB_TEST_API_KEY", "from-the-environment");
        const mcp::TransportConfig config = urlProfile().transportConfig();
        QCOMPARE(header(config, "X-Api-Key"), QByteArray("from-the-environment"));
        QCOMPARE(header(config, "Authorization"), QByteArray("Bearer s3cret-value")); // in memory, still sent

        ConnectionProfile stdio;
        stdio.command = QStringLiteral("server");
        stdio.environment = {QStringLiteral("TOKEN=${env:MCPWB_TEST_API_KEY}-suffix"),
                             QStringLiteral("GITHUB_TOKEN=")};
        const mcp::TransportConfig stdioConfig = stdio.transportConfig();
        QCOMPARE(stdioConfig.stdio.environment.value(QStringLiteral("TOKEN")),
                 QStringLiteral("from-the-environment-suffix"));
        QVERIFY(!stdioConfig.stdio.environment.contains(QStringLiteral("GITHUB_TOKEN"))); // inherited instead
        qunsetenv("MCPWB_TEST_API_KEY");
    }

    void dialogMasksSecretValuesUntilRevealed()
    {
        ConnectionDialog dialog(urlProfile());
        auto *headers = dialog.findChild<KeyValueEditor *>(QStringLiteral("headers"));
        QVERIFY(headers);
        KeyValueModel *model = headers->model();
        QCOMPARE(model->rowCount(), 4); // three headers and the empty row for adding
        const QModelIndex authorization = model->index(0, KeyValueModel::Value);
        QVERIFY(!model->data(authorization).toString().contains(QStringLiteral("s3cret")));
        QCOMPARE(model->data(authorization, Qt::EditRole).toString(), QStringLiteral("Bearer s3cret-value"));
        QCOMPARE(model->data(model->index(1, KeyValueModel::Value)).toString(), QStringLiteral("on"));

        auto *reveal = headers->findChild<QCheckBox *>();
        QVERIFY(reveal);
        reveal->click();
        QCOMPARE(model->data(authorization).toString(), QStringLiteral("Bearer s3cret-value"));

        // Typing into the empty last row adds a header and a new empty row.
        QVERIFY(model->setData(model->index(3, KeyValueModel::Name), QStringLiteral("X-New")));
        QVERIFY(model->setData(model->index(3, KeyValueModel::Value), QStringLiteral("1")));
        QCOMPARE(model->rowCount(), 5);
        // Clearing a row removes it.
        QVERIFY(model->setData(model->index(1, KeyValueModel::Name), QString()));
        QVERIFY(model->setData(model->index(1, KeyValueModel::Value), QString()));
        QCOMPARE(dialog.profile().headers,
                 (QStringList{QStringLiteral("Authorization: Bearer s3cret-value"),
                              QStringLiteral("X-Api-Key: ${env:MCPWB_TEST_API_KEY}"),
                              QStringLiteral("X-New: 1")}));
        QCOMPARE(dialog.profile().environment, urlProfile().environment);
    }

    // A label with a mnemonic ("&Working directory:") shows its "&" literally unless it has a buddy to focus.
    void everyMnemonicFocusesAField()
    {
        ConnectionDialog dialog(urlProfile());
        int mnemonics = 0;
        for (const QLabel *label : dialog.findChildren<QLabel *>()) {
            if (!QKeySequence::mnemonic(label->text()).isEmpty()) {
                ++mnemonics;
                QVERIFY2(label->buddy(), qPrintable(label->text()));
            }
        }
        QVERIFY(mnemonics >= 10);
    }
};

QTEST_MAIN(TestConnectionProfile)
#include "tst_connectionprofile.moc"
