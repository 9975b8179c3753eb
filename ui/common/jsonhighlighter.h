#pragma once

#include <QString>

class QObject;
class QTextDocument;

namespace mcpui {

// Colours JSON in a text document: KSyntaxHighlighting's JSON definition where the build found it
// (KF6SyntaxHighlighting, or KF5's built for Qt 6), else the small built-in highlighter below.
// Returns the highlighter (owned by the document); call again after a theme change to recolour.
QObject *highlightJson(QTextDocument *document);

// Which of the two highlightJson() uses, for the About box and the detail view.
QString jsonHighlighterName();

} // namespace mcpui
