#pragma once

#include "conformance/serverrun.h"

#include <QDialog>
#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace mcpui {

// Connection › Run Conformance Harness…: the official conformance harness's server scenarios against this
// connection's server (streamable HTTP), through mcpwb's recording proxy. Each scenario with its checks
// (failed ones first in view: red, expanded); the selected check's message, spec links and details, and the
// frames the scenario exchanged, each shown whole when selected.
class ConformanceDialog : public QDialog
{
    Q_OBJECT
public:
    // An empty url: a stdio connection, told how to run the harness on its server instead.
    ConformanceDialog(const QUrl &url, const QString &connectionName, QWidget *parent = nullptr);
    ~ConformanceDialog() override;

    void run(); // finished() follows, or failed() when the harness could not be started

    QComboBox *harnessBox() const { return m_harness; }
    QComboBox *suiteBox() const { return m_suite; }
    QPushButton *runButton() const { return m_run; }
    QLabel *statusLabel() const { return m_status; }
    QTreeWidget *resultsView() const { return m_results; }
    QPlainTextEdit *detailsView() const { return m_details; }
    QListWidget *framesView() const { return m_frames; }
    QPlainTextEdit *frameView() const { return m_frame; }

Q_SIGNALS:
    void finished();
    void failed(const QString &reason);

private:
    void showResults();
    void showSelected();
    void showFrame();

    QUrl m_url;
    std::unique_ptr<mcp::conformance::ServerConformanceRun> m_harnessRun;
    QComboBox *m_harness;
    QComboBox *m_suite;
    QPushButton *m_run;
    QLabel *m_status;
    QTreeWidget *m_results;
    QPlainTextEdit *m_details;
    QListWidget *m_frames;
    QPlainTextEdit *m_frame;
};

} // namespace mcpui
