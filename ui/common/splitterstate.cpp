#include "splitterstate.h"

#include <QSettings>
#include <QSplitter>

namespace mcpui {

namespace {

// The pane a splitter belongs to: its nearest ancestor that is no splitter (nested splitters are reparented
// into the outer one).
QWidget *paneOf(const QSplitter *splitter)
{
    QWidget *w = splitter->parentWidget();
    while (qobject_cast<QSplitter *>(w))
        w = w->parentWidget();
    return w;
}

QString keyOf(const QSplitter *splitter)
{
    QWidget *pane = paneOf(splitter);
    int place = 0;
    for (const QSplitter *other : pane->findChildren<QSplitter *>()) {
        if (other == splitter)
            break;
        place += paneOf(other) == pane;
    }
    return QStringLiteral("splitters/%1/%2").arg(QLatin1String(pane->metaObject()->className())).arg(place);
}

} // namespace

void saveSplitters(QWidget *root, QSettings *settings)
{
    for (const QSplitter *splitter : root->findChildren<QSplitter *>())
        settings->setValue(keyOf(splitter), splitter->saveState());
}

void restoreSplitters(QWidget *root, const QSettings &settings)
{
    for (QSplitter *splitter : root->findChildren<QSplitter *>()) {
        const QVariant state = settings.value(keyOf(splitter));
        if (state.isValid())
            splitter->restoreState(state.toByteArray());
    }
}

} // namespace mcpui
