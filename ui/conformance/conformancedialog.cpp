#include "conformancedialog.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mcpui {

namespace {

using mcp::conformance::HarnessCheck;
using mcp::conformance::ScenarioResult;

constexpr int ScenarioRole = Qt::UserRole;
constexpr int CheckRole = Qt::UserRole + 1; // -1 on a scenario's row
constexpr qsizetype maxShownBytes = 256 * 1024;

QColor statusColor(HarnessCheck::Status status)
{
    switch (status) {
    case HarnessCheck::Status::Failure:
        return QColor(0xc6, 0x28, 0x28);
    case HarnessCheck::Status::Warning:
        return QColor(0xb2, 0x6a, 0x00);
    case HarnessCheck::Status::Success:
        return QColor(0x2e, 0x7d, 0x32);
    default:
        return {};
    }
}

QString pretty(const QByteArray &bytes)
{
    const mcp::Json json = mcp::Json::parse(bytes.begin(), bytes.end(), nullptr, false);
    const QString text =
        json.is_discarded() ? QString::fromUtf8(bytes) : QString::fromStdString(json.dump(2));
    return text.size() > maxShownBytes ? text.left(maxShownBytes) + QStringLiteral("\n… (cut)") : text;
}

} // namespace

ConformanceDialog::ConformanceDialog(const QUrl &url, const QString &connectionName, QWidget *parent)
    : QDialog(parent), m_url(url), m_harness(new QComboBox(this)), m_suite(new QComboBox(this)),
      m_run(new QPushButton(tr("&Run"), this)), m_status(new QLabel(this)), m_results(new QTreeWidget(this)),
      m_details(new QPlainTextEdit(this)), m_frames(new QListWidget(this)), m_frame(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Conformance Harness — %1").arg(connectionName));
    m_harness->addItem(tr("0.1.x (stable)"), QStringLiteral("stable"));
    m_harness->addItem(tr("0.2.x (next, with 2026-07-28)"), QStringLiteral("next"));
    m_suite->addItem(tr("Active scenarios"), QString());
    m_suite->addItem(tr("All scenarios"), QStringLiteral("all"));
    m_suite->addItem(tr("Required by 2026-07-28 (0.2.x)"), QStringLiteral("requirements"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (url.isEmpty()) { // the harness speaks streamable HTTP only
        m_run->setEnabled(false);
        m_status->setText(tr("This connection starts its server over stdio, and the harness tests streamable "
                             "HTTP servers: start the server's HTTP mode (mcpwb demo-server --http PORT, "
                             "server-everything streamableHttp, ...) and run the harness on a URL connection "
                             "to it."));
    } else {
        m_status->setText(
            tr("Runs the harness's server scenarios against %1 through a recording proxy on "
               "127.0.0.1. Each scenario makes sessions of its own and calls the server's tools.")
                .arg(url.toString()));
    }
    m_results->setHeaderLabels({tr("Scenario / check"), tr("Result"), tr("Message")});
    m_results->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_results->setColumnWidth(0, 320);
    m_results->setColumnWidth(1, 170);
    for (QPlainTextEdit *text : {m_details, m_frame}) {
        text->setReadOnly(true);
        text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    }

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Harness:"), this));
    top->addWidget(m_harness);
    top->addWidget(new QLabel(tr("Scenarios:"), this));
    top->addWidget(m_suite);
    top->addStretch();
    top->addWidget(m_run);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_details);
    right->addWidget(m_frames);
    right->addWidget(m_frame);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_results);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    resize(1400, 850);

    connect(m_run, &QPushButton::clicked, this, &ConformanceDialog::run);
    connect(m_results, &QTreeWidget::currentItemChanged, this, &ConformanceDialog::showSelected);
    connect(m_frames, &QListWidget::currentRowChanged, this, &ConformanceDialog::showFrame);
}

ConformanceDialog::~ConformanceDialog() = default;

void ConformanceDialog::run()
{
    mcp::conformance::ServerRunOptions options;
    options.url = m_url;
    options.harness = *mcp::conformance::harnessFromString(m_harness->currentData().toString());
    const QString suite = m_suite->currentData().toString();
    if (suite == QStringLiteral("requirements"))
        options.requirements = QStringLiteral("2026-07-28");
    else
        options.suite = suite;
    m_results->clear();
    m_details->clear();
    m_frames->clear();
    m_frame->clear();
    m_harnessRun = std::make_unique<mcp::conformance::ServerConformanceRun>(options);
    connect(m_harnessRun.get(), &mcp::conformance::ServerConformanceRun::scenarioStarted, this,
            [this](const QString &scenario) { m_status->setText(tr("Running %1…").arg(scenario)); });
    connect(m_harnessRun.get(), &mcp::conformance::ServerConformanceRun::finished, this,
            &ConformanceDialog::showResults);
    mcp::Error error;
    if (!m_harnessRun->start(&error)) {
        m_harnessRun.reset();
        m_status->setText(error.message);
        Q_EMIT failed(error.message);
        return;
    }
    m_run->setEnabled(false);
    m_status->setText(tr("Starting the harness…"));
}

void ConformanceDialog::showResults()
{
    m_run->setEnabled(true);
    const mcp::conformance::ServerRunReport &report = m_harnessRun->report();
    QTreeWidgetItem *firstFailure = nullptr;
    for (int s = 0; s < report.scenarios.size(); ++s) {
        const ScenarioResult &scenario = report.scenarios[s];
        auto *row = new QTreeWidgetItem(m_results);
        row->setText(0, scenario.scenario);
        row->setText(1, tr("%1 passed, %2 failed, %3 warnings")
                            .arg(scenario.count(HarnessCheck::Status::Success))
                            .arg(scenario.count(HarnessCheck::Status::Failure))
                            .arg(scenario.count(HarnessCheck::Status::Warning)));
        row->setText(2, scenario.problem.isEmpty() ? scenario.note : scenario.problem);
        row->setData(0, ScenarioRole, s);
        row->setData(0, CheckRole, -1);
        row->setForeground(1, statusColor(scenario.failed() ? HarnessCheck::Status::Failure
                                                            : HarnessCheck::Status::Success));
        for (int c = 0; c < scenario.checks.size(); ++c) {
            const HarnessCheck &check = scenario.checks[c];
            auto *item = new QTreeWidgetItem(row);
            item->setText(0, check.id);
            item->setText(1, HarnessCheck::statusText(check.status));
            item->setText(2, check.errorMessage.isEmpty() ? check.description : check.errorMessage);
            item->setForeground(1, statusColor(check.status));
            item->setData(0, ScenarioRole, s);
            item->setData(0, CheckRole, c);
            if (!firstFailure && check.status == HarnessCheck::Status::Failure)
                firstFailure = item;
        }
        row->setExpanded(scenario.failed());
    }
    m_status->setText(
        tr("Harness %1 (%2): %3 of %4 scenarios pass; %5 checks passed, %6 failed, %7 warnings; %8 frames "
           "recorded.%9")
            .arg(report.harnessVersion, mcp::conformance::harnessName(report.harness))
            .arg(report.scenarios.size() - report.failedScenarios())
            .arg(report.scenarios.size())
            .arg(report.total(HarnessCheck::Status::Success))
            .arg(report.total(HarnessCheck::Status::Failure))
            .arg(report.total(HarnessCheck::Status::Warning))
            .arg(m_harnessRun->recorder().size())
            .arg(report.problems.isEmpty() ? QString()
                                           : QLatin1Char(' ') + report.problems.join(QLatin1Char(' '))));
    if (firstFailure)
        m_results->setCurrentItem(firstFailure);
    Q_EMIT finished();
}

void ConformanceDialog::showSelected()
{
    m_details->clear();
    m_frames->clear();
    m_frame->clear();
    const QTreeWidgetItem *item = m_results->currentItem();
    if (!item || !m_harnessRun)
        return;
    const ScenarioResult &scenario = m_harnessRun->report().scenarios[item->data(0, ScenarioRole).toInt()];
    const int c = item->data(0, CheckRole).toInt();
    QString text;
    if (c < 0) {
        text = tr("Scenario %1, started %2\n")
                   .arg(scenario.scenario, scenario.started.toString(Qt::ISODateWithMs));
        for (const QString &line : {scenario.problem, scenario.note})
            if (!line.isEmpty())
                text += line + QLatin1Char('\n');
    } else {
        const HarnessCheck &check = scenario.checks[c];
        text = tr("%1: %2\n%3\n").arg(HarnessCheck::statusText(check.status), check.id, check.description);
        if (!check.errorMessage.isEmpty())
            text += tr("\n%1\n").arg(check.errorMessage);
        for (const QString &url : check.specUrls)
            text += tr("Spec: %1\n").arg(url);
        if (!check.details.is_null())
            text += tr("\nDetails:\n%1\n").arg(pretty(mcp::dumpCompact(check.details)));
    }
    m_details->setPlainText(text);
    const mcp::Recorder &recorder = m_harnessRun->recorder();
    for (int index : scenario.frames) {
        const mcp::FrameRecord &f = recorder.at(index);
        QString method = recorder.method(f);
        if (method.isEmpty())
            method = f.isError() ? tr("error") : tr("result");
        auto *row = new QListWidgetItem(
            QStringLiteral("#%1 %2 %3  %4")
                .arg(index + 1)
                .arg(f.direction == mcp::Direction::Sent ? QStringLiteral("→") : QStringLiteral("←"), method,
                     QString::fromUtf8(f.bytes.left(160)).simplified()),
            m_frames);
        row->setData(Qt::UserRole, index);
    }
}

void ConformanceDialog::showFrame()
{
    const QListWidgetItem *row = m_frames->currentItem();
    if (!row || !m_harnessRun)
        return m_frame->clear();
    m_frame->setPlainText(pretty(m_harnessRun->recorder().at(row->data(Qt::UserRole).toInt()).bytes));
}

} // namespace mcpui
