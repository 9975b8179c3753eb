#pragma once

#include "traffic/exporter.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace mcpui {

// File › Export: the recording as a session file (JSONL), HAR (HTTP connections only) or OTLP traces.
// Secrets are redacted unless "Keep secrets" is ticked, which starts unticked every time.
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportDialog(const mcp::Recorder &recorder, QWidget *parent = nullptr);

    QComboBox *formatBox() const { return m_format; }
    QLineEdit *pathEdit() const { return m_path; }
    QCheckBox *keepSecretsBox() const { return m_keepSecrets; }
    QLabel *errorLabel() const { return m_error; }
    mcp::ExportFormat format() const;

    void accept() override; // writes the file; stays open with the reason when it cannot

private:
    void browse();

    const mcp::Recorder &m_recorder;
    QComboBox *m_format;
    QLineEdit *m_path;
    QCheckBox *m_keepSecrets;
    QLabel *m_error;
};

} // namespace mcpui
