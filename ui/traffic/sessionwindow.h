#pragma once

#include "traffic/recorder.h"

#include <QMainWindow>

namespace mcpui {

class TrafficActions;
class TrafficPane;

// Puts Copy as … and Replay… into a pane's context menu and tool bar, following its selection. The caller
// sets the transport and session lookups (a session file has neither: only Copy as JSON applies).
TrafficActions *addTrafficActions(TrafficPane *pane);

// File › Open Session…: a session file (JSONL) in a read-only traffic view of its own, no server running.
class SessionWindow : public QMainWindow
{
    Q_OBJECT
public:
    // nullptr with *error set when the file cannot be read.
    static SessionWindow *open(const QString &path, QWidget *parent, QString *error);

    const mcp::Recorder &recorder() const { return m_recorder; }
    TrafficPane *pane() const { return m_pane; }
    TrafficActions *actions() const { return m_actions; }

private:
    explicit SessionWindow(QWidget *parent);

    mcp::Recorder m_recorder;
    TrafficPane *m_pane = nullptr;
    TrafficActions *m_actions = nullptr;
};

} // namespace mcpui
