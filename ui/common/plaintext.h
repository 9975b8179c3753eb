#pragma once

#include <QString>
#include <QTextDocument>

namespace mcpui {

// A tooltip that shows `text` as it is. Qt renders a tooltip as rich text whenever it looks like HTML, and
// tooltips carry what servers, tokens and config files say: descriptions, URLs, error details.
inline QString plainToolTip(const QString &text)
{
    return text.isEmpty() ? text : Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal);
}

} // namespace mcpui
