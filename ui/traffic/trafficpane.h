#pragma once

#include <QWidget>
#include <vector>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QTableView;
class QTimer;
class QToolBar;
class QToolButton;
class TrafficModel;

namespace mcp {
class Recorder;
}

namespace mcpui {

class JsonView;

// The traffic inspector over the Recorder: a table of frames (one connection's or all), a filter bar in the
// core filter language with quick toggles, follow-the-tail or pause, and a detail area with the frame's JSON
// (text and tree), the HTTP exchange that carried it, and jumps between a request, its response and the
// notifications that belong to it.
//
// Features that act on frames plug in through contextMenu() and toolBar(), reading selectedRecorderIndices().
class TrafficPane : public QWidget
{
    Q_OBJECT
public:
    // allConnections: every connection of the recorder; otherwise none until setConnections().
    TrafficPane(mcp::Recorder *recorder, bool allConnections, QWidget *parent = nullptr);

    void setConnections(const QList<int> &recorderConnections);

    // Actions on the selected frames: the table's context menu and the pane's tool bar.
    QMenu *contextMenu() const { return m_menu; }
    QToolBar *toolBar() const { return m_toolBar; }
    // Recorder indices of the selected rows, ascending; currentRecorderIndex() is the one in the detail view.
    std::vector<int> selectedRecorderIndices() const;
    int currentRecorderIndex() const { return m_current; }
    // Selects and shows a frame; false when the filter hides it.
    bool selectRecorderIndex(int index);
    // Request <-> response, notification -> request; false when there is none or the filter hides it.
    bool goToRelated();

    // Following scrolls to each new frame; paused, new frames are counted instead.
    void setFollowing(bool follow);
    bool isFollowing() const;
    int newWhilePaused() const { return m_newWhilePaused; }
    // Applies the filter text now instead of after the typing pause.
    void applyFilter();

    mcp::Recorder *recorder() const { return m_recorder; }
    TrafficModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QLabel *filterError() const { return m_filterError; }
    QToolButton *followButton() const { return m_follow; }
    QToolButton *newFramesButton() const { return m_newFrames; }
    QAction *goToRelatedAction() const { return m_goToRelated; }
    QLabel *detailHeader() const { return m_header; }
    JsonView *jsonView() const { return m_json; }
    QPlainTextEdit *httpView() const { return m_http; }
    QCheckBox *revealSecrets() const { return m_reveal; }

Q_SIGNALS:
    void selectionChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    QToolButton *addChip(const QString &text, const QString &term, const QString &excludes);
    void syncChips();
    void showFrame(int index);
    void showHttp();
    void updateNewFrames();
    int relatedFrame(int index) const;

    mcp::Recorder *m_recorder;
    TrafficModel *m_model;
    QTableView *m_view;
    QLineEdit *m_filter;
    QLabel *m_filterError;
    QTimer *m_filterTimer;
    QList<QPair<QToolButton *, QString>> m_chips; // button, the filter term it toggles
    QToolBar *m_toolBar;
    QToolButton *m_follow;
    QToolButton *m_newFrames;
    QLabel *m_count;
    QMenu *m_menu;
    QAction *m_goToRelated;
    QLabel *m_header;
    JsonView *m_json;
    QWidget *m_httpPage;
    QPlainTextEdit *m_http;
    QCheckBox *m_reveal;
    int m_current = -1;
    int m_newWhilePaused = 0;
    bool m_selecting = false; // a programmatic selection does not pause the tail by itself
};

} // namespace mcpui
