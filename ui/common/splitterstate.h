#pragma once

class QSettings;
class QWidget;

namespace mcpui {

// Splitter positions kept from one start to the next. A splitter is known by the class of the pane it belongs
// to and its place in that pane, so that the Tools pane of every connection shares one arrangement.
void saveSplitters(QWidget *root, QSettings *settings);
void restoreSplitters(QWidget *root, const QSettings &settings);

} // namespace mcpui
