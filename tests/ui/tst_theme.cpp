// View › Theme › System is the platform's own style and palette, not Fusion over them: here the "platform"
// is the Windows style with a dark palette, set before the window's first theme. Light and Dark are Fusion
// with our palettes; back to System, the platform's style and palette return; and the glyphs follow the
// palette when the platform's colours change while the workbench runs. Takes main-window-system-dark.png.
#include "workbenchtest.h"

#include <QStyleFactory>
#include <memory>

using namespace mcpui;

namespace {

QPalette windowsPalette()
{
    const std::unique_ptr<QStyle> windows(QStyleFactory::create(QStringLiteral("Windows")));
    return windows->standardPalette();
}

QPalette darkPlatformPalette()
{
    QPalette p = windowsPalette();
    const QColor window(0x30, 0x33, 0x3a), base(0x22, 0x24, 0x29), text(0xe6, 0xe6, 0xe6);
    for (auto [role, colour] : {std::pair{QPalette::Window, window}, std::pair{QPalette::Button, window},
                                std::pair{QPalette::Base, base}, std::pair{QPalette::AlternateBase, window},
                                std::pair{QPalette::WindowText, text}, std::pair{QPalette::Text, text},
                                std::pair{QPalette::ButtonText, text},
                                std::pair{QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a)}})
        p.setColor(role, colour);
    return p;
}

// The colour of the first opaque pixel of an action's icon: the glyph's colour.
QColor glyphColour(const QAction *action)
{
    const QImage image = action->icon().pixmap(16).toImage();
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixelColor(x, y).alpha() == 255)
                return image.pixelColor(x, y);
    return {};
}

} // namespace

class TestTheme : public QObject
{
    Q_OBJECT
    testsupport::Workbench m_workbench;
    MainWindow *m_window = nullptr;

    QAction *connectAction() const { return testsupport::menuAction(m_window, tr("&Connect")); }

private Q_SLOTS:
    void initTestCase()
    {
        QApplication::setStyle(QStringLiteral("Windows"));
        QApplication::setPalette(darkPlatformPalette());
        QVERIFY((m_window = m_workbench.show()));
    }

    void systemIsThePlatformsStyleAndPalette()
    {
        QVERIFY(m_window->themeAction(Theme::System)->isChecked()); // the default
        QCOMPARE(QApplication::style()->name(), QStringLiteral("windows"));
        QVERIFY(isDarkPalette(m_window->QWidget::palette()));
        QCOMPARE(m_window->QWidget::palette().color(QPalette::Base), QColor(0x22, 0x24, 0x29));
        QCOMPARE(glyphColour(connectAction()), QColor(0xe6, 0xe6, 0xe6));

        ConnectionProfile demo;
        demo.name = QStringLiteral("Demo server");
        demo.command = testsupport::mcpwbBinary();
        demo.arguments = {QStringLiteral("demo-server")};
        Connection *connection = testsupport::connectTo(m_window, demo);
        QTRY_VERIFY_WITH_TIMEOUT(connection->state() == Connection::State::Ready, 15000);
        QTest::qWait(200); // the tools listed and laid out
        testsupport::saveScreenshot(m_window, QStringLiteral("main-window-system-dark"));
    }

    void lightAndDarkAreFusionAndSystemComesBack()
    {
        m_window->themeAction(Theme::Light)->trigger();
        QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
        QTRY_VERIFY(!isDarkPalette(m_window->QWidget::palette()));
        QTRY_VERIFY(glyphColour(connectAction()).lightness() < 128); // dark glyphs on a light palette

        m_window->themeAction(Theme::Dark)->trigger();
        QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
        QTRY_VERIFY(isDarkPalette(m_window->QWidget::palette()));

        m_window->themeAction(Theme::System)->trigger();
        QCOMPARE(QApplication::style()->name(), QStringLiteral("windows"));
        QTRY_COMPARE(m_window->QWidget::palette().color(QPalette::Base), QColor(0x22, 0x24, 0x29));
        QCOMPARE(m_workbench.settings->value(QStringLiteral("view/theme")).toString(),
                 QStringLiteral("system"));
    }

    // The platform's colours change while the workbench runs (the desktop switched to light): the window and
    // the glyphs drawn from the palette follow.
    void followsThePlatformsPaletteChanges()
    {
        QVERIFY(m_window->themeAction(Theme::System)->isChecked());
        QPalette light = windowsPalette();
        light.setColor(QPalette::ButtonText, QColor(0x10, 0x20, 0x30));
        QApplication::setPalette(light);
        QTRY_VERIFY(!isDarkPalette(m_window->QWidget::palette()));
        QTRY_COMPARE(glyphColour(connectAction()), QColor(0x10, 0x20, 0x30));
    }

    void cleanupTestCase() { m_workbench.close(); }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
