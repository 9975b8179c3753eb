// The composer and the result view on core/schema's answers (real widgets, offscreen): an invalid argument
// names its JSON pointer and blocks sending; a schema with a keyword the validator cannot check says
// "not checked", never the green tick, and does not block sending.
#include "composer/composer.h"
#include "composer/resultview.h"
#include "workbenchtest.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>

using mcp::Json;
using namespace mcpui;

namespace {

// FastMCP-style: $defs, $ref, additionalProperties false, a pattern, maxItems.
const char *OrderSchema = R"({
  "$defs": {"Item": {"type": "object", "additionalProperties": false, "required": ["sku"],
                     "properties": {"sku": {"type": "string", "pattern": "^[A-Z][0-9]+$"}}}},
  "type": "object", "required": ["items"],
  "properties": {"items": {"type": "array", "maxItems": 3, "items": {"$ref": "#/$defs/Item"}}}
})";

// 2020-12 with a keyword valijson 1.0 cannot check.
const char *StrictSchema = R"({"type": "object", "properties": {"city": {"type": "string"}},
                               "unevaluatedProperties": false})";

QString shown(const Composer &composer)
{
    const QLabel *label = composer.findChild<QLabel *>(QStringLiteral("problems"));
    return label && label->isVisible() ? label->text() : QString();
}

} // namespace

class TestSchemaCheck : public QObject
{
    Q_OBJECT

private slots:
    void composerAndResultViewSayWhatWasChecked()
    {
        QWidget window;
        auto *layout = new QHBoxLayout(&window);
        auto *composer = new Composer(&window);
        auto *results = new ResultView(&window);
        layout->addWidget(composer);
        layout->addWidget(results);
        window.resize(1100, 520);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        composer->setConnected(true);

        // An invalid argument: the failing pointer is shown and sending is blocked.
        composer->setTarget(QStringLiteral("create-order"), Json::parse(OrderSchema));
        composer->rawEditor()->setPlainText(QStringLiteral(R"({"items": [{"sku": "A1"}, {"sku": "b2"}]})"));
        QCOMPARE(composer->problems(),
                 QStringList{QStringLiteral("/items/1/sku: does not match the pattern ^[A-Z][0-9]+$")});
        QVERIFY(shown(*composer).contains(QStringLiteral("/items/1/sku")));
        QVERIFY(!composer->sendButton()->isEnabled());
        composer->rawEditor()->setPlainText(QStringLiteral(R"({"items": [{"sku": "A1", "qty": 2}]})"));
        QCOMPARE(composer->problems().value(0),
                 QStringLiteral("/items/0: Object contains a property that could not be "
                                "validated using 'properties' or "
                                "'additionalProperties' constraints: 'qty'."));
        composer->rawEditor()->setPlainText(QStringLiteral(R"({"items": [{"sku": "A1"}]})"));
        QVERIFY(composer->problems().isEmpty());
        QVERIFY(shown(*composer).isEmpty());
        QVERIFY(composer->sendButton()->isEnabled());

        // A keyword not checked: said, not blocking, and no tick in the result view.
        composer->setTarget(QStringLiteral("strict-city"), Json::parse(StrictSchema));
        composer->rawEditor()->setPlainText(QStringLiteral(R"({"city": "Paris", "extra": 1})"));
        QVERIFY(composer->problems().isEmpty());
        QCOMPARE(shown(*composer),
                 QStringLiteral("not checked: unevaluatedProperties at the root: not supported by "
                                "valijson 1.0 (a draft-07 validator)"));
        QVERIFY(composer->sendButton()->isEnabled());
        QVERIFY(!shown(*composer).contains(QStringLiteral("✓")));

        const Json result = {{"content", Json::array()},
                             {"structuredContent", {{"city", "Paris"}, {"extra", 1}}}};
        results->showToolResult(result, Json::parse(StrictSchema));
        QVERIFY(results->plainText().contains(
            QStringLiteral("Not fully checked against the tool's output schema")));
        QVERIFY(results->plainText().contains(QStringLiteral("not checked: unevaluatedProperties")));
        QVERIFY(!results->plainText().contains(QStringLiteral("✓")));
        QVERIFY(!results->findChild<QLabel *>(QStringLiteral("errorBanner")));
        QTest::qWait(100); // lay out the new result before the grab
        testsupport::saveScreenshot(window.grab(), QStringLiteral("schema-not-checked"));

        // The same result against a schema fully checked: the tick, and a red banner when it does not fit.
        results->showToolResult(
            result, Json::parse(R"({"type": "object", "properties": {"city": {"type": "string"}}})"));
        QVERIFY(results->plainText().contains(QStringLiteral("✓ Matches the tool's output schema")));
        results->showToolResult(result, Json::parse(R"({"type": "object", "additionalProperties": false,
                                                         "properties": {"city": {"type": "integer"}}})"));
        QVERIFY(results->findChild<QLabel *>(QStringLiteral("errorBanner")));
        QVERIFY(
            results->plainText().contains(QStringLiteral("/city: string is not a type the schema allows")));

        composer->setTarget(QStringLiteral("create-order"), Json::parse(OrderSchema));
        composer->rawEditor()->setPlainText(QStringLiteral(R"({"items": [{"sku": "A1"}, {"sku": "b2"}]})"));
        QTest::qWait(100);
        testsupport::saveScreenshot(window.grab(), QStringLiteral("schema-invalid-argument"));
    }
};

QTEST_MAIN(TestSchemaCheck)
#include "tst_schemacheck.moc"
