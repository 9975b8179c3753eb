// RFC 6570 expansion of resource templates, checked against the RFC's own examples (section 3.2).
#include "session/uritemplate.h"

#include <QTest>

using namespace mcp;

class TstUriTemplate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void expand_data()
    {
        QTest::addColumn<QString>("uriTemplate");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *t, const char *expected) {
            QTest::newRow(t) << QString::fromUtf8(t) << QString::fromUtf8(expected);
        };
        row("{var}", "value");
        row("{hello}", "Hello%20World%21");
        row("{+hello}", "Hello%20World!");
        row("{+path}/here", "/foo/bar/here");
        row("X{#var}", "X#value");
        row("map?{x,y}", "map?1024,768");
        row("{?x,y}", "?x=1024&y=768");
        row("?fixed=yes{&x}", "?fixed=yes&x=1024");
        row("{/var,x}/here", "/value/1024/here");
        row("{;x,y}", ";x=1024;y=768");
        row("X{.var}", "X.value");
        row("{var:3}", "val");
        row("{undef}", "");
        row("{?x,undef}", "?x=1024");
        row("demo://resource/dynamic/text/{resourceId}", "demo://resource/dynamic/text/");
        row("no variables", "no variables");
    }
    void expand()
    {
        QFETCH(QString, uriTemplate);
        QFETCH(QString, expected);
        const QHash<QString, QString> values = {{QStringLiteral("var"), QStringLiteral("value")},
                                                {QStringLiteral("hello"), QStringLiteral("Hello World!")},
                                                {QStringLiteral("path"), QStringLiteral("/foo/bar")},
                                                {QStringLiteral("x"), QStringLiteral("1024")},
                                                {QStringLiteral("y"), QStringLiteral("768")}};
        QCOMPARE(expandUriTemplate(uriTemplate, values), expected);
    }

    void variables()
    {
        QCOMPARE(uriTemplateVariables(QStringLiteral("demo://resource/dynamic/text/{resourceId}")),
                 QStringList{QStringLiteral("resourceId")});
        QCOMPARE(uriTemplateVariables(QStringLiteral("file:///{+path}{?rev,x*}{&rev}{/a:3}")),
                 QStringList({QStringLiteral("path"), QStringLiteral("rev"), QStringLiteral("x"),
                              QStringLiteral("a")}));
        QVERIFY(uriTemplateVariables(QStringLiteral("plain://uri")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstUriTemplate)
#include "tst_uritemplate.moc"
