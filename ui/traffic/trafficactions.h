#pragma once

#include "traffic/copyas.h"

#include <QObject>
#include <functional>
#include <optional>
#include <vector>

class QAction;
class QWidget;

namespace mcp {
class ClientSession;
}

namespace mcpui {

class ReplayDialog;

// Actions on the selected frames of a traffic view: Copy as JSON / mcpwb command / curl (to the clipboard)
// and Replay…. The view supplies the selection (recorder indices); the window supplies, per recorder
// connection, its transport settings and live session (none for a session file opened from disk).
class TrafficActions : public QObject
{
    Q_OBJECT
public:
    using Selection = std::function<std::vector<int>()>;
    using TransportLookup = std::function<std::optional<mcp::TransportConfig>(int recorderConnection)>;
    using SessionLookup = std::function<mcp::ClientSession *(int recorderConnection)>;

    TrafficActions(mcp::Recorder *recorder, Selection selection, QWidget *parent);

    void setTransportLookup(TransportLookup lookup) { m_transport = std::move(lookup); }
    // Without a session lookup (a session file) Replay… stays disabled.
    void setSessionLookup(SessionLookup lookup) { m_session = std::move(lookup); }
    // Adds the actions to a menu or tool bar.
    void addTo(QWidget *menuOrToolBar) const;
    // Enables what applies to the current selection; call when it changes.
    void update();

    QAction *copyJsonAction() const { return m_copyJson; }
    QAction *copyMcpwbAction() const { return m_copyMcpwb; }
    QAction *copyCurlAction() const { return m_copyCurl; }
    QAction *replayAction() const { return m_replay; }

    // The texts the copy actions put on the clipboard (secrets redacted), one frame after another.
    QString jsonText() const;
    QString mcpwbText() const;
    QString curlText() const;
    // Opens the replay dialog for the current frame (or nullptr when nothing replayable is selected).
    ReplayDialog *replay();

private:
    int requestOf(int index) const; // a response's request; the frame itself otherwise
    std::optional<mcp::CopyTarget> target(int index) const;
    QString joined(const std::function<QString(int index)> &text) const;

    mcp::Recorder *m_recorder;
    Selection m_selection;
    TransportLookup m_transport;
    SessionLookup m_session;
    QWidget *m_parent;
    QAction *m_copyJson;
    QAction *m_copyMcpwb;
    QAction *m_copyCurl;
    QAction *m_replay;
};

} // namespace mcpui
