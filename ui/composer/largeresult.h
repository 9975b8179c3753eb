#pragma once

#include "traffic/jsonindent.h"

#include <QWidget>
#include <atomic>
#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace mcpui {

// A result too big to lay out whole (a 60 MB text, a million JSON objects): says how big it is and shows
// its beginning page by page, searches the whole of it off the GUI thread (cancellable), saves it to a file
// and offers the traffic detail (tree, everything). The bytes are shared, never copied: for JSON they are
// the recorder's frame, with the range of the member shown.
class LargeResult : public QWidget
{
    Q_OBJECT
public:
    enum class Kind { Text, Json };
    static constexpr qsizetype PageBytes = 256 * 1024;

    LargeResult(Kind kind, QByteArray data, mcp::ByteRange range, QWidget *parent = nullptr);
    ~LargeResult() override;

    QByteArrayView payload() const { return QByteArrayView(m_data).sliced(m_range.begin, m_range.size); }
    QString bannerText() const;
    qsizetype shownBytes() const { return m_shown; }

    void showMore();
    // Finds `needle` (exact bytes) after the last match of the same needle, else from the start; the view
    // then shows the page around it. searchFinished() says where (-1 not found, -2 cancelled).
    void search(const QString &needle);
    void cancelSearch();
    bool isSearching() const { return bool(m_cancel); }
    bool saveTo(const QString &path, QString *error) const;
    void offerTraffic(bool offer); // "Open in Traffic" only where someone can show the frame

    QPlainTextEdit *textView() const { return m_text; }
    QLabel *banner() const { return m_banner; }
    QLineEdit *searchEdit() const { return m_find; }
    QLabel *searchStatus() const { return m_status; }
    QPushButton *cancelButton() const { return m_cancelSearch; }

Q_SIGNALS:
    void openInTrafficRequested();
    void searchFinished(qsizetype offset);

private:
    void showRange(qsizetype from, qsizetype to);
    void onFound(qsizetype offset, qsizetype line, const QByteArray &needle);
    void save();

    Kind m_kind;
    QByteArray m_data; // shared with its owner (the recorder for JSON)
    mcp::ByteRange m_range;
    qsizetype m_lines = -1; // of a text; JSON is counted in bytes only
    qsizetype m_shown = 0;
    QByteArray m_lastNeedle;
    qsizetype m_lastMatch = -1;
    std::shared_ptr<std::atomic_bool> m_cancel; // set while a search runs
    QLabel *m_banner;
    QPlainTextEdit *m_text;
    QPushButton *m_more;
    QPushButton *m_traffic;
    QLineEdit *m_find;
    QPushButton *m_cancelSearch;
    QLabel *m_status;
};

} // namespace mcpui
