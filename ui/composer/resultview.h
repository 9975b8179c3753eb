#pragma once

#include "jsonrpc/json.h"

#include <QScrollArea>

class QVBoxLayout;

namespace mcpui {

class LargeResult;

// Shows what a server answered: content blocks (text, images, audio, resource links, embedded resources),
// structured content checked against the tool's outputSchema, and errors in a red banner.
class ResultView : public QScrollArea
{
    Q_OBJECT
public:
    explicit ResultView(QWidget *parent = nullptr);

    void clear();
    // frame: the recorded response (shared, not copied); a large structuredContent is shown from it in place.
    void showToolResult(const mcp::Json &result, const mcp::Json &outputSchema = {},
                        const QByteArray &frame = {});
    void showResourceContents(const mcp::Json &result); // resources/read
    void showPromptMessages(const mcp::Json &result);   // prompts/get
    void showError(const QString &message);
    void showNote(const QString &message); // a neutral one-liner ("Running…", "Cancelled")

    // Every text shown, in order; for copying and for tests.
    QString plainText() const { return m_texts.join(QLatin1Char('\n')); }

    // A text or structured content larger than this is shown by a LargeResult (size, beginning, search,
    // save, traffic), never laid out whole. For every view; the main window keeps it in its settings.
    static constexpr qsizetype DefaultLargeResultBytes = 1024 * 1024;
    static qsizetype largeResultBytes();
    static void setLargeResultBytes(qsizetype bytes);

Q_SIGNALS:
    void openInTrafficRequested(); // from a large result: its frame in the traffic detail

private:
    void addBanner(const QString &text, bool error);
    void addCaption(const QString &text);
    void addText(const QString &text);
    void addText(const std::string &text); // large ones go to a LargeResult
    void addJson(const mcp::Json &json);
    void addLarge(LargeResult *large);
    void addContent(const mcp::Json &block);
    void addResource(const mcp::Json &resource);
    void addImage(const QByteArray &base64, const QString &mimeType);
    void addAudio(const QByteArray &base64, const QString &mimeType);

    QWidget *m_body;
    QVBoxLayout *m_layout;
    QStringList m_texts;
    bool m_hasLarge = false; // a LargeResult is shown
};

} // namespace mcpui
