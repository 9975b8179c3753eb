#pragma once

#include "connectionprofile.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace mcpui {

// Connection › Export As…: the connection in another host's config format (core/config/hostexport, as
// `mcpwb config export`): pick the host, read the text and the notes (secrets replaced by references to
// set, settings the host cannot express), copy it or save it to a file.
class ExportAsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ExportAsDialog(const ConnectionProfile &profile, QWidget *parent = nullptr);

    QComboBox *formatBox() const { return m_format; }
    QPlainTextEdit *textView() const { return m_text; }
    QLabel *notesLabel() const { return m_notes; }
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *saveButton() const { return m_save; }
    // Writes the text shown to path; false with *error saying why.
    bool saveTo(const QString &path, QString *error);

private:
    void showExport();

    ConnectionProfile m_profile;
    QComboBox *m_format;
    QPlainTextEdit *m_text;
    QLabel *m_notes;
    QPushButton *m_copy;
    QPushButton *m_save;
};

} // namespace mcpui
