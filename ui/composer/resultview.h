#pragma once

#include "jsonrpc/json.h"

#include <QScrollArea>

class QVBoxLayout;

namespace mcpui {

// Shows what a server answered: content blocks (text, images, audio, resource links, embedded resources),
// structured content checked against the tool's outputSchema, and errors in a red banner.
class ResultView : public QScrollArea
{
    Q_OBJECT
public:
    explicit ResultView(QWidget *parent = nullptr);

    void clear();
    void showToolResult(const mcp::Json &result, const mcp::Json &outputSchema = {});
    void showResourceContents(const mcp::Json &result); // resources/read
    void showPromptMessages(const mcp::Json &result);   // prompts/get
    void showError(const QString &message);
    void showNote(const QString &message); // a neutral one-liner ("Running…", "Cancelled")

    // Every text shown, in order; for copying and for tests.
    QString plainText() const { return m_texts.join(QLatin1Char('\n')); }

private:
    void addBanner(const QString &text, bool error);
    void addCaption(const QString &text);
    void addText(const QString &text);
    void addJson(const mcp::Json &json);
    void addContent(const mcp::Json &block);
    void addResource(const mcp::Json &resource);
    void addImage(const QByteArray &base64, const QString &mimeType);
    void addAudio(const QByteArray &base64, const QString &mimeType);

    QWidget *m_body;
    QVBoxLayout *m_layout;
    QStringList m_texts;
};

} // namespace mcpui
